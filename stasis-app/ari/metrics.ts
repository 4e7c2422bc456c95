import { Counter, Gauge, Histogram, register } from 'prom-client';

export const ARI_METRICS = {
  latency: 'ipcc_ari_request_duration_seconds',
  errors: 'ipcc_ari_request_errors_total',
  websocket: 'ipcc_ari_websocket_connected',
} as const;

export const ariLatency = new Histogram({
  name: ARI_METRICS.latency,
  help: 'ARI REST requests, by method and path template (ids replaced by :id), answered or not',
  labelNames: ['method', 'path'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [register],
});

export const ariErrors = new Counter({
  name: ARI_METRICS.errors,
  help: 'ARI REST requests that failed, by method, path template and status (network: no answer)',
  labelNames: ['method', 'path', 'status'],
  registers: [register],
});

export const ariWebSocket = new Gauge({
  name: ARI_METRICS.websocket,
  help: "Whether the Stasis app's ARI WebSocket is connected (1) or not (0)",
  registers: [register],
});

/** A path segment that is a resource or an operation name (`channels`, `addChannel`, `PJSIP`). */
const WORD = /^[A-Za-z_]{1,32}$/;

/**
 * The path with every id replaced, so a label has as many values as ARI has operations: channel ids,
 * bridge ids, playback ids and endpoint resources carry digits, dots or dashes; operation names do not.
 */
export function pathTemplate(path: string): string {
  return path
    .replace(/^\/+/, '')
    .split('/')
    .map((segment) => (WORD.test(segment) ? segment : ':id'))
    .join('/');
}
