import type { Collection, Db } from 'mongodb';
import { type RetryOptions, retryTransient } from '../../lib/transient';

export interface TimelineEntry {
  at: Date;
  type: string;
  data?: Record<string, unknown>;
}

/** The interactions collection as CTI writes it (the AS reads it; see docs/data-model.md). */
export interface InteractionDoc {
  _id: string;
  channel: 'voice' | 'video' | 'email' | 'sms' | 'fax';
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  state: string;
  createdAt: Date;
  softacd?: string;
  queueId?: string;
  agentId?: string;
  queuedAt?: Date;
  offeredAt?: Date;
  answeredAt?: Date;
  endedAt?: Date;
  abandoned?: boolean;
  /** The call's recording (queues with `recording: true`), from SoftACD's RecordingStored. */
  recording?: { name: string; format: string; durationSec: number; path: string };
  timeline: TimelineEntry[];
}

/** Every change is one atomic update that also appends to the contact's timeline. */
export class InteractionStore {
  private readonly col: Collection<InteractionDoc>;

  /** A store restarting delays a write (retryTransient) rather than failing the event being handled. */
  constructor(
    db: Db,
    private readonly retry: RetryOptions = {},
  ) {
    this.col = db.collection<InteractionDoc>('interactions');
  }

  async create(doc: Omit<InteractionDoc, 'timeline'>, first: TimelineEntry): Promise<void> {
    // Upsert: a redelivered CallDelivered (after a CTI crash before its ack) must not fail or duplicate.
    await retryTransient(
      'interaction create',
      () =>
        this.col.updateOne(
          { _id: doc._id },
          { $setOnInsert: { ...doc, timeline: [first] } },
          { upsert: true },
        ),
      this.retry,
    );
  }

  async record(contactId: string, entry: TimelineEntry, set: Partial<InteractionDoc> = {}): Promise<void> {
    await retryTransient(
      'interaction record',
      () =>
        this.col.updateOne(
          { _id: contactId },
          { $push: { timeline: entry }, ...(Object.keys(set).length ? { $set: set } : {}) },
        ),
      this.retry,
    );
  }

  find(contactId: string): Promise<InteractionDoc | null> {
    return retryTransient('interaction find', () => this.col.findOne({ _id: contactId }), this.retry);
  }
}
