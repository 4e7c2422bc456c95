import amqp, { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { Backoff, SERVICE_BACKOFF } from '../backoff';
import { Logger, errorText } from '../log';
import { InvalidMessage, Message, parseMessage } from '../messages';
import { boundedReason, deadLetterHeaders } from './dead-letter';
import { EXCLUSIVE_QUEUE_LABEL, consumed, deadLetters, published } from './metrics';
import { DEAD_LETTER_QUEUE, EXCHANGES, type SharedQueue } from './topology';

export interface Binding {
  exchange: string;
  pattern: string;
}

export interface ConsumerSpec {
  queue: string;
  bindings: Binding[];
  /** Bindings an earlier version declared that this one no longer wants (a durable queue keeps them). */
  unbind?: Binding[];
  /** Temporary queues (test observers) are exclusive and deleted with their connection. */
  exclusive?: boolean;
  prefetch?: number;
  /** Resolves once the message's effect is stored; only then is the message acknowledged. */
  handle: (message: Message, raw: ConsumeMessage) => Promise<void>;
}

/**
 * The RabbitMQ adapter: reconnects by itself (amqp-connection-manager, with the project's backoff from
 * lib/backoff.ts) and re-runs the topology and consumer set-up on every reconnect; publishes with
 * confirms; validates every message on receipt.
 */
export class Bus {
  private readonly connection: AmqpConnectionManager;
  private readonly channel: ChannelWrapper;

  constructor(
    url: string,
    private readonly log: Logger,
  ) {
    const backoff = new Backoff();
    this.connection = amqp.connect([url], {
      heartbeatIntervalInSeconds: 10,
      reconnectTimeInSeconds: SERVICE_BACKOFF.initialMs / 1000,
    });
    // The manager takes one fixed wait, read when it schedules each retry, right after it emits
    // `disconnect` or `connectFailed` (synchronously): setting it there gives every retry its own delay.
    const nextWait = (): number => {
      const delayMs = backoff.next();
      this.connection.reconnectTimeInSeconds = delayMs / 1000;
      return delayMs;
    };
    this.connection.on('connect', () => {
      backoff.reset();
      log.info('amqp connected');
    });
    this.connection.on('disconnect', ({ err }) =>
      log.warn('amqp disconnected', { error: errorText(err), retryMs: nextWait() }),
    );
    this.connection.on('connectFailed', ({ err }) =>
      log.warn('amqp connect failed', { error: errorText(err), retryMs: nextWait() }),
    );
    this.channel = this.connection.createChannel({
      confirm: true,
      setup: declareTopology,
      publishTimeout: 10_000,
    });
    this.channel.on('error', (err) => log.error('amqp channel error', { error: errorText(err) }));
  }

  waitForConnect(): Promise<void> {
    return this.channel.waitForConnect();
  }

  /** Tells `listener` the connection's state now and at every change (readiness: `bus`). */
  watchConnection(listener: (up: boolean) => void): void {
    listener(this.connection.isConnected());
    this.connection.on('connect', () => listener(true));
    this.connection.on('disconnect', () => listener(false));
  }

  async publish(exchange: string, routingKey: string, message: Message): Promise<void> {
    try {
      await this.channel.publish(exchange, routingKey, Buffer.from(JSON.stringify(message)), {
        persistent: true,
        contentType: 'application/json',
        messageId: message.id,
        type: message.type,
        timestamp: Math.floor(Date.parse(message.at) / 1000),
      });
    } catch (err) {
      published.inc({ exchange, outcome: 'error' });
      throw err;
    }
    published.inc({ exchange, outcome: 'ok' });
  }

  async consume(spec: ConsumerSpec): Promise<void> {
    await this.channel.addSetup(async (ch: ConfirmChannel) => {
      await assertQueue(ch, spec.queue, spec.exclusive ?? false);
      for (const b of spec.bindings) await ch.bindQueue(spec.queue, b.exchange, b.pattern);
      for (const b of spec.unbind ?? []) await ch.unbindQueue(spec.queue, b.exchange, b.pattern);
      await ch.prefetch(spec.prefetch ?? 50);
    });
    await this.channel.consume(spec.queue, (raw) => this.onMessage(spec, raw), { noAck: false });
  }

  /**
   * Declares another service's durable queue and its bindings, on every (re)connect, without consuming
   * from it (lib/bus/topology.ts, `sharedQueues`): what this process publishes there before that service
   * ever started waits in the queue instead of being dropped as unroutable. Declared exactly as the
   * consumer declares it (the broker refuses a declaration whose arguments differ).
   */
  async declareQueue(spec: SharedQueue): Promise<void> {
    await this.channel.addSetup(async (ch: ConfirmChannel) => {
      await assertQueue(ch, spec.queue, false);
      for (const b of spec.bindings) await ch.bindQueue(spec.queue, b.exchange, b.pattern);
    });
  }

  private onMessage(spec: ConsumerSpec, raw: ConsumeMessage): void {
    const queue = spec.exclusive === true ? EXCLUSIVE_QUEUE_LABEL : spec.queue;
    let message: Message;
    try {
      message = parseMessage(raw.content);
    } catch (err) {
      consumed.inc({ queue, outcome: 'dead-letter' });
      deadLetters.inc({ queue, why: 'invalid' });
      this.deadLetter(raw, err instanceof InvalidMessage ? err.reason : errorText(err));
      return;
    }
    spec.handle(message, raw).then(
      () => {
        consumed.inc({ queue, outcome: 'ack' });
        this.channel.ack(raw);
      },
      (err: unknown) => {
        consumed.inc({ queue, outcome: 'dead-letter' });
        deadLetters.inc({ queue, why: 'failed' });
        this.log.error('message handling failed', {
          contactId: message.contactId,
          type: message.type,
          error: errorText(err),
        });
        this.deadLetter(raw, `handler failed: ${errorText(err)}`);
      },
    );
  }

  /** The reason travels in a header so an operator can read why each dead letter was refused. */
  private deadLetter(raw: ConsumeMessage, reason: string): void {
    this.log.warn('message dead-lettered', {
      reason: boundedReason(reason),
      exchange: raw.fields.exchange,
      routingKey: raw.fields.routingKey,
      bytes: raw.content.length,
    });
    this.channel
      .publish(EXCHANGES.deadLetter, raw.fields.routingKey, raw.content, {
        persistent: true,
        // When it was refused, for scripts/dead-letters.ts list (AMQP timestamps are whole seconds).
        timestamp: Math.floor(Date.now() / 1000),
        headers: deadLetterHeaders(raw.properties.headers, reason, raw.fields.exchange),
      })
      .then(
        () => this.channel.ack(raw),
        // If even the DLX publish fails, reject: the queue's own dead-letter exchange keeps the message.
        (err: unknown) => {
          this.log.error('dead-letter publish failed', { error: errorText(err) });
          this.channel.nack(raw, false, false);
        },
      );
  }

  async close(): Promise<void> {
    await this.channel.close();
    await this.connection.close();
  }
}

/** Every queue is declared here, by its consumer and by producers alike: one set of arguments. */
async function assertQueue(ch: ConfirmChannel, queue: string, exclusive: boolean): Promise<void> {
  await ch.assertQueue(queue, {
    durable: !exclusive,
    exclusive,
    autoDelete: exclusive,
    arguments: { 'x-dead-letter-exchange': EXCHANGES.deadLetter },
  });
}

async function declareTopology(ch: ConfirmChannel): Promise<void> {
  await ch.assertExchange(EXCHANGES.events, 'topic', { durable: true });
  await ch.assertExchange(EXCHANGES.commands, 'topic', { durable: true });
  await ch.assertExchange(EXCHANGES.tasks, 'topic', { durable: true });
  await ch.assertExchange(EXCHANGES.deadLetter, 'topic', { durable: true });
  await ch.assertQueue(DEAD_LETTER_QUEUE, { durable: true });
  await ch.bindQueue(DEAD_LETTER_QUEUE, EXCHANGES.deadLetter, '#');
}
