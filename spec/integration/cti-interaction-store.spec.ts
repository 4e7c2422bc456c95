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

  it('records each message once, however often it is handled; entries without a message id always', async () => {
    const id = randomUUID();
    const at = new Date();
    const created = { at, type: 'CallDelivered', messageId: 'm-1' };
    const doc = {
      _id: id,
      channel: 'voice',
      direction: 'inbound',
      from: '1',
      to: '200',
      state: 'delivered',
      createdAt: at,
    } as const;
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
});
