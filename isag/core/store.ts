import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Db, GridFSBucket, ObjectId } from 'mongodb';
import { writeUntilSeen } from '../../lib/until-seen';
import type { QueueAddressing } from './addresses';
import { type InteractionSummary, bareMessageId } from './threading';
import type {
  EarlierReceipt,
  AttachmentRef,
  InboundAttachment,
  InteractionDoc,
  MessageDoc,
  OutboxDoc,
  QuarantineDoc,
  TaskChannel,
} from './types';

/** Collection names of the contract (docs/isag.md). */
export const COLLECTIONS = {
  messages: 'messages',
  interactions: 'interactions',
  quarantine: 'quarantine',
  outbox: 'isagOutbox',
  queues: 'queues',
  customers: 'customers',
  /** GridFS bucket: `attachments.files` and `attachments.chunks`. */
  attachments: 'attachments',
} as const;

/** The timeline entry of an interaction: what happened to its messages. */
export interface TimelineEntry {
  at: Date;
  type: string;
  data?: Record<string, unknown>;
}

/**
 * The document-store adapter of ISAG (mongodb driver): messages, attachments in GridFS, interactions,
 * quarantine and the outbox. No logic here beyond the queries; decisions are in intake.ts and the pure
 * modules. FerretDB v1 has no transactions: intake.ts orders the writes so that the outbox record,
 * written last, is the commit point.
 */
export class IsagStore {
  readonly bucket: GridFSBucket;

  constructor(readonly db: Db) {
    this.bucket = new GridFSBucket(db, { bucketName: COLLECTIONS.attachments });
  }

  /**
   * One index per command: FerretDB v1.24 panics (and drops the connection) on a createIndexes that
   * lists several indexes when some of them exist already (the AS's mongoose model declares the same).
   */
  async ensureIndexes(): Promise<void> {
    const wanted: Array<[string, Record<string, 1 | -1>, string]> = [
      [COLLECTIONS.messages, { interactionId: 1, createdAt: 1 }, 'interactionId_1_createdAt_1'],
      [COLLECTIONS.messages, { messageId: 1 }, 'messageId_1'],
      [COLLECTIONS.messages, { committed: 1, createdAt: 1 }, 'committed_1_createdAt_1'],
      [COLLECTIONS.outbox, { sentAt: 1, createdAt: 1 }, 'sentAt_1_createdAt_1'],
      [COLLECTIONS.quarantine, { receivedAt: -1 }, 'receivedAt_-1'],
    ];
    for (const [collection, key, name] of wanted)
      await this.db.collection(collection).createIndex(key, { name });
  }

  /** Stores one attachment's bytes as they are; resolves with its reference once every chunk is written. */
  async putAttachment(
    a: InboundAttachment,
    meta: { interactionId: string; messageId: string },
  ): Promise<AttachmentRef> {
    const id = new ObjectId();
    const upload = this.bucket.openUploadStreamWithId(id, a.name, {
      metadata: { ...meta, contentType: a.contentType },
    });
    await pipeline(Readable.from([a.content]), upload);
    return { fileId: id.toHexString(), name: a.name, contentType: a.contentType, size: a.content.length };
  }

  /** Removes what a failed receipt left; a file already gone is fine. */
  async deleteAttachments(fileIds: readonly string[]): Promise<void> {
    for (const id of fileIds) {
      try {
        await this.bucket.delete(new ObjectId(id));
      } catch {
        // Already gone, or the store is down: an orphan file names no message and is never served.
      }
    }
  }

  async insertMessage(doc: MessageDoc): Promise<void> {
    await this.db.collection<MessageDoc>(COLLECTIONS.messages).insertOne(doc);
  }

  async deleteMessage(id: string): Promise<void> {
    await this.db.collection<MessageDoc>(COLLECTIONS.messages).deleteOne({ _id: id });
  }

  async insertInteraction(doc: InteractionDoc): Promise<void> {
    await this.db.collection<InteractionDoc>(COLLECTIONS.interactions).insertOne(doc);
  }

  async deleteInteraction(id: string): Promise<void> {
    await this.db.collection<InteractionDoc>(COLLECTIONS.interactions).deleteOne({ _id: id });
  }

