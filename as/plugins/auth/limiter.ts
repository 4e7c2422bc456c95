import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../../errors';

/**
 * Counts failed logins per login+IP (stops guessing one password) and per IP (stops spraying many logins).
 * In memory: each AS instance counts alone, so N instances allow N times the budget; acceptable for a
 * small cluster, and a Redis/Mongo store from the same library drops in here when it is not.
 */
export class LoginLimiter {
  private readonly perLogin: RateLimiterMemory;
  private readonly perIp: RateLimiterMemory;

  constructor(opts: { perLogin?: number; perIp?: number; windowSec?: number } = {}) {
    const duration = opts.windowSec ?? 15 * 60;
    this.perLogin = new RateLimiterMemory({ points: opts.perLogin ?? 5, duration });
    this.perIp = new RateLimiterMemory({ points: opts.perIp ?? 50, duration });
  }

  /** Throws RateLimitedError when either budget is spent. */
  async check(login: string, ip: string): Promise<void> {
    const [byLogin, byIp] = await Promise.all([this.perLogin.get(`${login}|${ip}`), this.perIp.get(ip)]);
    for (const [res, points] of [
      [byLogin, this.perLogin.points],
      [byIp, this.perIp.points],
    ] as const) {
      if (res !== null && res.consumedPoints >= points) {
        throw new RateLimitedError(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
      }
    }
  }

  async failed(login: string, ip: string): Promise<void> {
    await Promise.all([this.perLogin.penalty(`${login}|${ip}`, 1), this.perIp.penalty(ip, 1)]).catch(
      (err: unknown) => {
        // penalty() never rejects for the memory store; anything else is a bug worth seeing.
        if (!(err instanceof RateLimiterRes)) throw err;
      },
    );
  }

  async succeeded(login: string, ip: string): Promise<void> {
    await this.perLogin.delete(`${login}|${ip}`);
  }
}
