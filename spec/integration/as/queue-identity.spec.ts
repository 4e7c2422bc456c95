import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { expect } from '../../support/chai';
import { InteractionStore } from '../../../cti/store/interactions';
import { migrateQueueIdsToNames } from '../../../as/migrations/queue-names';
import { Interaction } from '../../../as/models';
import { body, call, setUp, tearDown, type Fixture } from './fixture';

/**
 * Issue 10: the queue report ignored real calls, because CTI stores the queue's name on a contact and the
 * report selected contacts by the queue's ObjectId. A queue's name is now its identity everywhere. Here
 * the contacts are written by CTI's own store adapter (cti/store/interactions.ts), with the fields CTI's
 * routing and call events set (cti/app/routing.ts recordContact, cti/app/call-events.ts clear).
 */
describe("AS queues: the name is a queue's identity (integration)", () => {
  let f: Fixture;
  let mongo: MongoClient;
  const day = 'from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z&interval=1d';
  const at = (hms: string) => new Date(`2026-03-02T${hms}Z`);

  /** One call as CTI records it: delivered, queued, offered, answered (or not), cleared. */
  async function ctiCall(store: InteractionStore, queue: string, o: { answered: boolean; agentId: string }) {
    const id = randomUUID();
    await store.create(
      {
        _id: id,
        channel: 'voice',
        direction: 'inbound',
        from: '+33199000050',
        to: '100',
        state: 'delivered',
        createdAt: at('10:00:00'),
      },
      { at: at('10:00:00'), type: 'CallDelivered', messageId: `${id}-1` },
    );
    await store.record(
      id,
      { at: at('10:00:05'), type: 'Queued' },
      { queueId: queue, queuedAt: at('10:00:05'), state: 'queued' },
    );
    if (o.answered) {
      await store.record(
        id,
        { at: at('10:00:08'), type: 'Offered' },
        { queueId: queue, offeredAt: at('10:00:08'), agentId: o.agentId },
      );
      await store.record(
        id,
        { at: at('10:00:15'), type: 'Connected' },
        { queueId: queue, answeredAt: at('10:00:15') },
      );
      await store.record(
        id,
        { at: at('10:02:15'), type: 'ConnectionCleared' },
        { state: 'cleared', endedAt: at('10:02:15'), abandoned: false },
      );
    } else {
      await store.record(
        id,
        { at: at('10:00:45'), type: 'ConnectionCleared' },
        { state: 'cleared', endedAt: at('10:00:45'), abandoned: true },
      );
    }
    return id;
  }

  before(async () => {
    f = await setUp();
    const url = new URL(process.env.MONGODB_URI as string);
    url.pathname = `/${f.dbName}`;
    mongo = new MongoClient(url.toString(), { serverSelectionTimeoutMS: 3000 });
    await mongo.connect();
    const store = new InteractionStore(mongo.db());
    await ctiCall(store, 'sales', { answered: true, agentId: f.ids.agentA });
    await ctiCall(store, 'sales', { answered: true, agentId: f.ids.agentB });
    await ctiCall(store, 'sales', { answered: false, agentId: f.ids.agentA });
    await ctiCall(store, 'support', { answered: true, agentId: f.ids.agentB });
    await store.flush();
  });
  after(async () => {
    await mongo?.close();
    await tearDown(f);
  });

  describe('queue report over contacts stored by CTI', () => {
    it('counts them per queue name: sales offered 3, answered 2, abandoned 1', async () => {
      const res = await call(f, 'GET', `/api/v1/reports/queues?${day}`, { token: f.tokens.supervisor });
      expect(res.statusCode).to.equal(200);
      const rows =
        body<{ queueId: string; offered: number; answered: number; abandoned: number; asaSec: number }[]>(
          res,
        );
      expect(rows.map((r) => [r.queueId, r.offered, r.answered, r.abandoned])).to.deep.equal([
        ['sales', 3, 2, 1],
        ['support', 1, 1, 0],
      ]);
      expect(rows[0]?.asaSec).to.equal(10);
    });

    it('selects one queue by name, or by its ObjectId during the transition; CSV by name', async () => {
      for (const ref of ['sales', f.ids.sales]) {
        const res = await call(f, 'GET', `/api/v1/reports/queues?${day}&queueId=${ref}`, {
          token: f.tokens.supervisor,
        });
        expect(res.statusCode, ref).to.equal(200);
        expect(
          body<{ queueId: string; offered: number }[]>(res).map((r) => [r.queueId, r.offered]),
        ).to.deep.equal([['sales', 3]]);
      }
      const csv = await call(f, 'GET', `/api/v1/reports/queues?${day}&queueId=support&format=csv`, {
        token: f.tokens.supervisor,
      });
      expect(csv.payload.trim().split('\n')[1]).to.equal(
        'support,2026-03-02T00:00:00.000Z,1,1,0,0,1,1,10,120,10',
      );
    });
  });

  describe('migration of contacts stored with the ObjectId', () => {
    it("rewrites them to the queue's name, once; a deleted queue's id and names stay", async () => {
      const old = (queueId: string) => ({
        _id: randomUUID(),
        channel: 'voice',
        direction: 'inbound',
        from: '+33199000051',
        to: '200',
        state: 'cleared',
        queueId,
        queuedAt: at('11:00:00'),
        answeredAt: at('11:00:04'),
        endedAt: at('11:01:00'),
        abandoned: false,
      });
      const gone = '0123456789abcdef01234567';
      const docs = [old(f.ids.sales), old(f.ids.sales), old(f.ids.support), old(gone)];
      await Interaction.insertMany(docs);
      const first = await migrateQueueIdsToNames();
      expect(first).to.deep.equal({ rewritten: 3 });
      const stored = await Interaction.find({ _id: { $in: docs.map((d) => d._id) } }).lean();
      const byId = new Map(stored.map((d) => [d._id, d.queueId]));
      expect(docs.map((d) => byId.get(d._id))).to.deep.equal(['sales', 'sales', 'support', gone]);
      expect(await migrateQueueIdsToNames()).to.deep.equal({ rewritten: 0 });
      // The migrated contacts now count in the report (sales: 3 stored by CTI + 2 migrated).
      const res = await call(f, 'GET', `/api/v1/reports/queues?${day}&queueId=sales`, {
        token: f.tokens.supervisor,
      });
      expect(body<{ offered: number; answered: number }[]>(res)[0]).to.include({ offered: 5, answered: 4 });
    });
  });

  describe('admin API', () => {
    it('reads, updates and deletes a queue by name; the ObjectId still works', async () => {
      const byName = await call(f, 'GET', '/api/v1/queues/sales', { token: f.tokens.supervisor });
      expect(byName.statusCode).to.equal(200);
      expect(body(byName)).to.include({ id: f.ids.sales, name: 'sales' });
      const byId = await call(f, 'GET', `/api/v1/queues/${f.ids.sales}`, { token: f.tokens.supervisor });
      expect(body(byId)).to.include({ name: 'sales' });
      const patched = await call(f, 'PATCH', '/api/v1/queues/sales', {
        token: f.tokens.admin,
        payload: { wrapUpSec: 33 },
      });
      expect(patched.statusCode).to.equal(200);
      expect(body(patched)).to.include({ name: 'sales', wrapUpSec: 33 });
      const created = await call(f, 'POST', '/api/v1/queues', {
        token: f.tokens.admin,
        payload: { name: 'overflow' },
      });
      expect(created.statusCode).to.equal(201);
      expect(
        (await call(f, 'DELETE', '/api/v1/queues/overflow', { token: f.tokens.admin })).statusCode,
      ).to.equal(204);
      expect(
        (await call(f, 'GET', '/api/v1/queues/overflow', { token: f.tokens.admin })).statusCode,
      ).to.equal(404);
      expect(
        (await call(f, 'GET', '/api/v1/queues/Not%20A%20Name', { token: f.tokens.admin })).statusCode,
      ).to.equal(400);
    });

    it('refuses a new name (409, create a new queue instead); the same name is accepted', async () => {
      const rename = await call(f, 'PATCH', '/api/v1/queues/support', {
        token: f.tokens.admin,
        payload: { name: 'help' },
      });
      expect(rename.statusCode).to.equal(409);
      expect(body(rename).message).to.equal(
        'queue "support" cannot be renamed: a queue\'s name is its identity (IVR flows, bus messages, stored contacts and reports use it); create a new queue instead',
      );
      const same = await call(f, 'PATCH', `/api/v1/queues/${f.ids.support}`, {
        token: f.tokens.admin,
        payload: { name: 'support', priority: 7 },
      });
      expect(same.statusCode).to.equal(200);
      expect(body(same)).to.include({ name: 'support', priority: 7 });
      expect((await call(f, 'GET', '/api/v1/queues/help', { token: f.tokens.admin })).statusCode).to.equal(
        404,
      );
    });

    it('refuses a name that looks like an ObjectId (400)', async () => {
      const res = await call(f, 'POST', '/api/v1/queues', {
        token: f.tokens.admin,
        payload: { name: 'abcdefabcdefabcdefabcdef' },
      });
      expect(res.statusCode).to.equal(400);
      expect(body(res).message).to.contain('looks like an id');
    });
  });

  it('interaction history filters by queue name', async () => {
    const res = await call(f, 'GET', '/api/v1/interactions?queueId=support', { token: f.tokens.supervisor });
    expect(res.statusCode).to.equal(200);
    const rows = body<{ queueId: string }[]>(res);
    expect(rows.length).to.be.greaterThan(0);
    expect(rows.every((r) => r.queueId === 'support')).to.equal(true);
  });
});
