import http from 'node:http';
import type { AriSettings } from './connection';
import { ariErrors, ariLatency, pathTemplate } from './metrics';

/** An ARI request Asterisk answered with an error status (404: the resource is gone; see gone.ts). */
export class AriError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    reason: string,
  ) {
    super(`ARI ${method} ${path}: ${status} ${reason}`);
    this.name = 'AriError';
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

/** ARI's REST side: JSON in and out, over kept-alive connections. */
export interface AriRest {
  get<T>(path: string, query?: Query): Promise<T>;
  post<T = unknown>(path: string, query?: Query, body?: unknown): Promise<T>;
  put<T = unknown>(path: string, query?: Query, body?: unknown): Promise<T>;
  delete(path: string, query?: Query): Promise<void>;
}

export interface AriRestOptions {
  /** Asterisk's HTTP server holds a thread per connection: this bounds them (http.conf's sessionlimit
   * must stay above the sum over all apps). */
  maxSockets?: number;
  /** A request without an answer this long fails (and its socket is dropped); none unless given. */
  timeoutMs?: number;
}

/**
 * The project's one ARI REST client (SoftACD, the IVR, ISAG), straight over HTTP with a keep-alive
 * agent. ari-client built every request through swagger-client and shred: half of SoftACD's and the
 * IVR's CPU in the full-path bench (bench/README.md); its connect alone read the API description
 * (bench/results/ari-clients.md). Events come over event-socket.ts.
 */
export function ariRest(settings: AriSettings, o: AriRestOptions = {}): AriRest {
  const base = new URL(settings.url.replace(/\/+$/, '') + '/ari/');
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.maxSockets ?? 32 });
  const authorization = 'Basic ' + Buffer.from(`${settings.user}:${settings.password}`).toString('base64');

  // Every request is timed and every failure counted, by operation (metrics.ts); a 404 from a call that
  // just hung up counts too: a rise of it is worth seeing.
  const request = <T>(method: string, path: string, query?: Query, body?: unknown): Promise<T> => {
    const labels = { method, path: pathTemplate(path) };
    const done = ariLatency.startTimer(labels);
    return send<T>(method, path, query, body).then(
      (value) => {
        done();
        return value;
      },
      (err: unknown) => {
        done();
        ariErrors.inc({ ...labels, status: err instanceof AriError ? String(err.status) : 'network' });
        throw err;
      },
    );
  };

  const send = <T>(method: string, path: string, query?: Query, body?: unknown): Promise<T> => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) search.set(k, String(v));
    const target = `${base.pathname}${path.replace(/^\//, '')}${search.size > 0 ? `?${search}` : ''}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method,
          path: target,
          headers: {
            authorization,
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status >= 400) {
              reject(new AriError(status, method, path, reasonOf(text, res.statusMessage)));
              return;
            }
            try {
              resolve((text === '' ? undefined : JSON.parse(text)) as T);
            } catch (err) {
              reject(new Error(`ARI ${method} ${path}: unreadable answer: ${(err as Error).message}`));
            }
          });
        },
      );
      req.on('error', reject);
      if (o.timeoutMs !== undefined)
        req.setTimeout(o.timeoutMs, () =>
          req.destroy(new Error(`ARI ${method} ${path}: no answer in ${o.timeoutMs} ms`)),
        );
      req.end(payload);
    });
  };

  return {
    get: (path, query) => request('GET', path, query),
    post: (path, query, body) => request('POST', path, query, body),
    put: (path, query, body) => request('PUT', path, query, body),
    delete: async (path, query) => {
      await request('DELETE', path, query);
    },
  };
}

/** ARI explains an error in `{"message": ...}`; anything else is shown as it came. */
function reasonOf(text: string, statusMessage: string | undefined): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: the raw text below
  }
  return text.slice(0, 200) || (statusMessage ?? '');
}

/** An id as one path segment. */
export const seg = (id: string): string => encodeURIComponent(id);
