import { highestClean, type Mode, type RunResult } from './full-path-results';

/**
 * Issue 15's targets, computed from a run's rows: the project failure-free at app_queue's ceiling,
 * whole-system CPU seconds per call at most 1.3x app_queue's and INVITE→first RTP p99 at most 1.5x at
 * every rate both paths pass. Nothing here is typed by hand: every verdict names the rows it read.
 */

export const CPU_RATIO_MAX = 1.3;
export const FIRST_RTP_RATIO_MAX = 1.5;

/** The processes whose CPU both paths pay for the call (the store and the load generator excluded). */
export const SYSTEM_PROCESSES = ['asterisk', 'softacd', 'ivr', 'cti', 'as', 'rabbitmq'] as const;

/** Whole-system CPU seconds per call of one row: its % of a core over the run, times the run, per call. */
export function cpuSecondsPerCall(r: RunResult): number {
  const pct = SYSTEM_PROCESSES.reduce((s, k) => s + (r.cpu[k] ?? 0), 0);
  return (pct / 100) * (r.wallS / r.calls);
}

const clean = (r: RunResult | undefined): r is RunResult => r !== undefined && r.failureFree === r.calls;

export interface StepVerdict {
  rate: number;
  cpuRatio: number;
  /** Undefined when either row has no first-RTP figures (rows measured before they were added). */
  firstRtpRatio: number | undefined;
  ok: boolean;
}

export interface Verdict {
  /** app_queue's highest failure-free rate, and whether a higher step failed (its ceiling was found). */
  ceilingA: number | undefined;
  ceilingFound: boolean;
  highestB: number | undefined;
  /** Rates where both paths were failure-free, with their ratios. */
  steps: StepVerdict[];
  met: boolean;
  reasons: string[];
}

export function verdict(results: RunResult[]): Verdict {
  const by = (mode: Mode, rate: number): RunResult | undefined =>
    results.find((r) => r.mode === mode && r.rate === rate);
  const rates = [...new Set(results.map((r) => r.rate))].sort((x, y) => x - y);
  const ceilingA = highestClean(results, 'a');
  const highestB = highestClean(results, 'b');
  const ceilingFound = rates.some((rate) => {
    const a = by('a', rate);
    return a !== undefined && a.failureFree !== a.calls;
  });
  const reasons: string[] = [];
  if (!ceilingFound)
    reasons.push(`app_queue never failed (up to ${rates.at(-1) ?? '–'} calls/s): its ceiling is not found`);
  if (ceilingA !== undefined && (highestB === undefined || highestB < ceilingA))
    reasons.push(`the project is failure-free to ${highestB ?? 'no'} calls/s, app_queue to ${ceilingA}`);
  const steps: StepVerdict[] = [];
  for (const rate of rates) {
    const a = by('a', rate);
    const b = by('b', rate);
    if (!clean(a) || !clean(b)) continue;
    const cpuRatio = cpuSecondsPerCall(b) / cpuSecondsPerCall(a);
    const firstRtpRatio =
      a.firstRtp !== undefined && b.firstRtp !== undefined && a.firstRtp.p99 > 0
        ? b.firstRtp.p99 / a.firstRtp.p99
        : undefined;
    const ok =
      cpuRatio <= CPU_RATIO_MAX && firstRtpRatio !== undefined && firstRtpRatio <= FIRST_RTP_RATIO_MAX;
    if (cpuRatio > CPU_RATIO_MAX)
      reasons.push(`at ${rate} calls/s CPU per call is ${cpuRatio.toFixed(2)}x app_queue's`);
    if (firstRtpRatio === undefined) reasons.push(`at ${rate} calls/s INVITE→first RTP was not measured`);
    else if (firstRtpRatio > FIRST_RTP_RATIO_MAX)
      reasons.push(`at ${rate} calls/s INVITE→first RTP p99 is ${firstRtpRatio.toFixed(2)}x app_queue's`);
    steps.push({ rate, cpuRatio, firstRtpRatio, ok });
  }
  return { ceilingA, ceilingFound, highestB, steps, met: reasons.length === 0, reasons };
}
