import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../../../errors';
import type { Caller } from '../../../http/credentials';
import type { FlowNode } from '../../../../lib/flow/flow';
import type { Types } from 'mongoose';
import { IvrFlow, IvrFlowVersion, type FlowDraft, type IvrFlowData } from '../../../models';
import type { ChangeOutbox } from '../../../outbox/outbox';
import { recordChange } from '../audit/service';
import { present } from '../present';
import { checkOrRefuse, graphOf, storeVersion, type LaidOutGraph } from './version-store';

/** What the audit log keeps of a flow's live state around a publish or a roll back. */
interface LiveState {
  publishedVersion?: number | null;
  published?: boolean | null;
  entry: string;
  nodes: FlowNode[];
}

/** A flow as read back: `draft` is a Mixed path, so lean() alone would type it `any`. */
type FlowRow = IvrFlowData & { _id: Types.ObjectId };

/** A draft as saved since the publish race was closed: `rev` names one save. */
type StoredDraft = FlowDraft & { rev?: string };

/**
 * Matches the flow only while its draft is still the one read: the save's `rev`, or for a draft saved
 * before revisions existed its save time.
 */
export function sameDraft(draft: StoredDraft): Record<string, unknown> {
  return draft.rev !== undefined
    ? { 'draft.rev': draft.rev }
    : { 'draft.rev': { $exists: false }, 'draft.updatedAt': draft.updatedAt };
}

function liveOf(flow: LiveState) {
  return {
    publishedVersion: flow.publishedVersion ?? null,
    published: flow.published !== false,
    entry: flow.entry,
    nodes: flow.nodes,
  };
}

/**
 * Drafts, publishing and roll back. The IVR only ever runs the live graph (`entry`/`nodes` of the flow),
 * and the live graph only ever changes here or through PUT: each change goes through the outbox, whose
 * ConfigChanged makes every IVR drop its cached flow, so the next call runs the new version.
 */
export class FlowVersionService {
  constructor(private readonly changes: ChangeOutbox) {}

  /** Saves the editor's working copy; an invalid graph is refused with every error (400). */
  async saveDraft(id: string, graph: LaidOutGraph, caller: Caller) {
    const before = await IvrFlow.findById(id).lean<FlowRow>();
    if (!before) throw new NotFoundError('IVR flow');
    const warnings = await checkOrRefuse(graph);
    const draft = { ...graphOf(graph), updatedAt: new Date(), updatedBy: caller.id, rev: randomUUID() };
    const updated = await IvrFlow.findByIdAndUpdate(
      id,
      { $set: { draft } },
      { returnDocument: 'after' },
    ).lean();
    if (!updated) throw new NotFoundError('IVR flow');
    await recordChange(caller, 'update', 'ivrflow', id, { draft: before.draft ?? null }, { draft });
    return { ...present(updated), warnings };
  }

  /** Drops the draft: the editor starts from the live graph again. */
  async discardDraft(id: string, caller: Caller) {
    const before = await IvrFlow.findById(id).lean<FlowRow>();
    if (!before) throw new NotFoundError('IVR flow');
    // An unpublished flow has nothing else to show.
    if (before.published === false)
      throw new ConflictError('a flow that was never published keeps its draft');
    await IvrFlow.updateOne({ _id: id }, { $unset: { draft: 1 } });
    await recordChange(caller, 'update', 'ivrflow', id, { draft: before.draft ?? null }, { draft: null });
  }

  /** The draft becomes a new version and the live graph. */
  async publish(id: string, caller: Caller) {
    const before = await IvrFlow.findById(id).lean<FlowRow>();
    if (!before) throw new NotFoundError('IVR flow');
    const draft = before.draft;
    if (draft === undefined || draft === null) {
      throw new ConflictError('nothing to publish: the flow has no draft');
    }
    const warnings = await checkOrRefuse(draft);
    const version = await storeVersion(before, graphOf(draft), caller.id);
    return { ...(await this.goLive(before, graphOf(draft), version, caller, draft)), warnings };
  }

  /** An earlier version becomes the live graph again, checked again (a queue may be gone since). */
  async rollback(id: string, version: number, caller: Caller) {
    const before = await IvrFlow.findById(id).lean<FlowRow>();
    if (!before) throw new NotFoundError('IVR flow');
    const stored = await IvrFlowVersion.findOne({ flowId: id, version }).lean();
    if (!stored) throw new NotFoundError(`version ${version} of the IVR flow`);
    const warnings = await checkOrRefuse(stored);
    return { ...(await this.goLive(before, graphOf(stored), version, caller)), warnings };
  }

  /** Newest first, without their graphs. */
  async versions(id: string) {
    const flow = await IvrFlow.findById(id).select('publishedVersion published').lean();
    if (!flow) throw new NotFoundError('IVR flow');
    const rows = await IvrFlowVersion.find({ flowId: id }).sort({ version: -1 }).lean();
    return rows.map((v) => ({
      version: v.version,
      publishedAt: v.publishedAt,
      publishedBy: v.publishedBy,
      nodeCount: v.nodes.length,
      live: flow.published !== false && flow.publishedVersion === v.version,
    }));
  }

  async version(id: string, version: number) {
    const stored = await IvrFlowVersion.findOne({ flowId: id, version }).lean();
    if (!stored) throw new NotFoundError(`version ${version} of the IVR flow`);
    const { _id, flowId, ...rest } = stored;
    return { ...rest, flowId: flowId.toHexString() };
  }

  /**
   * Live graph = `graph`, the draft dropped (the editor shows what callers get), through the outbox.
   * `published`: the draft a publish read. It is dropped only if no save came since (a conditional
   * update): a draft saved between the publish's read and this write is newer than what went live, so
   * it stays the draft. A roll back drops any draft.
   */
  private async goLive(
    before: LiveState & { _id: unknown },
    graph: LaidOutGraph,
    version: number,
    caller: Caller,
    published?: StoredDraft,
  ) {
    const id = String(before._id);
    const set = {
      entry: graph.entry,
      nodes: graph.nodes,
      layout: graph.layout ?? [],
      published: true,
      publishedVersion: version,
      updatedAt: new Date(),
    };
    const updated = await this.changes.record(
      { entity: 'ivrflow', entityId: id, action: 'update' },
      async () => {
        const filter = { _id: id, ...(published === undefined ? {} : sameDraft(published)) };
        const cleared = await IvrFlow.findOneAndUpdate(
          filter,
          { $set: set, $unset: { draft: 1 } },
          { returnDocument: 'after' },
        ).lean();
        if (cleared !== null || published === undefined) return cleared;
        // A newer draft was saved meanwhile: the version read goes live, the newer draft is kept.
        return IvrFlow.findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after' }).lean();
      },
    );
    if (!updated) throw new NotFoundError('IVR flow');
    await recordChange(caller, 'update', 'ivrflow', id, liveOf(before), liveOf(updated));
    return present(updated);
  }
}
