/**
 * The reports page's data as the AS sends it (as/plugins/reports) and the shapes its tables, charts and
 * downloads need. Pure: no DOM, no chart library, no fetch.
 */
import { formatDuration } from './timing';

export const REPORT_INTERVALS = ['15m', '1h', '1d'] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

export interface Figures {
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

/** GET /api/v1/reports/queues/summary */
export interface QueueSummary {
  queues: string[];
  intervals: (Figures & { intervalStart: string })[];
  total: Figures;
  byQueue: (Figures & { queueId: string })[];
  /** Per channel: `voice` (calls), `email`, `sms`, `fax`. Absent from an AS before it had channels. */
  byChannel?: (Figures & { channel: string })[];
}

/** One row of GET /api/v1/reports/agents */
export interface AgentRow {
  agentId: string;
  login?: string;
  intervalStart: string;
  handled: number;
  talkTimeSec: number;
  notReadySec: number;
  notReadyByReason: Record<string, number>;
}

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export type RangeProblem = 'bad-date' | 'to-before-from';

/**
 * The report window of a date range picked as whole days in UTC (the AS aligns intervals to UTC):
 * from `from` 00:00 to the end of `to`.
 */
export function rangeWindow(fromDay: string, toDay: string): { from: Date; to: Date } | RangeProblem {
  if (!DATE.test(fromDay) || !DATE.test(toDay)) return 'bad-date';
  const from = new Date(`${fromDay}T00:00:00Z`);
  const lastDay = new Date(`${toDay}T00:00:00Z`);
  if (Number.isNaN(from.getTime()) || Number.isNaN(lastDay.getTime())) return 'bad-date';
  if (lastDay < from) return 'to-before-from';
  return { from, to: new Date(lastDay.getTime() + DAY_MS) };
}

/** Today in UTC as YYYY-MM-DD. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** A ratio as a percentage with one decimal (0.4286 → 42.9). */
export function percent(ratio: number | null): number | null {
  return ratio === null ? null : round(ratio * 100, 1);
}

/** Seconds as m:ss, or h:mm:ss from an hour on, rounded to the second (19.6 s is 0:20). */
export function durationText(sec: number | null): string | null {
  return sec === null ? null : formatDuration(Math.round(sec) * 1000);
}

/** An interval's label in UTC: the day for daily intervals, the time (with the day when the range spans days). */
export function intervalLabel(iso: string, interval: ReportInterval, withDay: boolean): string {
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 16);
  if (interval === '1d') return day;
  return withDay ? `${day.slice(5)} ${time}` : time;
}

/** Whether the intervals start on more than one UTC day. */
export function spansDays(intervals: readonly { intervalStart: string }[]): boolean {
  return new Set(intervals.map((i) => i.intervalStart.slice(0, 10))).size > 1;
}

export interface AgentTotal {
  agentId: string;
  login: string;
  handled: number;
  talkTimeSec: number;
  notReadySec: number;
  /** Seconds per reason; reasons are free names, so a Map (no inherited keys). */
  byReason: Map<string, number>;
}

/** Each agent over the whole range, in the AS's order, and every not-ready reason seen, sorted. */
export function agentTotals(rows: readonly AgentRow[]): { agents: AgentTotal[]; reasons: string[] } {
  const byAgent = new Map<string, AgentTotal>();
  const reasons = new Set<string>();
  for (const row of rows) {
    let total = byAgent.get(row.agentId);
    if (total === undefined) {
      total = {
        agentId: row.agentId,
        login: row.login ?? row.agentId,
        handled: 0,
        talkTimeSec: 0,
        notReadySec: 0,
        byReason: new Map(),
      };
      byAgent.set(row.agentId, total);
    }
    total.handled += row.handled;
    total.talkTimeSec = round(total.talkTimeSec + row.talkTimeSec, 2);
    total.notReadySec = round(total.notReadySec + row.notReadySec, 2);
    for (const [reason, sec] of Object.entries(row.notReadyByReason)) {
      reasons.add(reason);
      total.byReason.set(reason, round((total.byReason.get(reason) ?? 0) + sec, 2));
    }
  }
  return { agents: [...byAgent.values()], reasons: [...reasons].sort() };
}

/** The series the interval charts draw: one value per interval, `null` where there is no figure. */
export function intervalSeries(summary: QueueSummary, interval: ReportInterval) {
  const withDay = spansDays(summary.intervals);
  return {
    labels: summary.intervals.map((i) => intervalLabel(i.intervalStart, interval, withDay)),
    offered: summary.intervals.map((i) => i.offered),
    answered: summary.intervals.map((i) => i.answered),
    abandoned: summary.intervals.map((i) => i.abandoned),
    serviceLevelPct: summary.intervals.map((i) => percent(i.serviceLevel)),
    asaSec: summary.intervals.map((i) => i.asaSec),
    ahtSec: summary.intervals.map((i) => i.ahtSec),
  };
}

/** Minutes per agent: talk time, then not-ready time of each reason (the agent chart's stacks). */
export function agentTimeSeries(agents: readonly AgentTotal[], reasons: readonly string[]) {
  const minutes = (sec: number) => round(sec / 60, 1);
  return {
    labels: agents.map((a) => a.login),
    talkMin: agents.map((a) => minutes(a.talkTimeSec)),
    notReadyMin: reasons.map((reason) => ({
      reason,
      values: agents.map((a) => minutes(a.byReason.get(reason) ?? 0)),
    })),
  };
}

/** Figures as the interval table and its CSV show them: counts, percentages, seconds. */
export function figureCells(f: Figures): (number | null)[] {
  return [
    f.offered,
    f.answered,
    f.abandoned,
    percent(f.abandonRate),
    percent(f.serviceLevel),
    f.asaSec,
    f.ahtSec,
    f.longestWaitSec,
  ];
}

/** The interval table as CSV rows: the interval's start (ISO, UTC), its figures, then the range's total. */
export function intervalCsvRows(summary: QueueSummary, totalLabel: string): (string | number | null)[][] {
  return [
    ...summary.intervals.map((i) => [i.intervalStart, ...figureCells(i)]),
    [totalLabel, ...figureCells(summary.total)],
  ];
}

/** The per-queue table as CSV rows. */
export function queueCsvRows(summary: QueueSummary): (string | number | null)[][] {
  return summary.byQueue.map((q) => [q.queueId, ...figureCells(q)]);
}

/** The per-channel table as CSV rows: the channel's name as the API gives it (voice, email, sms, fax). */
export function channelCsvRows(summary: QueueSummary): (string | number | null)[][] {
  return (summary.byChannel ?? []).map((c) => [c.channel, ...figureCells(c)]);
}

/** The agent table as CSV rows: login, handled, talk and not-ready seconds, then one column per reason. */
export function agentCsvRows(
  agents: readonly AgentTotal[],
  reasons: readonly string[],
): (string | number)[][] {
  return agents.map((a) => [
    a.login,
    a.handled,
    a.talkTimeSec,
    a.notReadySec,
    ...reasons.map((r) => a.byReason.get(r) ?? 0),
  ]);
}

/** A ratio as the page shows it: `42.9%`; `null` when there is no figure. */
export function percentText(ratio: number | null): string | null {
  const p = percent(ratio);
  return p === null ? null : `${p.toFixed(1)}%`;
}