  /**
   * FerretDB v1 loses one of two concurrent updates of a document (docs/as.md), and CTI writes the same
   * interaction: the entry is read back and pushed again while it is missing (lib/until-seen.ts).
   */
  async pushTimeline(interactionId: string, entry: TimelineEntry): Promise<void> {
    const col = this.db.collection<InteractionDoc>(COLLECTIONS.interactions);
    await writeUntilSeen(
      async () => {
        await col.updateOne({ _id: interactionId }, { $push: { timeline: entry } });
      },
      async () => {
        const doc = await col.findOne({ _id: interactionId }, { projection: { timeline: 1 } });
        return (
          doc === null ||
          (doc.timeline ?? []).some(
            (e) => e.type === entry.type && e.at instanceof Date && e.at.getTime() === entry.at.getTime(),
          )
        );
      },
    );
  }

  async insertOutbox(doc: OutboxDoc): Promise<void> {
    await this.db.collection<OutboxDoc>(COLLECTIONS.outbox).insertOne(doc);
  }

  /** Unsent outbox records, oldest first. */
  async pendingOutbox(limit: number): Promise<OutboxDoc[]> {
    return this.db
      .collection<OutboxDoc>(COLLECTIONS.outbox)
      .find({ sentAt: { $exists: false } })
      .sort({ createdAt: 1 })
      .limit(limit)
      .toArray();
  }

  /** One updateOne by `_id` each, all at once: FerretDB v1 reads every record for an `$in` (SweepStore). */
  async markOutboxSent(ids: readonly string[], at: Date): Promise<void> {
    const outbox = this.db.collection<OutboxDoc>(COLLECTIONS.outbox);
    await Promise.all(ids.map((id) => outbox.updateOne({ _id: id }, { $set: { sentAt: at } })));
  }

  async pruneOutbox(before: Date): Promise<number> {
    const r = await this.db.collection<OutboxDoc>(COLLECTIONS.outbox).deleteMany({ sentAt: { $lt: before } });
    return r.deletedCount;
  }

  async insertQuarantine(doc: QuarantineDoc): Promise<void> {
    await this.db.collection<QuarantineDoc>(COLLECTIONS.quarantine).insertOne(doc);
  }

  /** Message-ID -> interaction, for the stored messages (either direction) among `ids`. */
  async parentsOf(channel: TaskChannel, ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (ids.length === 0) return out;
    const found = await this.db
      .collection<MessageDoc>(COLLECTIONS.messages)
      .find(
        { messageId: { $in: ids.flatMap(bothForms) }, channel },
        { projection: { messageId: 1, interactionId: 1 } },
      )
      .toArray();
    for (const m of found)
      if (m.messageId !== undefined) out.set(bareMessageId(m.messageId), m.interactionId);
    return out;
  }

  async interactions(ids: readonly string[]): Promise<Map<string, InteractionSummary>> {
    const out = new Map<string, InteractionSummary>();
    if (ids.length === 0) return out;
    const found = await this.db
      .collection<InteractionRow>(COLLECTIONS.interactions)
      .find({ _id: { $in: [...new Set(ids)] } }, { projection: SUMMARY })
      .toArray();
    for (const i of found) out.set(i._id, summary(i));
    return out;
  }

  /** The sender's newest interaction on a channel (SMS conversations). */
  async latestFrom(channel: TaskChannel, from: string): Promise<InteractionSummary | undefined> {
    const found = await this.db
      .collection<InteractionRow>(COLLECTIONS.interactions)
      .find({ channel, from }, { projection: SUMMARY })
      .sort({ createdAt: -1 })
      .limit(1)
      .toArray();
    const first = found[0];
    return first === undefined ? undefined : summary(first);
  }

  /** An inbound message already stored under this Message-ID from this sender (a retried delivery). */
  async findInbound(
    channel: TaskChannel,
    messageId: string,
    from: string,
  ): Promise<EarlierReceipt | undefined> {
    const m = await this.db
      .collection<MessageDoc>(COLLECTIONS.messages)
      .findOne(
        { channel, messageId, from, direction: 'inbound' },
        { projection: { _id: 1, interactionId: 1, committed: 1, createdAt: 1, attachments: 1 } },
      );
    if (m === null) return undefined;
    return {
      id: m._id,
      interactionId: m.interactionId,
      committed: m.committed === true,
      createdAt: m.createdAt,
      fileIds: (m.attachments ?? []).map((a) => a.fileId),
    };
  }

