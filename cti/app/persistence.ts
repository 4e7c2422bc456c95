import { Backoff, SERVICE_BACKOFF } from '../../lib/backoff';
import { Logger, errorText } from '../../lib/log';
import type { DomainSnapshot } from '../domain';
import type { CallbackEntry } from './callbacks';
import type { Device } from './devices';
import type { OwnersSnapshot } from './owners';
import type { StateChange, StateRecords } from '../store/cti-state';
import { diffRecords, toRecords, withRelated } from './state-records';

/** Everything CTI needs to come back after a crash: the routing domain and who owns each call. */
export interface CtiState {
  readonly version: 1;
  readonly savedAt: number;
  readonly domain: DomainSnapshot;
  readonly owners: OwnersSnapshot;
  /** The callbacks promised (numbers to dial); absent in states stored before callbacks existed. */
  readonly callbacks?: ReadonlyArray<CallbackEntry & { contactId: string }>;
  /** Each logged-in agent's chosen device (devices.ts); absent in states stored before devices. */
  readonly devices?: ReadonlyArray<[string, Device]>;
}

export type { StateChange } from '../store/cti-state';

export interface PersisterPorts {
  /** Takes the whole state as it is now (synchronously: nothing can change in between). */
  capture: () => Omit<CtiState, 'savedAt'>;
  /**
   * One record's text as it is now (undefined: gone). Without it every write captures the whole state;
   * with it a write reads only the records marked changed (`durable(keys)`, `takeChanged`).
   */
  record?: (key: string) => string | undefined;
  /** Keys changed outside the domain's outcomes (call owners, callbacks), taken at each write. */
  takeChanged?: () => Iterable<string>;
  /** Stores a change of the state's records (state-records.ts). */
  save: (change: StateChange, savedAt: number) => Promise<void>;
  now?: () => number;
  log: Logger;
  /** How long a change waits for others to share its write (the bound on the added latency). */
  delayMs: number;
  /**
   * A write compares the whole state with what is stored at least this often (and first after start):
   * the safety net under the change marks; a record it finds changed but unmarked is logged.
   */
  fullEveryMs?: number;
  /** First retry after a failed write, and the longest wait between retries: the project's backoff
   * (lib/backoff.ts) unless given. */
  retryMs?: number;
  maxRetryMs?: number;
}

interface Waiter {
  resolve: () => void;
}

/**
 * Group commit of CTI's state: every change asks `durable()` and gets a promise that resolves once a
 * write that captured the state after the change is stored. One write is in flight at a time; the
 * changes made meanwhile share the next write, so the write rate is bounded by the store's latency,
 * not by the event rate. A write carries only the records that changed since the last one (an agent, a
 * contact, a call's owners: docs/cti-recovery.md), and a write that would store nothing is skipped.
 * Which records changed comes from the change marks, so a write costs what changed, not the state's
 * size (capturing the whole state of 400 agents on every write took a third of CTI's CPU at 24 calls/s).
 *
 * A failed write is retried with backoff and its waiters stay pending: CTI acknowledges no message and
 * sends no command whose state is not stored, rather than act on state a crash would forget.
 */
export class StatePersister {
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing = false;
  private lastStored = new Map<string, string>();
  /** Records marked changed and not yet written. */
  private dirty = new Set<string>();
  /** A change no mark names was announced: the next write compares the whole state. */
  private wholeDue = false;
  private lastFullAt = Number.NEGATIVE_INFINITY;
  private readonly retry: Backoff;
  private writes = 0;
  private skipped = 0;
  private untracked = 0;

  constructor(private readonly ports: PersisterPorts) {
    this.retry = new Backoff({
      ...SERVICE_BACKOFF,
      initialMs: ports.retryMs ?? SERVICE_BACKOFF.initialMs,
      maxMs: ports.maxRetryMs ?? SERVICE_BACKOFF.maxMs,
    });
  }

  /**
   * Resolves once the state as it is now (and any later change captured with it) is stored. `keys`:
   * the records this change touched (state-records.ts `outcomeKeys`). `whole`: a change no key names
   * (a queue's or an agent's configuration, applied from the directory): the next write compares the
   * whole state, as announced (not logged as a missing mark).
   */
  durable(keys: Iterable<string> = [], whole = false): Promise<void> {
    for (const key of keys) this.dirty.add(key);
    if (whole) this.wholeDue = true;
    return new Promise((resolve) => {
      this.waiters.push({ resolve });
      this.schedule(this.ports.delayMs);
    });
  }

