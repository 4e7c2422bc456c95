import { AuditLog } from '../../as/models';

/** One use of a supervisor's powers, as the AS's audit log keeps it (as/models/audit-log.ts). */
export interface AuditEntry {
  actor: string;
  action: 'force-not-ready' | 'force-logout' | 'move-contact' | 'raise-priority';
  entity: 'agent' | 'contact';
  entityId: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditWriter {
  record(entry: AuditEntry): Promise<void>;
}

/**
 * Written through the AS's own model on CTI's directory connection (mongoose), the way CTI already reads
 * agents and queues: one schema, and the administrators' audit page lists these entries with the rest.
 */
export const storeAudit: AuditWriter = {
  async record(entry) {
    await AuditLog.create({ ...entry, at: new Date() });
  },
};
