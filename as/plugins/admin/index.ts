import type { Plugin } from '@hapi/hapi';
import type { ChangeOutbox } from '../../outbox/outbox';
import { agentRoutes } from './agents/routes';
import { AgentAdminService } from './agents/service';
import { auditRoutes } from './audit/routes';
import { dispositionRoutes } from './dispositions/routes';
import { DispositionService } from './dispositions/service';
import { flowRoutes } from './flows/routes';
import { FlowService } from './flows/service';
import { promptRoutes } from './prompts/routes';
import { PromptService } from './prompts/service';
import { queueRoutes } from './queues/routes';
import { QueueService } from './queues/service';
import { reasonRoutes } from './reasons/routes';
import { ReasonService } from './reasons/service';

/**
 * Agents, queues, prompts, IVR flows, not-ready reasons and disposition codes: supervisors read, administrators change
 * (every change audited; changes to what CTI, Asterisk or the IVR use go through the outbox).
 */
export const adminPlugin: Plugin<{ changes: ChangeOutbox }> = {
  name: 'ipcc-admin',
  dependencies: ['ipcc-auth'],
  register(server, { changes }) {
    server.route([
      ...agentRoutes(new AgentAdminService(changes, server.plugins['ipcc-auth'].accounts)),
      ...queueRoutes(new QueueService(changes)),
      ...promptRoutes(new PromptService()),
      ...flowRoutes(new FlowService(changes)),
      ...reasonRoutes(new ReasonService(changes)),
      ...dispositionRoutes(new DispositionService()),
      ...auditRoutes,
    ]);
  },
};
