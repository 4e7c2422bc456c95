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
 * Runs `op` again while it fails with a transient error, with jittered backoff (x1.7 from 200 ms, at
 * most 5 s between tries), so a store restart delays an event's handling instead of dead-lettering it.
 * Any other error, or the time limit, is thrown as it is.
 */
export async function retryTransient<T>(
  what: string,
  op: () => Promise<T>,
  o: RetryOptions = {},
): Promise<T> {
  const deadline = Date.now() + (o.maxMs ?? 60_000);
  let delayMs = 200;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await op();
    } catch (err) {
      if (!isTransient(err) || Date.now() > deadline) throw err;
      o.log?.warn('store unreachable, retrying', { what, attempt, delayMs, error: errorText(err) });
      await new Promise((r) => setTimeout(r, delayMs * (0.8 + Math.random() * 0.4)));
      delayMs = Math.min(Math.round(delayMs * 1.7), 5_000);
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
