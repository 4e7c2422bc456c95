import type { PerCall } from './support/step-metrics';
import { percentile } from './support/stats';

/** What bench/full-path.ts measures per step, and the figures derived from its rows. */

/** How long the agents' sipp UAS rings before it answers. */
export const RING_MS = 200;

export type Mode = 'a' | 'b';

/** Read or measured when a run sets up, stored with its results: the report types none of them. */
export interface Setup {
  node: string;
  cores: number;
  cpu: string;
  /** The built welcome prompt's length (its µ-law file: 8,000 bytes a second). */
  promptS: number;
  /** Static members written to the app_queue baseline's queues.conf. */
  members: number;
}

export interface Options {
  rates: number[];
  stepS: number;
  holdMs: number;
  agents: number;
  modes: Mode[];
  /** Run the project's processes under --cpu-prof (profiles in $IPCC_RUN/bench/profile-<mode>-<rate>). */
  profile: boolean;
  /** Add to (replace the same rate and mode in) the results already in bench/results/full-path.json. */
  merge: boolean;
  /**
   * Callers that send no RTP (spec/sipp/uac-audio.xml), as the rows before 2026-12-07 were measured: a
   * diagnosis of what the callers' RTP costs. Absent in stored options: talking callers.
   */
  silent?: boolean;
  /** Store the rows in bench/results (default); `--no-store` prints them only. */
  store?: boolean;
}

export interface RunResult {
  mode: Mode;
  rate: number;
  calls: number;
  callerOk: number;
  callerFailed: number;
  /** Calls whose caller reached an agent that answered (a: the agent saw the caller's X-Bench header; b: Established). */
  connected: number;
  failureFree: number;
  invite200: { p50: number; p95: number; p99: number; n: number };
  /** Entering the queue (a: dialplan just before Queue(); b: the IVR's AgentRequest) to the agent phone's INVITE. */
  agentRing: { p50: number; p99: number; n: number };
  /** b only: AgentRequest to SoftACD's CallDelivered(agent) (the agent leg's Ringing state). */
  agentDelivered?: { p50: number; p99: number; n: number };
  /** b only: p50/p99 ms of each hop of the answer path, from the bus messages' own times. */
  hops?: Record<string, { p50: number; p99: number; n: number }>;
  /**
   * The caller's INVITE to the first RTP packet at its media port (the welcome prompt), ms; `invites`
   * calls seen in the capture, `withoutRtp` of them got none, `dropped` packets the capture lost.
   * Absent from rows measured before it was added.
   */
  firstRtp?: {
    p50: number;
    p95: number;
    p99: number;
    n: number;
    invites: number;
    withoutRtp: number;
    dropped: number;
  };
  /** b only: bus messages and ARI requests per call, from the services' own counters. */
  perCall?: PerCall;
  /** % of one core over the caller's whole run, per process group. */
  cpu: Record<string, number>;
  wallS: number;
  loadBefore: [number, number, number];
  loadAfter: [number, number, number];
  command: string;
  /** The benchmark command (and its start time) that produced this row. */
  by?: string;
}

/**
 * Where (b)'s INVITE→200 goes: SoftACD's CallDelivered(acd) → CTI's RouteSelect → SoftACD's RouteEnd (the
 * channel moved to the IVR) → the IVR's CallDelivered(ivr) (sent once it has answered). Each message carries
 * its sender's clock (one machine), so each difference is one hop including the broker.
 */
export function answerHops(messages: Array<Record<string, unknown>>): NonNullable<RunResult['hops']> {
  const first = new Map<string, number>();
  for (const m of messages) {
    const kind = (m.deliveredTo as { kind?: string } | undefined)?.kind;
    const key = m.type === 'CallDelivered' ? `CallDelivered(${String(kind)})` : String(m.type);
    const k = `${String(m.contactId)} ${key}`;
    const at = Date.parse(String(m.at));
    if (!first.has(k) && Number.isFinite(at)) first.set(k, at);
  }
  const contacts = new Set(messages.map((m) => String(m.contactId)));
  const chain = ['CallDelivered(acd)', 'RouteSelect', 'RouteEnd', 'CallDelivered(ivr)'];
  const out: NonNullable<RunResult['hops']> = {};
  for (let i = 0; i + 1 < chain.length; i++) {
    const from = chain[i] as string;
    const to = chain[i + 1] as string;
    const d: number[] = [];
    for (const c of contacts) {
      const a = first.get(`${c} ${from}`);
      const b = first.get(`${c} ${to}`);
      if (a !== undefined && b !== undefined) d.push(b - a);
    }
    out[`${from}→${to}`] = { p50: percentile(d, 0.5), p99: percentile(d, 0.99), n: d.length };
  }
  return out;
}

/** The highest rate whose every call was failure-free (and every lower rate too). */
export function highestClean(results: RunResult[], mode: Mode): number | undefined {
  let best: number | undefined;
  for (const r of results.filter((x) => x.mode === mode).sort((x, y) => x.rate - y.rate)) {
    if (r.failureFree !== r.calls) break;
    best = r.rate;
  }
  return best;
}
