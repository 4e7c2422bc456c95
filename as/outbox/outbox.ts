import type { Logger } from '../../lib/log';
import { errorText } from '../../lib/log';

export type ChangeAction = 'create' | 'update' | 'delete';
export type ChangeEntityName = 'agent' | 'queue' | 'ivrflow' | 'reason';

export interface Change {
  entity: ChangeEntityName;
  entityId: string;
  action: ChangeAction;
}

export interface OutboxRecord extends Change {
  id: string;
  createdAt: Date;
}

/** Where outbox records live (as/outbox/store.ts on the document store; a Map in unit tests). */
export interface OutboxStore {
  insert(change: Change, at: Date): Promise<OutboxRecord>;
  markSent(id: string, at: Date): Promise<void>;
  /** Unsent records created before `before`, oldest first. */
  pending(before: Date, limit: number): Promise<OutboxRecord[]>;
  /** Deletes records sent before `before`; answers how many. */
  prune(before: Date): Promise<number>;
}

/** Resolves once the broker confirmed the message (publisher confirms). */
export type PublishChange = (record: OutboxRecord) => Promise<void>;

export interface OutboxOptions {
  /**
   * A pending record younger than this is left to the request that wrote it: its change may not be
   * stored yet, and an event published before the change would be read as "nothing changed".
   */
  graceMs: number;
  /** How often pending records are looked for (and sent ones pruned). */
  sweepMs: number;
  /** How long a sent record is kept (for an operator to see what went out). */
  keepMs: number;
  /** How long a request waits for its publish before answering anyway (the sweep retries). */
  publishWaitMs: number;
  now?: () => Date;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  graceMs: 5_000,
  sweepMs: 2_000,
  keepMs: 3_600_000,
  publishWaitMs: 1_000,
};

/**
 * The transactional outbox of directory changes, for a store without transactions (FerretDB v1):
 * 1. a pending record naming the change is written *before* the change;
 * 2. the change is written;
 * 3. the record is published (publisher confirms) and marked sent.
 * A crash between 1 and 3 leaves the record pending; the sweep (at start, then every `sweepMs`) publishes
 * it. The event carries no data, consumers re-read the store: an event for a change that failed or never
 * happened, or one published twice, is harmless, so the publish after a failed write is done anyway (the
 * write may have happened before it failed). The only loss: a write that takes longer than `graceMs`,
 * published early by the sweep and then the process dying before its own publish; hence a grace well
 * above the store's operation timeouts.
 */
export class ChangeOutbox {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<number> | undefined;
  private readonly options: OutboxOptions;

  constructor(
    private readonly store: OutboxStore,
    private readonly log: Logger,
    private readonly publish: PublishChange | undefined,
    options: Partial<OutboxOptions> = {},
  ) {
    this.options = { ...DEFAULT_OUTBOX_OPTIONS, ...options };
  }

  /** Runs `write` between the outbox record and its publish. */
  async record<T>(change: Change, write: () => Promise<T>): Promise<T> {
    const record = await this.store.insert(change, this.now());
    try {
      return await write();
    } finally {
      await this.publishNow(record);
    }
  }

  /** Sweeps once now, then every `sweepMs`. */
  start(): void {
    this.kick();
    this.timer = setInterval(() => this.kick(), this.options.sweepMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.sweeping;
  }

  /** Publishes every pending record past its grace, oldest first; answers how many went out. */
  sweep(): Promise<number> {
    this.sweeping ??= this.sweepOnce().finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  private kick(): void {
    this.sweep().catch((err: unknown) => this.log.warn('outbox sweep failed', { error: errorText(err) }));
  }

  private async sweepOnce(): Promise<number> {
    if (this.publish === undefined) return 0;
    const now = this.now().getTime();
    let sent = 0;
    for (;;) {
      const batch = await this.store.pending(new Date(now - this.options.graceMs), 100);
      for (const record of batch) {
        await this.publish(record);
        await this.store.markSent(record.id, this.now());
        sent++;
      }
      if (batch.length < 100) break;
    }
    if (sent > 0) this.log.info('outbox: pending changes published', { count: sent });
    await this.store.prune(new Date(now - this.options.keepMs));
    return sent;
  }

  /** Never throws: a record that could not go out stays pending for the sweep. */
  private async publishNow(record: OutboxRecord): Promise<void> {
    if (this.publish === undefined) return;
    const attempt = this.publish(record).then(() => this.store.markSent(record.id, this.now()));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.publishWaitMs);
    });
    try {
      const result = await Promise.race([attempt, timeout]);
      if (result === 'timeout') {
        this.log.warn('outbox: publish slow, left to the sweep', { ...changeFields(record) });
        attempt.catch(() => undefined); // logged below if it fails before the race ends; the sweep retries
      }
    } catch (err) {
      this.log.warn('outbox: publish failed, left to the sweep', {
        ...changeFields(record),
        error: errorText(err),
      });
    } finally {
      clearTimeout(timer);
    }
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

function changeFields(r: OutboxRecord) {
  return { outboxId: r.id, entity: r.entity, entityId: r.entityId, action: r.action };
}
