import amqplib from 'amqplib';
import { Backoff } from '../../lib/backoff';
import { amqpUrl } from './servers';

export interface Observed {
  exchange: string;
  routingKey: string;
  body: Record<string, unknown>;
  /** When this observer received it (ms since the epoch). */
  receivedAt: number;
}

/**
 * Records what crosses RabbitMQ through a durable queue of its own, and reconnects by itself: a broker
 * restart must not blind the observer, or events published around the restart could not be counted.
 * The queue outlives the broker's restart (durable, persistent messages), so what was routed to it while
 * this observer was reconnecting is still delivered; it expires 10 minutes after the last consumer left,
 * in case the test process dies before `stop`.
 */
export class DurableBusObserver {
  readonly seen: Observed[] = [];
  readonly queue = `spec.fault.observer.${process.pid}`;
  private connection?: amqplib.ChannelModel;
  private stopped = false;
  private exchanges: string[] = [];
  private readonly backoff = new Backoff();

  async start(exchanges: string[]): Promise<void> {
    this.exchanges = exchanges;
    await this.connect();
  }

  private async connect(): Promise<void> {
    const connection = await amqplib.connect(amqpUrl());
    this.connection = connection;
    // A broker going away is the point of some tests: every error is answered by a reconnect.
    connection.on('error', () => undefined);
    connection.on('close', () => {
      if (!this.stopped) this.reconnectSoon();
    });
    const ch = await connection.createChannel();
    ch.on('error', () => undefined);
    await ch.assertQueue(this.queue, { durable: true, arguments: { 'x-expires': 600_000 } });
    for (const ex of this.exchanges) await ch.bindQueue(this.queue, ex, '#');
    await ch.consume(
      this.queue,
      (msg) => {
        if (msg === null) return;
        let body: Record<string, unknown>;
        try {
          const parsed: unknown = JSON.parse(msg.content.toString('utf8'));
          body =
            parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
              ? (parsed as Record<string, unknown>)
              : { raw: parsed };
        } catch {
          body = { raw: msg.content.toString('utf8') };
        }
        this.seen.push({
          exchange: msg.fields.exchange,
          routingKey: msg.fields.routingKey,
          body,
          receivedAt: Date.now(),
        });
      },
      // Acknowledged on delivery: a redelivery to this observer would look like a duplicate the system made.
      { noAck: true },
    );
    this.backoff.reset();
  }

  /** The project's reconnect policy (lib/backoff.ts), as the services' own bus connections. */
  private reconnectSoon(): void {
    setTimeout(() => {
      if (this.stopped) return;
      this.connect().catch(() => this.reconnectSoon());
    }, this.backoff.next());
  }

  forContact(contactId: string): Observed[] {
    return this.seen.filter((s) => s.body.contactId === contactId);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const c = this.connection;
    if (c === undefined) return;
    try {
      const ch = await c.createChannel();
      await ch.deleteQueue(this.queue);
      await c.close();
    } catch {
      // The broker may be down at the end of a failed test: the queue then expires by itself.
    }
  }
}
