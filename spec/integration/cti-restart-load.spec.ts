import { randomUUID } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { queueReport } from '../../as/domain/reports';
import type { ContactSnapshot } from '../../cti/domain';
import { STATE_CODEC, toRecords } from '../../cti/app/state-records';
import { CtiStateStore } from '../../cti/store/cti-state';
import { EXCHANGES } from '../../lib/bus/topology';
import type { AgentClient } from '../support/agent-client';
import { agentEvents, agentIdOf, registerPhone } from '../support/agents';
import { asteriskIsClean } from '../support/ari';
import { BusObserver, eventually } from '../support/bus-observer';
import { expect } from '../support/chai';
import { agentIs, agentSession, ctiLog, restartWholeSystem, service } from '../support/cti-restart';
import { mongoUri, requireSystem } from '../support/servers';
import { sipp } from '../support/sipp';

const CTI_ID = process.env.CTI_ID ?? 'cti-1';

/** The contacts in CTI's stored state (what a restart would restore), read without disturbing CTI. */
async function storedContacts(db: Db): Promise<string[]> {
  const state = await new CtiStateStore(db, CTI_ID, STATE_CODEC).load();
  return (state?.domain.contacts ?? []).map((c) => c.id);
}

/** The agent's stored state changes since `since`, as `state` or `state:reason`. */
async function statesSince(db: Db, agentId: string, since: Date): Promise<string[]> {
  const rows = await db
    .collection('agentstates')
    .find({ agentId, at: { $gte: since } })
    .sort({ at: 1 })
    .toArray();
  return rows.map((r) => `${String(r.state)}${r.reason ? `:${String(r.reason)}` : ''}`);
}

/** Not-ready states other than signing in (login): each one an agent was charged with. */
const charged = (states: string[]) =>
  states.filter((s) => s.startsWith('not-ready') && s !== 'not-ready:login');

/** Waits until each contact's interaction is cleared by CTI, and returns the documents. */
async function clearedDocs(db: Db, ids: string[], ms: number) {
  return eventually(
    `${ids.length} contacts cleared in the store`,
    async () => {
      const docs = await db
        .collection('interactions')
        .find({ _id: { $in: ids as never[] } })
        .toArray();
      return docs.length === ids.length && docs.every((d) => d.state === 'cleared') ? docs : undefined;
    },
    ms,
  );
}

/** Each document is a system clear: a Reconciled entry, `clearedBy: system`, not abandoned. */
function expectSystemCleared(docs: Array<Record<string, unknown>>): void {
  for (const d of docs) {
    const timeline = d.timeline as Array<{ type: string; data?: { outcome?: string } }>;
    const id = String(d._id);
    expect(d, id).to.include({ state: 'cleared', abandoned: false, clearedBy: 'system' });
    expect(
      timeline.filter((t) => t.type === 'Reconciled').map((t) => t.data?.outcome),
      `${id}: ${timeline.map((t) => t.type).join(',')}`,
    ).to.deep.equal(['system-cleared']);
  }
}

/**
 * CTI stopped, and `n` contacts waiting in sales written into its stored state with their queue timers
 * and their interactions, but no call-owner records: the state issue 10 found after an overloaded
 * restart. CTI is left stopped.
 */
async function storeGhosts(db: Db, n: number): Promise<{ ids: string[]; now: number }> {
  await service('stop', 'cti');
  const store = new CtiStateStore(db, CTI_ID, STATE_CODEC);
  const saved = await store.load();
  if (saved === null) throw new Error('CTI stored no state');
  const now = Date.now();
  const ids: string[] = Array.from({ length: n }, () => randomUUID());
  let seq = saved.domain.contactSeq;
  const ghosts: ContactSnapshot[] = ids.map((id) => ({
    id,
    queueId: 'sales',
    state: 'waiting',
    enqueuedAt: now - 5000,
    seq: ++seq,
    returned: false,
    callback: false,
  }));
  const timers = ids.map((id) => ({
    id: `queue:${id}`,
    kind: 'queue' as const,
    dueAt: now + 295_000,
    contactId: id,
  }));
  const domain = {
    ...saved.domain,
    contactSeq: seq,
    contacts: [...saved.domain.contacts, ...ghosts],
    timers: [...saved.domain.timers, ...timers],
  };
  const records = toRecords({ version: 1, domain, owners: saved.owners, callbacks: saved.callbacks ?? [] });
  store.startOver();
  await store.save({ put: [...records], del: [], records: () => records }, now);
  await db.collection('interactions').insertMany(
    ids.map((id, i) => ({
      _id: id as never,
      channel: 'voice',
      direction: 'inbound',
      from: `155544401${i}`,
      to: '200',
      state: 'queued',
      softacd: 'softacd-1',
      queueId: 'sales',
      createdAt: new Date(now - 6000),
      queuedAt: new Date(now - 5000),
      timeline: [],
    })),
  );
  return { ids, now };
}

