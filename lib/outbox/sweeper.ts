import type { Logger } from '../log';
import { errorText } from '../log';
import { confirmedInOrder } from './confirmed';

/** What a sweeper needs of its store: the records still to publish, and their bookkeeping. */
export interface SweepStore<R> {
  /** Unsent records created before `before`, oldest first. */
  pending(before: Date, limit: number): Promise<R[]>;
  /**
   * Marks these records sent. FerretDB v1 pushes down no `$in` (an updateMany by ids reads the whole
   * collection: 0.6-1.3 s for 20 ids among 1,863 records, measured), so the adapters send one updateOne
   * by `_id` per record, all at once (30-70 ms for the same 20).
   */
  markSent(ids: readonly string[], at: Date): Promise<void>;
  /** Deletes records sent before `before`; answers how many. */
  prune(before: Date): Promise<number>;
}

export interface SweepOptions {
  /**
   * A pending record younger than this is left to the request that wrote it: its data may not be
   * stored yet. 0 where the record is written last (ISAG: the record is the receipt's commit point).
   */
  graceMs: number;
  /** How often the store is read for pending records; none if unset (then only at start and on retry). */
  sweepMs?: number;
  /** How soon the store is read again after a failed sweep; unset: at the next periodic sweep. */
  retryMs?: number;
  /** How long a sent record is kept (for an operator to see what went out). */
  keepMs: number;
  /** How often sent records are pruned; 0: at the end of every sweep. */
  pruneMs?: number;
  /** How long `publishNow` waits for its publish before answering anyway (the sweep retries); 1 s. */
  publishWaitMs?: number;
  /** Records read, and published together, at a time. */
  batch?: number;
  now?: () => Date;
}

/** How one outbox names its records in its log lines, and which of them must stay in order. */
export interface SweepSubject<R> {
  /** `outbox`, `command outbox`: the prefix of every log line. */
  readonly name: string;
  /** `changes`, `commands`: what a sweep says it published. */
  readonly what: string;
  id(record: R): string;
  fields(record: R): Record<string, unknown>;
  /**
   * Records with the same key reach their consumer in the order they were written (ISAG: one
   * interaction's TaskCreated before its TaskUpdated). Without it, order does not matter.
   */
  orderKey?(record: R): string;
}

const BATCH = 100;

/**
 * The publishing half of every outbox (the AS's directory changes and commands, ISAG's tasks). Records
 * reach it two ways: read from the store (at start, every `sweepMs`, after a failure), oldest first, a
 * batch at a time; or handed over by their writer right after it stored them (`written`), which spares
 * the store a read per record: FerretDB v1 answers the pending query by reading every record kept
 * (1.3-1.9 s for 1,863 records on a loaded machine, measured). Either way a batch is published together
 * (every publish in flight at once on the confirm channel, in the batch's order) and the confirmed
 * records are marked sent; a record is never marked before the broker confirmed it. One sweep at a time;
 * a failure leaves the records pending and makes the next sweep read the store.
 */
export class OutboxSweeper<R> {
  private timer: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private sweeping: Promise<number> | undefined;
  /** Records their writers handed over, not yet published; each is in the store already. */
  private fresh: R[] = [];
  /** The store must be read: at start, when asked, after a failure. */
  private readDue = true;
  private stopped = false;
  /** The sweep under way was asked for by the timer or `sweep()`, not by a writer. */
  private loud = false;
  private lastPrune = Number.NEGATIVE_INFINITY;
  private readonly batch: number;

  constructor(
    private readonly store: SweepStore<R>,
    private readonly publish: ((record: R) => Promise<void>) | undefined,
    private readonly log: Logger,
    private readonly subject: SweepSubject<R>,
    private readonly options: SweepOptions,
  ) {
    this.batch = options.batch ?? BATCH;
  }

  /** Sweeps once now, then every `sweepMs` if set. */
  start(): void {
    this.stopped = false;
    this.tick();
    if (this.options.sweepMs === undefined) return;
    this.timer = setInterval(() => this.tick(), this.options.sweepMs);
    this.timer.unref();
  }

  /** No sweep starts after this; resolves once the one under way ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.timer = undefined;
    this.retry = undefined;
    await this.sweeping?.catch(() => undefined);
  }

  /**
   * Reads the store and publishes every pending record past its grace, oldest first; answers how many
   * went out. Joins the sweep under way, if any (which then reads again). Rejects when a publish or the
   * store failed.
   */
  sweep(): Promise<number> {
    this.loud = true;
    this.readDue = true;
    return this.run();
  }

  /**
   * A record its writer just stored: published now, or right after the batch under way together with
   * whatever other writers stored meanwhile. Never throws: a failure is logged, and the store is read
   * again (after `retryMs`, or at the next sweep).
   */
  written(record: R): void {
    if (this.stopped) return;
    this.fresh.push(record);
    this.run().catch(() => undefined); // logged by run
  }

