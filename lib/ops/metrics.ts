import { Gauge, Registry, collectDefaultMetrics, register } from 'prom-client';
import type { Readiness } from './readiness';

/** The names this module registers (the dashboard test checks its queries against them). */
export const PROCESS_METRICS = {
  restarts: 'ipcc_process_restarts',
  dependencyUp: 'ipcc_dependency_up',
} as const;

/**
 * The process's registry: prom-client's global one, where the adapters' module-level metrics (bus,
 * ARI, store) already sit. Adds Node's default metrics, the supervisor's restart count and each
 * readiness check as a 0/1 gauge; every series carries `service`, so one dashboard serves all four.
 */
export function processMetrics(
  service: string,
  readiness: Readiness,
  options: { registry?: Registry; restarts?: string } = {},
): Registry {
  const registry = options.registry ?? register;
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const restarts = new Gauge({
    name: PROCESS_METRICS.restarts,
    help: 'Restarts of this service by its supervisor before this process (IPCC_RESTARTS)',
    registers: [registry],
  });
  restarts.set(restartCount(options.restarts ?? process.env.IPCC_RESTARTS));
  new Gauge({
    name: PROCESS_METRICS.dependencyUp,
    help: 'Whether each dependency of /health/ready is up (1) or down (0)',
    labelNames: ['dependency'],
    registers: [registry],
    async collect() {
      const { checks } = await readiness.report();
      for (const [dependency, state] of Object.entries(checks))
        this.set({ dependency }, state === 'up' ? 1 : 0);
    },
  });
  return registry;
}

/** IPCC_RESTARTS as the supervisor passes it; anything else (unset, garbled) is no restart. */
export function restartCount(raw: string | undefined): number {
  const n = Number(raw);
  return raw !== undefined && raw !== '' && Number.isInteger(n) && n >= 0 ? n : 0;
}
