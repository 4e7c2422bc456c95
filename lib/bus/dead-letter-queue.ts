import amqplib, { type ConfirmChannel, type GetMessage } from 'amqplib';
import { describeDeadLetter, replayHeaders, type DeadLetter } from './dead-letter-view';
import { DEAD_LETTER_QUEUE } from './topology';

/**
 * The operator's view of the dead-letter queue: list without taking anything away, replay one or all.
 * Both walk the queue with basic.get and no auto-ack, holding what they read until the end: a message
 * held cannot come round again, and the ones not replayed go back (nack, requeue) where they were.
 */
export class DeadLetterQueue {
  private constructor(
    private readonly connection: amqplib.ChannelModel,
    private readonly ch: ConfirmChannel,
    private readonly queue: string,
  ) {}

  static async open(url: string, queue = DEAD_LETTER_QUEUE): Promise<DeadLetterQueue> {
    const connection = await amqplib.connect(url);
    try {
      const ch = await connection.createConfirmChannel();
      await ch.checkQueue(queue);
      return new DeadLetterQueue(connection, ch, queue);
    } catch (err) {
      await connection.close().catch(() => undefined);
      throw err;
    }
  }

  /** Up to `limit` dead letters, oldest first; the queue is as it was afterwards. */
  async list(limit: number): Promise<DeadLetter[]> {
    const held = await this.take(limit);
    this.putBack(held);
    return held.map(view);
  }

  /**
   * Republishes the dead letters `wanted` chooses to their original exchange and routing key; each is
   * removed from the queue once the broker confirmed its republish. Returns the ones replayed.
   */
  async replay(wanted: (d: DeadLetter) => boolean): Promise<DeadLetter[]> {
    const held = await this.take(Number.POSITIVE_INFINITY);
    const replayed: DeadLetter[] = [];
    const rest: GetMessage[] = [];
    // On a failure, what was not confirmed stays a dead letter (closing the channel returns it).
    try {
      for (const m of held) {
        const d = view(m);
        if (!wanted(d)) {
          rest.push(m);
          continue;
        }
        this.ch.publish(d.exchange, d.routingKey, m.content, {
          persistent: true,
          contentType: m.properties.contentType as string | undefined,
          messageId: d.id,
          type: d.type,
          headers: { ...replayHeaders(m.properties.headers), 'x-ipcc-replayed-at': new Date().toISOString() },
        });
        await this.ch.waitForConfirms();
        this.ch.ack(m);
        replayed.push(d);
      }
    } finally {
      this.putBack(rest);
    }
    return replayed;
  }

  async close(): Promise<void> {
    await this.ch.close().catch(() => undefined);
    await this.connection.close();
  }

  /** Reads up to `limit` messages, but no more than were there at the start (replays can come back). */
  private async take(limit: number): Promise<GetMessage[]> {
    const { messageCount } = await this.ch.checkQueue(this.queue);
    const held: GetMessage[] = [];
    while (held.length < Math.min(limit, messageCount)) {
      const m = await this.ch.get(this.queue, { noAck: false });
      if (m === false) break;
      held.push(m);
    }
    return held;
  }

  private putBack(held: GetMessage[]): void {
    for (const m of held) this.ch.nack(m, false, true);
  }
}

function view(m: GetMessage): DeadLetter {
  return describeDeadLetter({
    routingKey: m.fields.routingKey,
    content: m.content,
    headers: m.properties.headers,
    messageId: m.properties.messageId as string | undefined,
    timestamp: m.properties.timestamp as number | undefined,
  });
}
