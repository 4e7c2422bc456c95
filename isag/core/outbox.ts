import { randomUUID } from 'node:crypto';
import type { Logger } from '../../lib/log';
import { OutboxSweeper, type SweepStore, type SweepSubject } from '../../lib/outbox/sweeper';
import type { OutboxDoc, OutboxKind, TaskChannel } from './types';

/** Where the outbox lives (IsagStore; a Map in unit tests). */
export interface OutboxStore {
  insertOutbox(doc: OutboxDoc): Promise<void>;
  /** Unsent records, oldest first. */
  pendingOutbox(limit: number): Promise<OutboxDoc[]>;
  /** Marks these records sent, in one store update. */
  markOutboxSent(ids: readonly string[], at: Date): Promise<void>;
  /** Deletes records sent before `before`; answers how many. */
  pruneOutbox(before: Date): Promise<number>;
}

/** Publishes one stored bus message on cc.tasks; resolves once the broker confirmed it. */
export type PublishTask = (kind: OutboxKind, message: Record<string, unknown>) => Promise<void>;

export interface TaskOutboxOptions {
  /** How soon unsent records are read from the store again after a failure. */
  retryMs: number;
  /** Records published together at most. */
  batch: number;
  /** How long a sent record is kept (for an operator to see what went out), and how often to prune. */
  keepMs: number;
  pruneMs: number;
  now?: () => Date;
}

const SOURCE = (instance: string) => ({ service: 'isag', instance });

/** The bus message of a new task (TaskCreated, lib/messages/schemas.ts). */
export function taskCreated(
  instance: string,
  fields: {
    interactionId: string;
    channel: TaskChannel;
    from: string;
    to: string;
    subject?: string;
    queueId: string;
    messageId: string;
  },
  at: Date,
): Record<string, unknown> {
  return {
    id: randomUUID(),
    type: 'TaskCreated',
    contactId: fields.interactionId,
    source: SOURCE(instance),
    at: at.toISOString(),
    v: 1,
    channel: fields.channel,
    from: fields.from,
    to: fields.to,
    ...(fields.subject === undefined ? {} : { subject: fields.subject }),
    queueId: fields.queueId,
    messageId: fields.messageId,
  };
}

/** A new inbound message joined an open interaction (TaskUpdated). */
export function taskUpdated(
  instance: string,
  fields: { interactionId: string; messageId: string },
  at: Date,
): Record<string, unknown> {
  return {
    id: randomUUID(),
    type: 'TaskUpdated',
    contactId: fields.interactionId,
    source: SOURCE(instance),
    at: at.toISOString(),
    v: 1,
    messageId: fields.messageId,
  };
}

/**
 * ISAG's outbox of task messages. A record is written as the last step of a receipt (after the message,
 * its attachments and the interaction), so a stored record always names stored data and needs no grace;
 * then it is published with publisher confirms and marked sent (lib/outbox/sweeper.ts). The receipt
 * hands its record over, so the store is not read for it; records written by concurrent receipts go out
 * together: every publish of a batch in flight at once, then the confirmed ones marked sent. At start,
 * and `retryMs` after any failure, the store is read and every unsent record published, oldest first.
 * One interaction's records reach CTI in the order they were written (its TaskCreated before its
 * TaskUpdated): a confirmed record behind a failed one of the same interaction stays unsent and goes
 * out again after it. A crash between the publish and the mark publishes it again (CTI treats
 * TaskCreated idempotently, and a TaskUpdated only notifies).
 */
export class TaskOutbox {
  private readonly sweeper: OutboxSweeper<OutboxDoc>;

  constructor(
    private readonly store: OutboxStore,
    publish: PublishTask,
    log: Logger,
    options: Partial<TaskOutboxOptions> = {},
  ) {
    const o = { retryMs: 2_000, batch: 100, keepMs: 3_600_000, pruneMs: 300_000, ...options };
    const records: SweepStore<OutboxDoc> = {
      // No grace (`before` unused): a record is written once all it names is stored.
      pending: (_before, limit) => store.pendingOutbox(limit),
      markSent: (ids, at) => store.markOutboxSent(ids, at),
      prune: (before) => store.pruneOutbox(before),
    };
    this.sweeper = new OutboxSweeper(records, (d) => publish(d.kind, d.message), log, TASKS, {
      graceMs: 0,
      retryMs: o.retryMs,
      keepMs: o.keepMs,
      pruneMs: o.pruneMs,
      batch: o.batch,
      ...(o.now === undefined ? {} : { now: o.now }),
    });
  }

  /** Writes the record (the receipt's commit point); publishing follows without the caller waiting. */
  async add(kind: OutboxKind, message: Record<string, unknown>): Promise<void> {
    const doc: OutboxDoc = { _id: randomUUID(), kind, message, createdAt: this.sweeper.now() };
    await this.store.insertOutbox(doc);
    this.sweeper.written(doc);
  }

  /** Publishes what is unsent now: at start, what an earlier process left. */
  start(): void {
    this.sweeper.start();
  }

  stop(): Promise<void> {
    return this.sweeper.stop();
  }

  /** Deletes the records sent longer than `keepMs` ago; answers how many. */
  prune(): Promise<number> {
    return this.sweeper.prune();
  }

  /** Resolves when nothing is left to publish (tests). */
  idle(): Promise<void> {
    return this.sweeper.idle();
  }
}

/** How the sweeper names task records, and which must stay in order: one interaction's. */
const TASKS: SweepSubject<OutboxDoc> = {
  name: 'outbox',
  what: 'tasks',
  id: (d) => d._id,
  fields: (d) => ({ outboxId: d._id, kind: d.kind, contactId: d.message.contactId }),
  orderKey: (d) => String(d.message.contactId),
};
