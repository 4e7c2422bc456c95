import { Schema, model, type InferSchemaType } from 'mongoose';
import { baseOptions, NAME_PATTERN } from './options';

/**
 * The outcomes an agent may record for a contact (admin-managed, like the not-ready reasons). The AS
 * refuses any other disposition; only the AS reads the list, so a change needs no event on the bus.
 */
const dispositionCodeSchema = new Schema(
  {
    /** What is stored on the contact (`interactions.disposition`) and what reports group by. */
    name: { type: String, required: true, unique: true, match: NAME_PATTERN },
    label: { type: String, required: true, maxlength: 80 },
    createdAt: { type: Date, default: () => new Date() },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { ...baseOptions, collection: 'dispositioncodes' },
);

export type DispositionCodeData = InferSchemaType<typeof dispositionCodeSchema>;
export const DispositionCode = model('DispositionCode', dispositionCodeSchema);

/** Seeded on an empty list (as/seed.ts). */
export const DEFAULT_DISPOSITION_CODES = [
  { name: 'sale', label: 'Sale' },
  { name: 'no-sale', label: 'No sale' },
  { name: 'resolved', label: 'Resolved' },
  { name: 'follow-up', label: 'Follow-up needed' },
  { name: 'callback-requested', label: 'Callback requested' },
  { name: 'wrong-number', label: 'Wrong number' },
] as const;
