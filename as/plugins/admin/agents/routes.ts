import type { ServerRoute } from '@hapi/hapi';
import { callerOf } from '../../../http/credentials';
import { agentIdParams, createAgentPayload, statesQuery, updateAgentPayload } from './schemas';
import type { AgentAdminService, AgentInput } from './service';

const OVERSEERS = ['supervisor', 'admin'];

export function agentRoutes(service: AgentAdminService): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/agents',
      options: {
        auth: { access: { scope: OVERSEERS } },
        tags: ['api', 'admin'],
        description: 'All agents, supervisors and administrators',
      },
      handler: async () => service.list(),
    },
    {
      method: 'GET',
      path: '/api/v1/agents/{id}',
      options: {
        auth: { access: { scope: OVERSEERS } },
        tags: ['api', 'admin'],
        description: 'One agent',
        validate: { params: agentIdParams },
      },
      handler: async (request) => service.get(request.params.id as string),
    },
    {
      method: 'GET',
      path: '/api/v1/agents/{id}/states',
      options: {
        auth: { access: { scope: OVERSEERS } },
        tags: ['api', 'admin'],
        description: "An agent's state history in [from, to)",
        validate: { params: agentIdParams, query: statesQuery },
      },
      handler: async (request) => {
        const { from, to } = request.query as unknown as { from: Date; to: Date };
        return service.states(request.params.id as string, from, to);
      },
    },
    {
      method: 'POST',
      path: '/api/v1/agents',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 201, errors: [409] } },
        description: 'Create an agent, supervisor or administrator (audited)',
        validate: { payload: createAgentPayload },
      },
      handler: async (request, h) => {
        const input = request.payload as AgentInput & { login: string; password: string };
        return h.response(await service.create(input, callerOf(request))).code(201);
      },
    },
    {
      method: 'PATCH',
      path: '/api/v1/agents/{id}',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { errors: [409] } },
        description: 'Update an agent (audited; a password here resets it)',
        validate: { params: agentIdParams, payload: updateAgentPayload },
      },
      handler: async (request) =>
        service.update(request.params.id as string, request.payload as AgentInput, callerOf(request)),
    },
    {
      method: 'DELETE',
      path: '/api/v1/agents/{id}',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 204, errors: [409] } },
        description: 'Delete an agent (audited); history keeps its id',
        validate: { params: agentIdParams },
      },
      handler: async (request, h) => {
        await service.remove(request.params.id as string, callerOf(request));
        return h.response().code(204);
      },
    },
  ];
}
