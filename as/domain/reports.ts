/**
 * Report arithmetic on plain records, so the figures are unit-tested without a database and computed the
 * same way on MongoDB and on FerretDB (which lacks the aggregation operators this would otherwise need).
 *
 * Conventions (also in docs/as.md):
 * - a contact counts in the interval in which it entered the queue (`queuedAt`);
 * - offered = contacts that entered the queue; abandoned = left before an answer (`abandoned` and no `answeredAt`);
 * - service level = answered within the queue's threshold / offered;
 * - ASA = mean(answeredAt - queuedAt); AHT = mean(endedAt - answeredAt) over answered and ended contacts;
 * - longest wait = max time in queue, until answer or abandon;
 * - per agent, a contact counts in the interval in which it was answered; not-ready time is split exactly
 *   across intervals.
 */
export const INTERVALS = { '15m': 15 * 60_000, '1h': 3_600_000, '1d': 86_400_000 } as const;
export type IntervalName = keyof typeof INTERVALS;
/** Bounds the size of one report (a month of 15-minute rows is 2,976). */
export const MAX_BUCKETS = 3000;

export interface ContactSummary {
  queueId?: string | null;
  agentId?: string | null;
  queuedAt?: Date | null;
  answeredAt?: Date | null;
  endedAt?: Date | null;
  abandoned?: boolean | null;
}

export interface AgentStateEvent {
  agentId: string;
  state: string;
  reason?: string | null;
  at: Date;
}

export interface ReportWindow {
  from: Date;
  to: Date;
  interval: IntervalName;
}

export interface QueueRow {
  queueId: string;
  intervalStart: Date;
  offered: number;
  answered: number;
  abandoned: number;
  abandonRate: number | null;
  answeredWithinThreshold: number;
  serviceLevel: number | null;
  asaSec: number | null;
  ahtSec: number | null;
  longestWaitSec: number | null;
}

export interface AgentRow {
  agentId: string;
  intervalStart: Date;
  handled: number;
  talkTimeSec: number;
  notReadySec: number;
  /**
   * Seconds per not-ready reason. Reasons are names agents chose, so the object has no prototype: a
   * reason named `toString`, `constructor` or `__proto__` is an own key like any other.
   */
  notReadyByReason: Record<string, number>;
}

/** An object for keys that come from input: no inherited property can be read or overwritten through it. */
export function keyedRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

export class ReportRangeError extends Error {}

const round = (value: number, digits: number): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};
const seconds = (ms: number): number => round(ms / 1000, 2);
const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : round(part / whole, 4));
const mean = (values: number[]): number | null =>
  values.length === 0 ? null : seconds(values.reduce((a, b) => a + b, 0) / values.length);

/** Interval starts aligned to UTC multiples of the interval, covering [from, to). */
export function bucketStarts(window: ReportWindow): Date[] {
  const size = INTERVALS[window.interval];
  const fromMs = window.from.getTime();
  const toMs = window.to.getTime();
  if (!(toMs > fromMs)) throw new ReportRangeError('`to` must be after `from`');
  const first = Math.floor(fromMs / size) * size;
  const count = Math.ceil((toMs - first) / size);
  if (count > MAX_BUCKETS) {
    throw new ReportRangeError(
      `the range holds ${count} intervals of ${window.interval}; at most ${MAX_BUCKETS}`,
    );
  }
  return Array.from({ length: count }, (_, i) => new Date(first + i * size));
}

export function bucketOf(at: Date, window: ReportWindow): number | null {
  const ms = at.getTime();
  if (ms < window.from.getTime() || ms >= window.to.getTime()) return null;
  const size = INTERVALS[window.interval];
  const first = Math.floor(window.from.getTime() / size) * size;
  return Math.floor((ms - first) / size);
}

export function queueReport(
  contacts: readonly ContactSummary[],
  window: ReportWindow,
  thresholdSecByQueue: ReadonlyMap<string, number>,
): QueueRow[] {
  const starts = bucketStarts(window);
  const rows: QueueRow[] = [];
  for (const [queueId, thresholdSec] of thresholdSecByQueue) {
    const byBucket = starts.map(() => [] as ContactSummary[]);
    for (const c of contacts) {
      if (c.queueId !== queueId || !c.queuedAt) continue;
      const b = bucketOf(c.queuedAt, window);
      if (b !== null) byBucket[b]?.push(c);
    }
    starts.forEach((intervalStart, b) => {
      rows.push(queueFigures(queueId, intervalStart, byBucket[b] ?? [], thresholdSec));
    });
  }
  return rows;
}

