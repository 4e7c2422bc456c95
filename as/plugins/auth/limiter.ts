import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../../errors';

export interface LoginLimits {
  /** Guesses of one login's password from one address (stops guessing one password). */
  perLoginAndIp?: number;
  /**
   * Failed logins from one address, whatever the login (stops spraying); high enough that the agents of a
   * call centre behind one NAT address survive each other's typos.
   */
  perIp?: number;
  /** Failed logins of one login from any address (slows guessing spread over many addresses). */
  perLogin?: number;
  windowSec?: number;
}

/**
 * Login attempts, counted before the password is hashed: each attempt takes a point from all three budgets
 * at once (`consume` is atomic in the store, so concurrent guesses cannot all pass a check made before any
 * of them failed), and a successful login gives its points back. In memory: each AS instance counts alone,
 * so N instances allow N times the budget; acceptable for a small cluster, and a Redis/Mongo store from the
 * same library drops in here when it is not.
 */
export class LoginLimiter {
  private readonly limits: Array<{ limiter: RateLimiterMemory; key: (login: string, ip: string) => string }>;

  constructor(opts: LoginLimits = {}) {
    const duration = opts.windowSec ?? 15 * 60;
    const limiter = (points: number) => new RateLimiterMemory({ points, duration });
    this.limits = [
      { limiter: limiter(opts.perLoginAndIp ?? 5), key: (login, ip) => `${login}|${ip}` },
      { limiter: limiter(opts.perIp ?? 500), key: (_login, ip) => ip },
      { limiter: limiter(opts.perLogin ?? 100), key: (login) => login },
    ];
  }

  /**
   * Takes one attempt from every budget before the password is checked; throws RateLimitedError (and takes
   * nothing) when any is spent.
   */
  async attempt(login: string, ip: string): Promise<void> {
    const results = await Promise.allSettled(this.limits.map((l) => l.limiter.consume(l.key(login, ip))));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (refused.length === 0) return;
    // The budgets that did take a point give it back: a refused attempt costs nothing anywhere.
    const taken = this.limits.filter((_, i) => results[i]?.status === 'fulfilled');
    await Promise.all(taken.map((l) => l.limiter.reward(l.key(login, ip), 1)));
    const waits = refused.map((reason) => {
      if (!(reason instanceof RateLimiterRes)) throw reason;
      return reason.msBeforeNext;
    });
    throw new RateLimitedError(Math.max(1, Math.ceil(Math.max(...waits) / 1000)));
  }

  /** A successful login: its attempt did not count, and its login's guesses from this address start over. */
  async succeeded(login: string, ip: string): Promise<void> {
    const [loginAndIp, ...others] = this.limits;
    await Promise.all([
      loginAndIp?.limiter.delete(loginAndIp.key(login, ip)),
      ...others.map((l) => l.limiter.reward(l.key(login, ip), 1)),
    ]);
  }
}
