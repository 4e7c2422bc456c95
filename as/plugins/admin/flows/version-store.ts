import { checkFlow, type FlowCheck, type FlowGraph } from '../../../../lib/flow/flow';
import { InvalidError, NotFoundError } from '../../../errors';
import { IvrFlow, IvrFlowVersion, type NodePosition } from '../../../models';
import { knownReferences } from './references';

/** A graph with the editor's node positions, as drafts and versions hold it. */
export interface LaidOutGraph extends FlowGraph {
  layout?: NodePosition[];
}

/** A graph as read from the store, where an absent layout may come back as null. */
interface StoredGraph extends FlowGraph {
  layout?: NodePosition[] | null;
}

interface StoredFlow extends StoredGraph {
  _id: { toHexString(): string };
  lastVersion?: number | null;
  published?: boolean | null;
  updatedAt?: Date | null;
}

/**
 * Hands out the next version number of a flow (an atomic $inc on `lastVersion`) and stores the graph
 * under it. A flow stored before versions existed first gets its live graph kept as version 1
 * (`baseline`), so the first publish can still be rolled back.
 */
export async function storeVersion(flow: StoredFlow, graph: LaidOutGraph, by: string): Promise<number> {
  const flowId = flow._id.toHexString();
  if ((flow.lastVersion ?? undefined) === undefined && flow.published !== false) {
    const claimed = await IvrFlow.updateOne(
      { _id: flowId, lastVersion: { $exists: false } },
      { $set: { lastVersion: 1, publishedVersion: 1 } },
    );
    if (claimed.modifiedCount === 1) {
      await IvrFlowVersion.create({
        flowId,
        version: 1,
        entry: flow.entry,
        nodes: flow.nodes,
        ...(flow.layout ? { layout: flow.layout } : {}),
        publishedBy: 'baseline',
        publishedAt: flow.updatedAt ?? new Date(),
      });
    }
  }
  const bumped = await IvrFlow.findByIdAndUpdate(
    flowId,
    { $inc: { lastVersion: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (!bumped) throw new NotFoundError('IVR flow');
  const version = bumped.lastVersion as number;
  await IvrFlowVersion.create({
    flowId,
    version,
    entry: graph.entry,
    nodes: graph.nodes,
    ...(graph.layout ? { layout: graph.layout } : {}),
    publishedBy: by,
    publishedAt: new Date(),
  });
  return version;
}

/** The graph part of an input: only what a version keeps. */
export function graphOf(input: StoredGraph): LaidOutGraph {
  return { entry: input.entry, nodes: input.nodes, ...(input.layout ? { layout: input.layout } : {}) };
}

/** Checks a graph against the prompts and queues in the store; refuses it with every error. */
export async function checkOrRefuse(graph: FlowGraph): Promise<FlowCheck['warnings']> {
  const result = checkFlow(graph, await knownReferences());
  if (result.errors.length > 0) {
    const first = result.errors[0] as { path: string; message: string };
    const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more)` : '';
    throw new InvalidError(`invalid flow: ${first.path}: ${first.message}${more}`, result.errors);
  }
  return result.warnings;
}
