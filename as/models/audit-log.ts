import { Schema, model, type InferSchemaType } from 'mongoose';
import { baseOptions } from './options';

/** Append-only record of every administrative change: who, what, when, and the values before and after. */
const auditSchema = new Schema(
  {
    at: { type: Date, required: true, default: () => new Date() },
    actor: { type: String, required: true },
    action: { type: String, enum: ['create', 'update', 'delete'], required: true },
    entity: {
      type: String,
      enum: ['agent', 'queue', 'ivrflow', 'prompt', 'reason', 'disposition'],
      required: true,
    },
    entityId: { type: String, required: true },
    before: { type: Schema.Types.Mixed },
    after: { type: Schema.Types.Mixed },
  },
  { ...baseOptions, collection: 'auditlog' },
);
auditSchema.index({ at: -1 });
auditSchema.index({ entity: 1, entityId: 1, at: -1 });

export type AuditData = InferSchemaType<typeof auditSchema>;
export const AuditLog = model('AuditLog', auditSchema);
