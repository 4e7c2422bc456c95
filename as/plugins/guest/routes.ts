import type { ServerRoute } from '@hapi/hapi';
import { guestCallPayload, guestCallResponse } from './schemas';
import type { GuestService } from './service';

export function guestRoutes(service: GuestService): ServerRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/v1/guest/calls',
      options: {
        auth: false,
        tags: ['api', 'guest'],
        plugins: { 'ipcc-openapi': { errors: [403, 429] } },
        description: 'A guest token for one web video call to a public number (no account)',
        notes:
          'Rate-limited per client address (429 with Retry-After); 403 for a number that is not public. The token is good for that one call only (SoftACD admits it once) and for nothing else: the API refuses it.',
        validate: { payload: guestCallPayload },
        response: { schema: guestCallResponse, failAction: 'log' },
      },
      handler: async (request, h) => {
        const { number } = request.payload as { number: string };
        return h.response(await service.issue(number, request.info.remoteAddress));
      },
    },
  ];
}
