import { NotFoundError } from '../../../errors';
import type { Caller } from '../../../http/credentials';
import { DispositionCode } from '../../../models';
import { recordChange } from '../audit/service';
import { present } from '../present';

export interface DispositionInput {
  name?: string;
  label?: string;
}

/**
 * The disposition codes agents may record (the AS refuses any other: interactions/service.ts). Nothing
 * else reads them, so unlike the not-ready reasons no change goes through the outbox.
 */
export class DispositionService {
  async list() {
    return (await DispositionCode.find().sort({ name: 1 }).lean()).map(present);
  }

  async create(input: Required<DispositionInput>, caller: Caller) {
    const created = await DispositionCode.create(input);
    const after = present(created.toObject());
    await recordChange(caller, 'create', 'disposition', after.id, null, after);
    return after;
  }

  async update(id: string, input: DispositionInput, caller: Caller) {
    const before = await DispositionCode.findById(id).lean();
    if (!before) throw new NotFoundError('disposition code');
    const updated = await DispositionCode.findByIdAndUpdate(
      id,
      { $set: { ...input, updatedAt: new Date() } },
      { returnDocument: 'after', runValidators: true },
    ).lean();
    if (!updated) throw new NotFoundError('disposition code');
    await recordChange(caller, 'update', 'disposition', id, present(before), present(updated));
    return present(updated);
  }

  /** Contacts already carrying the code keep it; no one can record it again. */
  async remove(id: string, caller: Caller) {
    const before = await DispositionCode.findById(id).lean();
    if (!before) throw new NotFoundError('disposition code');
    await DispositionCode.deleteOne({ _id: id });
    await recordChange(caller, 'delete', 'disposition', id, present(before), null);
  }
}
