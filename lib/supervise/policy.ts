import { backoffDelay as policyDelay } from '../backoff';

/**
 * The supervisor's restart policy as a transition table (state × event → next state and action), in
 * plain TS so it is tested without processes. A child that exits without being asked to is restarted
 * after a delay that doubles with each consecutive crash up to a cap (a crash loop costs little CPU and
 * does not flood the logs); a child that ran for `stableMs` before it died starts the count again.
 * Any exit counts, 0 included: a service that leaves on its own (a failed start) is to be restarted.
 */
export interface BackoffSettings {
  /** The first restart's delay. */
  baseMs: number;
  /** The longest delay between restarts. */
  maxMs: number;
  /** A child that ran this long before exiting was stable: the next delay is `baseMs` again. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 1_000, maxMs: 60_000, stableMs: 60_000 };

export type State = 'running' | 'backoff' | 'stopping' | 'stopped';

export type Event =
  /** The child exited; `ranMs` is how long it had run. */
  | { type: 'exit'; ranMs: number }
  /** The backoff delay elapsed. */
  | { type: 'timer' }
  /** SIGTERM or SIGINT reached the supervisor. */
  | { type: 'signal' };

export type Action =
  | { type: 'schedule-restart'; delayMs: number }
  | { type: 'spawn' }
  | { type: 'forward-signal' }
  | { type: 'cancel-restart-and-exit' }
  | { type: 'exit' }
  /** A second stop signal while the child is stopping: the child already has one (a second SIGTERM
   * would kill a service whose handler is `process.once` before it finished closing). */
  | { type: 'ignore' };

export interface Snapshot {
  state: State;
  /** Consecutive crashes without a stable run between them. */
  crashes: number;
  /** Restarts so far (the child's IPCC_RESTARTS). */
  restarts: number;
}

export type Step = { ok: true; next: Snapshot; action: Action } | { ok: false; error: string };

/**
 * The delay before the restart that follows the `crashes`-th consecutive crash (1-based): the project's
 * backoff (lib/backoff.ts), doubling and without jitter, so an operator can tell when the next start is.
 */
export function backoffDelay(crashes: number, s: BackoffSettings): number {
  return policyDelay(crashes - 1, 0, { initialMs: s.baseMs, factor: 2, maxMs: s.maxMs, jitter: 0 });
}

type Rule = (at: Snapshot, event: Event, s: BackoffSettings) => { next: Snapshot; action: Action };

/** The table: a state's missing event is not allowed there (the adapter logs it as an error). */
const TABLE: Record<State, Partial<Record<Event['type'], Rule>>> = {
  running: {
    exit: (at, event, s) => {
      const ranMs = event.type === 'exit' ? event.ranMs : 0;
      const crashes = ranMs >= s.stableMs ? 1 : at.crashes + 1;
      return {
        next: { ...at, state: 'backoff', crashes },
        action: { type: 'schedule-restart', delayMs: backoffDelay(crashes, s) },
      };
    },
    signal: (at) => ({ next: { ...at, state: 'stopping' }, action: { type: 'forward-signal' } }),
  },
  backoff: {
    timer: (at) => ({
      next: { ...at, state: 'running', restarts: at.restarts + 1 },
      action: { type: 'spawn' },
    }),
    signal: (at) => ({ next: { ...at, state: 'stopped' }, action: { type: 'cancel-restart-and-exit' } }),
  },
  stopping: {
    exit: (at) => ({ next: { ...at, state: 'stopped' }, action: { type: 'exit' } }),
    signal: (at) => ({ next: at, action: { type: 'ignore' } }),
  },
  stopped: {},
};

export const INITIAL: Snapshot = { state: 'running', crashes: 0, restarts: 0 };

export function step(at: Snapshot, event: Event, s: BackoffSettings = DEFAULT_BACKOFF): Step {
  const rule = TABLE[at.state][event.type];
  if (rule === undefined) return { ok: false, error: `${event.type} is not expected while ${at.state}` };
  return { ok: true, ...rule(at, event, s) };
}
