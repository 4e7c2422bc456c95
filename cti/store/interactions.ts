import type { Collection, Db } from 'mongodb';
import { type RetryOptions, retryTransient } from '../../lib/transient';

export interface TimelineEntry {
  at: Date;
  type: string;
  data?: Record<string, unknown>;
  /**
   * The bus message the entry records. Not stored in the entry: it goes to the interaction's
   * `messageIds`, so a message redelivered after a CTI crash (handled, not yet acked) is recorded once.
   */
  messageId?: string;
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
  /** Ids of the bus messages already on the timeline (a flat array: FerretDB v1 mis-evaluates `$ne` on
   * a field inside an array of documents, it does not on an array of strings). */
  messageIds?: string[];
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

  async create(doc: Omit<InteractionDoc, 'timeline' | 'messageIds'>, first: TimelineEntry): Promise<void> {
    // Upsert: a redelivered CallDelivered (after a CTI crash before its ack) must not fail or duplicate.
    const { messageId, ...stored } = first;
    await retryTransient(
      'interaction create',
      () =>
        this.col.updateOne(
          { _id: doc._id },
          {
            $setOnInsert: {
              ...doc,
              timeline: [stored],
              messageIds: messageId === undefined ? [] : [messageId],
            },
          },
          { upsert: true },
        ),
      this.retry,
    );
  }

  /** Appends an entry (and applies `set`) unless the entry's message is on the timeline already. */
  async record(contactId: string, entry: TimelineEntry, set: Partial<InteractionDoc> = {}): Promise<void> {
    const { messageId, ...stored } = entry;
    const filter =
      messageId === undefined ? { _id: contactId } : { _id: contactId, messageIds: { $ne: messageId } };
    const push = messageId === undefined ? { timeline: stored } : { timeline: stored, messageIds: messageId };
    await retryTransient(
      'interaction record',
      () => this.col.updateOne(filter, { $push: push, ...(Object.keys(set).length ? { $set: set } : {}) }),
      this.retry,
    );
  }

  find(contactId: string): Promise<InteractionDoc | null> {
    return retryTransient('interaction find', () => this.col.findOne({ _id: contactId }), this.retry);
  }
}
