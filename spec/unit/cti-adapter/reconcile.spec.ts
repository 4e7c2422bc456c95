import { makeMessage } from '../../../lib/messages';
import type { CtiState } from '../../../cti/app/persistence';
import { restoreState } from '../../../cti/app/recovery';
import { repairSnapshot } from '../../../cti/app/state-repair';
import { withRelated } from '../../../cti/app/state-records';
import type { DomainSnapshot } from '../../../cti/domain';
import { expect } from '../../support/chai';
import { QUEUES, agentStates, cti, log } from './cti-process';

const NO_OWNERS = { softacds: [], ivrs: [], agents: [], callers: [], answered: [] };

/** Signs in and readies agents. */
async function ready(p: ReturnType<typeof cti>, ...agents: string[]): Promise<void> {
  for (const a of agents) {
    await p.routing.agentEvent('login', a);
    await p.routing.agentEvent('ready', a);
  }
  await p.settle();
}

/**
 * The stored state of issue 10: callers waiting in sales (nobody Ready), stored with their contacts and
 * queue timers but without their call-owner records, as an overloaded CTI had left it.
 */
async function ownerlessState(clock: { now: number }, ids: string[]): Promise<CtiState> {
  const store: { state: CtiState | null } = { state: null };
  const before = cti(clock, store);
  for (const a of ['a1', 'a2', 'a3']) await before.routing.agentEvent('login', a);
  for (const id of ids) await before.caller(id);
  await before.persister.durable();
  const saved = store.state as CtiState;
  expect(saved.domain.contacts).to.have.length(ids.length);
  expect(saved.domain.timers.filter((t) => t.kind === 'queue')).to.have.length(ids.length);
  return { ...saved, owners: NO_OWNERS };
}

const systemCleared = (p: ReturnType<typeof cti>, id: string) =>
  p.timeline.filter((t) => t.contactId === id && t.type === 'Reconciled').map((t) => t.data?.outcome);

