import type { Plugin } from '@hapi/hapi';
import type { ChangeOutbox } from '../../outbox/outbox';
import { agentRoutes } from './agents/routes';
import { AgentAdminService } from './agents/service';
import { auditRoutes } from './audit/routes';
import { dispositionRoutes } from './dispositions/routes';
import { DispositionService } from './dispositions/service';
import { flowRoutes } from './flows/routes';
import { hoursRoutes } from './hours/routes';
import { HoursService } from './hours/service';
import { FlowService } from './flows/service';
import { FlowTestCalls, type TestCallPorts } from './flows/test-calls';
import { promptRoutes } from './prompts/routes';
import { PromptService } from './prompts/service';
import { promptDirFrom, PromptUploads } from './prompts/upload';
import { promptUploadRoutes } from './prompts/upload-routes';
import { queueRoutes } from './queues/routes';
import { QueueService } from './queues/service';
import { reasonRoutes } from './reasons/routes';
import { ReasonService } from './reasons/service';

/**
 * Agents, queues, prompts, IVR flows, not-ready reasons and disposition codes: supervisors read, administrators change
 * (every change audited; changes to what CTI, Asterisk or the IVR use go through the outbox).
 */
export const adminPlugin: Plugin<{ changes: ChangeOutbox; testCalls?: TestCallPorts }> = {
  name: 'ipcc-admin',
  dependencies: ['ipcc-auth'],
  register(server, { changes, testCalls }) {
    server.route([
      ...agentRoutes(new AgentAdminService(changes, server.plugins['ipcc-auth'].accounts)),
      ...queueRoutes(new QueueService(changes)),
      ...promptRoutes(new PromptService()),
      ...promptUploadRoutes(new PromptUploads(new PromptService(), promptDirFrom(process.env))),
      ...flowRoutes(new FlowService(changes), new FlowTestCalls(testCalls)),
      ...reasonRoutes(new ReasonService(changes)),
      ...dispositionRoutes(new DispositionService()),
      ...hoursRoutes(new HoursService(changes)),
      ...auditRoutes,
    ]);
  },
};
