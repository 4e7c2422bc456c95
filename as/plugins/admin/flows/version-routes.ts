import type { ServerRoute } from '@hapi/hapi';
import { callerOf } from '../../../http/credentials';
import { draftPayload, flowIdParams, versionParams } from './schemas';
import type { LaidOutGraph } from './version-store';
import type { FlowVersionService } from './versions';

const ADMIN = { access: { scope: ['admin'] } };
const READERS = { access: { scope: ['supervisor', 'admin'] } };

export function flowVersionRoutes(service: FlowVersionService): ServerRoute[] {
  return [
    {
      method: 'PUT',
      path: '/api/v1/ivr-flows/{id}/draft',
      options: {
        auth: ADMIN,
        tags: ['api', 'admin'],
        description:
          "Save the editor's draft of a flow (audited; not live); refused with every error if invalid",
        validate: { params: flowIdParams, payload: draftPayload },
      },
      handler: async (request) =>
        service.saveDraft(request.params.id as string, request.payload as LaidOutGraph, callerOf(request)),
    },
    {
      method: 'DELETE',
      path: '/api/v1/ivr-flows/{id}/draft',
      options: {
        auth: ADMIN,
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 204, errors: [409] } },
        description: 'Discard the draft of a published flow (audited)',
        validate: { params: flowIdParams },
      },
      handler: async (request, h) => {
        await service.discardDraft(request.params.id as string, callerOf(request));
        return h.response().code(204);
      },
    },
    {
      method: 'POST',
      path: '/api/v1/ivr-flows/{id}/publish',
      options: {
        auth: ADMIN,
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { errors: [409] } },
        description: 'Publish the draft as a new version: the IVR runs it from the next call (audited)',
        validate: { params: flowIdParams },
      },
      handler: async (request) => service.publish(request.params.id as string, callerOf(request)),
    },
    {
      method: 'GET',
      path: '/api/v1/ivr-flows/{id}/versions',
      options: {
        auth: READERS,
        tags: ['api', 'admin'],
        description: 'Published versions of a flow, newest first',
        validate: { params: flowIdParams },
      },
      handler: async (request) => service.versions(request.params.id as string),
    },
    {
      method: 'GET',
      path: '/api/v1/ivr-flows/{id}/versions/{version}',
      options: {
        auth: READERS,
        tags: ['api', 'admin'],
        description: 'One published version of a flow, with its graph',
        validate: { params: versionParams },
      },
      handler: async (request) =>
        service.version(request.params.id as string, Number(request.params.version)),
    },
    {
      method: 'POST',
      path: '/api/v1/ivr-flows/{id}/versions/{version}/rollback',
      options: {
        auth: ADMIN,
        tags: ['api', 'admin'],
        description: 'Make an earlier version live again (checked again; audited); the draft is dropped',
        validate: { params: versionParams },
      },
      handler: async (request) =>
        service.rollback(request.params.id as string, Number(request.params.version), callerOf(request)),
    },
  ];
}
