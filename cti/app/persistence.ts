import { Logger, errorText } from '../../lib/log';
import type { DomainSnapshot } from '../domain';
import type { CallbackEntry } from './callbacks';
import type { OwnersSnapshot } from './owners';
import { type StateRecords, diffRecords, toRecords } from './state-records';

/** Everything CTI needs to come back after a crash: the routing domain and who owns each call. */
export interface CtiState {
  readonly version: 1;
  readonly savedAt: number;
  readonly domain: DomainSnapshot;
  readonly owners: OwnersSnapshot;
  /** The callbacks promised (numbers to dial); absent in states stored before callbacks existed. */
  readonly callbacks?: ReadonlyArray<CallbackEntry & { contactId: string }>;
}

/** One write: the records new or changed since the last write, the ones gone, and all of them now. */
export interface StateChange {
  readonly put: ReadonlyArray<[string, string]>;
  readonly del: readonly string[];
  readonly records: StateRecords;
}

export interface PersisterPorts {
  /** Takes the state as it is now (synchronously: nothing can change in between). */
  capture: () => Omit<CtiState, 'savedAt'>;
  /** Stores a change of the state's records (state-records.ts). */
  save: (change: StateChange, savedAt: number) => Promise<void>;
  now?: () => number;
  log: Logger;
  /** How long a change waits for others to share its write (the bound on the added latency). */
  delayMs: number;
  /** First retry after a failed write; doubles up to `maxRetryMs`. */
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
 *
 * A failed write is retried with backoff and its waiters stay pending: CTI acknowledges no message and
 * sends no command whose state is not stored, rather than act on state a crash would forget.
 */
export class StatePersister {
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing = false;
  private lastStored: StateRecords = new Map();
  private retryMs: number;
  private writes = 0;
  private skipped = 0;

  constructor(private readonly ports: PersisterPorts) {
    this.retryMs = ports.retryMs ?? 100;
  }

  /** Resolves once the state as it is now (and any later change captured with it) is stored. */
  durable(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ resolve });
      this.schedule(this.ports.delayMs);
    });
  }

  /** Marks the state as already stored (what was just restored) so an identical first write is skipped. */
  stored(state: Omit<CtiState, 'savedAt'>): void {
    this.lastStored = toRecords(state);
  }

  get stats(): { writes: number; skipped: number; pending: number } {
    return { writes: this.writes, skipped: this.skipped, pending: this.waiters.length };
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
    const records = toRecords(this.ports.capture());
    const { put, del } = diffRecords(this.lastStored, records);
    try {
      if (put.length === 0 && del.length === 0) {
        this.skipped++;
      } else {
        await this.ports.save({ put, del, records }, (this.ports.now ?? Date.now)());
        this.lastStored = records;
        this.writes++;
      }
      this.retryMs = this.ports.retryMs ?? 100;
    } catch (err) {
      this.ports.log.error('CTI state not stored; retrying', {
        error: errorText(err),
        waiting: batch.length,
        retryMs: this.retryMs,
      });
      this.waiters = [...batch, ...this.waiters];
      this.writing = false;
      const wait = this.retryMs;
      this.retryMs = Math.min(this.retryMs * 2, this.ports.maxRetryMs ?? 5_000);
      this.schedule(wait);
      return;
    }
    this.writing = false;
    for (const w of batch) w.resolve();
    if (this.waiters.length > 0) this.schedule(this.ports.delayMs);
  }
}
