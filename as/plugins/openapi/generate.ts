import winston from 'winston';
import { createServer } from '../../server';

/**
 * The OpenAPI document exactly as the AS serves it at /openapi.json, built in-process from a server that
 * never listens and never touches the store: the lint (spec/unit/as/openapi-lint.spec.ts) and
 * `scripts/openapi.ts` need no running service.
 */
export async function generateOpenapi(): Promise<Record<string, unknown>> {
  const server = await createServer({
    log: winston.createLogger({ silent: true }),
    tokenSecret: 'openapi-generation-only-not-a-secret',
    // Never listens: no certificate needed, whatever AS_TLS_CERT says.
    tls: null,
    desktop: {
      ctiUrl: 'ws://127.0.0.1:8091',
      sipWsUrl: 'ws://127.0.0.1:8088/ws',
      sipHost: '127.0.0.1',
      publicNumbers: [],
      pagesDir: '/nonexistent',
    },
  });
  const res = await server.inject({ method: 'GET', url: '/openapi.json' });
  if (res.statusCode !== 200) throw new Error(`/openapi.json answered ${res.statusCode}`);
  return JSON.parse(res.payload) as Record<string, unknown>;
}
