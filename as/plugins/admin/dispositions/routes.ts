import type { ServerRoute } from '@hapi/hapi';
import { callerOf } from '../../../http/credentials';
import {
  createDispositionPayload,
  dispositionCode,
  dispositionIdParams,
  dispositionList,
  updateDispositionPayload,
} from './schemas';
import type { DispositionInput, DispositionService } from './service';

export function dispositionRoutes(service: DispositionService): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/disposition-codes',
      options: {
        // Agents read it too: the desktop offers these codes after a call.
        auth: { access: { scope: ['agent', 'supervisor', 'admin'] } },
        tags: ['api', 'admin'],
        description: 'The disposition codes an agent may record for a contact, by name',
        response: { schema: dispositionList, failAction: 'log' },
      },
      handler: async () => service.list(),
    },
    {
      method: 'POST',
      path: '/api/v1/disposition-codes',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 201, errors: [409] } },
        description: 'Add a disposition code (audited)',
        validate: { payload: createDispositionPayload },
        response: { status: { 201: dispositionCode }, failAction: 'log' },
      },
      handler: async (request, h) =>
        h
          .response(await service.create(request.payload as Required<DispositionInput>, callerOf(request)))
          .code(201),
    },
    {
      method: 'PATCH',
      path: '/api/v1/disposition-codes/{id}',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { errors: [409] } },
        description: 'Rename or relabel a disposition code (audited; contacts keep the code they have)',
        validate: { params: dispositionIdParams, payload: updateDispositionPayload },
        response: { schema: dispositionCode, failAction: 'log' },
      },
      handler: async (request) =>
        service.update(request.params.id as string, request.payload as DispositionInput, callerOf(request)),
    },
    {
      method: 'DELETE',
      path: '/api/v1/disposition-codes/{id}',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 204 } },
        description: 'Remove a disposition code (audited; refused on contacts from then on)',
        validate: { params: dispositionIdParams },
      },
      handler: async (request, h) => {
        await service.remove(request.params.id as string, callerOf(request));
        return h.response().code(204);
      },
    },
  ];
}
