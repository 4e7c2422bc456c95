import type { Logger } from '../../lib/log';
import { OutboxSweeper, type SweepOptions, type SweepStore } from '../../lib/outbox/sweeper';

export type ChangeAction = 'create' | 'update' | 'delete';
export type ChangeEntityName = 'agent' | 'queue' | 'ivrflow' | 'reason' | 'hours';

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
export interface OutboxStore extends SweepStore<OutboxRecord> {
  insert(change: Change, at: Date): Promise<OutboxRecord>;
}

/** Resolves once the broker confirmed the message (publisher confirms). */
export type PublishChange = (record: OutboxRecord) => Promise<void>;

/**
 * The grace matters here: an event published before its change is stored would be read as "nothing
 * changed" by every consumer.
 */
export type OutboxOptions = SweepOptions;

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
  private readonly sweeper: OutboxSweeper<OutboxRecord>;

  constructor(
    private readonly store: OutboxStore,
    log: Logger,
    publish: PublishChange | undefined,
    options: Partial<OutboxOptions> = {},
  ) {
    const subject = { name: 'outbox', what: 'changes', id: (r: OutboxRecord) => r.id, fields: changeFields };
    this.sweeper = new OutboxSweeper(store, publish, log, subject, { ...DEFAULT_OUTBOX_OPTIONS, ...options });
  }

  /** Runs `write` between the outbox record and its publish. */
  async record<T>(change: Change, write: () => Promise<T>): Promise<T> {
    const record = await this.store.insert(change, this.sweeper.now());
    try {
      return await write();
    } finally {
      await this.sweeper.publishNow(record);
    }
  }

  /** Sweeps once now, then every `sweepMs`. */
  start(): void {
    this.sweeper.start();
  }

  stop(): Promise<void> {
    return this.sweeper.stop();
  }

  /** Publishes every pending record past its grace, oldest first; answers how many went out. */
  sweep(): Promise<number> {
    return this.sweeper.sweep();
  }
}

function changeFields(r: OutboxRecord) {
  return { outboxId: r.id, entity: r.entity, entityId: r.entityId, action: r.action };
}
