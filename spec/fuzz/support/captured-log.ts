import { Writable } from 'node:stream';
import winston from 'winston';

/** Errors the AS logged ('request failed'), captured so a 5xx failure shows the cause the AS logged. */
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
