/**
 * The project's one reconnect and retry policy: exponential backoff with a cap and jitter. Every loop
 * that waits for a server to come back takes its delays from here: the bus connection (lib/bus), the
 * ARI WebSocket and the wait for ARI at start (stasis-app/ari, ISAG), the document store retries
 * (lib/transient.ts), CTI's state writes, and the agent UI's sockets. Pure (no timers, no Node API):
 * the agent UI bundles it, and the delays are tested without waiting.
 */
export interface BackoffPolicy {
  /** The first delay. */
  initialMs: number;
  /** Each further attempt waits this many times longer... */
  factor: number;
  /** ...up to this. */
  maxMs: number;
  /** 0.2: each delay is drawn within ±20% of its nominal value, so clients that lost the same server
   * do not all come back in the same millisecond. 0: exact delays. */
  jitter: number;
}

/**
 * The services' connections to the servers they need (RabbitMQ, Asterisk, the document store): the
 * first retry at 150 ms catches a blip; the cap of 1 s keeps the time from a server's return to the
 * reconnect under about a second (the bus retried at a fixed 1 s before, and a call in progress waits
 * on it), at one attempt a second per process against a server that is down.
 */
export const SERVICE_BACKOFF: BackoffPolicy = { initialMs: 150, factor: 1.7, maxMs: 1_000, jitter: 0.2 };

/** The delay before retry `attempt` (0: the first); `random` in [0, 1) places it within the jitter. */
export function backoffDelay(attempt: number, random: number, p: BackoffPolicy = SERVICE_BACKOFF): number {
  // The power overflows to Infinity long after it passed any cap: Math.min keeps it at maxMs.
  const nominal = Math.min(p.maxMs, p.initialMs * p.factor ** Math.max(0, attempt));
  const spread = nominal * p.jitter * (2 * random - 1);
  return Math.round(Math.min(p.maxMs, Math.max(0, nominal + spread)));
}

/** One loop's attempts: `next()` gives the delay before the next try, `reset()` after a success. */
export class Backoff {
  private attempts = 0;

  constructor(
    private readonly policy: BackoffPolicy = SERVICE_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** Failed attempts since the last success. */
  get attempt(): number {
    return this.attempts;
  }

  next(): number {
    const delay = backoffDelay(this.attempts, this.random(), this.policy);
    this.attempts += 1;
    return delay;
  }

  reset(): void {
    this.attempts = 0;
  }
}
