import type { ServerRoute } from '@hapi/hapi';
import { callerOf } from '../../http/credentials';
import { loginPayload, sessionResponse } from './schemas';
import type { AuthService } from './service';

const PEOPLE = ['agent', 'supervisor', 'admin'];

export function authRoutes(service: AuthService): ServerRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/v1/auth/login',
      options: {
        auth: false,
        tags: ['api', 'auth'],
        description: 'Log in; returns a short-lived bearer token (also accepted by the CTI WebSocket)',
        notes: 'Rate-limited per login+IP and per IP (429 with Retry-After).',
        validate: { payload: loginPayload },
        response: { schema: sessionResponse, failAction: 'log' },
      },
      handler: async (request) => {
        const { login, password } = request.payload as { login: string; password: string };
        return service.login(login, password, request.info.remoteAddress);
      },
    },
    {
      method: 'POST',
      path: '/api/v1/auth/refresh',
      options: {
        auth: { access: { scope: PEOPLE } },
        tags: ['api', 'auth'],
        description: 'Exchange a valid token for a fresh one (roles re-read)',
        response: { schema: sessionResponse, failAction: 'log' },
      },
      handler: async (request) => service.refresh(callerOf(request).id),
    },
    {
      method: 'GET',
      path: '/api/v1/me',
      options: {
        auth: { access: { scope: PEOPLE } },
        tags: ['api', 'auth'],
        description: "The caller's own profile",
      },
      handler: async (request) => service.profile(callerOf(request).id),
    },
  ];
}
