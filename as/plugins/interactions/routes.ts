import type { ServerRoute } from '@hapi/hapi';
import { callerOf } from '../../http/credentials';
import { dispositionPayload, historyQuery, idParams, notePayload } from './schemas';
import type { HistoryQuery, InteractionService } from './service';

const PEOPLE = ['agent', 'supervisor', 'admin'];
const OWN = 'Agents: only contacts offered to them.';

export function interactionRoutes(service: InteractionService): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/interactions',
      options: {
        auth: { access: { scope: PEOPLE } },
        tags: ['api', 'interactions'],
        description: 'Interaction history (summaries), newest first',
        notes: 'Agents: their own contacts only; agentId, if given, must be their own.',
        validate: { query: historyQuery },
      },
      handler: async (request) =>
        service.history(request.query as unknown as HistoryQuery, callerOf(request)),
    },
    {
      method: 'GET',
      path: '/api/v1/interactions/{id}',
      options: {
        auth: { access: { scope: PEOPLE } },
        tags: ['api', 'interactions'],
        description: 'One contact with its timeline, notes, recording and attachments',
        notes: OWN,
        validate: { params: idParams },
      },
      handler: async (request) => service.get(request.params.id as string, callerOf(request)),
    },
    {
      method: 'PUT',
      path: '/api/v1/interactions/{id}/disposition',
      options: {
        auth: { access: { scope: PEOPLE } },
        tags: ['api', 'interactions'],
        description: 'Set the disposition code of a contact',
        notes: `${OWN} The code must be one of /api/v1/disposition-codes (else 400).`,
        validate: { params: idParams, payload: dispositionPayload },
      },
      handler: async (request) =>
        service.setDisposition(
          request.params.id as string,
          (request.payload as { disposition: string }).disposition,
          callerOf(request),
        ),
    },
    {
      method: 'POST',
      path: '/api/v1/interactions/{id}/notes',
      options: {
        auth: { access: { scope: PEOPLE } },
        tags: ['api', 'interactions'],
        plugins: { 'ipcc-openapi': { success: 201 } },
        description: 'Add a note to a contact',
        notes: OWN,
        validate: { params: idParams, payload: notePayload },
      },
      handler: async (request, h) => {
        const note = await service.addNote(
          request.params.id as string,
          (request.payload as { text: string }).text,
          callerOf(request),
        );
        return h.response(note).code(201);
      },
    },
  ];
}
