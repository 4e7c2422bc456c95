import { ConflictError, InvalidError, NotFoundError } from '../../../errors';
import type { Caller } from '../../../http/credentials';
import { Prompt, Queue, type QueueData } from '../../../models';
import { recordChange } from '../audit/service';
import { flowsUsing } from '../flows/references';
import { assertNewQueueName, assertSameQueueName, findQueue } from './identity';
import { present } from '../present';

export type QueueInput = Partial<Omit<QueueData, 'createdAt' | 'updatedAt'>>;

export class QueueService {
  async list() {
    return (await Queue.find().sort({ name: 1 }).lean()).map(present);
  }

  /** `ref`: the queue's name (its identity), or its ObjectId for a transition (./identity.ts). */
  async get(ref: string) {
    const queue = await findQueue(ref);
    if (!queue) throw new NotFoundError('queue');
    return present(queue);
  }

  async create(input: QueueInput, caller: Caller) {
    assertNewQueueName(input.name);
    await this.checkMedia(input);
    const created = await Queue.create(input);
    const after = present(created.toObject());
    await recordChange(caller, 'create', 'queue', after.id, null, after);
    return after;
  }

  async update(ref: string, input: QueueInput, caller: Caller) {
    const before = await findQueue(ref);
    if (!before) throw new NotFoundError('queue');
    const id = before._id.toHexString();
    assertSameQueueName(before.name, input.name);
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

  async remove(ref: string, caller: Caller) {
    const before = await findQueue(ref);
    if (!before) throw new NotFoundError('queue');
    const id = before._id.toHexString();
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
