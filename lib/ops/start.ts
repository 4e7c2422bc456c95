import { env, envInt } from '../config';
import type { Logger } from '../log';
import { processMetrics } from './metrics';
import type { Readiness } from './readiness';
import { type OpsServer, startOpsServer } from './server';

export type OpsService = 'cti' | 'softacd' | 'ivr' | 'as' | 'isag';

/** Each process's ops port: its variable and default (docs/operations/health-metrics.md). */
export const OPS_PORTS: Readonly<Record<OpsService, { variable: string; port: number }>> = {
  cti: { variable: 'CTI_OPS_PORT', port: 9461 },
  softacd: { variable: 'SOFTACD_OPS_PORT', port: 9462 },
  ivr: { variable: 'IVR_OPS_PORT', port: 9463 },
  as: { variable: 'AS_OPS_PORT', port: 9464 },
  isag: { variable: 'ISAG_OPS_PORT', port: 9465 },
};

/**
 * Opens one service's ops listener from the environment: OPS_HOST (loopback by default), its own
 * port, METRICS_TOKEN for /metrics. Called early in main, so liveness answers while the process
 * still waits for its dependencies and readiness names the one it waits for.
 */
export function startOps(service: OpsService, readiness: Readiness, log: Logger): Promise<OpsServer> {
  const { variable, port } = OPS_PORTS[service];
  const token = process.env.METRICS_TOKEN;
  return startOpsServer({
    host: env('OPS_HOST', '127.0.0.1'),
    port: envInt(variable, port),
    readiness,
    registry: processMetrics(service, readiness),
    metricsToken: token === undefined || token === '' ? undefined : token,
    log,
  });
}
