import { type FSWatcher, watch } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../lib/log';
import { errorText } from '../../lib/log';
import { type FaxReport, MAX_STATUS_BYTES, parseStatus, spoolFileId } from './status-file';

/** One received fax as the spool holds it: the status file is the unit of work. */
export interface FaxJob {
  id: string;
  report: FaxReport;
  tiffPath: string;
}

/** Stores the fax and its task; resolves once stored (a duplicate included), throws to be tried again. */
export type FaxJobHandler = (job: FaxJob) => Promise<void>;

export interface FaxWatcherOptions {
  dir: string;
  /** The safety net beside fs.watch (which can miss events, e.g. on some network file systems). */
  pollMs: number;
  /** A status file still without its `end=1` after this long was never finished: set aside. */
  incompleteMs: number;
  /** A TIFF without a status file after this long is an orphan (its job was done): removed. */
  orphanMs: number;
  /** The longest wait before a failed job is tried again (doubling from pollMs). */
  maxRetryMs: number;
}

export const FAX_WATCHER_DEFAULTS: Omit<FaxWatcherOptions, 'dir'> = {
  pollMs: 2_000,
  incompleteMs: 60_000,
  orphanMs: 24 * 3600_000,
  maxRetryMs: 60_000,
};

/**
 * Picks up the status files the dialplan writes into the fax spool (asterisk/snippets/extensions_ipcc_fax.conf):
 * a scan at start (what arrived while ISAG was down), then on every fs.watch event and every `pollMs`.
 * Jobs run one at a time. A job's files are removed only after the handler stored it, the status file
 * first (the unit of work: without it nothing is done again), then the TIFF; a crash between the store
 * and the removal runs the job again, and the handler's store finds it already there (idempotent by
 * UNIQUEID). A status file that is not ours is moved into `rejected/` with the reason logged.
 */
export class FaxWatcher {
  private fsWatcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** id -> when it may be tried again, after a failure (removed on success: bounded by the spool). */
  private readonly retry = new Map<string, { attempts: number; at: number }>();

  constructor(
    private readonly options: FaxWatcherOptions,
    private readonly handle: FaxJobHandler,
    private readonly log: Logger,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async start(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    await this.scanNow();
    try {
      this.fsWatcher = watch(this.options.dir, (_event, name) => {
        if (typeof name === 'string' && name.endsWith('.status')) this.kick();
      });
      this.fsWatcher.on('error', (err) => {
        this.log.warn('fax: spool watch failed; polling only', { error: errorText(err) });
        this.fsWatcher?.close();
        this.fsWatcher = undefined;
      });
    } catch (err) {
      this.log.warn('fax: spool cannot be watched; polling only', { error: errorText(err) });
    }
    this.timer = setInterval(() => this.kick(), this.options.pollMs);
    this.timer.unref();
    this.log.info('fax: watching the spool', { dir: this.options.dir });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.fsWatcher?.close();
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.running;
  }

  /** Runs one scan now (or after the one in progress) and resolves when it is done (tests, start). */
  async scanNow(): Promise<void> {
    this.kick();
    while (this.running !== undefined) await this.running;
  }

  /** Jobs waiting for another try (metrics, tests). */
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
        this.log.error('fax: spool scan failed', { error: errorText(err) });
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
    const names = (await readdir(this.options.dir)).sort();
    const statuses = new Set<string>();
    for (const name of names) {
      const id = spoolFileId(name, '.status');
      if (id !== undefined) statuses.add(id);
    }
    for (const id of statuses) {
      if (this.stopped) return;
      const wait = this.retry.get(id);
      if (wait !== undefined && wait.at > this.now()) continue;
      await this.runJob(id);
    }
    for (const name of names) {
      const id = spoolFileId(name, '.tif');
      if (id !== undefined && !statuses.has(id)) await this.removeOrphan(name);
    }
  }

  private async runJob(id: string): Promise<void> {
    const statusPath = path.join(this.options.dir, `${id}.status`);
    const tiffPath = path.join(this.options.dir, `${id}.tif`);
    let text: string;
    try {
      const info = await stat(statusPath);
      if (info.size > MAX_STATUS_BYTES) {
        await this.reject(id, `status file of ${info.size} bytes`);
        return;
      }
      text = await readFile(statusPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const parsed = parseStatus(text);
    if (parsed.kind === 'incomplete') {
      const age = this.now() - (await stat(statusPath)).mtimeMs;
      if (age > this.options.incompleteMs) await this.reject(id, 'status file never finished');
      return;
    }
    if (parsed.kind === 'invalid') {
      await this.reject(id, parsed.reason);
      return;
    }
    if (parsed.report.uniqueId !== id) {
      await this.reject(id, `names ${parsed.report.uniqueId}, not its own file`);
      return;
    }
    try {
      await this.handle({ id, report: parsed.report, tiffPath });
    } catch (err) {
      const attempts = (this.retry.get(id)?.attempts ?? 0) + 1;
      const delay = Math.min(this.options.pollMs * 2 ** (attempts - 1), this.options.maxRetryMs);
      this.retry.set(id, { attempts, at: this.now() + delay });
      this.log.warn('fax: not stored yet; the files stay and are tried again', {
        uniqueId: id,
        attempts,
        retryInMs: delay,
        error: errorText(err),
      });
      return;
    }
    this.retry.delete(id);
    await rm(statusPath, { force: true });
    await rm(tiffPath, { force: true });
  }

  /** Moves a status file (and its TIFF) that is not ours out of the way, keeping it for a look. */
  private async reject(id: string, reason: string): Promise<void> {
    const dir = path.join(this.options.dir, 'rejected');
    await mkdir(dir, { recursive: true });
    for (const name of [`${id}.status`, `${id}.tif`]) {
      await rename(path.join(this.options.dir, name), path.join(dir, name)).catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      });
    }
    this.retry.delete(id);
    this.log.error('fax: status file refused, moved to rejected/', { uniqueId: id, reason });
  }

  private async removeOrphan(name: string): Promise<void> {
    const file = path.join(this.options.dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info === undefined || this.now() - info.mtimeMs < this.options.orphanMs) return;
    await rm(file, { force: true });
    this.log.warn('fax: removed a TIFF without a status file', {
      file: name,
      ageMs: this.now() - info.mtimeMs,
    });
  }
}
