import Boom from '@hapi/boom';
import type { Plugin, Request, ResponseToolkit } from '@hapi/hapi';
import { TokenError, verifyToken } from '../../../lib/auth-token';
import { AccountGuard, REFUSAL_TEXT } from '../../domain/account-access';
import { accountReader } from '../../models';
import { LoginLimiter } from './limiter';
import { authRoutes } from './routes';
import { AuthService } from './service';

export interface AuthOptions {
  secret: string;
  limiter?: LoginLimiter;
  ttlSec?: number;
  /** How long an account read is trusted (as/domain/account-access.ts); 0 reads the store every request. */
  accountCacheMs?: number;
}

declare module '@hapi/hapi' {
  interface PluginProperties {
    /** The account check, so a plugin that changes an account (admin) makes it take effect at once. */
    'ipcc-auth': { accounts: AccountGuard };
  }
}

/**
 * Bearer-token scheme. The token's roles become hapi scopes, so a route's role rule is declared as
 * `auth.access.scope` and enforced (403) by hapi before the handler runs. Every request also checks the
 * token's account (exists, active, roles, token version), so a logout or an administrator's change
 * revokes tokens within the account cache's few seconds (at once in this process).
 */
export const authPlugin: Plugin<AuthOptions> = {
  name: 'ipcc-auth',
  register(server, options) {
    const accounts = new AccountGuard(accountReader, { cacheMs: options.accountCacheMs });
    server.expose('accounts', accounts);
    server.auth.scheme('bearer', () => ({
      async authenticate(request: Request, h: ResponseToolkit) {
        const header = request.headers.authorization;
        const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._-]+)$/.exec(header) : null;
        if (!match) throw Boom.unauthorized('missing bearer token', 'Bearer');
        let claims;
        try {
          claims = verifyToken(match[1] as string, options.secret);
        } catch (err) {
          if (err instanceof TokenError) throw Boom.unauthorized(err.message, 'Bearer');
          throw err;
        }
        // The IVR's service token (role ivr, no account) passes `check` untouched: see refusal().
        const refused = await accounts.check(claims);
        if (refused !== null) throw Boom.unauthorized(REFUSAL_TEXT[refused], 'Bearer');
        return h.authenticated({
          credentials: { user: { id: claims.sub, roles: claims.roles }, scope: claims.roles },
        });
      },
    }));
    server.auth.strategy('token', 'bearer');
    server.auth.default('token');
    const service = new AuthService(
      options.secret,
      options.limiter ?? new LoginLimiter(),
      accounts,
      options.ttlSec,
    );
    server.route(authRoutes(service));
  },
};
