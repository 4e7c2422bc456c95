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
        plugins: { 'ipcc-openapi': { errors: [401, 429] } },
        description: 'Log in; returns a short-lived bearer token (also accepted by the CTI WebSocket)',
        notes:
          'Rate-limited per login+IP, per IP and per login, each attempt counted before the password is checked (429 with Retry-After).',
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
      method: 'POST',
      path: '/api/v1/auth/logout',
      options: {
        auth: { access: { scope: PEOPLE } },
        tags: ['api', 'auth'],
        plugins: { 'ipcc-openapi': { success: 204 } },
        description: "Log out: revokes every token of the caller's account, this one included",
        notes:
          'Tokens are refused by the AS and the CTI agent WebSocket within a few seconds (the CTI closes its sockets). Log in again for a new token.',
      },
      handler: async (request, h) => {
        await service.logout(callerOf(request).id);
        return h.response().code(204);
      },
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
