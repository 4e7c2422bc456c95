import type { Caller } from '../../../http/credentials';
import { AuditLog, type AuditData } from '../../../models';

type Entity = AuditData['entity'];
type Action = AuditData['action'];

/**
 * Written after the change it records: FerretDB has no transactions, so the two writes cannot be atomic.
 * If this write fails the request fails with 500 and the error is logged, so the gap is visible.
 */
export async function recordChange(
  caller: Caller,
  action: Action,
  entity: Entity,
  entityId: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await AuditLog.create({ actor: caller.id, action, entity, entityId, before, after, at: new Date() });
}

export interface AuditQuery {
  entity?: Entity;
  entityId?: string;
  actor?: string;
  action?: Action;
  /** Changes at or after `from` and before `to`. */
  from?: Date;
  to?: Date;
  limit: number;
  skip: number;
}

export async function listChanges(query: AuditQuery) {
  const filter: Record<string, unknown> = {};
  for (const key of ['entity', 'entityId', 'actor', 'action'] as const) {
    if (query[key] !== undefined) filter[key] = query[key];
  }
  if (query.from !== undefined || query.to !== undefined) {
    filter.at = { ...(query.from && { $gte: query.from }), ...(query.to && { $lt: query.to }) };
  }
  const rows = await AuditLog.find(filter)
    .sort({ at: -1, _id: -1 })
    .skip(query.skip)
    .limit(query.limit)
    .lean();
  return rows.map(({ _id, ...rest }) => ({ id: _id.toHexString(), ...rest }));
}
