import Boom from '@hapi/boom';
import type { Plugin, Request, ResponseToolkit } from '@hapi/hapi';
import { TokenError, verifyToken } from '../../../lib/auth-token';
import { LoginLimiter } from './limiter';
import { authRoutes } from './routes';
import { AuthService } from './service';

export interface AuthOptions {
  secret: string;
  limiter?: LoginLimiter;
  ttlSec?: number;
}

/**
 * Bearer-token scheme. The token's roles become hapi scopes, so a route's role rule is declared as
 * `auth.access.scope` and enforced (403) by hapi before the handler runs.
 */
export const authPlugin: Plugin<AuthOptions> = {
  name: 'ipcc-auth',
  register(server, options) {
    server.auth.scheme('bearer', () => ({
      authenticate(request: Request, h: ResponseToolkit) {
        const header = request.headers.authorization;
        const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._-]+)$/.exec(header) : null;
        if (!match) throw Boom.unauthorized('missing bearer token', 'Bearer');
        try {
          const claims = verifyToken(match[1] as string, options.secret);
          return h.authenticated({
            credentials: { user: { id: claims.sub, roles: claims.roles }, scope: claims.roles },
          });
        } catch (err) {
          if (err instanceof TokenError) throw Boom.unauthorized(err.message, 'Bearer');
          throw err;
        }
      },
    }));
    server.auth.strategy('token', 'bearer');
    server.auth.default('token');
    const service = new AuthService(options.secret, options.limiter ?? new LoginLimiter(), options.ttlSec);
    server.route(authRoutes(service));
  },
};
