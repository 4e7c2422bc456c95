import type { ServerRoute } from '@hapi/hapi';
import { callerOf } from '../../http/credentials';
import type { ReplyChannel } from '../../models/reply-template';
import {
  templateCreate,
  templateList,
  templateParams,
  templateQuery,
  templateUpdate,
  templateView,
} from './schemas';
import type { TemplateInput, TemplateService } from './templates';

const ADMIN_PATH = '/api/v1/admin/reply-templates';

export function templateRoutes(service: TemplateService): ServerRoute[] {
  const list = async (channel: unknown) => service.list(channel as ReplyChannel | undefined);
  return [
    {
      method: 'GET',
      path: '/api/v1/reply-templates',
      options: {
        auth: { access: { scope: ['agent', 'supervisor', 'admin'] } },
        tags: ['api', 'messages'],
        description: 'Reply templates an agent may start a reply from, by channel and name',
        validate: { query: templateQuery },
        response: { schema: templateList, failAction: 'log' },
      },
      handler: async (request) => list(request.query.channel),
    },
    {
      method: 'GET',
      path: ADMIN_PATH,
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        description: 'Every reply template (administrators)',
        validate: { query: templateQuery },
        response: { schema: templateList, failAction: 'log' },
      },
      handler: async (request) => list(request.query.channel),
    },
    {
      method: 'POST',
      path: ADMIN_PATH,
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 201, errors: [409] } },
        description: 'Add a reply template (audited; a name is unique within its channel)',
        validate: { payload: templateCreate },
        response: { status: { 201: templateView }, failAction: 'log' },
      },
      handler: async (request, h) =>
        h
          .response(await service.create(request.payload as Required<TemplateInput>, callerOf(request)))
          .code(201),
    },
    {
      method: 'PATCH',
      path: `${ADMIN_PATH}/{id}`,
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { errors: [409] } },
        description: 'Change a reply template (audited)',
        validate: { params: templateParams, payload: templateUpdate },
        response: { schema: templateView, failAction: 'log' },
      },
      handler: async (request) =>
        service.update(request.params.id as string, request.payload as TemplateInput, callerOf(request)),
    },
    {
      method: 'DELETE',
      path: `${ADMIN_PATH}/{id}`,
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 204 } },
        description: 'Remove a reply template (audited)',
        validate: { params: templateParams },
      },
      handler: async (request, h) => {
        await service.remove(request.params.id as string, callerOf(request));
        return h.response().code(204);
      },
    },
  ];
}
