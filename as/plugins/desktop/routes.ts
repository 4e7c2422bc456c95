import type { ServerRoute } from '@hapi/hapi';
import { callerOf } from '../../http/credentials';
import { desktopResponse, sipResponse } from './schemas';
import type { DesktopService } from './service';

/** Only people who take calls: a supervisor or administrator without the agent role gets 403. */
const AGENTS = ['agent'];
/**
 * A softphone also rings supervisors and administrators: call supervision (monitor, whisper, barge)
 * rings the person's browser softphone (docs/supervise.md).
 */
const PHONE_USERS = ['agent', 'supervisor', 'admin'];

export function desktopRoutes(service: DesktopService): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/me/desktop',
      options: {
        auth: { access: { scope: AGENTS } },
        tags: ['api', 'desktop'],
        description: "The agent desktop's settings",
        notes:
          'The agent, its devices, the CTI URL, not-ready reasons (with the desk-phone digit), disposition codes, and the queues and agents to transfer to.',
        response: { schema: desktopResponse, failAction: 'log' },
      },
      handler: async (request) => service.desktop(callerOf(request)),
    },
    {
      method: 'GET',
      path: '/api/v1/me/sip',
      options: {
        auth: { access: { scope: PHONE_USERS } },
        tags: ['api', 'desktop'],
        description: "The browser softphone's SIP account (never stored by a cache)",
        notes: '404 when the agent has no browser endpoint (endpoints.webrtc).',
        response: { schema: sipResponse, failAction: 'log' },
      },
      handler: async (request) => service.sip(callerOf(request)),
    },
  ];
}
