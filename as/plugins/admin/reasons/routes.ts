import type { ServerRoute } from '@hapi/hapi';
import { callerOf } from '../../../http/credentials';
import { createReasonPayload, reasonIdParams, updateReasonPayload } from './schemas';
import type { ReasonInput, ReasonService } from './service';

export function reasonRoutes(service: ReasonService): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/not-ready-reasons',
      options: {
        // Agents read it too: their client offers these reasons.
        auth: { access: { scope: ['agent', 'supervisor', 'admin'] } },
        tags: ['api', 'admin'],
        description: 'The reasons an agent may give for going not-ready',
      },
      handler: async () => service.list(),
    },
    {
      method: 'POST',
      path: '/api/v1/not-ready-reasons',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 201, errors: [409] } },
        description: 'Add a not-ready reason (audited; CTI accepts it within seconds)',
        validate: { payload: createReasonPayload },
      },
      handler: async (request, h) =>
        h
          .response(await service.create(request.payload as Required<ReasonInput>, callerOf(request)))
          .code(201),
    },
    {
      method: 'PATCH',
      path: '/api/v1/not-ready-reasons/{id}',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { errors: [409] } },
        description: 'Rename or relabel a not-ready reason (audited)',
        validate: { params: reasonIdParams, payload: updateReasonPayload },
      },
      handler: async (request) =>
        service.update(request.params.id as string, request.payload as ReasonInput, callerOf(request)),
    },
    {
      method: 'DELETE',
      path: '/api/v1/not-ready-reasons/{id}',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 204 } },
        description: 'Remove a not-ready reason (audited; CTI refuses it from then on)',
        validate: { params: reasonIdParams },
      },
      handler: async (request, h) => {
        await service.remove(request.params.id as string, callerOf(request));
        return h.response().code(204);
      },
    },
  ];
}
