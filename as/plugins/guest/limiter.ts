import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../../errors';

export interface GuestLimits {
  /** Guest tokens one address may ask for per window. */
  perAddress?: number;
  windowSec?: number;
}

/**
 * Guest token requests per client address. In memory, like the login limiter (as/plugins/auth/limiter.ts):
 * each AS instance counts alone. The address is the TCP peer's: a proxy in front of the AS would make
 * every customer one address, so one would have to pass the client's address on and be trusted here.
 */
export class GuestLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(opts: GuestLimits = {}) {
    this.limiter = new RateLimiterMemory({ points: opts.perAddress ?? 5, duration: opts.windowSec ?? 60 });
  }

  /** Takes one request from the address's budget; RateLimitedError when it is spent. */
  async take(address: string): Promise<void> {
    try {
      await this.limiter.consume(address);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      throw new RateLimitedError(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
    }
  }
}
