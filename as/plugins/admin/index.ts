import type { Plugin } from '@hapi/hapi';
import { agentRoutes } from './agents/routes';
import { AgentAdminService } from './agents/service';
import { auditRoutes } from './audit/routes';
import { flowRoutes } from './flows/routes';
import { FlowService } from './flows/service';
import { promptRoutes } from './prompts/routes';
import { PromptService } from './prompts/service';
import { queueRoutes } from './queues/routes';
import { QueueService } from './queues/service';

/** Agents, queues, prompts and IVR flows: supervisors read, administrators change (every change audited). */
export const adminPlugin: Plugin<void> = {
  name: 'ipcc-admin',
  register(server) {
    server.route([
      ...agentRoutes(new AgentAdminService()),
      ...queueRoutes(new QueueService()),
      ...promptRoutes(new PromptService()),
      ...flowRoutes(new FlowService()),
      ...auditRoutes,
    ]);
  },
};
