import { MongoClient } from 'mongodb';
import winston from 'winston';
import { StatePersister, type CtiState } from '../../cti/app/persistence';
import { STATE_CODEC, toRecords } from '../../cti/app/state-records';
import { CtiStateStore } from '../../cti/store/cti-state';
import { expect } from '../support/chai';
import { mongoUri, requireSystem } from '../support/servers';
import { busyWorld, must } from '../unit/cti/helpers';

const log = winston.createLogger({ silent: true });

/**
 * CTI's recovery state on the real document store, in a database of its own: a checkpoint plus the
 * changes written since, read back by a new store as a restarted CTI would.
 */
describe('CTI state store on the document store: checkpoint and change log', function () {
  this.timeout(30_000);
  const uri = mongoUri().replace(/\/([^/?]+)(\?|$)/, '/ipcc_ctistate_spec$2');
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3000 });

  before(async () => {
    await requireSystem(['docstore']);
    await client.connect();
  });
  after(async () => {
    await client.db().dropDatabase();
    await client.close();
  });

  const count = (name: string, instance: string) =>
    client
      .db()
      .collection(name)
      .countDocuments(name === 'ctistate' ? { _id: instance as never } : { instance });

  /** A CTI's persister over a store for `instance`, capturing `current()`. */
  function cti(instance: string, current: () => Omit<CtiState, 'savedAt'>) {
    const store = new CtiStateStore(client.db(), instance, STATE_CODEC);
    const persister = new StatePersister({
      capture: current,
      save: (change, savedAt) => store.save(change, savedAt),
      delayMs: 0,
      log,
    });
    return { store, persister };
  }

  it('nothing stored: load answers null', async () => {
    expect(await new CtiStateStore(client.db(), 'nobody', STATE_CODEC).load()).to.equal(null);
  });

  it('a checkpoint, then only the records that changed; a new store reads the same state back', async () => {
    const w = busyWorld();
    const state = () => ({
      version: 1 as const,
      domain: w.cti.snapshot(),
      owners: { softacds: [], ivrs: [], agents: [], callers: [] },
      callbacks: [],
    });
    const a = cti('cti-a', state);
    a.store.startOver();
    await a.persister.durable();
    expect(await count('ctistate', 'cti-a')).to.equal(1);
    must(w.cti.login('off'));
    await a.persister.durable();
    must(w.cti.released('talk'));
    await a.persister.durable();
    expect(await count('ctistatelog', 'cti-a'), 'changes logged after the checkpoint').to.equal(2);
    const logged = await client.db().collection('ctistatelog').find({ instance: 'cti-a' }).toArray();
    const whole = JSON.stringify([...toRecords(state())]).length;
    for (const c of logged)
      expect((c.put as string).length, 'a change against the whole').to.be.below(whole / 3);
    const back = await new CtiStateStore(client.db(), 'cti-a', STATE_CODEC).load();
    expect(back).to.not.equal(null);
    expect(toRecords(back as CtiState)).to.deep.equal(toRecords(state()));
  });

  it('folds the log into a new checkpoint once it outgrows it; the state reads back the same', async () => {
    let n = 0;
    const agents = Array.from({ length: 50 }, (_, i) => i);
    const state = (): Omit<CtiState, 'savedAt'> => ({
      version: 1,
      domain: {
        version: 1,
        contactSeq: n,
        readySeq: 0,
        queues: [],
        agents: agents.map((i) => ({
          config: { id: `agent-${i}`, skills: { sales: 1 }, maxTasks: {} },
          state: 'ready',
          stateSince: i === n % 50 ? n : 0,
          readySeq: i,
          idleSince: 0,
          callsToday: i === n % 50 ? n : 0,
        })) as never,
        contacts: [],
        timers: [],
      },
      owners: { softacds: [], ivrs: [], agents: [], callers: [] },
    });
    const b = cti('cti-b', state);
    b.store.startOver();
    for (n = 1; n <= 600; n++) await b.persister.durable();
    // 64 KB of changes of ~250 bytes each: folded a few times over 600 writes.
    expect(await count('ctistatelog', 'cti-b')).to.be.below(400);
    const back = await new CtiStateStore(client.db(), 'cti-b', STATE_CODEC).load();
    n = 600;
    expect(toRecords(back as CtiState)).to.deep.equal(toRecords(state()));
  });

  it('reads the format before records (the state whole) and rewrites it as a checkpoint', async () => {
    const w = busyWorld();
    const state = {
      version: 1 as const,
      domain: w.cti.snapshot(),
      owners: { softacds: [['talk', 'softacd-1']], ivrs: [], agents: [], callers: [] } as CtiState['owners'],
    };
    await client
      .db()
      .collection('ctistate')
      .insertOne({ _id: 'cti-old' as never, savedAt: new Date(), state: JSON.stringify(state) });
    const store = new CtiStateStore(client.db(), 'cti-old', STATE_CODEC);
    const back = await store.load();
    expect(toRecords(back as CtiState)).to.deep.equal(toRecords(state));
    must(w.cti.login('off'));
    const changed = { ...state, domain: w.cti.snapshot() };
    const q = new StatePersister({
      capture: () => changed,
      save: (c, at) => store.save(c, at),
      delayMs: 0,
      log,
    });
    q.stored(state);
    // Only one agent changed, yet the old format is replaced by a checkpoint of every record.
    await q.durable();
    const doc = await client
      .db()
      .collection('ctistate')
      .findOne({ _id: 'cti-old' as never });
    expect(doc?.records, 'rewritten as records').to.be.a('string');
    expect(doc?.state).to.equal(undefined);
    expect(
      toRecords((await new CtiStateStore(client.db(), 'cti-old', STATE_CODEC).load()) as CtiState),
    ).to.deep.equal(toRecords(changed));
  });
});
