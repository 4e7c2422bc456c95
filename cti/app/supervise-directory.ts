import { Agent, AuditLog } from '../../as/models';
import type { SuperviseAudit, SupervisorEntry } from './supervise';

/**
 * The store side of call supervision: who the supervisor is (roles, queues, phones) read through the
 * AS's own model at each request, so a change of scope or a deactivation applies at the next request;
 * and the audit log the AS's administration writes (as/models/audit-log.ts).
 */
export async function storedSupervisor(id: string): Promise<SupervisorEntry | undefined> {
  if (!/^[0-9a-f]{24}$/.test(id)) return undefined;
  const doc = await Agent.findById(id).select('roles supervises endpoints active').lean();
  if (doc === null || doc.active === false) return undefined;
  return {
    id,
    roles: doc.roles,
    supervises: readQueues(doc),
    endpoints: {
      ...(doc.endpoints?.webrtc == null ? {} : { softphone: doc.endpoints.webrtc }),
      ...(doc.endpoints?.sip == null ? {} : { desk: doc.endpoints.sip }),
    },
  };
}

/** `supervises` as the person model holds it; absent (a record from before it existed) is no queue. */
function readQueues(doc: object): string[] {
  const value: unknown = (doc as { supervises?: unknown }).supervises;
  return Array.isArray(value) ? value.filter((q): q is string => typeof q === 'string') : [];
}

export async function writeSuperviseAudit(entry: SuperviseAudit): Promise<void> {
  await AuditLog.create({
    at: entry.at,
    actor: entry.supervisorId,
    action: entry.action,
    entity: 'supervision',
    entityId: entry.sessionId,
    after: {
      contactId: entry.contactId,
      agentId: entry.agentId,
      queueId: entry.queueId,
      mode: entry.mode,
      device: entry.device,
      ...(entry.reason === undefined ? {} : { reason: entry.reason }),
    },
  });
}