function queueFigures(
  queueId: string,
  intervalStart: Date,
  contacts: ContactSummary[],
  thresholdSec: number,
): QueueRow {
  return { queueId, intervalStart, ...contactFigures(contacts, () => thresholdSec) };
}

/** A queue row's figures without its key. */
export type QueueFigures = Omit<QueueRow, 'queueId' | 'intervalStart'>;

/**
 * The figures of any set of queued contacts; each contact is held to its own queue's threshold, so
 * contacts of several queues add up exactly (report-summary.ts).
 */
export function contactFigures(
  contacts: readonly ContactSummary[],
  thresholdSecOf: (contact: ContactSummary) => number,
): QueueFigures {
  const waits: number[] = [];
  const speeds: number[] = [];
  const handles: number[] = [];
  let answered = 0;
  let abandoned = 0;
  let withinThreshold = 0;
  for (const c of contacts) {
    const queuedMs = (c.queuedAt as Date).getTime();
    if (c.answeredAt) {
      answered += 1;
      const speed = c.answeredAt.getTime() - queuedMs;
      speeds.push(speed);
      waits.push(speed);
      if (speed <= thresholdSecOf(c) * 1000) withinThreshold += 1;
      if (c.endedAt) handles.push(c.endedAt.getTime() - c.answeredAt.getTime());
    } else if (c.abandoned === true) {
      abandoned += 1;
      if (c.endedAt) waits.push(c.endedAt.getTime() - queuedMs);
    }
  }
  return {
    offered: contacts.length,
    answered,
    abandoned,
    abandonRate: ratio(abandoned, contacts.length),
    answeredWithinThreshold: withinThreshold,
    serviceLevel: ratio(withinThreshold, contacts.length),
    asaSec: mean(speeds),
    ahtSec: mean(handles),
    longestWaitSec: waits.length === 0 ? null : seconds(Math.max(...waits)),
  };
}

export function isNotReadyState(state: string): boolean {
  return /^not[-_ ]?ready$/i.test(state);
}

/**
 * `states` must include, for each agent, its last event before `window.from` (the state it was in when the
 * window opened). `now` ends the agent's current state when the window reaches into the future.
 */
export function agentReport(
  contacts: readonly ContactSummary[],
  states: readonly AgentStateEvent[],
  window: ReportWindow,
  agentIds: readonly string[],
  now: Date,
): AgentRow[] {
  const starts = bucketStarts(window);
  const size = INTERVALS[window.interval];
  const rowsByAgent = new Map<string, AgentRow[]>();
  for (const agentId of agentIds) {
    rowsByAgent.set(
      agentId,
      starts.map((intervalStart) => ({
        agentId,
        intervalStart,
        handled: 0,
        talkTimeSec: 0,
        notReadySec: 0,
        notReadyByReason: keyedRecord<number>(),
      })),
    );
  }
  const talkMs = new Map<AgentRow, number>();
  for (const c of contacts) {
    if (!c.agentId || !c.answeredAt) continue;
    const b = bucketOf(c.answeredAt, window);
    const row = b === null ? undefined : rowsByAgent.get(c.agentId)?.[b];
    if (!row) continue;
    row.handled += 1;
    if (c.endedAt) talkMs.set(row, (talkMs.get(row) ?? 0) + (c.endedAt.getTime() - c.answeredAt.getTime()));
  }
  for (const [row, ms] of talkMs) row.talkTimeSec = seconds(ms);

  const windowEnd = Math.min(window.to.getTime(), now.getTime());
  for (const [agentId, rows] of rowsByAgent) {
    const events = states
      .filter((s) => s.agentId === agentId)
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    const notReadyMs = rows.map(() => new Map<string, number>());
    events.forEach((event, i) => {
      if (!isNotReadyState(event.state)) return;
      const next = events[i + 1];
      const start = Math.max(event.at.getTime(), window.from.getTime());
      const end = Math.min(next ? next.at.getTime() : windowEnd, windowEnd);
      const reason = event.reason ?? 'unspecified';
      // Split the segment at interval boundaries so each interval gets exactly its share.
      for (let t = start; t < end;) {
        const b = bucketOf(new Date(t), window);
        if (b === null) break;
        const bucketEnd = (starts[b] as Date).getTime() + size;
        const until = Math.min(end, bucketEnd);
        const perReason = notReadyMs[b] as Map<string, number>;
        perReason.set(reason, (perReason.get(reason) ?? 0) + (until - t));
        t = until;
      }
    });
    rows.forEach((row, b) => {
      let total = 0;
      for (const [reason, ms] of notReadyMs[b] as Map<string, number>) {
        row.notReadyByReason[reason] = seconds(ms);
        total += ms;
      }
      row.notReadySec = seconds(total);
    });
  }
  return [...rowsByAgent.values()].flat();
}
