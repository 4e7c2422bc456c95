import { expect } from '../../support/chai';
import { createLogger } from '../../../lib/log';
import { ChangeOutbox, type Change, type OutboxRecord, type OutboxStore } from '../../../as/outbox/outbox';

/** The outbox store as plain data: records by id, with their sent time. */
class MemoryStore implements OutboxStore {
  readonly rows = new Map<string, OutboxRecord & { sentAt?: Date }>();
  private seq = 0;
  insert(change: Change, at: Date): Promise<OutboxRecord> {
    const record = { ...change, id: `r${++this.seq}`, createdAt: at };
    this.rows.set(record.id, { ...record });
    return Promise.resolve(record);
  }
  markSent(ids: readonly string[], at: Date): Promise<void> {
    for (const id of ids) {
      const row = this.rows.get(id);
      if (row) row.sentAt = at;
    }
    return Promise.resolve();
  }
  pending(before: Date, limit: number): Promise<OutboxRecord[]> {
    const rows = [...this.rows.values()]
      .filter((r) => r.sentAt === undefined && r.createdAt < before)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, limit);
    return Promise.resolve(rows.map(({ sentAt: _s, ...r }) => r));
  }
  prune(before: Date): Promise<number> {
    let n = 0;
    for (const [id, r] of this.rows)
      if (r.sentAt !== undefined && r.sentAt < before && this.rows.delete(id)) n++;
    return Promise.resolve(n);
  }
  get unsent(): string[] {
    return [...this.rows.values()].filter((r) => r.sentAt === undefined).map((r) => r.entityId);
  }
}

const log = createLogger('test', 'outbox');
const change = (entityId: string): Change => ({ entity: 'agent', entityId, action: 'update' });

describe('as/outbox: changes published after their write, never lost', () => {
  let clock: number;
  const now = () => new Date(clock);
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('writes the pending record before the change, publishes after it and marks it sent', async () => {
    const store = new MemoryStore();
    const order: string[] = [];
    const outbox = new ChangeOutbox(
      store,
      log,
      (r) => {
        order.push(`publish ${r.entityId}`);
        return Promise.resolve();
      },
      { now },
    );
    const result = await outbox.record(change('a1'), () => {
      order.push(`write (pending: ${store.unsent.join(',')})`);
      return Promise.resolve(42);
    });
    expect(result).to.equal(42);
    expect(order).to.deep.equal(['write (pending: a1)', 'publish a1']);
    expect(store.unsent).to.deep.equal([]);
  });

  it('a publish that fails leaves the record pending; the sweep publishes it after the grace', async () => {
    const store = new MemoryStore();
    const published: string[] = [];
    let brokerUp = false;
    const outbox = new ChangeOutbox(
      store,
      log,
      (r) => {
        if (!brokerUp) return Promise.reject(new Error('broker down'));
        published.push(r.entityId);
        return Promise.resolve();
      },
      { now, graceMs: 5_000 },
    );
    await outbox.record(change('a1'), () => Promise.resolve());
    expect(store.unsent).to.deep.equal(['a1']);
    brokerUp = true;
    expect(await outbox.sweep()).to.equal(0); // still within the grace: its request may be writing
    clock += 5_001;
    expect(await outbox.sweep()).to.equal(1);
    expect(published).to.deep.equal(['a1']);
    expect(store.unsent).to.deep.equal([]);
  });

  it('a crash between the write and the publish: the next process publishes the pending record at start', async () => {
    const store = new MemoryStore();
    const crashed = new ChangeOutbox(store, log, () => new Promise<void>(() => undefined), {
      now,
      publishWaitMs: 10,
    });
    // The process "dies" with the publish never confirmed: the request answered, the record is pending.
    await crashed.record(change('a1'), () => Promise.resolve());
    expect(store.unsent).to.deep.equal(['a1']);
    clock += 10_000;
    const published: string[] = [];
    const restarted = new ChangeOutbox(
      store,
      log,
      (r) => {
        published.push(r.entityId);
        return Promise.resolve();
      },
      { now },
    );
    expect(await restarted.sweep()).to.equal(1);
    expect(published).to.deep.equal(['a1']);
  });

  it('a failed write still publishes (the change may have been stored) and the error reaches the caller', async () => {
    const store = new MemoryStore();
    const published: string[] = [];
    const outbox = new ChangeOutbox(
      store,
      log,
      (r) => {
        published.push(r.entityId);
        return Promise.resolve();
      },
      { now },
    );
    const failure = await outbox
      .record(change('a1'), () => Promise.reject(new Error('store down')))
      .then(
        () => 'resolved',
        (err: unknown) => (err as Error).message,
      );
    expect(failure).to.equal('store down');
    expect(published).to.deep.equal(['a1']);
  });

  it('publishes pending records oldest first and prunes sent ones past the keep time', async () => {
    const store = new MemoryStore();
    const none = new ChangeOutbox(store, log, undefined, { now });
    await none.record(change('first'), () => Promise.resolve());
    clock += 1;
    await none.record(change('second'), () => Promise.resolve());
    expect(store.unsent).to.deep.equal(['first', 'second']);
    const published: string[] = [];
    const outbox = new ChangeOutbox(
      store,
      log,
      (r) => {
        published.push(r.entityId);
        return Promise.resolve();
      },
      { now, graceMs: 0, keepMs: 1_000 },
    );
    clock += 1;
    expect(await outbox.sweep()).to.equal(2);
    expect(published).to.deep.equal(['first', 'second']);
    clock += 1_001;
    await outbox.sweep();
    expect(store.rows.size).to.equal(0);
  });
});
