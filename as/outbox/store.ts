import { Outbox } from '../models';
import type { Change, OutboxRecord, OutboxStore } from './outbox';

/** The outbox on the document store (collection `outbox`, as/models/outbox.ts). */
export const documentOutboxStore: OutboxStore = {
  async insert(change: Change, at: Date): Promise<OutboxRecord> {
    const doc = await Outbox.create({ ...change, createdAt: at });
    return { ...change, id: doc._id.toHexString(), createdAt: at };
  },
  async markSent(id: string, at: Date): Promise<void> {
    await Outbox.updateOne({ _id: id }, { $set: { sentAt: at }, $inc: { attempts: 1 } });
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
