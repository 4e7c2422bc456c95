import Hapi from '@hapi/hapi';
import type { CountryCode } from 'libphonenumber-js';
import type { Logger } from '../lib/log';
import { toBoom } from './http/errors';
import { refuseNul } from './http/no-nul';
import { NO_STORE, securityHeaders } from './http/security-headers';
import { failAction, validationOptions } from './http/validation';
import { ChangeOutbox } from './outbox/outbox';
import { documentOutboxStore } from './outbox/store';
import { adminPlugin } from './plugins/admin';
import { authPlugin } from './plugins/auth';
import type { LoginLimiter } from './plugins/auth/limiter';
import { customersPlugin } from './plugins/customers';
import { interactionsPlugin } from './plugins/interactions';
import { ivrDataPlugin } from './plugins/ivr-d';
import { openapiPlugin } from './plugins/openapi';
import { reportsPlugin } from './plugins/reports';

export interface ServerDeps {
  log: Logger;
  tokenSecret: string;
  host?: string;
  port?: number;
  /** Country assumed for numbers written without an international prefix. */
  defaultCountry?: CountryCode;
  loginLimiter?: LoginLimiter;
  tokenTtlSec?: number;
  /** How long the AS trusts an account read when checking a token (as/domain/account-access.ts). */
  accountCacheMs?: number;
  now?: () => Date;
  maxPayloadBytes?: number;
  version?: string;
  /**
   * The outbox of directory changes (as/outbox/). Without one, changes are recorded in the outbox and
   * left pending (tests through `server.inject()` that have no bus).
   */
  changes?: ChangeOutbox;
}

/**
 * The composition root: builds the hapi server and registers one plugin per feature. No socket is opened
 * here; `main.ts` starts it and tests use `server.inject()`.
 */
export async function createServer(deps: ServerDeps): Promise<Hapi.Server> {
  const server = Hapi.server({
    host: deps.host ?? '127.0.0.1',
    port: deps.port ?? 8090,
    router: { stripTrailingSlash: true },
    routes: {
      validate: { failAction, options: validationOptions },
      payload: { maxBytes: deps.maxPayloadBytes ?? 64 * 1024, allow: ['application/json'] },
      security: { noSniff: true, xframe: 'deny', referrer: 'no-referrer', hsts: false },
      cache: NO_STORE,
    },
  });

  server.ext('onRequest', securityHeaders);

  server.ext('onPostAuth', refuseNul);

  server.ext('onPreResponse', (request, h) => {
    const response = request.response;
    if (!('isBoom' in response) || !response.isBoom) return h.continue;
    // hapi turns a thrown error into a Boom in place, so the original class is still visible here.
    const mapped = response.output.statusCode === 500 ? toBoom(response) : null;
    if (mapped) return mapped;
    if (response.output.statusCode >= 500) {
      deps.log.error('request failed', {
        method: request.method,
        path: request.path,
        requestId: request.info.id,
        err: response.message,
        stack: response.stack,
      });
    }
    return h.continue;
  });

  const country = deps.defaultCountry ?? 'FR';
  await server.register([
    {
      plugin: authPlugin,
      options: {
        secret: deps.tokenSecret,
        limiter: deps.loginLimiter,
        ttlSec: deps.tokenTtlSec,
        accountCacheMs: deps.accountCacheMs,
      },
    },
    { plugin: customersPlugin, options: { defaultCountry: country } },
    { plugin: interactionsPlugin },
    { plugin: reportsPlugin, options: { now: deps.now ?? (() => new Date()) } },
    {
      plugin: adminPlugin,
      options: { changes: deps.changes ?? new ChangeOutbox(documentOutboxStore, deps.log, undefined) },
    },
    { plugin: ivrDataPlugin, options: { defaultCountry: country } },
    { plugin: openapiPlugin, options: { version: deps.version ?? '0.1.0' } },
  ]);
  return server;
}
