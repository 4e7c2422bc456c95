import { type BackoffPolicy, backoffDelay as policyDelay } from '../../../lib/backoff';

/** Clock arithmetic of the desktop: countdowns, time in state, token refresh and reconnect delays. */

/** `m:ss`, or `h:mm:ss` from an hour; negative durations count as zero. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Whole seconds left of the wrap-up (rounded up, so the countdown shows 1 until it ends), never < 0. */
export function wrapUpSecondsLeft(endsAt: number | undefined, now: number): number | undefined {
  if (endsAt === undefined) return undefined;
  return Math.max(0, Math.ceil((endsAt - now) / 1000));
}

/** Time in the current state; a server clock ahead of the browser's never shows a negative time. */
export function timeInState(since: number | undefined, now: number): number {
  return since === undefined ? 0 : Math.max(0, now - since);
}

export const REFRESH_MARGIN_MS = 60_000;
export const REFRESH_RETRY_MS = 5_000;

/**
 * When to ask the AS for a fresh token: after 80% of its remaining life and at least a minute before
 * it expires (a 15 min token after 12 min, a 2 min one after 1 min), at once if less than a minute is
 * left. CTI closes the connection with 4401 at expiry: the margin covers a slow AS and retries.
 */
export function refreshDelay(expiresAt: number, now: number): number {
  const left = expiresAt - now;
  if (left <= 0) return 0;
  return Math.max(0, Math.min(left - REFRESH_MARGIN_MS, Math.floor(left * 0.8)));
}

/** After a failed refresh: retry soon, but never after the token expired. */
export function refreshRetryDelay(expiresAt: number, now: number): number | undefined {
  const left = expiresAt - now;
  if (left <= 0) return undefined;
  return Math.min(REFRESH_RETRY_MS, Math.floor(left / 2));
}

/**
 * The desktop's reconnects follow the project's one backoff policy (lib/backoff.ts) with its own
 * figures: hundreds of tabs lose CTI together, so they start later and spread wider than a service.
 */
export const RECONNECT_BACKOFF: BackoffPolicy = { initialMs: 500, factor: 1.7, maxMs: 15_000, jitter: 0.2 };

/** Delay before reconnect attempt `attempt` (0 = first); `random` in [0, 1). */
export function backoffDelay(attempt: number, random: number, o: BackoffPolicy = RECONNECT_BACKOFF): number {
  return policyDelay(attempt, random, o);
}
