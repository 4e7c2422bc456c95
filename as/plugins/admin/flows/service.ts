import { checkFlow, type FlowCheck, type FlowGraph } from '../../../../lib/flow/flow';
import { NotFoundError } from '../../../errors';
import type { Caller } from '../../../http/credentials';
import { Types } from 'mongoose';
import { IvrFlow, IvrFlowVersion, type NodePosition } from '../../../models';
import type { ChangeOutbox } from '../../../outbox/outbox';
import { recordChange } from '../audit/service';
import { present } from '../present';
import { knownReferences } from './references';
import { checkOrRefuse, graphOf, storeVersion, type LaidOutGraph } from './version-store';
import { FlowVersionService } from './versions';

export interface FlowInput extends LaidOutGraph {
  name: string;
  calledNumber: string;
  media: 'audio' | 'video';
  layout?: NodePosition[];
  /** false: the graph becomes the draft and the IVR does not see it (default true: live at once). */
  publish?: boolean;
}

function draftOf(graph: LaidOutGraph, caller: Caller) {
  return { ...graphOf(graph), updatedAt: new Date(), updatedBy: caller.id };
}

/**
 * Flows as a whole. POST and PUT keep their meaning from before versions existed (the graph is live at
 * once, and kept as a new version); with `publish: false` they write the draft instead
 * (`versions.ts` publishes and rolls back).
 */
export class FlowService {
  /** Drafts, publish and roll back (versions.ts), through the same outbox. */
  readonly versions: FlowVersionService;

  constructor(private readonly changes: ChangeOutbox) {
    this.versions = new FlowVersionService(changes);
  }

  async list() {
    return (await IvrFlow.find().sort({ calledNumber: 1 }).lean()).map(present);
  }

  async get(id: string) {
    const flow = await IvrFlow.findById(id).lean();
    if (!flow) throw new NotFoundError('IVR flow');
    return present(flow);
  }

  async check(input: FlowGraph): Promise<FlowCheck> {
    return checkFlow(input, await knownReferences());
  }

  async create(input: FlowInput, caller: Caller) {
    const warnings = await checkOrRefuse(input);
    const { publish = true, ...fields } = input;
    const _id = new Types.ObjectId();
    const doc = publish
      ? { _id, ...fields, published: true, publishedVersion: 1, lastVersion: 0 }
      : { _id, ...fields, published: false, lastVersion: 0, draft: draftOf(input, caller) };
    const created = await this.changes.record(
      { entity: 'ivrflow', entityId: _id.toHexString(), action: 'create' },
      () => IvrFlow.create(doc),
    );
    if (publish) await storeVersion(created.toObject(), graphOf(input), caller.id);
    const after = present((await IvrFlow.findById(_id).lean()) ?? created.toObject());
    await recordChange(caller, 'create', 'ivrflow', after.id, null, after);
    return { ...after, warnings };
  }

  /** Whole-flow replacement: a graph is only valid as a whole. */
  async replace(id: string, input: FlowInput, caller: Caller) {
    const before = await IvrFlow.findById(id).lean();
    if (!before) throw new NotFoundError('IVR flow');
    const warnings = await checkOrRefuse(input);
    const { publish = true, name, calledNumber, media } = input;
    let set: Record<string, unknown>;
    if (publish) {
      const version = await storeVersion(before, graphOf(input), caller.id);
      set = { name, calledNumber, media, ...graphOf(input), published: true, publishedVersion: version };
    } else {
      set = { name, calledNumber, media, draft: draftOf(input, caller) };
    }
    const updated = await this.changes.record({ entity: 'ivrflow', entityId: id, action: 'update' }, () =>
      IvrFlow.findByIdAndUpdate(
        id,
        { $set: { ...set, updatedAt: new Date() } },
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
    await IvrFlowVersion.deleteMany({ flowId: id });
    await recordChange(caller, 'delete', 'ivrflow', id, present(before), null);
  }
}
