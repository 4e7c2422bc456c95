import { Types } from 'mongoose';
import { NotFoundError } from '../../../errors';
import type { Caller } from '../../../http/credentials';
import { NotReadyReason } from '../../../models';
import type { ChangeOutbox } from '../../../outbox/outbox';
import { recordChange } from '../audit/service';
import { present } from '../present';

export interface ReasonInput {
  name?: string;
  label?: string;
}

/** The not-ready reasons agents may give; CTI refuses any other (it hears every change). */
export class ReasonService {
  constructor(private readonly changes: ChangeOutbox) {}

  async list() {
    return (await NotReadyReason.find().sort({ name: 1 }).lean()).map(present);
  }

  async create(input: Required<ReasonInput>, caller: Caller) {
    const _id = new Types.ObjectId();
    return this.changes.record(
      { entity: 'reason', entityId: _id.toHexString(), action: 'create' },
      async () => {
        const created = await NotReadyReason.create({ _id, ...input });
        const after = present(created.toObject());
        await recordChange(caller, 'create', 'reason', after.id, null, after);
        return after;
      },
    );
  }

  async update(id: string, input: ReasonInput, caller: Caller) {
    const before = await NotReadyReason.findById(id).lean();
    if (!before) throw new NotFoundError('not-ready reason');
    const updated = await this.changes.record({ entity: 'reason', entityId: id, action: 'update' }, () =>
      NotReadyReason.findByIdAndUpdate(
        id,
        { $set: { ...input, updatedAt: new Date() } },
        { returnDocument: 'after', runValidators: true },
      ).lean(),
    );
    if (!updated) throw new NotFoundError('not-ready reason');
    await recordChange(caller, 'update', 'reason', id, present(before), present(updated));
    return present(updated);
  }

  /** Agents already not-ready for this reason stay so; no one can choose it again. */
  async remove(id: string, caller: Caller) {
    const before = await NotReadyReason.findById(id).lean();
    if (!before) throw new NotFoundError('not-ready reason');
    await this.changes.record({ entity: 'reason', entityId: id, action: 'delete' }, () =>
      NotReadyReason.deleteOne({ _id: id }),
    );
    await recordChange(caller, 'delete', 'reason', id, present(before), null);
  }
}
