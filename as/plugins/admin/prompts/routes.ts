import type { ServerRoute } from '@hapi/hapi';
import { callerOf } from '../../../http/credentials';
import { createPromptPayload, promptIdParams, updatePromptPayload } from './schemas';
import type { PromptInput, PromptService } from './service';

export function promptRoutes(service: PromptService): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/prompts',
      options: {
        auth: { access: { scope: ['supervisor', 'admin'] } },
        tags: ['api', 'admin'],
        description: 'All prompts',
      },
      handler: async () => service.list(),
    },
    {
      method: 'GET',
      path: '/api/v1/prompts/{id}',
      options: {
        auth: { access: { scope: ['supervisor', 'admin'] } },
        tags: ['api', 'admin'],
        description: 'One prompt',
        validate: { params: promptIdParams },
      },
      handler: async (request) => service.get(request.params.id as string),
    },
    {
      method: 'POST',
      path: '/api/v1/prompts',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 201, errors: [409] } },
        description: 'Register a prompt (audited)',
        validate: { payload: createPromptPayload },
      },
      handler: async (request, h) =>
        h.response(await service.create(request.payload as PromptInput, callerOf(request))).code(201),
    },
    {
      method: 'PATCH',
      path: '/api/v1/prompts/{id}',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { errors: [409] } },
        description: 'Update a prompt (audited); renaming a prompt in use is refused',
        validate: { params: promptIdParams, payload: updatePromptPayload },
      },
      handler: async (request) =>
        service.update(request.params.id as string, request.payload as PromptInput, callerOf(request)),
    },
    {
      method: 'DELETE',
      path: '/api/v1/prompts/{id}',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 204, errors: [409] } },
        description: 'Delete a prompt (audited); refused while a flow or queue uses it',
        validate: { params: promptIdParams },
      },
      handler: async (request, h) => {
        await service.remove(request.params.id as string, callerOf(request));
        return h.response().code(204);
      },
    },
  ];
}
