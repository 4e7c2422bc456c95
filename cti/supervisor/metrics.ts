import { Gauge, type Registry } from 'prom-client';

export const SUPERVISOR_METRICS = {
  connections: 'ipcc_cti_supervisor_connections',
  followed: 'ipcc_cti_wallboard_followed_contacts',
} as const;

/**
 * The supervisor side's registries, read at scrape time: open supervisor sockets, and the contacts
 * today's figures follow until they end (it must stay near the number of contacts CTI holds).
 */
export function supervisorGauges(
  registry: Registry,
  source: { connections: () => number; followed: () => number },
): void {
  new Gauge({
    name: SUPERVISOR_METRICS.connections,
    help: 'Open supervisor sockets (authenticated)',
    registers: [registry],
    collect() {
      this.set(source.connections());
    },
  });
  new Gauge({
    name: SUPERVISOR_METRICS.followed,
    help: "Contacts today's wallboard figures follow until they end",
    registers: [registry],
    collect() {
      this.set(source.followed());
    },
  });
}
