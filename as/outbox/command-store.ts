import { parseMessage } from '../../lib/messages';
import { OutboxCommand } from '../models/command-outbox';
import type { Command, CommandRecord, CommandStore } from './commands';

/** The command outbox on the document store (collection `commandoutbox`, as/models/command-outbox.ts). */
export const documentCommandStore: CommandStore = {
  async insert(command: Command, at: Date): Promise<void> {
    await OutboxCommand.create({
      _id: command.message.id,
      exchange: command.exchange,
      routingKey: command.routingKey,
      message: JSON.stringify(command.message),
      createdAt: at,
    });
  },
  /** One updateOne by `_id` each, all at once: FerretDB v1 reads every record for an `$in` (SweepStore). */
  async markSent(ids: readonly string[], at: Date): Promise<void> {
    const update = { $set: { sentAt: at }, $inc: { attempts: 1 } };
    await Promise.all(ids.map((id) => OutboxCommand.updateOne({ _id: id }, update)));
  },
  async pending(before: Date, limit: number): Promise<CommandRecord[]> {
    const rows = await OutboxCommand.find({ sentAt: { $exists: false }, createdAt: { $lt: before } })
      .sort({ createdAt: 1 })
      .limit(limit)
      .lean();
    // Parsed again: what goes out is checked like anything a consumer will receive.
    return rows.map((r) => ({
      exchange: r.exchange,
      routingKey: r.routingKey,
      message: parseMessage(Buffer.from(r.message)),
      createdAt: r.createdAt,
    }));
  },
  async prune(before: Date): Promise<number> {
    const result = await OutboxCommand.deleteMany({ sentAt: { $lt: before } });
    return result.deletedCount;
  },
};
