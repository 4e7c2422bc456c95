import { Schema, model, type InferSchemaType } from 'mongoose';
import { baseOptions } from './options';

export const CHANGE_ENTITIES = ['agent', 'queue', 'ivrflow', 'reason', 'hours'] as const;
export type ChangeEntity = (typeof CHANGE_ENTITIES)[number];

/**
 * The transactional outbox of directory changes (as/outbox/). FerretDB has no transactions, so a record
 * is written *before* the change it announces and published after it; one left pending by a crash is
 * published by the relay's sweep. An event whose change never happened is harmless: consumers re-read.
 */
const outboxSchema = new Schema(
  {
    entity: { type: String, enum: CHANGE_ENTITIES, required: true },
    entityId: { type: String, required: true },
    action: { type: String, enum: ['create', 'update', 'delete'], required: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
    /** Set once the broker confirmed the publish; absent while pending. */
    sentAt: { type: Date },
    attempts: { type: Number, default: 0 },
  },
  { ...baseOptions, collection: 'outbox' },
);
outboxSchema.index({ sentAt: 1, createdAt: 1 });

export type OutboxData = InferSchemaType<typeof outboxSchema>;
export const Outbox = model('Outbox', outboxSchema);
