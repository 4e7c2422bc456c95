import type { IsagStore } from './store';
import type { EarlierReceipt } from './types';

/** What settling a receipt needs of the store (IsagStore; fakes in unit specs). */
export type SettleStore = Pick<IsagStore, 'outboxNames' | 'markCommitted' | 'removeOrphan'>;

/**
 * Where an earlier receipt of a message stands: committed (its outbox record exists; a mark only lost
 * is set now), still in progress (younger than `orphanAfterMs`: a slow store, a sender retrying early),
 * or removed: it died between its first write and its outbox record (ISAG killed), so it was never
 * announced and its writes go. The intake and the orphan sweep share this one rule: a message is ours
 * once the receipt that answered its sender wrote the outbox record.
 */
export async function settleReceipt(
  store: SettleStore,
  earlier: EarlierReceipt,
  at: { now: number; orphanAfterMs: number },
): Promise<'committed' | 'removed' | 'in-progress'> {
  if (earlier.committed) return 'committed';
  if (await store.outboxNames(earlier.id)) {
    await store.markCommitted(earlier.id);
    return 'committed';
  }
  if (at.now - earlier.createdAt.getTime() < at.orphanAfterMs) return 'in-progress';
  await store.removeOrphan(earlier);
  return 'removed';
}
