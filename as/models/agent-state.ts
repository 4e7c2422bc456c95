import { Schema, model, type InferSchemaType } from 'mongoose';
import { baseOptions } from './options';

/**
 * Agent state history, appended by the CTI at every change. A state lasts until the agent's next record;
 * reports derive not-ready time from it.
 */
const agentStateSchema = new Schema(
  {
    agentId: { type: String, required: true },
    /** E.g. LoggedIn, Ready, NotReady, Busy, WrapUp, LoggedOut (CSTA-like names from the CTI). */
    state: { type: String, required: true, maxlength: 32 },
    reason: { type: String, maxlength: 64 },
    at: { type: Date, required: true },
    queueIds: { type: [String], default: undefined },
  },
  { ...baseOptions, collection: 'agentstates' },
);
agentStateSchema.index({ agentId: 1, at: 1 });
agentStateSchema.index({ at: 1 });

export type AgentStateData = InferSchemaType<typeof agentStateSchema>;
export const AgentState = model('AgentState', agentStateSchema);