  /** Inbound receipts stored before `before` that never reached their commit point, oldest first. */
  async uncommittedBefore(before: Date, limit: number): Promise<EarlierReceipt[]> {
    const rows = await this.db
      .collection<MessageDoc>(COLLECTIONS.messages)
      .find(
        { committed: false, createdAt: { $lt: before } },
        { projection: { _id: 1, interactionId: 1, createdAt: 1, attachments: 1 } },
      )
      .sort({ createdAt: 1 })
      .limit(limit)
      .toArray();
    return rows.map((m) => ({
      id: m._id,
      interactionId: m.interactionId,
      committed: false,
      createdAt: m.createdAt,
      fileIds: (m.attachments ?? []).map((a) => a.fileId),
    }));
  }

  /** Marks an inbound message as past its receipt's commit point (its outbox record is written). */
  async markCommitted(id: string): Promise<void> {
    await this.db
      .collection<MessageDoc>(COLLECTIONS.messages)
      .updateOne({ _id: id }, { $set: { committed: true } });
  }

  /** Whether an outbox record (sent or not, until pruned) announces this message. */
  async outboxNames(messageDocId: string): Promise<boolean> {
    const r = await this.db
      .collection<OutboxDoc>(COLLECTIONS.outbox)
      .findOne({ 'message.messageId': messageDocId }, { projection: { _id: 1 } });
    return r !== null;
  }

  /**
   * Removes what a receipt that died before its commit point wrote: its attachments, its message, and
   * the interaction it created (one still `received` whose first timeline entry names it), never an
   * interaction it only joined.
   */
  async removeOrphan(earlier: EarlierReceipt): Promise<void> {
    const interactions = this.db.collection<InteractionDoc>(COLLECTIONS.interactions);
    const i = await interactions.findOne({ _id: earlier.interactionId });
    const first = i?.timeline?.[0];
    if (i !== null && i.state === 'received' && first?.data?.messageId === earlier.id)
      await interactions.deleteOne({ _id: earlier.interactionId });
    await this.deleteMessage(earlier.id);
    await this.deleteAttachments(earlier.fileIds);
  }

  /** Our outbound message with this Message-ID (a bounce names it). */
  async findOutbound(messageId: string): Promise<{ id: string; interactionId: string } | undefined> {
    const m = await this.db
      .collection<MessageDoc>(COLLECTIONS.messages)
      .findOne(
        { messageId: { $in: bothForms(messageId) }, direction: 'outbound' },
        { projection: { _id: 1, interactionId: 1 } },
      );
    return m === null ? undefined : { id: m._id, interactionId: m.interactionId };
  }

  async markFailed(id: string, reason: string): Promise<void> {
    await this.db
      .collection<MessageDoc>(COLLECTIONS.messages)
      .updateOne({ _id: id }, { $set: { status: 'failed', statusReason: reason } });
  }

  /** Every queue's name, channel and addresses (the AS's `queues` collection). */
  async queueAddressing(): Promise<QueueAddressing[]> {
    const rows = await this.db
      .collection(COLLECTIONS.queues)
      .find({}, { projection: { name: 1, channel: 1, addresses: 1 } })
      .toArray();
    return rows.flatMap((r) =>
      typeof r.name === 'string'
        ? [
            {
              name: r.name,
              ...(typeof r.channel === 'string' ? { channel: r.channel } : {}),
              addresses: Array.isArray(r.addresses)
                ? r.addresses.filter((a): a is string => typeof a === 'string')
                : [],
            },
          ]
        : [],
    );
  }

  /** Ids (hex) of up to two customers with this e-mail address or phone number. */
  async customersWith(field: 'emails' | 'phones', value: string): Promise<string[]> {
    const rows = await this.db
      .collection(COLLECTIONS.customers)
      .find({ [field]: value }, { projection: { _id: 1 } })
      .limit(2)
      .toArray();
    return rows.map((r) => (r._id instanceof ObjectId ? r._id.toHexString() : String(r._id)));
  }

  ping(): Promise<unknown> {
    return this.db.command({ ping: 1 });
  }
}

/**
 * A Message-ID as stored: ISAG stores it bare; a message written by another part may keep the brackets
 * of the header. Both are looked for.
 */
function bothForms(id: string): string[] {
  const bare = bareMessageId(id);
  return [bare, `<${bare}>`];
}

interface InteractionRow {
  _id: string;
  channel: string;
  from: string;
  state: string;
  endedAt?: Date;
}

const SUMMARY = { _id: 1, channel: 1, from: 1, state: 1, endedAt: 1 } as const;

function summary(i: InteractionRow): InteractionSummary {
  return {
    id: i._id,
    channel: i.channel,
    from: i.from,
    state: i.state,
    ...(i.endedAt instanceof Date ? { endedAt: i.endedAt } : {}),
  };
}
