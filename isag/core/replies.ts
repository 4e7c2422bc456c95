import type { Db } from 'mongodb';
import type { Bus } from '../../lib/bus/bus';
import { queues, sharedQueues } from '../../lib/bus/topology';
import type { Logger } from '../../lib/log';
import { errorText } from '../../lib/log';
import type { IsagPart } from './part';
import type { MessageDoc, Via } from './types';

/**
 * Agents' replies: the AS stores an outbound message (`queued`) and sends `SendReply`; this consumer
 * (queue `cc.isag.replies`) loads it, hands it to the sender of the path the conversation came in (SMTP
 * relay, SMS webhook, SIP MESSAGE), and records `sent` or `failed` with the reason; a failure is also
 * put on the interaction's timeline for the agent and the customer's history.
 */

/** A failure a sender knows about: `permanent` ones (a 5xx, a refused number) are not retried. */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'SendFailure';
  }
}

export interface SendResult {
  /** Recipients refused while others were accepted (the message is `sent`, the reason says who not). */
  partial?: string;
}

/** One outgoing path. `prepare` fixes what must be stored before sending (an e-mail's Message-ID). */
export interface ReplySender {
  prepare?(message: MessageDoc): Partial<Pick<MessageDoc, 'messageId'>>;
  send(message: MessageDoc): Promise<SendResult>;
}

/** The senders by path (`smtp`, `webhook`, `sip`), registered by the parts that own them. */
export class ReplySenders {
  private readonly byPath = new Map<Via, ReplySender>();

  register(path: Via, sender: ReplySender): void {
    if (this.byPath.has(path)) throw new Error(`a reply sender for ${path} is registered already`);
    this.byPath.set(path, sender);
  }

  get(path: Via): ReplySender | undefined {
    return this.byPath.get(path);
  }

  paths(): Via[] {
    return [...this.byPath.keys()];
  }
}

/** What the reply handler needs of the store (mongoReplyStore; a Map in unit tests). */
export interface ReplyStore {
  load(id: string): Promise<MessageDoc | null>;
  /** Stores fields a sender fixed before sending; answers the message as it is now. */
  prepare(id: string, fields: Partial<Pick<MessageDoc, 'messageId'>>): Promise<void>;
  markSent(message: MessageDoc, at: Date, reason?: string): Promise<void>;
  markFailed(message: MessageDoc, reason: string, at: Date): Promise<void>;
}

export type ReplyOutcome = 'sent' | 'failed' | 'skipped';

export interface ReplyOptions {
  /** Attempts for a failure that is not permanent (relay down, 4xx), with `retryDelayMs` × attempt between. */
  attempts: number;
  retryDelayMs: number;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_REPLY_OPTIONS: ReplyOptions = { attempts: 3, retryDelayMs: 2_000 };

/** The path of an outbound message: its own `via`, else its channel's usual one. */
export function pathOf(message: Pick<MessageDoc, 'channel' | 'via'>): Via {
  if (message.via !== undefined) return message.via;
  return message.channel === 'email' ? 'smtp' : message.channel === 'sms' ? 'webhook' : 'fax';
}

/** A reason as it is stored and shown: one line, bounded. */
export function reasonText(text: string): string {
  // eslint-disable-next-line no-control-regex -- flattening control characters is the point
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return line.length > 500 ? `${line.slice(0, 499)}…` : line || 'unknown failure';
}

/**
 * Sends the outbound message `id` once. Idempotent on redelivery: a message already `sent` or `failed`
 * is left as it is (a `failed` reply is answered by a new one, never re-sent by a redelivery), and an
 * e-mail keeps the Message-ID stored before its first attempt, so a copy re-sent after a crash between
 * the relay's 250 and `sent` is recognisable as the same message.
 */
export class ReplyHandler {
  private readonly options: ReplyOptions;
  /** One send at a time per message: two deliveries of one command must not both send. */
  private readonly inFlight = new Map<string, Promise<ReplyOutcome>>();

  constructor(
    private readonly store: ReplyStore,
    private readonly senders: ReplySenders,
    private readonly log: Logger,
    options: Partial<ReplyOptions> = {},
  ) {
    this.options = { ...DEFAULT_REPLY_OPTIONS, ...options };
  }

  handle(id: string): Promise<ReplyOutcome> {
    const running = this.inFlight.get(id);
    if (running !== undefined) return running.then(() => 'skipped' as const);
    const job = this.handleNow(id).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, job);
    return job;
  }

