import { TokenBucket } from '../../lib/token-bucket';

export interface MessageRateOptions {
  /** Messages a second a client may send on average. */
  perSec?: number;
  /** Messages a client may send at once. */
  burst?: number;
  /** Messages refused within `windowMs` after which the connection is closed. */
  refusedToClose?: number;
  windowMs?: number;
  now?: () => number;
}

export type RateVerdict = 'accept' | 'refuse' | 'close';

/**
 * One client connection's message rate: a token bucket (20 a second, bursts of 40 by default) decides each
 * message; a refused one gets an error frame, and a client that keeps sending over the limit (40 refused
 * within 10 s) is cut off. A client's own burst (a reconnect that replays its state) fits within the bucket.
 */
export class MessageRate {
  private readonly bucket: TokenBucket;
  private readonly now: () => number;
  private readonly refusedToClose: number;
  private readonly windowMs: number;
  private refusedAt: number[] = [];

  constructor(o: MessageRateOptions = {}) {
    this.now = o.now ?? Date.now;
    this.bucket = new TokenBucket(o.perSec ?? 20, o.burst ?? 40, this.now);
    this.refusedToClose = o.refusedToClose ?? 40;
    this.windowMs = o.windowMs ?? 10_000;
  }

  message(): RateVerdict {
    if (this.bucket.take()) return 'accept';
    const now = this.now();
    this.refusedAt = this.refusedAt.filter((t) => now - t < this.windowMs);
    this.refusedAt.push(now);
    return this.refusedAt.length >= this.refusedToClose ? 'close' : 'refuse';
  }
}
