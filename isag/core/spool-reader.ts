import { type FSWatcher, watch } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Logger, errorText } from '../../lib/log';

export interface SpoolReaderOptions {
  dir: string;
  /** The safety net beside fs.watch (which can miss events, e.g. on some network file systems). */
  pollMs: number;
  /** An entry still without its `end=1` after this long was never finished: set aside. */
  incompleteMs: number;
  /** The longest wait before a failed entry is tried again (doubling from pollMs). */
  maxRetryMs: number;
  /** Entries handled at once. */
  parallel: number;
}

/** What an entry's bytes say: its value, not whole yet (still being written), or no entry of ours. */
export type SpoolRead<T> =
  { kind: 'ok'; value: T } | { kind: 'incomplete' } | { kind: 'invalid'; reason: string };

/** One whole entry: its id, what it says, and its bytes (kept as the raw form). */
export interface SpoolItem<T> {
  id: string;
  value: T;
  raw: Buffer;
}

/** Stored (a duplicate counts as stored): its files go; refused: they are set aside into `rejected/`. */
export type SpoolOutcome = { kind: 'stored' } | { kind: 'refused'; reason: string };

/** What one spool differs in: its files, how an entry is read, and what its log says. */
export interface SpoolFormat<T> {
  /** The log's prefix: `sms`, `fax`. */
  prefix: string;
  /** Entry files end with this: other files' fs.watch events start no scan. */
  suffix: string;
  /** The entry a directory name is, or undefined for any other file (never read). */
  entryId(name: string): string | undefined;
  /** The entry's own file, then the files that go with it (set aside and removed after it). */
  files(id: string): readonly [string, ...string[]];
  /** A larger entry file is no entry of ours (checked before it is read). */
  maxBytes: number;
  parse(raw: Buffer, id: string): SpoolRead<T>;
  /** Housekeeping once the entries of a scan are done: every name the scan saw, and its entries. */
  afterScan?(names: readonly string[], ids: ReadonlySet<string>): Promise<void>;
  log: {
    watching: string;
    notStored: string;
    refused: string;
    /** The field naming the entry in the log lines. */
    idField: string;
    tooLarge(bytes: number): string;
    neverFinished: string;
  };
}

/**
 * A spool directory the dialplan writes one file per entry into: a scan at start (what arrived while
 * ISAG was down or dead), then on every fs.watch event and every `pollMs`. A scan hands the finished
 * entries over in name order (arrival order), up to `parallel` at a time, each read just before it
 * starts. An entry's files are removed only after the handler stored it, the entry file first (without
 * it nothing is done again); a crash between the store and the removal hands it over again, and the
 * handler's store finds it (a duplicate). A failed store leaves the files and tries again after a
 * doubling wait. An entry that is not ours is moved into `rejected/` with the reason logged.
 */
export class SpoolReader<T> {
  private fsWatcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** id -> when it may be tried again, after a failure (removed on success: bounded by the spool). */
  private readonly retry = new Map<string, { attempts: number; at: number }>();

  constructor(
    private readonly options: SpoolReaderOptions,
    private readonly format: SpoolFormat<T>,
    private readonly handle: (item: SpoolItem<T>) => Promise<SpoolOutcome>,
    private readonly log: Logger,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async start(): Promise<void> {
    const prefix = this.format.prefix;
    await mkdir(this.options.dir, { recursive: true });
    await this.scanNow();
    try {
      this.fsWatcher = watch(this.options.dir, (_event, name) => {
        if (typeof name === 'string' && name.endsWith(this.format.suffix)) this.kick();
      });
      this.fsWatcher.on('error', (err) => {
        this.log.warn(`${prefix}: spool watch failed; polling only`, { error: errorText(err) });
        this.fsWatcher?.close();
        this.fsWatcher = undefined;
      });
    } catch (err) {
      this.log.warn(`${prefix}: spool cannot be watched; polling only`, { error: errorText(err) });
    }
    this.timer = setInterval(() => this.kick(), this.options.pollMs);
    this.timer.unref();
    this.log.info(this.format.log.watching, { dir: this.options.dir });
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

  /** Entries waiting for another try (metrics, tests). */
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
        this.log.error(`${this.format.prefix}: spool scan failed`, { error: errorText(err) });
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
    const ids = names.flatMap((name) => this.format.entryId(name) ?? []);
    const inFlight = new Set<Promise<void>>();
    // A run that cannot remove or set aside its files ends the scan (logged), once the others are done.
    const failures: unknown[] = [];
    try {
      for (const id of ids) {
        if (this.stopped) return;
        const wait = this.retry.get(id);
        if (wait !== undefined && wait.at > this.now()) continue;
        while (inFlight.size >= this.options.parallel) await Promise.race(inFlight);
        if (failures.length > 0) break;
        const item = await this.read(id);
        if (item === undefined) continue;
        const p: Promise<void> = this.run(item)
          .catch((err: unknown) => {
            failures.push(err);
          })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
    } finally {
      await Promise.all(inFlight);
    }
    if (failures.length > 0) throw failures[0];
    if (!this.stopped) await this.format.afterScan?.(names, new Set(ids));
  }

  /** The entry, once whole; undefined while it is being written, gone, or set aside. */
  private async read(id: string): Promise<SpoolItem<T> | undefined> {
    const file = path.join(this.options.dir, this.format.files(id)[0]);
    let raw: Buffer;
    let mtimeMs: number;
    try {
      const info = await stat(file);
      if (info.size > this.format.maxBytes) {
        await this.reject(id, this.format.log.tooLarge(info.size));
        return undefined;
      }
      mtimeMs = info.mtimeMs;
      raw = await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const parsed = this.format.parse(raw, id);
    if (parsed.kind === 'incomplete') {
      if (this.now() - mtimeMs > this.options.incompleteMs)
        await this.reject(id, this.format.log.neverFinished);
      return undefined;
    }
    if (parsed.kind === 'invalid') {
      await this.reject(id, parsed.reason);
      return undefined;
    }
    return { id, value: parsed.value, raw };
  }

  private async run(item: SpoolItem<T>): Promise<void> {
    let outcome: SpoolOutcome;
    try {
      outcome = await this.handle(item);
    } catch (err) {
      const attempts = (this.retry.get(item.id)?.attempts ?? 0) + 1;
      const delay = Math.min(this.options.pollMs * 2 ** (attempts - 1), this.options.maxRetryMs);
      this.retry.set(item.id, { attempts, at: this.now() + delay });
      this.log.warn(this.format.log.notStored, {
        [this.format.log.idField]: item.id,
        attempts,
        retryInMs: delay,
        error: errorText(err),
      });
      return;
    }
    this.retry.delete(item.id);
    if (outcome.kind === 'refused') await this.reject(item.id, outcome.reason);
    else
      for (const name of this.format.files(item.id))
        await rm(path.join(this.options.dir, name), { force: true });
  }

  /** Moves an entry that is not ours out of the way, its files with it, keeping them for a look. */
  private async reject(id: string, reason: string): Promise<void> {
    const dir = path.join(this.options.dir, 'rejected');
    await mkdir(dir, { recursive: true });
    for (const name of this.format.files(id)) {
      await rename(path.join(this.options.dir, name), path.join(dir, name)).catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      });
    }
    this.retry.delete(id);
    this.log.error(this.format.log.refused, { [this.format.log.idField]: id, reason });
  }
}
