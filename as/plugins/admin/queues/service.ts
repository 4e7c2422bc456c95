import { ConflictError, InvalidError, NotFoundError } from '../../../errors';
import type { Caller } from '../../../http/credentials';
import { Types } from 'mongoose';
import { Prompt, Queue, type QueueData } from '../../../models';
import type { ChangeOutbox } from '../../../outbox/outbox';
import { recordChange } from '../audit/service';
import { flowsUsing } from '../flows/references';
import { refuseIfScheduled } from '../hours/references';
import { checkChannelRules } from './channel-rules';
import { assertNewQueueName, assertSameQueueName, findQueue } from './identity';
import { present } from '../present';

export type QueueInput = Partial<Omit<QueueData, 'createdAt' | 'updatedAt'>>;

export class QueueService {
  constructor(private readonly changes: ChangeOutbox) {}

  async list() {
    return (await Queue.find().sort({ name: 1 }).lean()).map(present);
  }

  /** `ref`: the queue's name (its identity), or its ObjectId for a transition (./identity.ts). */
  async get(ref: string) {
    const queue = await findQueue(ref);
    if (!queue) throw new NotFoundError('queue');
    return present(queue);
  }

  async create(given: QueueInput, caller: Caller) {
    assertNewQueueName(given.name);
    const addresses = await checkChannelRules(given, undefined);
    const input = addresses === undefined ? given : { ...given, addresses };
    await this.checkMedia(input);
    await this.checkFallback(input, undefined);
    const _id = new Types.ObjectId();
    // Events name a queue by its name, its identity on the bus as in the store and the reports.
    const entityId = input.name ?? _id.toHexString();
    return this.changes.record({ entity: 'queue', entityId, action: 'create' }, () =>
      this.insert(_id, input, caller),
    );
  }

  private async insert(_id: Types.ObjectId, input: QueueInput, caller: Caller) {
    const created = await Queue.create({ _id, ...input });
    const after = present(created.toObject());
    await recordChange(caller, 'create', 'queue', after.id, null, after);
    return after;
  }

  async update(ref: string, given: QueueInput, caller: Caller) {
    const before = await findQueue(ref);
    if (!before) throw new NotFoundError('queue');
    const id = before._id.toHexString();
    assertSameQueueName(before.name, given.name);
    const addresses = await checkChannelRules(given, before);
    const input = addresses === undefined ? given : { ...given, addresses };
    await this.checkMedia(input);
    await this.checkFallback(input, before.name);
    const change = { entity: 'queue', entityId: before.name, action: 'update' } as const;
    const updated = await this.changes.record(change, () =>
      Queue.findByIdAndUpdate(
        id,
        { $set: { ...input, updatedAt: new Date() } },
        { returnDocument: 'after', runValidators: true },
      ).lean(),
    );
    if (!updated) throw new NotFoundError('queue');
    await recordChange(caller, 'update', 'queue', id, present(before), present(updated));
    return present(updated);
  }

  async remove(ref: string, caller: Caller) {
    const before = await findQueue(ref);
    if (!before) throw new NotFoundError('queue');
    const id = before._id.toHexString();
    await this.assertUnused(before.name, 'deleted');
    const fallbackOf = await Queue.find({ fallbackQueue: before.name }).select('name').lean();
    if (fallbackOf.length > 0) {
      throw new ConflictError(`queue "${before.name}" cannot be deleted: it is the fallback of others`, {
        queues: fallbackOf.map((q) => q.name),
      });
    }
    await this.changes.record({ entity: 'queue', entityId: before.name, action: 'delete' }, () =>
      Queue.deleteOne({ _id: id }),
    );
    await recordChange(caller, 'delete', 'queue', id, present(before), null);
  }

  private async assertUnused(name: string, verb: string) {
    await refuseIfScheduled(name, verb);
    const flows = await flowsUsing('queue', name);
    if (flows.length > 0) {
      throw new ConflictError(`queue "${name}" cannot be ${verb}: IVR flows use it`, { flows });
    }
  }

  /** A fallback queue must exist and be another queue (contacts move there when this one is deleted). */
  private async checkFallback(input: QueueInput, currentName: string | undefined) {
    const fallback = input.fallbackQueue;
    if (fallback === undefined || fallback === null) return;
    if (fallback === (input.name ?? currentName))
      throw new InvalidError('a queue cannot be its own fallback');
    if (!(await Queue.exists({ name: fallback })))
      throw new InvalidError(`fallback queue "${fallback}" does not exist`);
  }

  private async checkMedia(input: QueueInput) {
    for (const prompt of [input.media?.music, input.media?.video]) {
      if (prompt && !(await Prompt.exists({ name: prompt }))) {
        throw new InvalidError(`prompt "${prompt}" does not exist`);
      }
    }
  }
}
