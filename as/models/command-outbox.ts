import { Schema, model, type InferSchemaType } from 'mongoose';
import { baseOptions } from './options';

/**
 * The outbox of commands the AS sends to other services (as/outbox/commands.ts): a `SendReply` to ISAG
 * for an agent's reply. Unlike a directory change, a command carries its whole bus message, stored as
 * JSON, so a record left pending by a crash is published as it was written.
 */
const commandOutboxSchema = new Schema(
  {
    /** The bus message's own id (UUID): a re-publish carries the same id. */
    _id: { type: String, required: true },
    exchange: { type: String, required: true },
    routingKey: { type: String, required: true },
    message: { type: String, required: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
    /** Set once the broker confirmed the publish; absent while pending. */
    sentAt: { type: Date },
    attempts: { type: Number, default: 0 },
  },
  { ...baseOptions, collection: 'commandoutbox' },
);
commandOutboxSchema.index({ sentAt: 1, createdAt: 1 });

export type OutboxCommandData = InferSchemaType<typeof commandOutboxSchema>;
export const OutboxCommand = model('OutboxCommand', commandOutboxSchema);
