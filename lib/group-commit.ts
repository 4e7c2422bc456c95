/**
 * Group commit: writes submitted while one batch is being stored go, together, into the next batch.
 * With the store idle a write starts at once (no added delay); under load the number of store
 * round trips follows the store's latency instead of the event rate, which is what lets one CTI keep
 * up with a document store that does a few hundred single updates per second.
 *
 * Each `submit` resolves when the batch that carried it is stored, or rejects with its own error (or
 * the batch's): a caller still acknowledges its message only once its own write is durable.
 */
export class GroupCommit<Op> {
  private pending: Array<{ op: Op; resolve: () => void; reject: (err: unknown) => void }> = [];
  private writing = false;
  private scheduled = false;
  private last: Promise<void> = Promise.resolve();
  private lastStart = Number.NEGATIVE_INFINITY;
  private batches = 0;
  private ops = 0;

  /**
   * `write` stores a whole batch, in submission order; it is never called twice at the same time. It
   * may answer one error (or undefined) per operation, so one refused write fails alone.
   *
   * `intervalMs`: batches start at least this far apart. 0 (the default) writes as soon as the store is
   * free; more lets the writes of a longer moment share a batch, which a caller that does not wait for
   * them (history written behind, acknowledged later) trades for fewer, larger store operations.
   */
  constructor(
    private readonly write: (batch: readonly Op[]) => Promise<ReadonlyArray<unknown> | void>,
    private readonly intervalMs = 0,
    private readonly now: () => number = Date.now,
  ) {}

  submit(op: Op): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      this.schedule();
    });
    // Batches are written one after the other: the last operation settled means all before it are.
    this.last = done.then(
      () => undefined,
      () => undefined,
    );
    return done;
  }

  /** Resolves once every operation submitted so far is written (or failed): a read after it sees them. */
  settled(): Promise<void> {
    return this.last;
  }

  /**
   * The writes of the rest of this turn of the event loop (a domain outcome's several entries, the other
   * messages already read from the socket) share the batch; with an interval, those until it is over.
   */
  private schedule(): void {
    if (this.writing || this.scheduled || this.pending.length === 0) return;
    this.scheduled = true;
    const wait = this.lastStart + this.intervalMs - this.now();
    const go = () => {
      this.scheduled = false;
      this.drain();
    };
    if (wait > 0) setTimeout(go, wait);
    else setImmediate(go);
  }

  /** Batches written and operations carried since the start (ops / batches = the grouping achieved). */
  get stats(): { batches: number; ops: number; pending: number } {
    return { batches: this.batches, ops: this.ops, pending: this.pending.length };
  }

  private drain(): void {
    if (this.writing || this.pending.length === 0) return;
    this.writing = true;
    this.lastStart = this.now();
    const batch = this.pending;
    this.pending = [];
    this.batches += 1;
    this.ops += batch.length;
    this.write(batch.map((b) => b.op)).then(
      (errors) =>
        this.settle(() =>
          batch.forEach((b, i) => {
            const err = errors?.[i];
            if (err === undefined) b.resolve();
            else b.reject(err);
          }),
        ),
      (err: unknown) => this.settle(() => batch.forEach((b) => b.reject(err))),
    );
  }

  private settle(notify: () => void): void {
    this.writing = false;
    notify();
    this.schedule();
  }
}
