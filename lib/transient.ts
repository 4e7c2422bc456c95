import { Backoff } from './backoff';
import type { Logger } from './log';
import { errorText } from './log';

/**
 * Errors that say a server is unreachable for now (the document store restarting), as opposed to a
 * request it refused. Recognised by the driver's error names, so this module imports no driver.
 */
const TRANSIENT_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

export function isTransient(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth += 1)
    if (TRANSIENT_NAMES.has(e.name)) return true;
  return false;
}

export interface RetryOptions {
  log?: Logger;
  /** Give up (and throw the last error) after this long; 60 s unless given. */
  maxMs?: number;
}

/**
 * Runs `op` again while it fails with a transient error, with the project's backoff (lib/backoff.ts),
 * so a store restart delays an event's handling instead of dead-lettering it. Any other error, or the
 * time limit, is thrown as it is.
 */
export async function retryTransient<T>(
  what: string,
  op: () => Promise<T>,
  o: RetryOptions = {},
): Promise<T> {
  const deadline = Date.now() + (o.maxMs ?? 60_000);
  const backoff = new Backoff();
  for (;;) {
    try {
      return await op();
    } catch (err) {
      if (!isTransient(err) || Date.now() > deadline) throw err;
      const delayMs = backoff.next();
      o.log?.warn('store unreachable, retrying', {
        what,
        attempt: backoff.attempt,
        delayMs,
        error: errorText(err),
      });
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

/**
 * Where an ordered bulk write (bulkWrite, insertMany) stopped on a refused operation: the operations
 * before it are stored, it and the rest are not. 0 when the error does not say.
 */
export function firstRefusedIndex(err: unknown): number {
  // The driver gives one write error or a list of them.
  const writeErrors = (err as { writeErrors?: unknown } | undefined)?.writeErrors;
  const first: unknown = Array.isArray(writeErrors) ? writeErrors[0] : writeErrors;
  const index = (first as { index?: unknown } | undefined)?.index;
  return typeof index === 'number' ? index : 0;
}
