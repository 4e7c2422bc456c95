import type { Logger } from '../../lib/log';
import { errorText } from '../../lib/log';
import { ORPHAN_AFTER_MS } from './intake';
import { settleReceipt } from './receipts';
import type { IsagStore } from './store';

/** What the sweep needs of the store (IsagStore; a fake in unit specs). */
export type OrphanStore = Pick<
  IsagStore,
  'uncommittedBefore' | 'outboxNames' | 'markCommitted' | 'removeOrphan'
>;

export interface OrphanSweepOptions {
  everyMs: number;
  /** A receipt younger than this may still be in flight (the intake's own threshold). */
  orphanAfterMs: number;
  batch: number;
  now?: () => number;
}

const DEFAULTS: OrphanSweepOptions = { everyMs: 5_000, orphanAfterMs: ORPHAN_AFTER_MS, batch: 100 };

/**
 * A receipt cut between its first write and its outbox record (ISAG killed, the store lost) leaves a
 * message its sender was never told about. The intake removes it when the sender retries; a sender that
 * gives up never does, so without this sweep the message would stay stored and never be announced.
 * Removing it (rather than announcing it) keeps one rule for every sender: a message is ours once the
 * sender was answered, and the receipt that answered it wrote the outbox record first.
 */
export class OrphanSweeper {
  private readonly options: OrphanSweepOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: OrphanStore,
    private readonly log: Logger,
    options: Partial<OrphanSweepOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.tick(), this.options.everyMs);
    this.timer.unref();
    this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass; answers how many receipts it removed and how many it found committed after all. */
  async sweep(): Promise<{ removed: number; committed: number }> {
    const now = this.options.now?.() ?? Date.now();
    const found = await this.store.uncommittedBefore(
      new Date(now - this.options.orphanAfterMs),
      this.options.batch,
    );
    let removed = 0;
    let committed = 0;
    for (const earlier of found) {
      const settled = await settleReceipt(this.store, earlier, {
        now,
        orphanAfterMs: this.options.orphanAfterMs,
      });
      if (settled === 'committed') committed += 1;
      if (settled !== 'removed') continue;
      removed += 1;
      this.log.warn('a receipt died before its commit point and its sender did not retry: removed', {
        messageId: earlier.id,
        contactId: earlier.interactionId,
      });
    }
    return { removed, committed };
  }

  private tick(): void {
    if (this.running !== undefined) return;
    this.running = this.sweep()
      .then(
        () => undefined,
        (err: unknown) => {
          this.log.warn('orphan sweep failed', { error: errorText(err) });
        },
      )
      .finally(() => {
        this.running = undefined;
      });
  }
}
