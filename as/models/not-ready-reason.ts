import { Schema, model, type InferSchemaType } from 'mongoose';
import { baseOptions, NAME_PATTERN } from './options';

/**
 * The reasons an agent may give for going not-ready (admin-managed). CTI refuses any other reason; the
 * list reaches it live through the directory's change events.
 */
const notReadyReasonSchema = new Schema(
  {
    /** What the agent's client sends (`{"type":"not-ready","reason":"lunch"}`) and reports show. */
    name: { type: String, required: true, unique: true, match: NAME_PATTERN },
    label: { type: String, required: true, maxlength: 80 },
    createdAt: { type: Date, default: () => new Date() },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { ...baseOptions, collection: 'notreadyreasons' },
);

export type NotReadyReasonData = InferSchemaType<typeof notReadyReasonSchema>;
export const NotReadyReason = model('NotReadyReason', notReadyReasonSchema);

/** Seeded on an empty store (as/seed-data.ts). */
export const DEFAULT_NOT_READY_REASONS = [
  { name: 'break', label: 'Break' },
  { name: 'lunch', label: 'Lunch' },
  { name: 'training', label: 'Training' },
  { name: 'meeting', label: 'Meeting' },
  { name: 'after-call', label: 'After-call work' },
] as const;
