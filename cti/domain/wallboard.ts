import type { AgentSnapshot, ContactSnapshot, QueueSnapshot } from './snapshot';
import type { AgentConfig, AgentState, Channel, QueueConfig } from './types';
import { ZERO, type DailyStats } from './wallboard-stats';

/**
 * The supervisor's wallboard as plain data, computed from CTI's in-memory state (the domain's snapshot)
 * and today's figures (wallboard-stats.ts). Times are epoch milliseconds: the page ticks the waits and
 * the times in state from them.
 */
export interface WaitingContact {
  id: string;
  enqueuedAt: number;
  callback: boolean;
  /** Served before the contacts that were not raised (a supervisor raised it, or it missed an offer). */
  raised: boolean;
  callingNumber?: string;
}

export interface WallboardQueue {
  id: string;
  /** `voice` (calls, video too) or a task channel: a task queue's service level is counted in hours. */
  channel: Channel;
  waiting: number;
  /** When the longest-waiting contact entered; null when nobody waits. */
  oldestEnqueuedAt: number | null;
  ready: number;
  busy: number;
  notReady: number;
  wrapUp: number;
  offered: number;
  answered: number;
  abandoned: number;
  answeredInThreshold: number;
  /** 0..1, null while nothing was offered today. */
  serviceLevel: number | null;
  asaMs: number | null;
  serviceLevelSec: number;
  /** The waiting contacts in service order. */
  contacts: WaitingContact[];
}

export interface WallboardAgent {
  id: string;
  login: string;
  name: string;
  state: AgentState;
  reason?: string;
  since: number;
  contactId?: string;
  contactQueue?: string;
  /** The queues it serves (the wallboard's queues it qualifies for). */
  queues: string[];
}

export interface WallboardView {
  day: string;
  queues: WallboardQueue[];
  agents: WallboardAgent[];
}

/** What the view is built from: the domain's snapshot parts and the directory's names and thresholds. */
export interface WallboardInput {
  queues: readonly QueueSnapshot[];
  agents: readonly AgentSnapshot[];
  contacts: readonly ContactSnapshot[];
  stats: DailyStats;
  now: number;
  person: (agentId: string) => { login: string; name: string } | undefined;
  serviceLevelSec: (queueId: string) => number;
  callingNumber?: (contactId: string) => string | undefined;
}

export const DEFAULT_SERVICE_LEVEL_SEC = 20;

type Bucket = 'ready' | 'busy' | 'notReady' | 'wrapUp';
const BUCKET: ReadonlyMap<AgentState, Bucket> = new Map<AgentState, Bucket>([
  ['ready', 'ready'],
  ['reserved', 'busy'],
  ['ringing', 'busy'],
  ['talking', 'busy'],
  ['not-ready', 'notReady'],
  ['wrap-up', 'wrapUp'],
]);
const IN_SERVICE = new Set(['offered', 'ringing', 'connected', 'held']);

/**
 * Whether an agent serves a queue: the routing rule (cti/domain/records.ts `qualifies`): it holds every
 * skill the queue requires at the minimum level and takes the queue's channel. A queue without skills
 * is served by every agent that takes its channel.
 */
export function servesQueue(agent: AgentConfig, queue: QueueConfig): boolean {
  if ((agent.maxTasks[queue.channel] ?? 0) <= 0) return false;
  const levels = new Map(Object.entries(agent.skills));
  return queue.skills.every((s) => (levels.get(s.name) ?? 0) >= s.minLevel);
}

/** The calendar day (YYYY-MM-DD) of an instant in `timeZone` (an IANA name; undefined: the process's). */
export function dayInZone(timeZone: string | undefined): (ms: number) => string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return (ms) => {
    const parts = new Map(format.formatToParts(ms).map((p) => [p.type, p.value]));
    return `${parts.get('year')}-${parts.get('month')}-${parts.get('day')}`;
  };
}

export function buildWallboard(input: WallboardInput): WallboardView {
  input.stats.rollover(input.now);
  const queueConfigs = input.queues.map((q) => q.config);
  const inService = new Map<string, ContactSnapshot>();
  const waiting = new Map<string, ContactSnapshot[]>();
  for (const c of input.contacts) {
    if (c.state === 'waiting') {
      const line = waiting.get(c.queueId) ?? [];
      line.push(c);
      waiting.set(c.queueId, line);
    } else if (IN_SERVICE.has(c.state) && c.agentId !== undefined) {
      inService.set(c.agentId, c);
    }
    // A contact offered to an agent by name (transfer, consultation) is that agent's current one too.
    if (c.directAgentId !== undefined && IN_SERVICE.has(c.state)) inService.set(c.directAgentId, c);
  }
  const counts = new Map<string, Record<Bucket, number>>(
    queueConfigs.map((q) => [q.id, { ready: 0, busy: 0, notReady: 0, wrapUp: 0 }]),
  );
  const agents: WallboardAgent[] = [];
  for (const a of input.agents) {
    const serves = queueConfigs.filter((q) => servesQueue(a.config, q)).map((q) => q.id);
    const bucket = BUCKET.get(a.state);
    if (bucket !== undefined) for (const q of serves) (counts.get(q) as Record<Bucket, number>)[bucket] += 1;
    const who = input.person(a.config.id);
    const contact = inService.get(a.config.id);
    agents.push({
      id: a.config.id,
      login: who?.login ?? a.config.id,
      name: who?.name ?? who?.login ?? a.config.id,
      state: a.state,
      ...(a.reason === undefined ? {} : { reason: a.reason }),
      since: a.stateSince,
      ...(contact === undefined ? {} : { contactId: contact.id, contactQueue: contact.queueId }),
      queues: serves,
    });
  }
  agents.sort((x, y) => (x.login < y.login ? -1 : x.login > y.login ? 1 : 0));
  const figuresOf = input.stats.figures(input.now, (q) => input.serviceLevelSec(q) * 1000);
  const queues = queueConfigs.map((q): WallboardQueue => {
    const line = (waiting.get(q.id) ?? []).sort(serviceOrder);
    const figures = figuresOf.get(q.id) ?? { ...ZERO, serviceLevel: null, asaMs: null };
    const bucket = counts.get(q.id) as Record<Bucket, number>;
    return {
      id: q.id,
      channel: q.channel,
      waiting: line.length,
      oldestEnqueuedAt: line.reduce<number | null>(
        (m, c) => (m === null ? c.enqueuedAt : Math.min(m, c.enqueuedAt)),
        null,
      ),
      ...bucket,
      offered: figures.offered,
      answered: figures.answered,
      abandoned: figures.abandoned,
      answeredInThreshold: figures.answeredInThreshold,
      serviceLevel: figures.serviceLevel,
      asaMs: figures.asaMs,
      serviceLevelSec: input.serviceLevelSec(q.id),
      contacts: line.map((c) => {
        const number = input.callingNumber?.(c.id);
        return {
          id: c.id,
          enqueuedAt: c.enqueuedAt,
          callback: c.callback,
          raised: c.returned,
          ...(number === undefined ? {} : { callingNumber: number }),
        };
      }),
    };
  });
  queues.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { day: input.stats.today, queues, agents };
}

/** The waiting line's order (cti/domain/waiting-line.ts): returned first, then by enqueue time. */
function serviceOrder(a: ContactSnapshot, b: ContactSnapshot): number {
  if (a.returned !== b.returned) return a.returned ? -1 : 1;
  return a.enqueuedAt - b.enqueuedAt || a.seq - b.seq;
}
