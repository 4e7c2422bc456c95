import { Writable } from 'node:stream';
import winston from 'winston';

/**
 * Known bugs found by these suites, in code the fuzz suites do not own. Each is reproduced exactly by a
 * failing test under spec/fuzz/known-bugs/ (*.bug.ts, outside the CI glob) and described in docs/fuzz.md.
 * The suites tolerate a 5xx only when it carries the known bug's exact signature and count each one, so
 * every other invariant keeps being checked; FUZZ_STRICT=1 makes them fail instead.
 */
export const STRICT = process.env.FUZZ_STRICT === '1';

/** Errors the AS logged ('request failed'), captured so a 5xx can be matched against a known signature. */
export interface CapturedErrors {
  lines: string[];
}

export function capturingLogger(): { log: winston.Logger; errors: CapturedErrors } {
  const errors: CapturedErrors = { lines: [] };
  const stream = new Writable({
    objectMode: true,
    write(info: unknown, _enc, done) {
      errors.lines.push(JSON.stringify(info));
      if (errors.lines.length > 100) errors.lines.shift();
      done();
    },
  });
  return {
    log: winston.createLogger({ level: 'error', transports: [new winston.transports.Stream({ stream })] }),
    errors,
  };
}

/**
 * Bug 1: a string holding U+0000 passes validation and reaches FerretDB on PostgreSQL, which refuses it
 * (SQLSTATE 22P05, "unsupported Unicode escape sequence"); the AS answers 500 instead of 400.
 */
export function isNulBug(payload: string | undefined, loggedError: string | undefined): boolean {
  return (
    !STRICT &&
    payload !== undefined &&
    payload.includes('\\u0000') &&
    loggedError !== undefined &&
    loggedError.includes('22P05')
  );
}

export const knownBugCounts: Record<string, number> = {};
export function countKnown(name: string): void {
  knownBugCounts[name] = (knownBugCounts[name] ?? 0) + 1;
}
