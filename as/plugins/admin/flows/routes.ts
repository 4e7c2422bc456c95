import type { ServerRoute } from '@hapi/hapi';
import { callerOf } from '../../../http/credentials';
import { flowCheckPayload, flowIdParams, flowPayload } from './schemas';
import type { FlowGraph } from '../../../../lib/flow/flow';
import type { FlowInput, FlowService } from './service';
import { flowVersionRoutes } from './version-routes';
import { flowTestCallRoutes } from './test-call-routes';
import type { FlowTestCalls } from './test-calls';

export function flowRoutes(service: FlowService, testCalls: FlowTestCalls): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/ivr-flows',
      options: {
        auth: { access: { scope: ['supervisor', 'admin'] } },
        tags: ['api', 'admin'],
        description: 'All IVR flows',
      },
      handler: async () => service.list(),
    },
    {
      method: 'GET',
      path: '/api/v1/ivr-flows/{id}',
      options: {
        auth: { access: { scope: ['supervisor', 'admin'] } },
        tags: ['api', 'admin'],
        description: 'One IVR flow',
        validate: { params: flowIdParams },
      },
      handler: async (request) => service.get(request.params.id as string),
    },
    {
      method: 'POST',
      path: '/api/v1/ivr-flows/check',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        description: 'Check a flow graph without saving it: errors and warnings',
        validate: { payload: flowCheckPayload },
      },
      handler: async (request) => service.check(request.payload as FlowGraph),
    },
    {
      method: 'POST',
      path: '/api/v1/ivr-flows',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 201, errors: [409] } },
        description: 'Create an IVR flow (audited); refused with the reason if a reference is missing',
        validate: { payload: flowPayload },
      },
      handler: async (request, h) =>
        h.response(await service.create(request.payload as FlowInput, callerOf(request))).code(201),
    },
    {
      method: 'PUT',
      path: '/api/v1/ivr-flows/{id}',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { errors: [409] } },
        description: 'Replace an IVR flow (audited)',
        validate: { params: flowIdParams, payload: flowPayload },
      },
      handler: async (request) =>
        service.replace(request.params.id as string, request.payload as FlowInput, callerOf(request)),
    },
    {
      method: 'DELETE',
      path: '/api/v1/ivr-flows/{id}',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 204 } },
        description: 'Delete an IVR flow (audited)',
        validate: { params: flowIdParams },
      },
      handler: async (request, h) => {
        await service.remove(request.params.id as string, callerOf(request));
        return h.response().code(204);
      },
    },
    ...flowVersionRoutes(service.versions),
    ...flowTestCallRoutes(testCalls),
  ];
}