  /** Marks the state as already stored (what was just restored) so an identical first write is skipped. */
  stored(state: Omit<CtiState, 'savedAt'>): void {
    this.lastStored = toRecords(state);
  }

  get stats(): { writes: number; skipped: number; pending: number; untracked: number } {
    return {
      writes: this.writes,
      skipped: this.skipped,
      pending: this.waiters.length,
      untracked: this.untracked,
    };
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined || this.writing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((err: unknown) =>
        this.ports.log.error('state write loop failed', { error: errorText(err) }),
      );
    }, delayMs);
  }

  private async flush(): Promise<void> {
    if (this.waiters.length === 0) return;
    this.writing = true;
    const batch = this.waiters;
    this.waiters = [];
    for (const key of this.ports.takeChanged?.() ?? []) this.dirty.add(key);
    // A contact's (an agent's) records go together: a write is never half of one (state-records.ts).
    const keys = withRelated(this.dirty);
    this.dirty = new Set();
    const now = (this.ports.now ?? Date.now)();
    const announced = this.wholeDue;
    this.wholeDue = false;
    const whole =
      announced ||
      this.ports.record === undefined ||
      now - this.lastFullAt >= (this.ports.fullEveryMs ?? 30_000);
    const { put, del } = whole ? this.compareWhole(keys, announced) : this.compare(keys);
    try {
      if (put.length === 0 && del.length === 0) {
        this.skipped++;
      } else {
        const stored = this.lastStored;
        const records = () => applied(stored, put, del);
        await this.ports.save({ put, del, records }, now);
        for (const [key, text] of put) this.lastStored.set(key, text);
        for (const key of del) this.lastStored.delete(key);
        this.writes++;
      }
      if (whole) this.lastFullAt = now;
      this.retry.reset();
    } catch (err) {
      const wait = this.retry.next();
      this.ports.log.error('CTI state not stored; retrying', {
        error: errorText(err),
        waiting: batch.length,
        retryMs: wait,
      });
      for (const key of keys) this.dirty.add(key);
      this.wholeDue ||= announced;
      this.waiters = [...batch, ...this.waiters];
      this.writing = false;
      this.schedule(wait);
      return;
    }
    this.writing = false;
    for (const w of batch) w.resolve();
    if (this.waiters.length > 0) this.schedule(this.ports.delayMs);
  }

  /** The marked records against what is stored. */
  private compare(keys: ReadonlySet<string>): { put: Array<[string, string]>; del: string[] } {
    const put: Array<[string, string]> = [];
    const del: string[] = [];
    const record = this.ports.record as (key: string) => string | undefined;
    for (const key of keys) {
      const text = record(key);
      if (text === undefined) {
        if (this.lastStored.has(key)) del.push(key);
      } else if (this.lastStored.get(key) !== text) put.push([key, text]);
    }
    return { put, del };
  }

  /**
   * The whole state against what is stored; a change no mark announced is logged (a missing mark),
   * unless the comparison was asked for (`announced`: a change no key could name).
   */
  private compareWhole(
    keys: ReadonlySet<string>,
    announced: boolean,
  ): { put: Array<[string, string]>; del: string[] } {
    const change = diffRecords(this.lastStored, toRecords(this.ports.capture()));
    if (!announced && this.ports.record !== undefined && this.lastFullAt !== Number.NEGATIVE_INFINITY) {
      // Every marked change was written by its own write: a difference in a record not marked now is
      // a change made without a mark.
      const missed = [...change.put.map(([key]) => key), ...change.del].filter((key) => !keys.has(key));
      if (missed.length > 0) {
        this.untracked += missed.length;
        this.ports.log.warn('CTI state records changed without a change mark', {
          records: missed.slice(0, 10),
          count: missed.length,
        });
      }
    }
    return change;
  }
}

function applied(
  stored: ReadonlyMap<string, string>,
  put: ReadonlyArray<[string, string]>,
  del: readonly string[],
): StateRecords {
  const records = new Map(stored);
  for (const [key, text] of put) records.set(key, text);
  for (const key of del) records.delete(key);
  return records;
}
