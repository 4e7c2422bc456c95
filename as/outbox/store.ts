import { Outbox } from '../models';
import type { Change, OutboxRecord, OutboxStore } from './outbox';

/** The outbox on the document store (collection `outbox`, as/models/outbox.ts). */
export const documentOutboxStore: OutboxStore = {
  async insert(change: Change, at: Date): Promise<OutboxRecord> {
    const doc = await Outbox.create({ ...change, createdAt: at });
    return { ...change, id: doc._id.toHexString(), createdAt: at };
  },
  /** One updateOne by `_id` each, all at once: FerretDB v1 reads every record for an `$in` (SweepStore). */
  async markSent(ids: readonly string[], at: Date): Promise<void> {
    const update = { $set: { sentAt: at }, $inc: { attempts: 1 } };
    await Promise.all(ids.map((id) => Outbox.updateOne({ _id: id }, update)));
  },
  async pending(before: Date, limit: number): Promise<OutboxRecord[]> {
    const rows = await Outbox.find({ sentAt: { $exists: false }, createdAt: { $lt: before } })
      .sort({ createdAt: 1 })
      .limit(limit)
      .lean();
    return rows.map((r) => ({
      id: r._id.toHexString(),
      entity: r.entity,
      entityId: r.entityId,
      action: r.action,
      createdAt: r.createdAt,
    }));
  },
  async prune(before: Date): Promise<number> {
    const result = await Outbox.deleteMany({ sentAt: { $lt: before } });
    return result.deletedCount;
  },
};
