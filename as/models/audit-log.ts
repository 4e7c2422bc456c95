import { Schema, model, type InferSchemaType } from 'mongoose';
import { baseOptions } from './options';

/**
 * Append-only record of every administrative change (who, what, when, the values before and after) and
 * of every use of call supervision.
 */
export const AUDIT_ACTIONS = [
  'create',
  'update',
  'delete',
  'start',
  'change',
  'stop',
  'force-not-ready',
  'force-logout',
  'move-contact',
  'raise-priority',
] as const;
export const AUDIT_ENTITIES = [
  'agent',
  'queue',
  'ivrflow',
  'prompt',
  'reason',
  'disposition',
  'supervision',
  'contact',
  'hours',
  'replytemplate',
] as const;

const auditSchema = new Schema(
  {
    at: { type: Date, required: true, default: () => new Date() },
    actor: { type: String, required: true },
    // start/change/stop: a supervisor's monitor, whisper or barge session on a call (entity `supervision`,
    // entityId its session id, `after` the call, agent, queue, mode and phone; written by CTI).
    // force-not-ready, force-logout (entity `agent`), move-contact, raise-priority (entity `contact`): a
    // supervisor's agent control on the wallboard (written by CTI, cti/supervisor/audit.ts).
    action: { type: String, enum: AUDIT_ACTIONS, required: true },
    entity: {
      type: String,
      enum: AUDIT_ENTITIES,
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
