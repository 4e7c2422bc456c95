/** `up` or `down`: what /health/ready says of each dependency. */
export type CheckState = 'up' | 'down';

export interface ReadinessReport {
  readonly ready: boolean;
  /** Dependency name -> state, in registration order. */
  readonly checks: Readonly<Record<string, CheckState>>;
}

/** A dependency whose connection events say whether it is up (the bus, ARI's WebSocket). */
export interface ReadinessFlag {
  set(up: boolean): void;
}

export interface ProbeOptions {
  /** A ping slower than this counts as down. */
  timeoutMs?: number;
  /** A result is reused this long, so frequent readiness requests do not each ping. */
  cacheMs?: number;
}

type Check = { kind: 'flag'; up: boolean } | { kind: 'probe'; probe: CachedProbe };

/**
 * What a process needs before it can do its work, each dependency by name. Connections report their
 * state as events arrive (flags); a dependency with no such events (the store) is pinged on demand,
 * with a short timeout and a cached answer (probes). Nothing here polls.
 */
export class Readiness {
  private readonly checks = new Map<string, Check>();

  /** Registers a dependency that is down until its first `set(true)`. */
  flag(name: string): ReadinessFlag {
    const check: Check = { kind: 'flag', up: false };
    this.add(name, check);
    return {
      set: (up) => {
        check.up = up;
      },
    };
  }

  /** Registers a dependency asked by `ping`: up when it resolves within the timeout. */
  probe(name: string, ping: () => Promise<unknown>, options: ProbeOptions = {}): void {
    this.add(name, {
      kind: 'probe',
      probe: new CachedProbe(ping, options.timeoutMs ?? 1_000, options.cacheMs ?? 2_000),
    });
  }

  async report(now = Date.now()): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]): Promise<[string, CheckState]> => {
        const up = check.kind === 'flag' ? check.up : await check.probe.up(now);
        return [name, up ? 'up' : 'down'];
      }),
    );
    return { ready: entries.every(([, state]) => state === 'up'), checks: Object.fromEntries(entries) };
  }

  private add(name: string, check: Check): void {
    if (this.checks.has(name)) throw new Error(`readiness check ${name} registered twice`);
    this.checks.set(name, check);
  }
}

/** One ping at a time; its answer is kept for `cacheMs`; a ping that fails or takes too long is down. */
class CachedProbe {
  private last: { at: number; up: boolean } | undefined;
  private inFlight: Promise<boolean> | undefined;

  constructor(
    private readonly ping: () => Promise<unknown>,
    private readonly timeoutMs: number,
    private readonly cacheMs: number,
  ) {}

  up(now: number): Promise<boolean> {
    if (this.last !== undefined && now - this.last.at < this.cacheMs) return Promise.resolve(this.last.up);
    this.inFlight ??= this.run().then((up) => {
      this.last = { at: Date.now(), up };
      this.inFlight = undefined;
      return up;
    });
    return this.inFlight;
  }

  private run(): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.timeoutMs);
      timer.unref();
      let pinged: Promise<unknown>;
      try {
        pinged = this.ping();
      } catch {
        pinged = Promise.reject(new Error('ping threw'));
      }
      pinged.then(
        () => {
          clearTimeout(timer);
          resolve(true);
        },
        () => {
          clearTimeout(timer);
          resolve(false);
        },
      );
    });
  }
}
