/* eslint-disable @typescript-eslint/require-await -- stand-ins keep the async interface of what they replace */
import winston from 'winston';
import { expect } from '../../support/chai';
import { TaskOutbox, taskCreated, taskUpdated, type OutboxStore } from '../../../isag/core/outbox';
import type { OutboxDoc, OutboxKind } from '../../../isag/core/types';
import { Message } from '../../../lib/messages';

const log = winston.createLogger({ silent: true });

class MemoryOutbox implements OutboxStore {
  readonly docs: OutboxDoc[] = [];
  async insertOutbox(doc: OutboxDoc) {
    this.docs.push(doc);
  }
  /** Reads of the pending records, and what each read waits for first (a slow store). */
  reads = 0;
  readGate: Promise<void> = Promise.resolve();
  async pendingOutbox(limit: number) {
    this.reads++;
    await this.readGate;
    return this.docs
      .filter((d) => d.sentAt === undefined)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, limit);
  }
  /** Each call's ids: how many store updates marking records sent took. */
  readonly marks: string[][] = [];
  /** How many of the next updates marking records sent fail (the store down). */
  failMarks = 0;
  async markOutboxSent(ids: readonly string[], at: Date) {
    if (this.failMarks > 0) {
      this.failMarks--;
      throw new Error('store down');
    }
    this.marks.push([...ids]);
    for (const d of this.docs) if (ids.includes(d._id)) d.sentAt = at;
  }
  unsent(): string[] {
    return this.docs.filter((d) => d.sentAt === undefined).map((d) => d._id);
  }
  async pruneOutbox(before: Date) {
    const keep = this.docs.filter((d) => d.sentAt === undefined || d.sentAt >= before);
    const pruned = this.docs.length - keep.length;
    this.docs.splice(0, this.docs.length, ...keep);
    return pruned;
  }
}

/** The broker behind the confirm channel: records what was published, confirms or nacks each. */
class Broker {
  readonly published: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Message ids nacked once each (a nack, a timeout or the channel lost: the publish rejects). */
  readonly nacks = new Set<string>();
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;
  /** Confirms wait from now on until `release`. */
  close(): void {
    this.gate = new Promise((resolve) => {
      this.open = resolve;
    });
  }
  release(): void {
    this.open();
  }
  readonly publish = async (_kind: OutboxKind, m: Record<string, unknown>): Promise<void> => {
    const id = String(m.messageId);
    this.published.push(id);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.gate;
      await new Promise((r) => setImmediate(r));
      if (this.nacks.delete(id)) throw new Error(`nack ${id}`);
    } finally {
      this.inFlight--;
    }
  };
}

async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('condition not reached in 2 s');
    await new Promise((r) => setTimeout(r, 2));
  }
}

function record(id: string, kind: OutboxKind, contactId: string, messageId: string, at: number): OutboxDoc {
  return { _id: id, kind, message: { contactId, messageId }, createdAt: new Date(at) };
}

const created = (n: number) =>
  taskCreated(
    'isag-t',
    {
      interactionId: `00000000-0000-4000-8000-00000000000${n}`,
      channel: 'email',
      from: 'ann@customer.test',
      to: 'support@ipcc.local',
      subject: 'hi',
      queueId: 'email',
      messageId: `m-${n}`,
    },
    new Date(Date.UTC(2026, 11, 7, 10, 0, n)),
  );

