import { type FSWatcher, watch } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Logger, errorText } from '../../lib/log';
import { MAX_SPOOL_BYTES, type SpooledMessage, isSpoolEntryName, parseSpoolEntry } from './spool-file';

/** One spooled SIP MESSAGE: its file name and what it says (the line itself is kept as the raw form). */
export interface SpoolEntry {
  name: string;
  message: SpooledMessage;
  raw: Buffer;
}

/**
 * Stores the message (a duplicate counts as stored) and says so, or says why it is no SMS of ours (the
 * file is set aside); throws when it cannot store now (the file stays and is tried again).
 */
export type SpoolHandler = (
  entry: SpoolEntry,
) => Promise<{ kind: 'stored' } | { kind: 'refused'; reason: string }>;

export interface SmsSpoolOptions {
  dir: string;
  /** The safety net beside fs.watch (which can miss events, e.g. on some network file systems). */
  pollMs: number;
  /** A file still without its `end=1` after this long was never finished: set aside. */
  incompleteMs: number;
  /** The longest wait before a failed entry is tried again (doubling from pollMs). */
  maxRetryMs: number;
  /** Entries handled at once (the service keeps one customer's messages in order). */
  parallel: number;
}

export const SMS_SPOOL_DEFAULTS: Omit<SmsSpoolOptions, 'dir'> = {
  pollMs: 2_000,
  incompleteMs: 60_000,
  maxRetryMs: 60_000,
  parallel: 8,
};

/**
 * Picks up the SIP MESSAGEs the dialplan spools (asterisk/snippets/extensions_ipcc_sms.conf): a scan at
 * start (what arrived while ISAG was down or dead), then on every fs.watch event and every `pollMs`. A
 * scan reads the finished entries in name order (arrival order) and hands them over in that order, up to
 * `parallel` at a time. A file is removed only after the handler stored its message; a crash between
 * the store and the removal hands it over again, and the store finds it by Call-ID/CSeq (a duplicate).
 * A file that is not ours, or no SMS, is moved into `rejected/` with the reason logged.
 */
export class SmsSpoolWatcher {
  private fsWatcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** name -> when it may be tried again, after a failure (removed on success: bounded by the spool). */
  private readonly retry = new Map<string, { attempts: number; at: number }>();

  constructor(
    private readonly options: SmsSpoolOptions,
    private readonly handle: SpoolHandler,
    private readonly log: Logger,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async start(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    await this.scanNow();
    try {
      this.fsWatcher = watch(this.options.dir, (_event, name) => {
        if (typeof name === 'string' && name.endsWith('.sms')) this.kick();
      });
      this.fsWatcher.on('error', (err) => {
        this.log.warn('sms: spool watch failed; polling only', { error: errorText(err) });
        this.fsWatcher?.close();
        this.fsWatcher = undefined;
      });
    } catch (err) {
      this.log.warn('sms: spool cannot be watched; polling only', { error: errorText(err) });
    }
    this.timer = setInterval(() => this.kick(), this.options.pollMs);
    this.timer.unref();
    this.log.info('sms: watching the SIP MESSAGE spool', { dir: this.options.dir });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.fsWatcher?.close();
    if (this.timer !== undefined) clearInterval(this.timer);
    while (this.running !== undefined) await this.running;
  }

  /** Runs one scan now (or after the one in progress) and resolves when it is done (tests, start). */
  async scanNow(): Promise<void> {
    this.kick();
    while (this.running !== undefined) await this.running;
  }

  /** Entries waiting for another try (tests). */
  get retrying(): number {
    return this.retry.size;
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = this.scan()
      .catch((err: unknown) => {
        this.log.error('sms: spool scan failed', { error: errorText(err) });
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async scan(): Promise<void> {
    const names = (await readdir(this.options.dir)).filter(isSpoolEntryName).sort();
    const ready: SpoolEntry[] = [];
    for (const name of names) {
      if (this.stopped) return;
      const wait = this.retry.get(name);
      if (wait !== undefined && wait.at > this.now()) continue;
      const entry = await this.read(name);
      if (entry !== undefined) ready.push(entry);
    }
    // Started in name order: the service queues one customer's messages in the order it is called.
    const inFlight = new Set<Promise<void>>();
    for (const entry of ready) {
      if (this.stopped) break;
      if (inFlight.size >= this.options.parallel) await Promise.race(inFlight);
      const p: Promise<void> = this.run(entry).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  }

  /** The entry, once whole; undefined while it is being written, gone, or set aside. */
  private async read(name: string): Promise<SpoolEntry | undefined> {
    const file = path.join(this.options.dir, name);
    let raw: Buffer;
    let mtimeMs: number;
    try {
      const info = await stat(file);
      if (info.size > MAX_SPOOL_BYTES) {
        await this.reject(name, `file of ${info.size} bytes`);
        return undefined;
      }
      mtimeMs = info.mtimeMs;
      raw = await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const parsed = parseSpoolEntry(raw.toString('latin1'));
    if (parsed.kind === 'incomplete') {
      if (this.now() - mtimeMs > this.options.incompleteMs) await this.reject(name, 'never finished');
      return undefined;
    }
    if (parsed.kind === 'invalid') {
      await this.reject(name, parsed.reason);
      return undefined;
    }
    return { name, message: parsed.message, raw };
  }

  private async run(entry: SpoolEntry): Promise<void> {
    let outcome: Awaited<ReturnType<SpoolHandler>>;
    try {
      outcome = await this.handle(entry);
    } catch (err) {
      const attempts = (this.retry.get(entry.name)?.attempts ?? 0) + 1;
      const delay = Math.min(this.options.pollMs * 2 ** (attempts - 1), this.options.maxRetryMs);
      this.retry.set(entry.name, { attempts, at: this.now() + delay });
      this.log.warn('sms: SIP MESSAGE not stored yet; its spool file stays and is tried again', {
        file: entry.name,
        attempts,
        retryInMs: delay,
        error: errorText(err),
      });
      return;
    }
    this.retry.delete(entry.name);
    if (outcome.kind === 'refused') await this.reject(entry.name, outcome.reason);
    else await rm(path.join(this.options.dir, entry.name), { force: true });
  }

  /** Moves a file that is not ours, or no SMS, out of the way, keeping it for a look. */
  private async reject(name: string, reason: string): Promise<void> {
    const dir = path.join(this.options.dir, 'rejected');
    await mkdir(dir, { recursive: true });
    await rename(path.join(this.options.dir, name), path.join(dir, name)).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    });
    this.retry.delete(name);
    this.log.error('sms: SIP MESSAGE spool file refused, moved to rejected/', { file: name, reason });
  }
}
