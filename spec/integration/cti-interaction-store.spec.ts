import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { InteractionStore } from '../../cti/store/interactions';
import { expect } from '../support/chai';
import { mongoUri, requireSystem } from '../support/servers';

// On the real document store (FerretDB), in a database of its own: a bus message redelivered after a CTI
// crash (handled and stored, not yet acked) must not be recorded twice on the contact's timeline.
describe('CTI interaction store on the document store: redelivered messages', function () {
  this.timeout(20_000);
  const uri = mongoUri().replace(/\/([^/?]+)(\?|$)/, '/ipcc_store_spec$2');
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3000 });
  let store: InteractionStore;

  before(async () => {
    await requireSystem(['docstore']);
    await client.connect();
    store = new InteractionStore(client.db());
  });
  after(async () => {
    await client.db().dropDatabase();
    await client.close();
  });

  const newDoc = (id: string, at: Date) =>
    ({
      _id: id,
      channel: 'voice',
      direction: 'inbound',
      from: '1',
      to: '200',
      state: 'delivered',
      createdAt: at,
    }) as const;

  it('records each message once, however often it is handled; entries without a message id always', async () => {
    const id = randomUUID();
    const at = new Date();
    const created = { at, type: 'CallDelivered', messageId: 'm-1' };
    const doc = newDoc(id, at);
    await store.create(doc, created);
    await store.create(doc, created);
    await store.record(id, { at, type: 'RouteRequest', messageId: 'm-2' }, { state: 'routing' });
    await store.record(id, { at, type: 'RouteSelect' });
    await store.record(id, { at, type: 'RouteRequest', messageId: 'm-2' }, { state: 'routing' });
    await store.record(id, { at, type: 'AgentRequest', messageId: 'm-3' });
    await store.record(id, { at, type: 'CallDelivered', messageId: 'm-1' });
    await store.record(id, { at, type: 'RouteSelect' });
    const stored = await store.find(id);
    expect(stored?.timeline.map((e) => e.type)).to.deep.equal([
      'CallDelivered',
      'RouteRequest',
      'RouteSelect',
      'AgentRequest',
      'RouteSelect',
    ]);
    expect(stored?.messageIds).to.deep.equal(['m-1', 'm-2', 'm-3']);
    expect(stored?.timeline.some((e) => 'messageId' in e)).to.equal(false);
    expect(stored?.state).to.equal('routing');
  });

  it("writes a contact's writes of one turn as one burst: in order, consecutive records as one update", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const at = new Date();
    const before = store.stats;
    await Promise.all([
      store.create(newDoc(a, at), { at, type: 'CallDelivered', messageId: `${a}-1` }),
      store.record(b, { at, type: 'Queued' }),
      store.record(a, { at, type: 'RouteRequest', messageId: `${a}-2` }, { state: 'routing' }),
      store.create(newDoc(b, at), { at, type: 'CallDelivered', messageId: `${b}-1` }),
      store.record(a, { at, type: 'RouteSelect' }, { queueId: 'sales' }),
      store.record(b, { at, type: 'AgentRequest', messageId: `${b}-2` }, { state: 'queued' }),
      store.record(a, { at, type: 'AgentRequest', messageId: `${a}-3` }, { state: 'queued' }),
    ]);
    const after = store.stats;
    expect(after.bursts - before.bursts, 'bursts: one per contact').to.equal(2);
    // a: its creation with the three records after it; b: the record before its creation, then the rest.
    expect(after.writes - before.writes, 'store writes for 7 operations').to.equal(3);
    const docA = await store.find(a);
    expect(docA?.timeline.map((e) => e.type)).to.deep.equal([
      'CallDelivered',
      'RouteRequest',
      'RouteSelect',
      'AgentRequest',
    ]);
    expect(docA?.messageIds).to.deep.equal([`${a}-1`, `${a}-2`, `${a}-3`]);
    expect(docA?.state).to.equal('queued');
    expect(docA?.queueId).to.equal('sales');
    // b's record before its creation matched nothing, as it would have alone.
    const docB = await store.find(b);
    expect(docB?.timeline.map((e) => e.type)).to.deep.equal(['CallDelivered', 'AgentRequest']);
    expect(docB?.state).to.equal('queued');
  });

  it('a redelivered message in a merged update: the new entries beside it are still recorded once', async () => {
    const id = randomUUID();
    const at = new Date();
    await store.create(newDoc(id, at), { at, type: 'CallDelivered', messageId: `${id}-1` });
    await store.record(id, { at, type: 'RouteRequest', messageId: `${id}-2` });
    await Promise.all([
      store.record(id, { at, type: 'RouteRequest', messageId: `${id}-2` }),
      store.record(id, { at, type: 'RouteEnd', messageId: `${id}-3` }),
      store.record(id, { at, type: 'CallDelivered', messageId: `${id}-4` }, { state: 'ivr' }),
      store.record(id, { at, type: 'Queued' }),
    ]);
    // Only redelivered messages, and an entry of no message (always recorded).
    await Promise.all([
      store.record(id, { at, type: 'RouteEnd', messageId: `${id}-3` }),
      store.record(id, { at, type: 'Offered' }),
      store.record(id, { at, type: 'RouteRequest', messageId: `${id}-2` }),
    ]);
    const doc = await store.find(id);
    expect(doc?.timeline.map((e) => e.type)).to.deep.equal([
      'CallDelivered',
      'RouteRequest',
      'RouteEnd',
      'CallDelivered',
      'Queued',
      'Offered',
    ]);
    expect(doc?.messageIds).to.deep.equal([`${id}-1`, `${id}-2`, `${id}-3`, `${id}-4`]);
    expect(doc?.state).to.equal('ivr');
  });

  it('a write the store refuses fails alone; the others of its batch are stored', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const at = new Date();
    await Promise.all([
      store.create(newDoc(a, at), { at, type: 'CallDelivered' }),
      store.create(newDoc(b, at), { at, type: 'CallDelivered' }),
    ]);
    const outcomes = await Promise.allSettled([
      store.record(a, { at, type: 'Queued' }),
      // Both $push and $set on `timeline`: any MongoDB-compatible store refuses the conflict.
      store.record(b, { at, type: 'Broken' }, { timeline: [] }),
      store.record(a, { at, type: 'Offered' }),
      store.record(b, { at, type: 'Ended' }),
    ]);
    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((await store.find(a))?.timeline.map((e) => e.type)).to.deep.equal([
      'CallDelivered',
      'Queued',
      'Offered',
    ]);
    expect((await store.find(b))?.timeline.map((e) => e.type)).to.deep.equal(['CallDelivered', 'Ended']);
  });

  it('records that follow a creation in its batch are created with it; a redelivered creation still records what is new', async () => {
    const id = randomUUID();
    const at = new Date();
    await Promise.all([
      store.create(newDoc(id, at), { at, type: 'CallDelivered', messageId: `${id}-1` }),
      store.record(id, { at, type: 'RouteRequest', messageId: `${id}-2` }, { state: 'routing' }),
      store.record(id, { at, type: 'RouteSelect' }),
    ]);
    const created = await store.find(id);
    expect(created?.timeline.map((e) => e.type)).to.deep.equal([
      'CallDelivered',
      'RouteRequest',
      'RouteSelect',
    ]);
    expect(created?.messageIds).to.deep.equal([`${id}-1`, `${id}-2`]);
    expect(created?.state).to.equal('routing');
    expect(created?.from).to.equal('1');
    // CTI stopped before its acks: both messages again, with one that is new.
    await Promise.all([
      store.create(newDoc(id, at), { at, type: 'CallDelivered', messageId: `${id}-1` }),
      store.record(id, { at, type: 'RouteRequest', messageId: `${id}-2` }, { state: 'routing' }),
      store.record(id, { at, type: 'RouteEnd', messageId: `${id}-3` }, { state: 'ivr' }),
    ]);
    const again = await store.find(id);
    expect(again?.timeline.map((e) => e.type)).to.deep.equal([
      'CallDelivered',
      'RouteRequest',
      'RouteSelect',
      'RouteEnd',
    ]);
    expect(again?.messageIds).to.deep.equal([`${id}-1`, `${id}-2`, `${id}-3`]);
    expect(again?.state).to.equal('ivr');
  });

  it("with a hold, a contact's writes wait for it to go quiet; a read releases them and sees them", async () => {
    const held = new InteractionStore(client.db(), {}, { hold: { quietMs: 60_000, maxMs: 120_000 } });
    const id = randomUUID();
    const at = new Date();
    const created = held.create(newDoc(id, at), { at, type: 'CallDelivered' });
    const queued = held.record(id, { at, type: 'Queued' }, { state: 'queued' });
    await new Promise((r) => setTimeout(r, 100));
    expect(held.held, 'contacts waiting').to.equal(1);
    expect(await store.find(id), 'nothing written yet').to.equal(null);
    const doc = await held.find(id);
    await Promise.all([created, queued]);
    expect(doc?.timeline.map((e) => e.type)).to.deep.equal(['CallDelivered', 'Queued']);
    expect(doc?.state).to.equal('queued');
    expect(held.stats).to.deep.equal({ bursts: 1, ops: 2, writes: 1 });
    expect(held.held).to.equal(0);
  });
});