describe('CTI reconciliation after a restart: dead contacts never burn agents (no servers)', () => {
  it('clears restored contacts that have no owner record when the window ends: system-cleared, not abandoned', async () => {
    const clock = { now: 1_000_000 };
    const ids = ['c1', 'c2', 'c3', 'c4'];
    const store: { state: CtiState | null } = { state: await ownerlessState(clock, ids) };
    const p = cti(clock, store);
    expect(p.restored).to.equal(true);
    await p.reconciler.begin(
      p.domain.snapshot().contacts.map((c) => c.id),
      60_000,
    );
    // Nobody owns these calls: no SoftACD is asked; a new SoftACD's unasked list names none of them.
    expect(p.commands).to.deep.equal([]);
    await p.event({
      type: 'CallList',
      contactId: 'calls:softacd-1',
      instance: 'softacd-1',
      reason: 'resync',
      calls: [],
    });
    expect(p.reconciler.pending).to.equal(4);
    expect(await p.reconciler.endWindow()).to.equal(4);
    await p.settle();
    expect(p.domain.snapshot().contacts).to.deep.equal([]);
    expect(p.domain.snapshot().timers).to.deep.equal([]);
    for (const id of ids) {
      expect(systemCleared(p, id), id).to.deep.equal(['system-cleared']);
      expect(p.docs.get(id), id).to.include({ state: 'cleared', abandoned: false, clearedBy: 'system' });
    }
    // What the next restart reads holds none of them either.
    expect(store.state?.domain.contacts).to.deep.equal([]);
    expect(store.state?.domain.timers).to.deep.equal([]);
    expect(p.reconciler.pending).to.equal(0);
  });

  it('a Ready agent offered a contact with no known call stays Ready: the contact is dropped, the next one offered', async () => {
    const clock = { now: 1_000_000 };
    const ids = ['c1', 'c2', 'c3', 'c4', 'c5'];
    const store: { state: CtiState | null } = { state: await ownerlessState(clock, ids) };
    const p = cti(clock, store);
    await p.caller('live'); // a live call queued behind the dead ones
    // Agents become Ready before any SoftACD answered (issue 10: 7 s after the restore).
    await ready(p, 'a1', 'a2');
    // Signed in before the restart: from here on Ready, reserved, Ready again; never not-ready.
    expect(
      p.states.filter((s) => s.includes('not-ready')),
      p.states.join(' '),
    ).to.deep.equal([]);
    for (const id of ids) expect(systemCleared(p, id), id).to.deep.equal(['system-cleared']);
    // The live call reached an agent through its SoftACD; the other agent is Ready.
    expect(p.diverts).to.have.length(1);
    expect(p.diverts[0]).to.include({ softacd: 'softacd-1', contactId: 'live' });
    const states = agentStates(p.domain);
    expect([states.a1, states.a2].sort()).to.deep.equal(['ready', 'reserved']);
    expect(p.domain.snapshot().contacts.map((c) => c.id)).to.deep.equal(['live']);
  });

  it('an offer SoftACD answers caller-gone for, while still offered, is cleared and its agent is Ready again', async () => {
    const clock = { now: 1_000_000 };
    const p = cti(clock, { state: null });
    await ready(p, 'a1');
    await p.caller('c1');
    expect(agentStates(p.domain).a1).to.equal('reserved');
    const from = p.states.length;
    await p.event({ type: 'DivertFailed', contactId: 'c1', agentId: 'a1', reason: 'caller-gone' });
    expect(agentStates(p.domain).a1).to.equal('ready');
    expect(p.domain.contactView('c1').ok).to.equal(false);
    expect(systemCleared(p, 'c1')).to.deep.equal(['system-cleared']);
    // The ring timer it would have waited for is gone: no ring-no-answer later.
    await p.advance(20_000);
    expect(agentStates(p.domain).a1).to.equal('ready');
    expect(p.states.slice(from)).to.deep.equal(['a1:ready']);
  });

  it('an AgentRequest that arrives after its call was cleared (ConnectionCleared overtook it) is not queued', async () => {
    const p = cti({ now: 1_000_000 }, { state: null });
    p.owners.setSoftacd('c1', 'softacd-1');
    await p.event({ type: 'ConnectionCleared', contactId: 'c1', releasedBy: 'caller', stage: 'ivr' });
    await p.event({ type: 'AgentRequest', contactId: 'c1', queueId: 'sales' });
    expect(p.domain.contactView('c1').ok).to.equal(false);
    expect(p.domain.snapshot().timers).to.deep.equal([]);
    expect(p.timeline.find((t) => t.type === 'AgentRequest')?.data).to.include({ refused: 'call-not-held' });
  });

  it('an agent without a phone is made not-ready "no-phone" (not a ring-no-answer) and the contact waits at the head', async () => {
    const p = cti({ now: 1_000_000 }, { state: null }, { count: 0 }, ['a1']);
    await ready(p, 'a1');
    await p.caller('c1');
    expect(agentStates(p.domain).a1).to.equal('not-ready:no-phone');
    expect(p.domain.queuePosition('c1')).to.deep.equal({ ok: true, value: 1 });
    await ready(p, 'a2');
    expect(p.diverts.map((d) => `${d.contactId}@${d.agentId}`)).to.deep.equal(['c1@a2']);
  });

  it("one SoftACD's list: unlisted owned calls cleared, a listed call without an owner adopted, a late listing of a cleared call ended", async () => {
    const clock = { now: 1_000_000 };
    const store: { state: CtiState | null } = { state: await ownerlessState(clock, ['c1', 'c2']) };
    const p = cti(clock, store);
    p.owners.setSoftacd('c9', 'softacd-1'); // a call in the IVR's menus, owned, not queued
    await p.reconciler.begin(['c1', 'c2'], 60_000);
    expect(p.commands).to.deep.equal(['softacd-1:CallListRequest:calls:softacd-1']);
    await p.event({
      type: 'CallList',
      contactId: 'calls:softacd-1',
      instance: 'softacd-1',
      reason: 'requested',
      calls: [{ contactId: 'c2', state: 'queue' }],
    });
    expect(systemCleared(p, 'c9')).to.deep.equal(['system-cleared']);
    expect(p.owners.softacd('c2'), 'adopted').to.equal('softacd-1');
    expect(p.reconciler.pending).to.equal(1); // c1: no owner, not listed
    expect(await p.reconciler.endWindow()).to.equal(1);
    await p.settle();
    expect(systemCleared(p, 'c1')).to.deep.equal(['system-cleared']);
    expect(systemCleared(p, 'c2')).to.deep.equal([]);
    // c2 is live: a Ready agent gets it through its SoftACD.
    await ready(p, 'a1');
    expect(p.diverts.map((d) => `${d.softacd}:${d.contactId}@${d.agentId}`)).to.deep.equal([
      'softacd-1:c2@a1',
    ]);
    // A SoftACD that lists c1 after all (it was away): told to end it, CTI having cleared it.
    await p.reconciler.callList(
      makeMessage(
        { service: 'softacd', instance: 'softacd-2' },
        {
          type: 'CallList',
          contactId: 'calls:softacd-2',
          instance: 'softacd-2',
          reason: 'resync',
          calls: [{ contactId: 'c1', state: 'queue' }],
        },
      ),
    );
    expect(p.commands.at(-1)).to.equal('softacd-2:ClearCall:c1');
  });

  it('clears what the restore dropped at once, and at the window end the calls of a SoftACD that never answered', async () => {
    const clock = { now: 1_000_000 };
    const store: { state: CtiState | null } = { state: null };
    const before = cti(clock, store);
    await ready(before, 'a1');
    await before.caller('c1'); // offered to a1
    await before.caller('c2'); // waiting
    before.owners.setSoftacd('c2', 'softacd-9'); // a SoftACD that will not answer
    await before.persister.durable();
    const saved = store.state as CtiState;
    // c1's agent record lost: the contact cannot be placed.
    const broken = {
      ...saved,
      domain: { ...saved.domain, agents: saved.domain.agents.filter((a) => a.config.id !== 'a1') },
    };
    const p = cti(clock, { state: broken });
    expect(p.lost).to.deep.equal(['c1']);
    await p.reconciler.dropLost(p.lost);
    await p.reconciler.begin(
      p.domain.snapshot().contacts.map((c) => c.id),
      60_000,
    );
    expect(p.commands).to.deep.equal(['softacd-9:CallListRequest:calls:softacd-9']);
    expect(systemCleared(p, 'c1')).to.deep.equal(['system-cleared']);
    expect(p.timeline.find((t) => t.contactId === 'c1' && t.type === 'Reconciled')?.data).to.include({
      why: 'unrestorable',
    });
    expect(await p.reconciler.endWindow()).to.equal(1);
    await p.settle();
    expect(p.timeline.find((t) => t.contactId === 'c2' && t.type === 'Reconciled')?.data).to.include({
      why: 'not-listed',
      softacd: 'softacd-9',
      outcome: 'system-cleared',
    });
    expect(p.domain.snapshot().contacts).to.deep.equal([]);
    expect(p.owners.softacd('c2')).to.equal(undefined);
  });

  it('stores the deletion of a fired timer with its contact (queue timeout), with marks alone', async () => {
    const clock = { now: 1_000_000 };
    const store: { state: CtiState | null } = { state: null };
    const p = cti(clock, store);
    await p.caller('c1');
    expect(store.state?.domain.timers.map((t) => t.id)).to.deep.equal(['queue:c1']);
    await p.advance(120_000); // the queue timeout: the contact leaves the queue
    await p.persister.durable();
    expect(p.domain.contactView('c1').ok).to.equal(false);
    expect(store.state?.domain.contacts).to.deep.equal([]);
    expect(store.state?.domain.timers, 'the fired timer is not left behind').to.deep.equal([]);
  });

  it('stores a configuration change from the directory (no outcome key names it) with marks alone, unlogged', async () => {
    const store: { state: CtiState | null } = { state: null };
    const p = cti({ now: 1_000_000 }, store);
    await p.caller('c1'); // a first write: the next ones go by the marks
    const sales = QUEUES[0]!;
    await p.routing.applyResult(p.domain.updateQueue({ ...sales, ringTimeoutMs: 9_000 }), 'queue sales');
    await p.persister.durable();
    expect(store.state?.domain.queues.find((q) => q.config.id === 'sales')?.config.ringTimeoutMs).to.equal(
      9_000,
    );
    expect(p.persister.stats.untracked).to.equal(0);
  });

  it("groups a contact's records and an agent's in each write", () => {
    expect([...withRelated(['t:queue:c1', 'a:x'])].sort()).to.deep.equal(
      ['a:x', 'c:c1', 'cb:c1', 'o:c1', 't:queue:c1', 't:retry:c1', 't:ring:c1', 't:wrap-up:x'].sort(),
    );
    expect([...withRelated(['meta', 'q:sales'])]).to.deep.equal(['meta', 'q:sales']);
  });

  describe('restoring a state that does not fit together (repairSnapshot)', () => {
    it('drops orphan timers and contacts it cannot place, frees agents left busy, and restores the rest', async () => {
      const clock = { now: 1_000_000 };
      const store: { state: CtiState | null } = { state: null };
      const before = cti(clock, store);
      await ready(before, 'a1');
      await before.caller('c1'); // offered to a1
      await before.routing.agentEvent('login', 'a2');
      await before.caller('c2'); // waiting
      const saved = store.state as CtiState;
      const d = saved.domain;
      const broken: DomainSnapshot = {
        ...d,
        // c1's record lost (a1 stays reserved for it); a contact of an agent that is not there.
        contacts: [
          ...d.contacts.filter((c) => c.id !== 'c1'),
          { ...d.contacts.find((c) => c.id === 'c2')!, id: 'c3', agentId: 'ghost', state: 'offered' },
        ],
        timers: [...d.timers, { id: 'queue:gone', kind: 'queue', dueAt: 0, contactId: 'gone' }],
      };
      const { repair } = repairSnapshot(broken);
      expect(repair.lost).to.deep.equal(['c3']);
      expect(repair.notes).to.have.length(4); // c3, ring:c1, queue:gone, a1 reserved
      const restored = restoreState({ ...saved, domain: broken }, { now: () => clock.now }, log);
      expect(restored.restored, 'restored, not refused').to.equal(true);
      expect(restored.lost).to.deep.equal(['c3']);
      expect(restored.domain.agentView('a1')).to.deep.include({ ok: true });
      expect(restored.domain.agentView('a2').ok && restored.domain.agentView('a2')).to.not.equal(false);
      const snap = restored.domain.snapshot();
      expect(snap.contacts.map((c) => c.id)).to.deep.equal(['c2']);
      expect(snap.timers.map((t) => t.id)).to.deep.equal(['queue:c2']);
      expect(snap.agents.find((a) => a.config.id === 'a1')?.state).to.equal('ready');
      expect(snap.agents.find((a) => a.config.id === 'a2')?.state).to.equal('not-ready');
    });

    it('leaves a consistent state untouched', async () => {
      const clock = { now: 1_000_000 };
      const store: { state: CtiState | null } = { state: null };
      const p = cti(clock, store);
      await ready(p, 'a1');
      await p.caller('c1');
      await p.caller('c2');
      const { snapshot, repair } = repairSnapshot((store.state as CtiState).domain);
      expect(repair).to.deep.equal({ lost: [], notes: [] });
      expect(snapshot).to.deep.equal((store.state as CtiState).domain);
    });
  });
});