  private async handleNow(id: string): Promise<ReplyOutcome> {
    const message = await this.store.load(id);
    if (message === null) {
      // The AS writes the command before the message: a request that failed in between leaves this.
      this.log.warn('reply: no such message, nothing sent', { messageId: id });
      return 'skipped';
    }
    const fields = { contactId: message.interactionId, messageId: id, channel: message.channel };
    if (message.direction !== 'outbound' || message.status !== 'queued') {
      this.log.info('reply: not queued, nothing sent', { ...fields, status: message.status });
      return 'skipped';
    }
    const path = pathOf(message);
    const sender = this.senders.get(path);
    if (sender === undefined) return this.fail(message, `no sender for the ${path} path`);
    const prepared = sender.prepare?.(message) ?? {};
    if (Object.keys(prepared).length > 0) await this.store.prepare(id, prepared);
    const ready = { ...message, ...prepared };
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await sender.send(ready);
        await this.store.markSent(ready, this.now(), result.partial);
        this.log.info('reply sent', { ...fields, path, attempt });
        return 'sent';
      } catch (err) {
        const permanent = err instanceof SendFailure && err.permanent;
        if (permanent || attempt >= this.options.attempts) return this.fail(ready, errorText(err));
        this.log.warn('reply: send failed, retrying', { ...fields, path, attempt, error: errorText(err) });
        await (this.options.sleep ?? sleep)(this.options.retryDelayMs * attempt);
      }
    }
  }

  private async fail(message: MessageDoc, reason: string): Promise<ReplyOutcome> {
    const text = reasonText(reason);
    await this.store.markFailed(message, text, this.now());
    this.log.warn('reply failed', {
      contactId: message.interactionId,
      messageId: message._id,
      channel: message.channel,
      reason: text,
    });
    return 'failed';
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The store side on the mongodb driver: `messages` and the interaction's timeline (`ReplySent`,
 * `ReplyFailed`). A failure overrides `sent`: a bounce may come back after the relay accepted the message.
 */
export function mongoReplyStore(db: Db): ReplyStore & {
  /** The outbound e-mail with this Message-ID (without brackets), for bounces. */
  byMessageId(messageId: string): Promise<MessageDoc | null>;
} {
  const messages = db.collection<MessageDoc>('messages');
  const timeline = (interactionId: string, type: string, at: Date, data: Record<string, unknown>) =>
    db
      .collection<{ _id: string; timeline: unknown[] }>('interactions')
      .updateOne({ _id: interactionId }, { $push: { timeline: { at, type, data } } });
  return {
    load: (id) => messages.findOne({ _id: id }),
    async prepare(id, fields) {
      await messages.updateOne({ _id: id, status: 'queued' }, { $set: fields });
    },
    async markSent(message, at, reason) {
      await messages.updateOne(
        { _id: message._id, status: 'queued' },
        { $set: { status: 'sent', sentAt: at, ...(reason === undefined ? {} : { statusReason: reason }) } },
      );
      await timeline(message.interactionId, 'ReplySent', at, {
        messageId: message._id,
        channel: message.channel,
        ...(message.agentId === undefined ? {} : { agentId: message.agentId }),
      });
    },
    async markFailed(message, reason, at) {
      await messages.updateOne({ _id: message._id }, { $set: { status: 'failed', statusReason: reason } });
      await timeline(message.interactionId, 'ReplyFailed', at, {
        messageId: message._id,
        channel: message.channel,
        reason,
      });
    },
    byMessageId: (messageId) => messages.findOne({ messageId, direction: 'outbound' }),
  };
}

/** Consumes `SendReply` from `cc.isag.replies`; a handler failure (store down) dead-letters the command. */
export async function consumeReplies(bus: Bus, handler: ReplyHandler, log: Logger): Promise<void> {
  await bus.consume({
    ...sharedQueues.isagReplies,
    prefetch: 8,
    handle: async (message) => {
      if (message.type !== 'SendReply') {
        log.warn('reply queue: unexpected message ignored', {
          type: message.type,
          contactId: message.contactId,
        });
        return;
      }
      await handler.handle(message.messageId);
    },
  });
}

/**
 * The replies part of ISAG (isag/main.ts): registered after the parts that register senders, so every
 * path is known before the first command is taken.
 */
export function repliesPart(senders: ReplySenders): IsagPart {
  return {
    name: 'replies',
    async start(ctx) {
      const handler = new ReplyHandler(mongoReplyStore(ctx.db), senders, ctx.log);
      await consumeReplies(ctx.bus, handler, ctx.log);
      ctx.log.info('replies: consuming', { queue: queues.isagReplies, paths: senders.paths() });
    },
  };
}
