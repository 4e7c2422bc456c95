import { Schema, model, type InferSchemaType } from 'mongoose';
import type { FlowNode } from '../../lib/flow/flow';
import { baseOptions } from './options';

/** Where the editor drew a node; the IVR never reads it. */
export interface NodePosition {
  id: string;
  x: number;
  y: number;
}

/** A graph as the editor saves it: the flow itself plus where each node sits on the canvas. */
export interface FlowDraft {
  entry: string;
  nodes: FlowNode[];
  layout?: NodePosition[];
  updatedAt: Date;
  updatedBy: string;
}

const nodesField = {
  type: [Schema.Types.Mixed],
  required: true,
  validate: {
    validator: (nodes: { id?: unknown }[]) =>
      nodes.length > 0 && nodes.every((n) => typeof n.id === 'string'),
    message: 'a flow needs nodes, each with an id',
  },
};

/**
 * One flow per called number. `entry`/`nodes` are the live graph: the one the IVR runs (interface D),
 * always a published version. The editor works on `draft`; publishing copies it into a new row of
 * `ivrflowversions` and into the live graph. Nodes are stored as given: their shape is checked at the
 * edge (joi) and their references by `checkFlow` against the prompts and queues in the store, before
 * every save.
 */
const ivrFlowSchema = new Schema(
  {
    name: { type: String, required: true, maxlength: 120 },
    /** The number the caller dialled (DNIS); the IVR asks for the flow of this number. */
    calledNumber: { type: String, required: true, unique: true, match: /^\+?[0-9*#]{1,32}$/ },
    media: { type: String, enum: ['audio', 'video'], default: 'audio' },
    entry: { type: String, required: true },
    nodes: nodesField,
    /** Positions of the live graph's nodes in the editor. */
    layout: { type: [Schema.Types.Mixed], default: undefined },
    /** false for a flow created as a draft and never published: the IVR does not see it. Absent = true. */
    published: { type: Boolean },
    /** The version the live graph is (absent on a flow stored before versions existed). */
    publishedVersion: { type: Number },
    /** The highest version number handed out for this flow. */
    lastVersion: { type: Number },
    /** The editor's working copy; absent when the editor would start from the live graph. */
    draft: { type: Schema.Types.Mixed },
    createdAt: { type: Date, default: () => new Date() },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { ...baseOptions, collection: 'ivrflows' },
);

export type IvrFlowData = Omit<InferSchemaType<typeof ivrFlowSchema>, 'nodes' | 'draft' | 'layout'> & {
  nodes: FlowNode[];
  layout?: NodePosition[];
  draft?: FlowDraft;
};
export const IvrFlow = model('IvrFlow', ivrFlowSchema);

/** Every published graph of a flow, kept so an administrator can roll back to it. Append-only. */
const ivrFlowVersionSchema = new Schema(
  {
    flowId: { type: Schema.Types.ObjectId, required: true },
    version: { type: Number, required: true, min: 1 },
    entry: { type: String, required: true },
    nodes: nodesField,
    layout: { type: [Schema.Types.Mixed], default: undefined },
    /** Who published it (account id), or `baseline` for the graph a flow had before versions existed. */
    publishedBy: { type: String, required: true },
    publishedAt: { type: Date, required: true, default: () => new Date() },
  },
  { ...baseOptions, collection: 'ivrflowversions' },
);
ivrFlowVersionSchema.index({ flowId: 1, version: 1 }, { unique: true });

export type IvrFlowVersionData = Omit<InferSchemaType<typeof ivrFlowVersionSchema>, 'nodes' | 'layout'> & {
  nodes: FlowNode[];
  layout?: NodePosition[];
};
export const IvrFlowVersion = model('IvrFlowVersion', ivrFlowVersionSchema);
