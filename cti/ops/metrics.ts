import { Gauge, Histogram, type Registry } from 'prom-client';
import { AGENT_STATES, LIVE_CONTACT_STATES, type DomainSnapshot } from '../domain';

export const CTI_METRICS = {
  contacts: 'ipcc_cti_contacts',
  calls: 'ipcc_cti_calls',
  queueDepth: 'ipcc_cti_queue_depth',
  queueLongestWait: 'ipcc_cti_queue_longest_wait_seconds',
  agents: 'ipcc_cti_agents',
  routingDecision: 'ipcc_cti_routing_decision_seconds',
} as const;

/** What CTI's gauges read at scrape time: its own memory, never the store. */
export interface CtiStateSource {
  snapshot(): DomainSnapshot;
  /** Calls CTI knows an owning SoftACD of. */
  calls(): number;
  now(): number;
}

export type DecisionTrigger = 'contact-queued' | 'agent-ready';

/**
 * CTI's domain gauges, computed from its state when Prometheus scrapes (nothing is counted on the call
 * path), and the routing decision histogram. Queue labels are the directory's queue names, agent and
 * contact states the domain's fixed lists: no label takes a value from a caller or an id.
 */
export function ctiMetrics(
  registry: Registry,
  source: CtiStateSource,
): (trigger: DecisionTrigger, seconds: number) => void {
  // One snapshot serves every gauge of a scrape: the gauges collect one after the other, synchronously.
  let cached: { at: number; snapshot: DomainSnapshot } | undefined;
  const snapshot = (): DomainSnapshot => {
    const now = source.now();
    if (cached === undefined || now - cached.at > 100) cached = { at: now, snapshot: source.snapshot() };
    return cached.snapshot;
  };
  new Gauge({
    name: CTI_METRICS.contacts,
    help: 'Contacts in CTI by state (waiting in a queue, offered, ringing, connected, held, scheduled callback)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const counts = countBy(LIVE_CONTACT_STATES, snapshot().contacts, (c) => c.state);
      for (const [state, n] of counts) this.set({ state }, n);
    },
  });
  new Gauge({
    name: CTI_METRICS.calls,
    help: 'Calls CTI follows (each owned by a SoftACD)',
    registers: [registry],
    collect() {
      this.set(source.calls());
    },
  });
  new Gauge({
    name: CTI_METRICS.agents,
    help: 'Agents by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const counts = countBy(AGENT_STATES, snapshot().agents, (a) => a.state);
      for (const [state, n] of counts) this.set({ state }, n);
    },
  });
  new Gauge({
    name: CTI_METRICS.queueDepth,
    help: 'Contacts waiting in each queue',
    labelNames: ['queue'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [queue, line] of waitingLines(snapshot())) this.set({ queue }, line.depth);
    },
  });
  new Gauge({
    name: CTI_METRICS.queueLongestWait,
    help: 'How long the longest-waiting contact of each queue has waited (0: nobody waits)',
    labelNames: ['queue'],
    registers: [registry],
    collect() {
      this.reset();
      const now = source.now();
      for (const [queue, line] of waitingLines(snapshot()))
        this.set({ queue }, line.oldest === undefined ? 0 : Math.max(0, now - line.oldest) / 1000);
    },
  });
  const decisions = new Histogram({
    name: CTI_METRICS.routingDecision,
    help: 'From a contact queued or an agent ready to the offer leaving CTI (state stored, DivertCall sent)',
    labelNames: ['trigger'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return (trigger, seconds) => decisions.observe({ trigger }, seconds);
}

function countBy<S extends string, T>(
  states: readonly S[],
  items: readonly T[],
  stateOf: (t: T) => S,
): Map<S, number> {
  const counts = new Map<S, number>(states.map((s) => [s, 0]));
  for (const item of items) {
    const s = stateOf(item);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return counts;
}

/** Every configured queue (0 when empty) with its waiting contacts' count and earliest arrival. */
function waitingLines(snapshot: DomainSnapshot): Map<string, { depth: number; oldest: number | undefined }> {
  const lines = new Map<string, { depth: number; oldest: number | undefined }>(
    snapshot.queues.map((q) => [q.config.id, { depth: 0, oldest: undefined }]),
  );
  for (const c of snapshot.contacts) {
    if (c.state !== 'waiting') continue;
    const line = lines.get(c.queueId);
    if (line === undefined) continue;
    line.depth += 1;
    line.oldest = line.oldest === undefined ? c.enqueuedAt : Math.min(line.oldest, c.enqueuedAt);
  }
  return lines;
}