describe('isag outbox: TaskCreated / TaskUpdated published with confirms, marked sent', () => {
  it('builds messages that the bus schema accepts', () => {
    expect(Message.safeParse(created(1)).success).to.equal(true);
    const updated = taskUpdated('isag-t', { interactionId: 'i-1', messageId: 'm-2' }, new Date());
    expect(Message.safeParse(updated).success).to.equal(true);
  });

  it('publishes what an earlier process left unsent at start, oldest first, and marks it sent', async () => {
    const store = new MemoryOutbox();
    store.docs.push(
      { _id: 'b', kind: 'TaskUpdated', message: { n: 2 }, createdAt: new Date(2) },
      { _id: 'a', kind: 'TaskCreated', message: { n: 1 }, createdAt: new Date(1) },
      { _id: 'c', kind: 'TaskCreated', message: { n: 0 }, createdAt: new Date(0), sentAt: new Date(5) },
    );
    const sent: Array<[OutboxKind, unknown]> = [];
    const outbox = new TaskOutbox(
      store,
      async (kind, m) => {
        sent.push([kind, m.n]);
      },
      log,
    );
    outbox.start();
    await outbox.idle();
    await outbox.stop();
    expect(sent).to.deep.equal([
      ['TaskCreated', 1],
      ['TaskUpdated', 2],
    ]);
    expect(store.docs.every((d) => d.sentAt !== undefined)).to.equal(true);
  });

  it('keeps a record whose publish failed and publishes it on the retry, once', async () => {
    const store = new MemoryOutbox();
    let fail = true;
    const sent: unknown[] = [];
    const outbox = new TaskOutbox(
      store,
      async (_kind, m) => {
        if (fail) throw new Error('broker down');
        sent.push(m.contactId);
      },
      log,
      { retryMs: 20 },
    );
    outbox.start();
    await outbox.add('TaskCreated', created(1));
    await outbox.idle();
    expect(store.docs[0]?.sentAt).to.equal(undefined);
    fail = false;
    await new Promise((r) => setTimeout(r, 60));
    await outbox.idle();
    expect(sent).to.deep.equal([created(1).contactId]);
    expect(store.docs[0]?.sentAt).to.be.instanceOf(Date);
    await outbox.stop();
  });

  it('marks a record sent only once the broker confirmed it', async () => {
    const store = new MemoryOutbox();
    const broker = new Broker();
    broker.close();
    const outbox = new TaskOutbox(store, broker.publish, log);
    await outbox.add('TaskCreated', created(1));
    await until(() => broker.published.length === 1);
    expect(store.unsent()).to.have.length(1);
    broker.release();
    await outbox.idle();
    expect(store.unsent()).to.deep.equal([]);
  });

  it('publishes the records receipts hand over without reading the store for them', async () => {
    const store = new MemoryOutbox();
    const broker = new Broker();
    const outbox = new TaskOutbox(store, broker.publish, log);
    outbox.start();
    await outbox.idle();
    expect(store.reads).to.equal(1); // at start: what an earlier process left
    for (const n of [1, 2, 3]) {
      await outbox.add('TaskCreated', created(n));
      await outbox.idle();
    }
    await outbox.stop();
    expect(store.reads).to.equal(1);
    expect(broker.published).to.deep.equal(['m-1', 'm-2', 'm-3']);
    expect(store.unsent()).to.deep.equal([]);
  });

  it('a record handed over while the store is read, and found by that read, goes out once', async () => {
    const store = new MemoryOutbox();
    let open: () => void = () => undefined;
    store.readGate = new Promise((resolve) => {
      open = resolve;
    });
    const broker = new Broker();
    const outbox = new TaskOutbox(store, broker.publish, log);
    outbox.start();
    await until(() => store.reads === 1);
    await outbox.add('TaskCreated', created(1)); // stored before the read answers: the read finds it
    open();
    await outbox.idle();
    await outbox.stop();
    expect(broker.published).to.deep.equal(['m-1']);
    expect(store.unsent()).to.deep.equal([]);
  });

  it('publishes records written by concurrent receipts together: all in flight, marked together', async () => {
    const store = new MemoryOutbox();
    const broker = new Broker();
    broker.close();
    const outbox = new TaskOutbox(store, broker.publish, log);
    await outbox.add('TaskCreated', created(1));
    await until(() => broker.published.length === 1);
    // Written while the first publish waits for its confirm: the next sweep takes them as one batch.
    await Promise.all([2, 3, 4, 5, 6].map((n) => outbox.add('TaskCreated', created(n))));
    broker.release();
    await outbox.idle();
    expect(broker.published).to.deep.equal(['m-1', 'm-2', 'm-3', 'm-4', 'm-5', 'm-6']);
    expect(store.marks.map((ids) => ids.length)).to.deep.equal([1, 5]);
    expect(broker.maxInFlight).to.equal(5);
    expect(store.unsent()).to.deep.equal([]);
  });

  it('reads a backlog a batch at a time, oldest first', async () => {
    const store = new MemoryOutbox();
    for (let n = 0; n < 25; n++) store.docs.push(record(`r${n}`, 'TaskCreated', `c${n}`, `m-${n}`, n));
    const broker = new Broker();
    const outbox = new TaskOutbox(store, broker.publish, log, { batch: 10 });
    outbox.start();
    await outbox.idle();
    await outbox.stop();
    expect(broker.published).to.deep.equal(Array.from({ length: 25 }, (_, n) => `m-${n}`));
    expect(store.marks.map((ids) => ids.length)).to.deep.equal([10, 10, 5]);
  });

  it('a nack mid-batch: other interactions are marked; the nacked record and its later ones go again, in order', async () => {
    const store = new MemoryOutbox();
    store.docs.push(
      record('a', 'TaskCreated', 'c1', 'm-a', 1),
      record('b', 'TaskCreated', 'c2', 'm-b', 2),
      record('c', 'TaskUpdated', 'c1', 'm-c', 3),
      record('d', 'TaskCreated', 'c3', 'm-d', 4),
    );
    const broker = new Broker();
    broker.nacks.add('m-a');
    const outbox = new TaskOutbox(store, broker.publish, log, { retryMs: 20 });
    outbox.start();
    await until(() => store.marks.length === 1);
    // m-c was confirmed, but behind its interaction's nacked TaskCreated: not marked.
    expect(store.marks).to.deep.equal([['b', 'd']]);
    expect(store.unsent()).to.deep.equal(['a', 'c']);
    await until(() => store.marks.length === 2);
    await outbox.stop();
    expect(store.marks[1]).to.deep.equal(['a', 'c']);
    // c1's last copies reach CTI in their order: TaskCreated, then TaskUpdated.
    expect(broker.published).to.deep.equal(['m-a', 'm-b', 'm-c', 'm-d', 'm-a', 'm-c']);
    expect(store.unsent()).to.deep.equal([]);
  });

  it('the channel lost under a batch: nothing is marked, the whole batch goes again in order', async () => {
    const store = new MemoryOutbox();
    store.docs.push(record('a', 'TaskCreated', 'c1', 'm-a', 1), record('b', 'TaskCreated', 'c2', 'm-b', 2));
    const broker = new Broker();
    broker.nacks.add('m-a').add('m-b');
    const outbox = new TaskOutbox(store, broker.publish, log, { retryMs: 20 });
    outbox.start();
    await until(() => store.marks.length === 1);
    await outbox.stop();
    expect(store.marks).to.deep.equal([['a', 'b']]);
    expect(broker.published).to.deep.equal(['m-a', 'm-b', 'm-a', 'm-b']);
  });

  it('a failed store update after the confirms leaves the batch unsent: published again, never lost', async () => {
    const store = new MemoryOutbox();
    store.docs.push(record('a', 'TaskCreated', 'c1', 'm-a', 1), record('b', 'TaskCreated', 'c2', 'm-b', 2));
    store.failMarks = 1;
    const broker = new Broker();
    const outbox = new TaskOutbox(store, broker.publish, log, { retryMs: 20 });
    outbox.start();
    await until(() => store.unsent().length === 0);
    await outbox.stop();
    expect(broker.published).to.deep.equal(['m-a', 'm-b', 'm-a', 'm-b']);
    expect(store.marks).to.deep.equal([['a', 'b']]);
  });

  it('prunes records sent longer ago than it keeps them, never unsent ones', async () => {
    const store = new MemoryOutbox();
    store.docs.push(
      { _id: 'old', kind: 'TaskCreated', message: {}, createdAt: new Date(0), sentAt: new Date(1_000) },
      { _id: 'recent', kind: 'TaskCreated', message: {}, createdAt: new Date(0), sentAt: new Date(9_500) },
      { _id: 'unsent', kind: 'TaskCreated', message: {}, createdAt: new Date(0) },
    );
    const outbox = new TaskOutbox(store, () => Promise.reject(new Error('down')), log, {
      keepMs: 1_000,
      now: () => new Date(10_000),
    });
    expect(await outbox.prune()).to.equal(1);
    expect(store.docs.map((d) => d._id)).to.deep.equal(['recent', 'unsent']);
  });
});
