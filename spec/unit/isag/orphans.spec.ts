/* eslint-disable @typescript-eslint/require-await -- stand-ins keep the async interface of what they replace */
import winston from 'winston';
import { expect } from '../../support/chai';
import { OrphanSweeper, type OrphanStore } from '../../../isag/core/orphans';
import type { EarlierReceipt } from '../../../isag/core/types';

const log = winston.createLogger({ silent: true });
const T0 = Date.parse('2026-12-07T12:00:00Z');

/** Messages by id with their receipt, and the ids the outbox names. */
class MemoryReceipts implements OrphanStore {
  readonly receipts = new Map<string, EarlierReceipt>();
  readonly announced = new Set<string>();
  readonly removed: string[] = [];
  failNext = false;
  add(id: string, ageMs: number, committed = false): void {
    this.receipts.set(id, {
      id,
      interactionId: `i-${id}`,
      committed,
      createdAt: new Date(T0 - ageMs),
      fileIds: [],
    });
  }
  async uncommittedBefore(before: Date, limit: number) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('store down');
    }
    return [...this.receipts.values()]
      .filter((r) => !r.committed && r.createdAt < before)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, limit);
  }
  async outboxNames(id: string) {
    return this.announced.has(id);
  }
  async markCommitted(id: string) {
    const r = this.receipts.get(id);
    if (r !== undefined) r.committed = true;
  }
  async removeOrphan(earlier: EarlierReceipt) {
    this.receipts.delete(earlier.id);
    this.removed.push(earlier.id);
  }
}

describe('ISAG orphan sweep (receipts cut before their commit point)', () => {
  const sweeper = (store: OrphanStore, batch = 100) =>
    new OrphanSweeper(store, log, { orphanAfterMs: 30_000, batch, now: () => T0 });

  it('removes an uncommitted receipt older than the threshold that no outbox record names', async () => {
    const store = new MemoryReceipts();
    store.add('old', 31_000);
    expect(await sweeper(store).sweep()).to.deep.equal({ removed: 1, committed: 0 });
    expect(store.removed).to.deep.equal(['old']);
  });

  it('leaves a receipt younger than the threshold: it may still be in flight', async () => {
    const store = new MemoryReceipts();
    store.add('young', 29_000);
    expect(await sweeper(store).sweep()).to.deep.equal({ removed: 0, committed: 0 });
    expect([...store.receipts.keys()]).to.deep.equal(['young']);
  });

  it('marks committed, and keeps, a receipt whose outbox record exists but whose mark was lost', async () => {
    const store = new MemoryReceipts();
    store.add('announced', 60_000);
    store.announced.add('announced');
    expect(await sweeper(store).sweep()).to.deep.equal({ removed: 0, committed: 1 });
    expect(store.receipts.get('announced')?.committed).to.equal(true);
    expect(store.removed).to.deep.equal([]);
  });

  it('never touches a committed receipt', async () => {
    const store = new MemoryReceipts();
    store.add('done', 3_600_000, true);
    expect(await sweeper(store).sweep()).to.deep.equal({ removed: 0, committed: 0 });
  });

  it('takes at most a batch per pass, oldest first', async () => {
    const store = new MemoryReceipts();
    for (let i = 0; i < 5; i++) store.add(`m${i}`, 40_000 + i * 1000);
    expect(await sweeper(store, 2).sweep()).to.deep.equal({ removed: 2, committed: 0 });
    expect(store.removed).to.deep.equal(['m4', 'm3']);
  });

  it('a failed pass is logged and the next one runs', async () => {
    const store = new MemoryReceipts();
    store.add('old', 31_000);
    store.failNext = true;
    const s = new OrphanSweeper(store, log, { orphanAfterMs: 30_000, everyMs: 10, now: () => T0 });
    s.start();
    for (let i = 0; i < 50 && store.removed.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await s.stop();
    expect(store.removed).to.deep.equal(['old']);
  });
});
