import { Schema, model, type InferSchemaType } from 'mongoose';
import type { FlowNode } from '../../lib/flow/flow';
import { baseOptions } from './options';

/**
 * One flow per called number. Nodes are stored as given: their shape is checked at the edge (joi) and
 * their references by `checkFlow` against the prompts and queues in the store, before every save.
 */
const ivrFlowSchema = new Schema(
  {
    name: { type: String, required: true, maxlength: 120 },
    /** The number the caller dialled (DNIS); the IVR asks for the flow of this number. */
    calledNumber: { type: String, required: true, unique: true, match: /^\+?[0-9*#]{1,32}$/ },
    media: { type: String, enum: ['audio', 'video'], default: 'audio' },
    entry: { type: String, required: true },
    nodes: {
      type: [Schema.Types.Mixed],
      required: true,
      validate: {
        validator: (nodes: { id?: unknown }[]) =>
          nodes.length > 0 && nodes.every((n) => typeof n.id === 'string'),
        message: 'a flow needs nodes, each with an id',
      },
    },
    createdAt: { type: Date, default: () => new Date() },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { ...baseOptions, collection: 'ivrflows' },
);

export type IvrFlowData = Omit<InferSchemaType<typeof ivrFlowSchema>, 'nodes'> & { nodes: FlowNode[] };
export const IvrFlow = model('IvrFlow', ivrFlowSchema);
