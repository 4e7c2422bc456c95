import { checkFlow, type FlowCheck, type FlowNode } from '../../../../lib/flow/flow';
import { InvalidError, NotFoundError } from '../../../errors';
import type { Caller } from '../../../http/credentials';
import { Types } from 'mongoose';
import { IvrFlow } from '../../../models';
import type { ChangeOutbox } from '../../../outbox/outbox';
import { recordChange } from '../audit/service';
import { present } from '../present';
import { knownReferences } from './references';

export interface FlowInput {
  name: string;
  calledNumber: string;
  media: 'audio' | 'video';
  entry: string;
  nodes: FlowNode[];
}

export class FlowService {
  constructor(private readonly changes: ChangeOutbox) {}

  async list() {
    return (await IvrFlow.find().sort({ calledNumber: 1 }).lean()).map(present);
  }

  async get(id: string) {
    const flow = await IvrFlow.findById(id).lean();
    if (!flow) throw new NotFoundError('IVR flow');
    return present(flow);
  }

  async check(input: Pick<FlowInput, 'entry' | 'nodes'>): Promise<FlowCheck> {
    return checkFlow(input, await knownReferences());
  }

  async create(input: FlowInput, caller: Caller) {
    const warnings = await this.assertValid(input);
    const _id = new Types.ObjectId();
    const created = await this.changes.record(
      { entity: 'ivrflow', entityId: _id.toHexString(), action: 'create' },
      () => IvrFlow.create({ _id, ...input }),
    );
    const after = present(created.toObject());
    await recordChange(caller, 'create', 'ivrflow', after.id, null, after);
    return { ...after, warnings };
  }

  /** Whole-flow replacement: a graph is only valid as a whole. */
  async replace(id: string, input: FlowInput, caller: Caller) {
    const before = await IvrFlow.findById(id).lean();
    if (!before) throw new NotFoundError('IVR flow');
    const warnings = await this.assertValid(input);
    const updated = await this.changes.record({ entity: 'ivrflow', entityId: id, action: 'update' }, () =>
      IvrFlow.findByIdAndUpdate(
        id,
        { $set: { ...input, updatedAt: new Date() } },
        { returnDocument: 'after', runValidators: true },
      ).lean(),
    );
    if (!updated) throw new NotFoundError('IVR flow');
    await recordChange(caller, 'update', 'ivrflow', id, present(before), present(updated));
    return { ...present(updated), warnings };
  }

  async remove(id: string, caller: Caller) {
    const before = await this.changes.record({ entity: 'ivrflow', entityId: id, action: 'delete' }, () =>
      IvrFlow.findByIdAndDelete(id).lean(),
    );
    if (!before) throw new NotFoundError('IVR flow');
    await recordChange(caller, 'delete', 'ivrflow', id, present(before), null);
  }

  private async assertValid(input: FlowInput) {
    const result = await this.check(input);
    if (result.errors.length > 0) {
      const first = result.errors[0] as { path: string; message: string };
      const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more)` : '';
      throw new InvalidError(`invalid flow: ${first.path}: ${first.message}${more}`, result.errors);
    }
    return result.warnings;
  }
}
