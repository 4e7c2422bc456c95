/**
 * Runs tasks one at a time per key (a contact id): one change at a time per call, in arrival order.
 * A key's chain is dropped as soon as it is idle, so the map holds only calls with work in flight.
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves once the tasks of `key` queued so far are done (at once when it has none). */
  idle(key: string): Promise<void> {
    return (this.tails.get(key) ?? Promise.resolve()).then(() => undefined);
  }

  /** Resolves once every task queued so far is done. */
  async idleAll(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }

  get size(): number {
    return this.tails.size;
  }
}
