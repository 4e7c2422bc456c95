import amqplib, { ChannelModel, Channel } from 'amqplib';
import { EXCHANGES } from '../../lib/bus/topology';
import { amqpUrl } from './servers';

export interface Seen {
  exchange: string;
  routingKey: string;
  body: Record<string, unknown>;
  headers: Record<string, unknown>;
}

/** Records what crosses RabbitMQ, through an exclusive queue of its own bound to the given exchanges. */
export class BusObserver {
  readonly seen: Seen[] = [];
  private connection?: ChannelModel;
  channel?: Channel;

  async start(exchanges: string[] = [EXCHANGES.events, EXCHANGES.commands]): Promise<void> {
    this.connection = await amqplib.connect(amqpUrl());
    const ch = await this.connection.createChannel();
    this.channel = ch;
    const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true });
    for (const ex of exchanges) await ch.bindQueue(queue, ex, '#');
    await ch.consume(
      queue,
      (msg) => {
        if (msg === null) return;
        let body: Record<string, unknown>;
        const text = msg.content.toString('utf8');
        try {
          const parsed: unknown = JSON.parse(text);
          // Hostile-input tests publish `null`, arrays and numbers too: keep them, as raw text.
          body =
            parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
              ? (parsed as Record<string, unknown>)
              : { raw: text };
        } catch {
          body = { raw: text };
        }
        this.seen.push({
          exchange: msg.fields.exchange,
          routingKey: msg.fields.routingKey,
          body,
          headers: msg.properties.headers ?? {},
        });
      },
      { noAck: true },
    );
  }

  forContact(contactId: string): Seen[] {
    return this.seen.filter((s) => s.body.contactId === contactId);
  }

  /** The CallDelivered that handed the call from `callingNumber` to an IVR, waited for. */
  deliveredToIvr(callingNumber: string, ms = 15_000): Promise<Seen> {
    return eventually(
      `CallDelivered(ivr) for ${callingNumber}`,
      () =>
        this.seen.find(
          (s) =>
            s.body.type === 'CallDelivered' &&
            s.body.callingNumber === callingNumber &&
            (s.body.deliveredTo as { kind?: string } | undefined)?.kind === 'ivr',
        ),
      ms,
    );
  }

  async stop(): Promise<void> {
    await this.connection?.close();
  }
}

/** Resolves with the probe's first truthy answer; rejects naming `what` after `ms`. */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
