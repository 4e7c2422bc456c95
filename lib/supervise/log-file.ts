import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import readline from 'node:readline';

/** The part of rotating-file-stream used here (classical rotation: `rotate` set, an index generator). */
type CreateStream = (
  name: (index: number | null) => string,
  options: { path: string; size: string; interval: string; rotate: number },
) => Writable;
// rotating-file-stream ships one ESM types file for its two builds, so TypeScript refuses a CommonJS
// import of it; its CommonJS build is the one that loads here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createStream } = require('rotating-file-stream') as { createStream: CreateStream };

export interface RotationSettings {
  /** Rotate when the file reaches this size (rotating-file-stream's syntax: 10M, 500K). */
  size: string;
  /** Rotate at least this often (1d, 12h). */
  interval: string;
  /** Rotated files kept: name.log.1 (newest) … name.log.N. */
  keep: number;
}

export const DEFAULT_ROTATION: RotationSettings = { size: '10M', interval: '1d', keep: 10 };

/**
 * One service's log file, rotated classically (logrotate's way: `cti.log` is always the current file,
 * `cti.log.1` the one before), so `tail -F` and the specs that read `cti.log` keep working.
 */
export class LogFile {
  private readonly stream: Writable;

  constructor(
    file: string,
    private readonly service: string,
    settings: RotationSettings,
  ) {
    const base = path.basename(file);
    this.stream = createStream((index: number | null) => (index === null ? base : `${base}.${index}`), {
      path: path.dirname(file),
      size: settings.size,
      interval: settings.interval,
      rotate: settings.keep,
    });
    // A full disk must not take the supervisor (and with it the service) down: the line is lost.
    this.stream.on('error', (err: Error) => process.stderr.write(`log file ${file}: ${err.message}\n`));
  }

  /** The supervisor's own line, JSON like the services' (winston's field names). */
  note(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
    const line = { level, message, service: this.service, component: 'supervisor', ...fields };
    this.stream.write(`${JSON.stringify({ ...line, timestamp: new Date().toISOString() })}\n`);
  }

  /**
   * A child's output, line by line: its JSON lines as they are; anything else (Node's own report of a
   * crash, a native library's message) wrapped into a JSON line so the file stays JSON throughout.
   */
  follow(from: Readable, stream: 'stdout' | 'stderr'): void {
    const lines = readline.createInterface({ input: from, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (line.length === 0) return;
      if (line.startsWith('{') && line.endsWith('}')) this.stream.write(`${line}\n`);
      else this.note(stream === 'stderr' ? 'error' : 'info', line, { component: 'output', stream });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}
