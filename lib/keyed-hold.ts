export interface HoldOptions {
  /** A key's items go once no new one came for this long (0: those of one turn of the event loop). */
  quietMs: number;
  /** ... or this long after the first of them, however busy the key is. */
  maxMs: number;
  now?: () => number;
  /** setTimeout/clearTimeout unless given (tests drive time themselves). */
  timers?: Timers;
}

export interface Timers {
  set(fire: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fire, ms) => setTimeout(fire, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface Held<T> {
  items: T[];
  firstAt: number;
  timer: unknown;
}

/**
 * Holds items per key (a contact) until the key goes quiet, then hands them on together, in order. A
 * call's history comes in bursts (routing, the agent ringing and answering, the end): held through a
 * burst, its entries become one store write instead of one per moment. An entry leaves when its key is
 * released (quiet, the longest hold, or `release` by a reader that needs it stored), so the map holds only
 * keys with items waiting, each with one timer.
 */
export class KeyedHold<T> {
  private readonly held = new Map<string, Held<T>>();
  private readonly now: () => number;
  private readonly timers: Timers;

  constructor(
    private readonly pass: (key: string, items: T[]) => void,
    private readonly o: HoldOptions,
  ) {
    this.now = o.now ?? Date.now;
    this.timers = o.timers ?? realTimers;
  }

  add(key: string, item: T): void {
    const now = this.now();
    const h = this.held.get(key);
    if (h === undefined) {
      this.held.set(key, { items: [item], firstAt: now, timer: this.arm(key, this.o.quietMs) });
      return;
    }
    h.items.push(item);
    this.timers.clear(h.timer);
    h.timer = this.arm(key, Math.min(this.o.quietMs, h.firstAt + this.o.maxMs - now));
  }

  /** Hands the key's items on now (a reader needs them stored). */
  release(key: string): void {
    const h = this.held.get(key);
    if (h === undefined) return;
    this.timers.clear(h.timer);
    this.held.delete(key);
    this.pass(key, h.items);
  }

  /** Hands every key's items on now (the process stops). */
  releaseAll(): void {
    for (const key of [...this.held.keys()]) this.release(key);
  }

  /** Keys with items waiting. */
  get size(): number {
    return this.held.size;
  }

  private arm(key: string, ms: number): unknown {
    return this.timers.set(() => this.release(key), Math.max(0, ms));
  }
}