  /** Resolves when no sweep is under way (tests). */
  async idle(): Promise<void> {
    while (this.sweeping !== undefined) await this.sweeping.catch(() => undefined);
  }

  /** One record published on its request's behalf. Never throws: one that could not go out stays pending. */
  async publishNow(record: R): Promise<void> {
    if (this.publish === undefined) return;
    const id = this.subject.id(record);
    const attempt = this.publish(record).then(() => this.store.markSent([id], this.now()));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.publishWaitMs ?? 1_000);
    });
    try {
      const result = await Promise.race([attempt, timeout]);
      if (result === 'timeout') {
        this.log.warn(`${this.subject.name}: publish slow, left to the sweep`, this.subject.fields(record));
        attempt.catch(() => undefined); // the sweep retries; a late failure changes nothing
      }
    } catch (err) {
      this.log.warn(`${this.subject.name}: publish failed, left to the sweep`, {
        ...this.subject.fields(record),
        error: errorText(err),
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Deletes the records sent longer than `keepMs` ago; answers how many. */
  async prune(): Promise<number> {
    const now = this.now().getTime();
    this.lastPrune = now;
    const pruned = await this.store.prune(new Date(now - this.options.keepMs));
    if (pruned > 0) this.log.debug(`${this.subject.name}: sent records pruned`, { count: pruned });
    return pruned;
  }

  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** The timer's sweep: what it publishes was left behind (a failure, an earlier process), so it says so. */
  private tick(): void {
    if (this.stopped) return;
    this.sweep().catch(() => undefined); // logged by run
  }

  private run(): Promise<number> {
    if (this.sweeping !== undefined) return this.sweeping;
    const sweeping = this.sweepUntilDone().finally(() => {
      this.sweeping = undefined;
      this.loud = false;
    });
    this.sweeping = sweeping;
    sweeping.catch((err: unknown) => {
      // Logged here, once, whoever asked for it; `sweep()` callers get the rejection as well.
      this.log.warn(`${this.subject.name} sweep failed`, { error: errorText(err) });
      this.scheduleRetry();
    });
    return sweeping;
  }

  private scheduleRetry(): void {
    if (this.stopped || this.options.retryMs === undefined || this.retry !== undefined) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.tick();
    }, this.options.retryMs);
    this.retry.unref();
  }

  private async sweepUntilDone(): Promise<number> {
    if (this.publish === undefined) return 0;
    const publish = this.publish;
    let sent = 0;
    try {
      while (!this.stopped) {
        if (this.readDue) {
          sent += await this.readAndPublish(publish);
          continue;
        }
        const records = this.fresh.splice(0, this.batch);
        if (records.length === 0) break;
        sent += await this.publishBatch(records, publish);
      }
    } catch (err) {
      this.readDue = true; // what failed is pending in the store: the next sweep reads it
      throw err;
    } finally {
      if (sent > 0) {
        const fields = { count: sent };
        const line = `${this.subject.name}: pending ${this.subject.what} published`;
        if (this.loud) this.log.info(line, fields);
        else this.log.debug(line, fields);
      }
    }
    if (this.now().getTime() - this.lastPrune >= (this.options.pruneMs ?? 0)) await this.prune();
    return sent;
  }

  /** Every pending record in the store, a batch at a time; the handed-over ones are among them. */
  private async readAndPublish(publish: (record: R) => Promise<void>): Promise<number> {
    this.readDue = false;
    let sent = 0;
    for (;;) {
      const before = new Date(this.now().getTime() - this.options.graceMs);
      const records = await this.store.pending(before, this.batch);
      // A handed-over record the read found too goes out once, from here.
      const read = new Set(records.map((r) => this.subject.id(r)));
      this.fresh = this.fresh.filter((r) => !read.has(this.subject.id(r)));
      sent += await this.publishBatch(records, publish);
      if (records.length < this.batch) return sent;
    }
  }

  /** Publishes the batch together, marks the confirmed records sent; throws if any publish failed. */
  private async publishBatch(records: R[], publish: (record: R) => Promise<void>): Promise<number> {
    if (records.length === 0) return 0;
    // Every publish is started before any is awaited, in the batch's order: one channel keeps it.
    const outcomes = await Promise.allSettled(records.map((r) => publish(r)));
    const { sent, failed, held } = confirmedInOrder(
      records,
      outcomes.map((o) => o.status === 'fulfilled'),
      this.subject.orderKey?.bind(this.subject),
    );
    if (sent.length > 0)
      await this.store.markSent(
        sent.map((r) => this.subject.id(r)),
        this.now(),
      );
    const [first] = failed;
    if (first === undefined) return sent.length;
    const reason: unknown = outcomes.find((o) => o.status === 'rejected')?.reason;
    this.log.warn(`${this.subject.name}: publish failed, left for the next sweep`, {
      ...this.subject.fields(first),
      failed: failed.length,
      held: held.length,
      marked: sent.length,
      error: errorText(reason),
    });
    throw new Error(`${failed.length} of ${records.length} ${this.subject.what} not confirmed`);
  }
}