describe('CTI after a restart: dead contacts are cleared and never burn Ready agents', function () {
  this.timeout(240_000);
  const bus = new BusObserver();
  const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  const clients: AgentClient[] = [];
  let a = '';
  let b = '';
  let c = '';

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await mongo.connect();
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
    [a, b, c] = await Promise.all([agentIdOf('1001'), agentIdOf('1002'), agentIdOf('1004')]);
  });
  beforeEach(async () => {
    // Only this test's agents in sales, each signed out to start with.
    for (const id of [a, b, c]) await agentEvents(id, ['AgentLogout']);
    for (const id of [a, b, c]) await agentIs(id, 'logged-out');
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const id of [a, b, c]) await agentEvents(id, ['AgentLogout']).catch(() => undefined);
  });
  after(async () => {
    await bus.stop();
    await mongo.close();
  });

  it('restart of Asterisk and the services with callers queued: every restored contact cleared, agents Ready, the next calls connect', async () => {
    const db = mongo.db();
    // Agents 1001 and 1002 signed in, not ready: the callers wait in sales.
    clients.push(await agentSession(a, ['login']), await agentSession(b, ['login']));
    await agentIs(a, 'not-ready');
    await agentIs(b, 'not-ready');
    const stop = new AbortController();
    const numbers = [1, 2, 3, 4, 5, 6].map((n) => `1555444000${n}`);
    const callers = numbers.map((n, i) =>
      sipp('uac-audio.xml', {
        service: '200',
        localPort: 5241 + i,
        holdMs: 120_000,
        timeoutSec: 150,
        signal: stop.signal,
        vars: { caller: n, caller_name: 'Load' },
      }).catch(() => undefined),
    );
    const contacts: string[] = [];
    for (const n of numbers) {
      const delivered = await eventually(`call from ${n} delivered`, () =>
        bus.seen.find((s) => s.body.type === 'CallDelivered' && s.body.callingNumber === n),
      );
      contacts.push(String(delivered.body.contactId));
    }
    for (const id of contacts)
      await eventually(`${id} queued`, () =>
        bus.seen.some((s) => s.body.type === 'AgentRequest' && s.body.contactId === id),
      );
    await eventually('the queued callers stored', async () => {
      const stored = await storedContacts(db);
      return contacts.every((id) => stored.includes(id));
    });
    for (const client of clients.splice(0)) client.close();

    const since = new Date();
    const restartMs = await restartWholeSystem();
    stop.abort(); // their calls ended with Asterisk
    await Promise.all(callers);
    // The agents come back and are Ready at once, before or while CTI reconciles (issue 10: 7 s after).
    clients.push(await agentSession(a, ['ready']), await agentSession(b, ['ready']));
    await agentIs(a, 'ready');
    await agentIs(b, 'ready');

    expectSystemCleared(await clearedDocs(db, contacts, 30_000));
    await eventually('CTI holds no contact', async () => (await storedContacts(db)).length === 0, 30_000);
    const log = await ctiLog(since.getTime());
    const restored = log.find((l) => l.message === 'CTI state restored');
    const clears = log.filter((l) => l.message === 'call gone at SoftACD: cleared');
    const reconcileMs =
      restored === undefined || clears.length === 0
        ? undefined
        : Date.parse(clears[clears.length - 1]!.timestamp) - Date.parse(restored.timestamp);
    const lists = log.filter((l) => l.message === 'call list reconciled');
    expect(restored?.contacts, 'restored contacts').to.be.at.least(contacts.length);
    expect(lists.length, 'call lists').to.be.at.least(1);
    console.log(
      `      whole restart ${restartMs} ms; restored ${String(restored?.contacts)} contacts, ` +
        `${String(restored?.calls)} calls; call lists: ${lists
          .map((l) => `${String(l.reason)} known ${String(l.known)} vanished ${String(l.vanished)}`)
          .join('; ')}; ${clears.length} cleared, the last ${String(reconcileMs)} ms after the restore; ` +
        `undeliverable offers ${log.filter((l) => l.message === 'offer cannot be delivered').length}`,
    );

    // No agent was charged: Ready throughout, never not-ready since the restart.
    for (const id of [a, b]) {
      const states = await statesSince(db, id, since);
      expect(charged(states), `${id}: ${states.join(' ')}`).to.deep.equal([]);
    }

    // The next calls connect: each Ready agent's phone answers one.
    await registerPhone('agent1001', 5251);
    await registerPhone('agent1002', 5252);
    const phones = [5251, 5252].map((port, i) =>
      sipp('agent-answer.xml', { service: `agent100${i + 1}`, localPort: port, holdMs: 500, timeoutSec: 60 }),
    );
    await new Promise((r) => setTimeout(r, 300));
    const next = ['15554440011', '15554440012'].map((n, i) =>
      sipp('uac-audio.xml', {
        service: '200',
        localPort: 5253 + i,
        holdMs: 3000,
        timeoutSec: 60,
        vars: { caller: n, caller_name: 'After' },
      }),
    );
    const runs = await Promise.all([...next, ...phones]);
    for (const r of runs) expect(r.code, r.stdout.slice(-800)).to.equal(0);
    const established = bus.seen.filter(
      (s) => s.body.type === 'Established' && Date.parse(String(s.body.at)) >= since.getTime(),
    );
    expect(established.map((s) => s.body.agentId).sort()).to.deep.equal([a, b].sort());
    expect(await asteriskIsClean()).to.deep.equal({ channels: [], bridges: [] });
  });

  it('a stored state with contacts and no owner records: cleared as system-cleared, no agent charged', async () => {
    const db = mongo.db();
    clients.push(await agentSession(a, ['login', 'ready']), await agentSession(b, ['login', 'ready']));
    await agentIs(a, 'ready');
    await agentIs(b, 'ready');
    for (const client of clients.splice(0)) client.close();
    const { ids, now } = await storeGhosts(db, 5);

    const since = new Date();
    await service('start', 'cti');
    // Agent 1004 signs in and is Ready once CTI is back: a Ready agent with the dead contacts waiting.
    const session = await eventually(
      'CTI answering agents',
      () => agentSession(c, ['login', 'ready']).catch(() => undefined),
      20_000,
    );
    clients.push(session);
    const docs = await clearedDocs(db, ids, 30_000);
    expectSystemCleared(docs);
    const stored = await storedContacts(db);
    expect(stored.filter((id) => ids.includes(id))).to.deep.equal([]);
    for (const id of [a, b, c]) await agentIs(id, 'ready');
    for (const id of [a, b, c]) {
      const states = await statesSince(db, id, since);
      expect(charged(states), `${id}: ${states.join(' ')}`).to.deep.equal([]);
    }
    // The AS's queue report counts none of them as abandoned.
    const rows = queueReport(
      docs.map((d) => ({
        queueId: String(d.queueId),
        queuedAt: d.queuedAt as Date,
        endedAt: d.endedAt as Date,
        abandoned: d.abandoned as boolean,
      })),
      { from: new Date(now - 60_000), to: new Date(now + 60_000), interval: '1d' },
      new Map([['sales', 20]]),
    );
    expect(rows.reduce((n, r) => n + r.offered, 0)).to.equal(ids.length);
    expect(rows.reduce((n, r) => n + r.abandoned, 0)).to.equal(0);
    const log = await ctiLog(since.getTime());
    console.log(
      `      ${ids.length} ownerless contacts: ` +
        `${log.filter((l) => l.message === 'offer cannot be delivered').length} undeliverable offers dropped, ` +
        `${log.filter((l) => l.message === 'call listed by no SoftACD: cleared').length} cleared at the window's end`,
    );
  });

  it('ownerless contacts with no agent Ready: cleared when the reconciliation window ends, agents untouched', async () => {
    const db = mongo.db();
    clients.push(await agentSession(a, ['login']));
    await agentIs(a, 'not-ready');
    for (const client of clients.splice(0)) client.close();
    const { ids } = await storeGhosts(db, 3);
    const since = new Date();
    await service('start', 'cti');
    const docs = await clearedDocs(db, ids, 30_000);
    expectSystemCleared(docs);
    const log = await ctiLog(since.getTime());
    const restored = log.find((l) => l.message === 'CTI state restored');
    const done = log.find((l) => l.message === 'reconciliation done');
    // Ours (the stored state may hold other tests' leftovers: cleared the same way, not counted here).
    const mine = (message: string) =>
      log.filter((l) => l.message === message && ids.includes(String(l.contactId)));
    expect(mine('call listed by no SoftACD: cleared')).to.have.length(3);
    expect(mine('offer cannot be delivered')).to.have.length(0);
    expect(done?.cleared).to.be.at.least(3);
    console.log(
      `      3 ownerless contacts cleared at the window's end, ${String(done?.ms)} ms after the window opened ` +
        `(${String(restored?.contacts)} contacts restored)`,
    );
    expect(await statesSince(db, a, since)).to.deep.equal([]);
    await agentIs(a, 'not-ready');
    expect((await storedContacts(db)).filter((id) => ids.includes(id))).to.deep.equal([]);
  });
});
