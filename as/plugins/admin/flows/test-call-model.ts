import { Schema, model, type InferSchemaType } from 'mongoose';
import type { FlowNode } from '../../../../lib/flow/flow';
import { baseOptions } from '../../../models/options';

/**
 * A flow editor's test call (docs/flow-editor.md, "Test call"): the draft as it was when the
 * administrator asked, kept under a random id that only the test call's route to the IVR carries. The
 * IVR asks for it on interface D (`GET /api/v1/ivr/test-calls/{id}`) while it is not expired; no other
 * path reaches a draft. Expired records are removed when the next test call starts.
 */
const flowTestCallSchema = new Schema(
  {
    _id: { type: String, required: true },
    flowId: { type: Schema.Types.ObjectId, required: true },
    flowName: { type: String, required: true },
    calledNumber: { type: String, required: true },
    entry: { type: String, required: true },
    nodes: { type: [Schema.Types.Mixed], required: true },
    /** The draft's save time it was copied from (the audit row names it too). */
    draftUpdatedAt: { type: Date },
    requestedBy: { type: String, required: true },
    endpoint: { type: String, required: true },
    /** The contact the call becomes once answered. */
    contactId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { ...baseOptions, collection: 'ivrflowtestcalls' },
);

export type FlowTestCallData = Omit<InferSchemaType<typeof flowTestCallSchema>, 'nodes'> & {
  nodes: FlowNode[];
};
export const FlowTestCallRecord = model('IvrFlowTestCall', flowTestCallSchema);
