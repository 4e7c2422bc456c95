import Joi from 'joi';
import type { ServerRoute } from '@hapi/hapi';
import { objectId } from '../../../http/validation';
import { listChanges, type AuditQuery } from './service';
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from '../../../models/audit-log';

const auditQuery = Joi.object({
  entity: Joi.string().valid(...AUDIT_ENTITIES),
  entityId: Joi.string().max(64),
  actor: objectId,
  action: Joi.string().valid(...AUDIT_ACTIONS),
  from: Joi.date().iso(),
  to: Joi.date().iso(),
  limit: Joi.number().integer().min(1).max(200).default(50),
  skip: Joi.number().integer().min(0).max(100_000).default(0),
}).label('AuditQuery');

export const auditRoutes: ServerRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/audit-log',
    options: {
      auth: { access: { scope: ['admin'] } },
      tags: ['api', 'admin'],
      description: 'Administrative changes, newest first',
      validate: { query: auditQuery },
    },
    handler: async (request) => listChanges(request.query as unknown as AuditQuery),
  },
];
