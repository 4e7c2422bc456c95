import { expect } from '../../support/chai';
import { createLogger } from '../../../lib/log';
import { confirmedInOrder } from '../../../lib/outbox/confirmed';
import { OutboxSweeper, type SweepStore } from '../../../lib/outbox/sweeper';

const log = createLogger('test', 'sweeper');
log.silent = true;

interface Row {
  id: string;
  key: string;
  createdAt: number;
  sentAt?: number;
}

/** Records as plain data; `marks` holds each store update's ids. */
class MemoryStore implements SweepStore<Row> {
  readonly rows: Row[] = [];
  readonly marks: string[][] = [];
  pending(before: Date, limit: number): Promise<Row[]> {
    const rows = this.rows.filter((r) => r.sentAt === undefined && r.createdAt < before.getTime());
    return Promise.resolve(rows.slice(0, limit));
  }
  markSent(ids: readonly string[], at: Date): Promise<void> {
    this.marks.push([...ids]);
    for (const r of this.rows) if (ids.includes(r.id)) r.sentAt = at.getTime();
    return Promise.resolve();
  }
  prune(before: Date): Promise<number> {
    const keep = this.rows.filter((r) => r.sentAt === undefined || r.sentAt >= before.getTime());
    const pruned = this.rows.length - keep.length;
    this.rows.splice(0, this.rows.length, ...keep);
    return Promise.resolve(pruned);
  }
}

const subject = {
  name: 'test outbox',
  what: 'rows',
  id: (r: Row) => r.id,
  fields: (r: Row) => ({ id: r.id }),
};

describe('lib/outbox: the sweeper shared by every outbox', () => {
  describe('confirmedInOrder: which records of a batch are marked sent', () => {
    const rows = ['a1', 'b1', 'a2', 'c1', 'b2'].map((id) => ({ id, key: id[0] ?? '' }));
    const confirmed = [false, true, true, true, false];

    it('without an order key: every confirmed record', () => {
      const out = confirmedInOrder(rows, confirmed);
      expect(out.sent.map((r) => r.id)).to.deep.equal(['b1', 'a2', 'c1']);
      expect(out.failed.map((r) => r.id)).to.deep.equal(['a1', 'b2']);
      expect(out.held).to.deep.equal([]);
    });

    it('with one: a confirmed record behind a failed one of its key is held back', () => {
      const out = confirmedInOrder(rows, confirmed, (r) => r.key);
      expect(out.sent.map((r) => r.id)).to.deep.equal(['b1', 'c1']);
      expect(out.failed.map((r) => r.id)).to.deep.equal(['a1', 'b2']);
      expect(out.held.map((r) => r.id)).to.deep.equal(['a2']);
    });
  });

  it('publishes a batch with every publish in flight, marks the confirmed ones in one update', async () => {
    const store = new MemoryStore();
    for (let n = 0; n < 5; n++) store.rows.push({ id: `r${n}`, key: 'k', createdAt: n });
    let inFlight = 0;
    let most = 0;
    const sweeper = new OutboxSweeper<Row>(
      store,
      async (r) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        if (r.id === 'r2') throw new Error('nack');
      },
      log,
      subject,
      { graceMs: 0, sweepMs: 60_000, keepMs: 60_000, batch: 10, now: () => new Date(100) },
    );
    const failure = await sweeper.sweep().then(
      () => 'resolved',
      (err: Error) => err.message,
    );
    expect(failure).to.equal('1 of 5 rows not confirmed');
    expect(most).to.equal(5);
    // No order key here: the records after the nacked one are marked too.
    expect(store.marks).to.deep.equal([['r0', 'r1', 'r3', 'r4']]);
    expect(store.rows.filter((r) => r.sentAt === undefined).map((r) => r.id)).to.deep.equal(['r2']);
  });

  it('leaves records younger than the grace, and prunes no more often than asked', async () => {
    const store = new MemoryStore();
    let clock = 10_000;
    store.rows.push({ id: 'old', key: 'k', createdAt: 1_000, sentAt: 2_000 });
    store.rows.push({ id: 'young', key: 'k', createdAt: 9_500 });
    const sweeper = new OutboxSweeper<Row>(store, () => Promise.resolve(), log, subject, {
      graceMs: 1_000,
      sweepMs: 60_000,
      keepMs: 5_000,
      pruneMs: 30_000,
      now: () => new Date(clock),
    });
    expect(await sweeper.sweep()).to.equal(0);
    expect(store.rows.map((r) => r.id)).to.deep.equal(['young']); // `old` pruned by the first sweep
    clock = 11_000;
    expect(await sweeper.sweep()).to.equal(1);
    store.rows.push({ id: 'later', key: 'k', createdAt: 0, sentAt: 1 });
    clock = 20_000;
    await sweeper.sweep();
    expect(store.rows.map((r) => r.id)).to.deep.equal(['young', 'later']); // 9 s since the last prune
    clock = 41_000;
    await sweeper.sweep();
    expect(store.rows.map((r) => r.id)).to.deep.equal([]);
  });
});
