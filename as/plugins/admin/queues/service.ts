import { ConflictError, InvalidError, NotFoundError } from '../../../errors';
import type { Caller } from '../../../http/credentials';
import { Prompt, Queue, type QueueData } from '../../../models';
import { recordChange } from '../audit/service';
import { flowsUsing } from '../flows/references';
import { present } from '../present';

export type QueueInput = Partial<Omit<QueueData, 'createdAt' | 'updatedAt'>>;

export class QueueService {
  async list() {
    return (await Queue.find().sort({ name: 1 }).lean()).map(present);
  }

  async get(id: string) {
    const queue = await Queue.findById(id).lean();
    if (!queue) throw new NotFoundError('queue');
    return present(queue);
  }

  async create(input: QueueInput, caller: Caller) {
    await this.checkMedia(input);
    const created = await Queue.create(input);
    const after = present(created.toObject());
    await recordChange(caller, 'create', 'queue', after.id, null, after);
    return after;
  }

  async update(id: string, input: QueueInput, caller: Caller) {
    const before = await Queue.findById(id).lean();
    if (!before) throw new NotFoundError('queue');
    if (input.name !== undefined && input.name !== before.name)
      await this.assertUnused(before.name, 'renamed');
    await this.checkMedia(input);
    const updated = await Queue.findByIdAndUpdate(
      id,
      { $set: { ...input, updatedAt: new Date() } },
      { returnDocument: 'after', runValidators: true },
    ).lean();
    if (!updated) throw new NotFoundError('queue');
    await recordChange(caller, 'update', 'queue', id, present(before), present(updated));
    return present(updated);
  }

  async remove(id: string, caller: Caller) {
    const before = await Queue.findById(id).lean();
    if (!before) throw new NotFoundError('queue');
    await this.assertUnused(before.name, 'deleted');
    await Queue.deleteOne({ _id: id });
    await recordChange(caller, 'delete', 'queue', id, present(before), null);
  }

  private async assertUnused(name: string, verb: string) {
    const flows = await flowsUsing('queue', name);
    if (flows.length > 0) {
      throw new ConflictError(`queue "${name}" cannot be ${verb}: IVR flows use it`, { flows });
    }
  }

  private async checkMedia(input: QueueInput) {
    for (const prompt of [input.media?.music, input.media?.video]) {
      if (prompt && !(await Prompt.exists({ name: prompt }))) {
        throw new InvalidError(`prompt "${prompt}" does not exist`);
      }
    }
  }
}
