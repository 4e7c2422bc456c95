import Hapi from '@hapi/hapi';
import type { CountryCode } from 'libphonenumber-js';
import type { Logger } from '../lib/log';
import { tlsFromEnv, type TlsPair } from '../lib/tls-files';
import { toBoom } from './http/errors';
import { refuseNul } from './http/no-nul';
import { NO_STORE, pagePolicy, securityHeaders } from './http/security-headers';
import { failAction, validationOptions } from './http/validation';
import { ChangeOutbox } from './outbox/outbox';
import { CommandOutbox } from './outbox/commands';
import { documentCommandStore } from './outbox/command-store';
import { documentOutboxStore } from './outbox/store';
import { adminPlugin } from './plugins/admin';
import type { TestCallPorts } from './plugins/admin/flows/test-calls';
import { authPlugin } from './plugins/auth';
import type { LoginLimiter } from './plugins/auth/limiter';
import { customersPlugin } from './plugins/customers';
import { desktopPlugin } from './plugins/desktop';
import type { SipPasswordOf } from './plugins/desktop/service';
import { guestPlugin } from './plugins/guest';
import type { GuestLimiter } from './plugins/guest/limiter';
import { interactionsPlugin } from './plugins/interactions';
import { ivrDataPlugin } from './plugins/ivr-d';
import { messagesPlugin } from './plugins/messages';
import { openapiPlugin } from './plugins/openapi';
import { pagesPlugin } from './plugins/pages';
import { reportsPlugin } from './plugins/reports';
import { desktopSettingsFrom, type DesktopSettings } from './settings';
// The one derivation of agents' SIP passwords, shared with what writes Asterisk's configuration.
import { sipPassword } from '../stasis-app/provisioning/agent-endpoints';

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
  /** The outbox of commands (agents' replies to ISAG). Without one, commands are left pending. */
  commands?: CommandOutbox;
  /**
   * Where the agent desktop and the web call page find CTI and Asterisk, the SIP and guest secrets, the
   * public numbers and the UI build (as/settings.ts). Default: from this process's environment.
   */
  desktop?: DesktopSettings;
  guestLimiter?: GuestLimiter;
  sipPassword?: SipPasswordOf;
  /**
   * HTTPS with this certificate and key (lib/tls-files.ts); null: plain HTTP. Default: AS_TLS_CERT and
   * AS_TLS_KEY from this process's environment, plain HTTP when they are not set.
   */
  tls?: TlsPair | null;
  /** The flow editor's test calls reach SoftACD through this (as/main.ts: the bus); absent: 503. */
  testCalls?: TestCallPorts;
}

/**
 * The composition root: builds the hapi server and registers one plugin per feature. No socket is opened
 * here; `main.ts` starts it and tests use `server.inject()`.
 */
export async function createServer(deps: ServerDeps): Promise<Hapi.Server> {
  // A browser on another host gets the camera and microphone only in a secure context: HTTPS.
  const tls = deps.tls === undefined ? tlsFromEnv('AS') : (deps.tls ?? undefined);
  const server = Hapi.server({
    host: deps.host ?? '127.0.0.1',
    port: deps.port ?? 8090,
    ...(tls === undefined ? {} : { tls: { cert: tls.cert, key: tls.key } }),
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
  const desktop = deps.desktop ?? desktopSettingsFrom(process.env);
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
    { plugin: customersPlugin, options: { defaultCountry: country, log: deps.log } },
    { plugin: interactionsPlugin, options: { log: deps.log } },
    {
      plugin: messagesPlugin,
      options: {
        commands:
          deps.commands ??
          new CommandOutbox(documentCommandStore, deps.log, undefined, { service: 'as', instance: 'as' }),
      },
    },
    { plugin: reportsPlugin, options: { now: deps.now ?? (() => new Date()) } },
    {
      plugin: adminPlugin,
      options: {
        changes: deps.changes ?? new ChangeOutbox(documentOutboxStore, deps.log, undefined),
        testCalls: deps.testCalls,
      },
    },
    { plugin: ivrDataPlugin, options: { defaultCountry: country } },
    {
      plugin: desktopPlugin,
      options: { settings: desktop, sipPassword: deps.sipPassword ?? sipPassword },
    },
    { plugin: guestPlugin, options: { settings: desktop, limiter: deps.guestLimiter } },
    { plugin: openapiPlugin, options: { version: deps.version ?? '0.1.0' } },
    // After the OpenAPI plugin: both register inert, and the pages' registration is the one marked `once`.
    {
      plugin: pagesPlugin,
      options: { dir: desktop.pagesDir, policy: pagePolicy([desktop.ctiUrl, desktop.sipWsUrl]) },
    },
  ]);
  return server;
}
