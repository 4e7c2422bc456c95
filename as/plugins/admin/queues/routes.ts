import type { ServerRoute } from '@hapi/hapi';
import { callerOf } from '../../../http/credentials';
import { createQueuePayload, queueIdParams, updateQueuePayload } from './schemas';
import type { QueueInput, QueueService } from './service';

export function queueRoutes(service: QueueService): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/queues',
      options: {
        auth: { access: { scope: ['supervisor', 'admin'] } },
        tags: ['api', 'admin'],
        description: 'All queues',
      },
      handler: async () => service.list(),
    },
    {
      method: 'GET',
      path: '/api/v1/queues/{id}',
      options: {
        auth: { access: { scope: ['supervisor', 'admin'] } },
        tags: ['api', 'admin'],
        description: 'One queue',
        validate: { params: queueIdParams },
      },
      handler: async (request) => service.get(request.params.id as string),
    },
    {
      method: 'POST',
      path: '/api/v1/queues',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 201, errors: [409] } },
        description: 'Create a queue (audited)',
        validate: { payload: createQueuePayload },
      },
      handler: async (request, h) =>
        h.response(await service.create(request.payload as QueueInput, callerOf(request))).code(201),
    },
    {
      method: 'PATCH',
      path: '/api/v1/queues/{id}',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { errors: [409] } },
        description: 'Update a queue (audited); its name is its identity and cannot change (409)',
        notes: '`{id}` is the queue name (its ObjectId is still accepted).',
        validate: { params: queueIdParams, payload: updateQueuePayload },
      },
      handler: async (request) =>
        service.update(request.params.id as string, request.payload as QueueInput, callerOf(request)),
    },
    {
      method: 'DELETE',
      path: '/api/v1/queues/{id}',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 204, errors: [409] } },
        description: 'Delete a queue (audited); refused while a flow uses it',
        validate: { params: queueIdParams },
      },
      handler: async (request, h) => {
        await service.remove(request.params.id as string, callerOf(request));
        return h.response().code(204);
      },
    },
  ];
}
