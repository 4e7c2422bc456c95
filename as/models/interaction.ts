import { Schema, model, type InferSchemaType } from 'mongoose';
import { CHANNELS } from './agent';
import { baseOptions } from './options';

/**
 * One document per contact of any channel. The CTI creates and updates it (summary fields and timeline);
 * the AS reads it and adds what agents enter (disposition, notes) and the customer it matched.
 */
const interactionSchema = new Schema(
  {
    /** The contact id (UUID) carried by every message about this contact. */
    _id: { type: String, required: true },
    channel: { type: String, enum: CHANNELS, required: true },
    direction: { type: String, enum: ['inbound', 'outbound'], required: true },
    from: { type: String, required: true, maxlength: 254 },
    to: { type: String, required: true, maxlength: 254 },
    /** Instance id of the SoftACD that owns the call (CTI sends its commands there). */
    softacd: { type: String },
    /**
     * The queue's name: a queue's identity everywhere (IVR flows, bus messages, CTI, reports). Contacts
     * stored before issue 10 with the queue's ObjectId are rewritten at AS start (as/migrations/).
     */
    queueId: { type: String },
    /** String form of the agent's _id; an agent may read a contact only when this is its own id. */
    agentId: { type: String },
    customerId: { type: String },
    state: { type: String, required: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
    queuedAt: { type: Date },
    offeredAt: { type: Date },
    answeredAt: { type: Date },
    endedAt: { type: Date },
    abandoned: { type: Boolean },
    disposition: { type: String, maxlength: 64 },
    notes: {
      type: [
        new Schema(
          {
            at: { type: Date, required: true },
            by: { type: String, required: true },
            text: { type: String, required: true, maxlength: 4000 },
          },
          { _id: false },
        ),
      ],
      default: undefined,
    },
    recording: {
      type: new Schema(
        { name: String, format: String, durationSec: Number, path: String },
        { _id: false, strict: 'throw' },
      ),
    },
    attachments: {
      type: [
        new Schema(
          { name: String, contentType: String, size: Number, path: String },
          { _id: false, strict: 'throw' },
        ),
      ],
      default: undefined,
    },
    timeline: {
      type: [
        new Schema(
          {
            at: { type: Date, required: true },
            type: { type: String, required: true },
            data: { type: Schema.Types.Mixed },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
  },
  { ...baseOptions, collection: 'interactions' },
);
interactionSchema.index({ agentId: 1, createdAt: -1 });
interactionSchema.index({ queueId: 1, queuedAt: 1 });
interactionSchema.index({ customerId: 1, createdAt: -1 });
interactionSchema.index({ from: 1, createdAt: -1 });
interactionSchema.index({ createdAt: -1 });

export type InteractionData = InferSchemaType<typeof interactionSchema>;
export const Interaction = model('Interaction', interactionSchema);
