import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { type Logger, errorText } from '../log';
import type { Readiness } from './readiness';

export interface OpsServerOptions {
  host: string;
  port: number;
  readiness: Readiness;
  registry: Registry;
  /** The bearer token /metrics asks for; without one every scrape is refused. */
  metricsToken: string | undefined;
  log: Logger;
}

export interface OpsServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The process's own operations listener, apart from its service port so probes and scrapes never queue
 * behind traffic: `/health/live` (the event loop runs), `/health/ready` (each dependency by name, 503
 * while one is down), `/metrics` (Prometheus text, bearer token). Health needs no token: it says nothing
 * beyond which dependency is missing.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const { readiness, registry, log } = options;
  const expected = options.metricsToken === undefined ? undefined : digest(options.metricsToken);
  if (expected === undefined) log.warn('METRICS_TOKEN not set: /metrics refuses every request');

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'method not allowed\n');
    if (path === '/health/live') return sendJson(res, 200, { status: 'live' });
    if (path === '/health/ready') {
      readiness.report().then(
        (r) =>
          sendJson(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not-ready', checks: r.checks }),
        (err: unknown) => {
          log.error('readiness report failed', { error: errorText(err) });
          sendJson(res, 500, { status: 'error' });
        },
      );
      return;
    }
    if (path === '/metrics') {
      if (!authorized(req.headers.authorization, expected)) {
        res.setHeader('www-authenticate', 'Bearer realm="metrics"');
        return send(res, 401, 'text/plain', 'bearer token required\n');
      }
      registry.metrics().then(
        (text) => send(res, 200, registry.contentType, text),
        (err: unknown) => {
          log.error('metrics collection failed', { error: errorText(err) });
          send(res, 500, 'text/plain', 'metrics collection failed\n');
        },
      );
      return;
    }
    send(res, 404, 'text/plain', 'not found\n');
  });
  // Probes and scrapes are short: an idle or slow client must not hold a socket open.
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log.error('ops listener error', { error: errorText(err) }));
  const address = server.address() as AddressInfo;
  const url = `http://${options.host}:${address.port}`;
  log.info('ops endpoints listening', { url });
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

/** Hashes first, so the comparison takes the same time whatever the length of what was sent. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function authorized(header: string | undefined, expected: Buffer | undefined): boolean {
  if (expected === undefined || header === undefined) return false;
  const match = /^Bearer (.+)$/i.exec(header.trim());
  if (match === null) return false;
  return timingSafeEqual(digest(match[1] ?? ''), expected);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json', JSON.stringify(body));
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
