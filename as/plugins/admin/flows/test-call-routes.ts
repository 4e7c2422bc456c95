import type { ServerRoute } from '@hapi/hapi';
import { callerOf } from '../../../http/credentials';
import { flowIdParams } from './schemas';
import type { FlowTestCalls } from './test-calls';

export function flowTestCallRoutes(service: FlowTestCalls): ServerRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/v1/ivr-flows/{id}/test-call',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 201, errors: [409, 503] } },
        description:
          "Ring the caller's browser softphone into the flow's saved draft (audited); callers keep the published version",
        notes:
          '409 without a draft, without a browser softphone (endpoints.webrtc) or without a bus; 503 when the bus ' +
          'does not confirm the command in 5 s; 400 if the draft names a prompt, ' +
          'queue or schedule that is gone. The answer names the contact the call becomes.',
        validate: { params: flowIdParams },
      },
      handler: async (request, h) =>
        h.response(await service.start(request.params.id as string, callerOf(request))).code(201),
    },
  ];
}
