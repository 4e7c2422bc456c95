import { CallbackBook } from '../../../cti/app/callbacks';
import { StatePersister, type CtiState } from '../../../cti/app/persistence';
import { applyDirectory, reconcile, restoreState } from '../../../cti/app/recovery';
import { fromRecords } from '../../../cti/app/state-records';
import { expect } from '../../support/chai';
import { QUEUES, agentStates, cti, log } from './cti-process';

/** A state with nothing in it but `contactSeq`, the value a test changes. */
const state = (contactSeq: number): Omit<CtiState, 'savedAt'> => ({
  version: 1,
  domain: { version: 1, contactSeq, readySeq: 0, queues: [], agents: [], contacts: [], timers: [] },
  owners: { softacds: [], ivrs: [], agents: [], callers: [] },
});

describe('CTI restart recovery (stored state, restore, reconcile; no servers)', () => {
  describe('StatePersister: group commit', () => {
    it('coalesces the changes made before a write into one write and resolves each after it', async () => {
      let value = 0;
      const saved: number[] = [];
      let release: () => void = () => undefined;
      const p = new StatePersister({
        capture: () => state(value),
        save: (change) => {
          saved.push(fromRecords(change.records()).domain.contactSeq);
          return new Promise<void>((r) => (release = r));
        },
        delayMs: 0,
        log,
      });
      let done = 0;
      value = 1;
      const first = [p.durable(), p.durable(), p.durable()].map((x) => x.then(() => done++));
      await new Promise((r) => setTimeout(r, 5));
      expect(saved).to.deep.equal([1]);
      // Changes made while the write is in flight wait for the next one, not this one.
      value = 2;
      const second = [p.durable(), p.durable()].map((x) => x.then(() => done++));
      expect(done).to.equal(0);
      release();
      await Promise.all(first);
      expect(done).to.equal(3);
      await new Promise((r) => setTimeout(r, 5));
      expect(saved).to.deep.equal([1, 2]);
      release();
      await Promise.all(second);
      expect(done).to.equal(5);
      expect(p.stats.writes).to.equal(2);
    });

    it('skips a write that would store what is stored already', async () => {
      let writes = 0;
      const p = new StatePersister({
        capture: () => state(7),
        save: () => {
          writes++;
          return Promise.resolve();
        },
        delayMs: 0,
        log,
      });
      await p.durable();
      await p.durable();
      await p.durable();
      expect(writes).to.equal(1);
      expect(p.stats.skipped).to.equal(2);
    });

    it('writes only the records marked changed; the periodic whole comparison catches an unmarked one', async () => {
      const clock = { now: 0 };
      let seq = 1;
      const read: string[] = [];
      const puts: string[][] = [];
      const p = new StatePersister({
        capture: () => state(seq),
        record: (key) => {
          read.push(key);
          return key === 'meta'
            ? JSON.stringify({ version: 1, domain: { version: 1, contactSeq: seq, readySeq: 0 } })
            : undefined;
        },
        save: (change) => {
          puts.push(change.put.map(([k]) => k));
          return Promise.resolve();
        },
        now: () => clock.now,
        fullEveryMs: 1_000,
        delayMs: 0,
        log,
      });
      await p.durable(); // the first write compares the whole state
      expect(read).to.deep.equal([]);
      seq = 2;
      await p.durable(['meta']);
      expect(read).to.deep.equal(['meta']);
      expect(puts).to.deep.equal([['meta'], ['meta']]);
      seq = 3; // changed, not marked: the tracked write does not see it
      await p.durable();
      expect(puts.length).to.equal(2);
      clock.now = 1_000; // the whole comparison finds it, writes it and counts it
      await p.durable();
      expect(puts).to.deep.equal([['meta'], ['meta'], ['meta']]);
      expect(p.stats.untracked).to.equal(1);
    });

    it('keeps the waiters pending while the store fails and resolves them once a retry stores', async () => {
      let fail = 2;
      let writes = 0;
      const p = new StatePersister({
        capture: () => state(1),
        save: () => {
          if (fail-- > 0) return Promise.reject(new Error('store down'));
          writes++;
          return Promise.resolve();
        },
        delayMs: 0,
        retryMs: 2,
        log,
      });
      let resolved = false;
      const waiting = p.durable().then(() => (resolved = true));
      await new Promise((r) => setTimeout(r, 1));
      expect(resolved, 'resolved while nothing is stored').to.equal(false);
      await waiting;
      expect(writes).to.equal(1);
    });
  });

  describe('restore after a crash', () => {
    /** a1 talking with c1, a2 ringing for c2, a3 not-ready; c3 and c4 queued behind them, in order. */
    async function busyCenter(clock: { now: number }, store: { state: CtiState | null }) {
      const p = cti(clock, store);
      for (const a of ['a1', 'a2', 'a3']) {
        await p.routing.agentEvent('login', a);
        if (a !== 'a3') await p.routing.agentEvent('ready', a);
      }
      await p.routing.agentEvent('not-ready', 'a3', 'lunch');
      await p.caller('c1');
      await p.event({
        type: 'CallDelivered',
        contactId: 'c1',
        callingNumber: '1',
        callingName: '',
        calledNumber: '200',
        media: 'audio',
        channelId: 'c1-agent-1',
        deliveredTo: { kind: 'agent', agentId: p.owners.agent('c1') ?? '' },
      });
      await p.event({ type: 'Established', contactId: 'c1', agentId: 'a1', agentChannelId: 'c1-agent-1' });
      clock.now += 1_000;
      await p.caller('c2');
      clock.now += 1_000;
      await p.caller('c3');
      clock.now += 1_000;
      await p.caller('c4');
      return p;
    }

    it('brings back agent states, contacts in queue order, owners and timers, as stored', async () => {
      const clock = { now: 1_000_000 };
      const store: { state: CtiState | null } = { state: null };
      const before = await busyCenter(clock, store);
      expect(before.routing.contact('c1')).to.include({ state: 'connected', agentId: 'a1' });
      const stored = before.domain.snapshot();
      expect(store.state?.domain).to.deep.equal(JSON.parse(JSON.stringify(stored)));

      // kill -9: the process is gone; a new one starts 2 s later from the store.
      clock.now += 2_000;
      const after = cti(clock, store);
      expect(after.restored).to.equal(true);
      expect(after.directory.every((d) => d.result.ok)).to.equal(true);
      expect(agentStates(after.domain)).to.deep.equal({
        a1: 'talking',
        a2: 'reserved',
        a3: 'not-ready:lunch',
      });
      expect(after.domain.queuePosition('c3')).to.deep.equal({ ok: true, value: 1 });
      expect(after.domain.queuePosition('c4')).to.deep.equal({ ok: true, value: 2 });
      expect(after.owners.softacd('c2')).to.equal('softacd-1');
      expect(after.owners.agent('c2')).to.equal('a2');
      expect(after.owners.ivr('c3')).to.equal('ivr-1');

      const grace = clock.now + 3_000;
      expect(after.routing.rearmTimers(grace)).to.equal(after.domain.armedTimers().length);
      const ring = after.timers.get('ring:c2');
      // c2 was offered 3 s before the snapshot's last change and 5 s before the restart: 15 s ring time.
      const offeredAt = store.state?.domain.contacts.find((c) => c.id === 'c2')?.offeredAt ?? 0;
      expect(ring?.dueAt).to.equal(offeredAt + 15_000);
      expect(after.timers.get('queue:c4')?.dueAt).to.be.greaterThan(clock.now);
    });

    it('fires a timer that fell due while CTI was down only after the grace, then routes as before', async () => {
      const clock = { now: 1_000_000 };
      const store: { state: CtiState | null } = { state: null };
      await busyCenter(clock, store);
      clock.now += 20_000; // down longer than c2's ring time
      const after = cti(clock, store);
      after.routing.rearmTimers(clock.now + 3_000);
      expect(after.timers.get('ring:c2')?.dueAt).to.equal(clock.now + 3_000);
      await after.advance(1_000);
      expect(agentStates(after.domain).a2).to.equal('reserved');
      await after.advance(2_000);
      // Ring-no-answer: a2 not-ready, c2 back at the head of the queue, before c3 and c4.
      expect(agentStates(after.domain).a2).to.match(/^not-ready/);
      expect(after.domain.queuePosition('c2')).to.deep.equal({ ok: true, value: 1 });
      expect(after.domain.queuePosition('c4')).to.deep.equal({ ok: true, value: 3 });
    });

    it('ends the talking call normally after the restart: wrap-up, ready, then the head of the queue', async () => {
      const clock = { now: 1_000_000 };
      const store: { state: CtiState | null } = { state: null };
      await busyCenter(clock, store);
      clock.now += 1_500;
      const after = cti(clock, store);
      after.routing.rearmTimers(clock.now + 3_000);
      await after.event({
        type: 'ConnectionCleared',
        contactId: 'c1',
        releasedBy: 'caller',
        stage: 'talking',
      });
      expect(agentStates(after.domain).a1).to.equal('wrap-up');
      await after.advance(5_000);
      expect(agentStates(after.domain).a1).to.equal('reserved');
      expect(after.diverts).to.deep.equal([{ softacd: 'softacd-1', contactId: 'c3', agentId: 'a1' }]);
      // What the next crash would restore already includes it.
      expect(store.state?.domain.contacts.find((c) => c.id === 'c3')?.state).to.equal('offered');
      expect(store.state?.owners.agents).to.deep.include(['c3', 'a1']);
    });

    it('takes the directory as it is now: a new agent is added, a new skill applies to restored agents', async () => {
      const clock = { now: 1_000_000 };
      const store: { state: CtiState | null } = { state: null };
      const before = cti(clock, store);
      await before.routing.agentEvent('login', 'a1');
      await before.persister.durable();
      const restored = restoreState(store.state, { now: () => clock.now }, log);
      const results = applyDirectory(restored.domain, {
        queues: QUEUES,
        agents: [{ id: 'a1', skills: { sales: 9 } }, { id: 'a9' }],
      });
      expect(results.map((r) => r.result.ok)).to.deep.equal([true, true, true]);
      const a1 = restored.domain.snapshot().agents.find((a) => a.config.id === 'a1');
      expect(a1?.state).to.equal('not-ready');
      expect(a1?.config.skills).to.deep.equal({ sales: 9 });
      expect(restored.domain.agentView('a9').ok).to.equal(true);
    });

    it('starts empty, and says so, from a snapshot it cannot read', () => {
      const bad = { version: 1, savedAt: 0, domain: { version: 99 }, owners: {} } as unknown as CtiState;
      const r = restoreState(bad, { now: () => 0 }, log);
      expect(r.restored).to.equal(false);
      expect(r.domain.snapshot().agents).to.deep.equal([]);
    });
  });

  it('keeps the callbacks promised (number, SoftACD, caller on the line, pending offer) across a restore', () => {
    const book = new CallbackBook();
    book.requested('c1', '15550001', 'sales', 'softacd-1');
    book.requested('c2', '15550002', 'support', undefined);
    book.callerLeft('c2');
    const stored = JSON.parse(JSON.stringify(book.snapshot())) as ReturnType<CallbackBook['snapshot']>;
    const back = CallbackBook.restore(stored);
    expect(back.get('c1')).to.deep.equal({
      number: '15550001',
      queueId: 'sales',
      softacd: 'softacd-1',
      callerOnLine: true,
    });
    expect(back.get('c2')).to.include({ number: '15550002', callerOnLine: false });
    expect(back.size).to.equal(2);
  });

  describe('reconciling with SoftACD (CallList)', () => {
    it('plans: calls SoftACD no longer has are gone; a stored offer SoftACD never rang is sent again', () => {
      const views: Record<string, { state: string; agentId?: string }> = {
        c1: { state: 'connected', agentId: 'a1' },
        c2: { state: 'offered', agentId: 'a2' },
        c3: { state: 'waiting' },
        c5: { state: 'offered', agentId: 'a3' },
      };
      const calls = [
        { contactId: 'c1', state: 'talking' as const, agentId: 'a1' },
        { contactId: 'c2', state: 'queue' as const },
        { contactId: 'c5', state: 'ringing' as const, agentId: 'a3' },
        { contactId: 'c9', state: 'ivr' as const },
      ];
      const owned = ['c1', 'c2', 'c3', 'c5'];
      expect(reconcile({ reason: 'requested', calls }, owned, (id) => views[id])).to.deep.equal({
        vanished: ['c3'],
        reoffer: ['c2'],
      });
      // After SoftACD's own resync the DivertCall may be on its way: only the vanished are acted on.
      expect(reconcile({ reason: 'resync', calls }, owned, (id) => views[id])).to.deep.equal({
        vanished: ['c3'],
        reoffer: [],
      });
    });

    it('clears a call that ended unseen once, frees its agent, and ignores its late ConnectionCleared', async () => {
      const clock = { now: 1_000_000 };
      const store: { state: CtiState | null } = { state: null };
      const p = cti(clock, store);
      await p.routing.agentEvent('login', 'a1');
      await p.routing.agentEvent('ready', 'a1');
      await p.caller('c1');
      await p.event({ type: 'Established', contactId: 'c1', agentId: 'a1', agentChannelId: 'x' });
      await p.caller('c2');
      p.owners.setSoftacd('c7', 'softacd-2'); // another SoftACD's call: not in this list
      await p.event({
        type: 'CallList',
        contactId: 'calls:softacd-1',
        instance: 'softacd-1',
        reason: 'requested',
        calls: [{ contactId: 'c2', state: 'queue' }],
      });
      expect(agentStates(p.domain).a1).to.equal('wrap-up');
      expect(p.domain.contactView('c1').ok).to.equal(false);
      expect(p.owners.softacd('c1')).to.equal(undefined);
      expect(p.owners.softacd('c7')).to.equal('softacd-2');
      expect(p.domain.queuePosition('c2')).to.deep.equal({ ok: true, value: 1 });
      await p.event({ type: 'ConnectionCleared', contactId: 'c1', releasedBy: 'caller', stage: 'talking' });
      // A list naming another SoftACD than its sender is ignored: c7 stays.
      await p.event({
        type: 'CallList',
        contactId: 'calls:softacd-2',
        instance: 'softacd-2',
        reason: 'requested',
        calls: [],
      });
      expect(p.owners.softacd('c7')).to.equal('softacd-2');
      const c1 = p.timeline.filter((t) => t.contactId === 'c1').map((t) => t.type);
      expect(c1.filter((t) => t === 'Reconciled' || t === 'ConnectionCleared')).to.deep.equal(['Reconciled']);
    });

    it('routes a redelivered RouteRequest once (a second RouteSelect would restart the IVR flow)', async () => {
      const p = cti({ now: 1_000_000 }, { state: null });
      await p.event({
        type: 'CallDelivered',
        contactId: 'c1',
        callingNumber: '1',
        callingName: '',
        calledNumber: '100',
        media: 'audio',
        channelId: 'ch1',
        deliveredTo: { kind: 'acd', instance: 'softacd-1' },
      });
      const request = {
        type: 'RouteRequest' as const,
        contactId: 'c1',
        calledNumber: '100',
        callingNumber: '1',
        media: 'audio',
      };
      await p.event(request);
      await p.event(request, { redelivered: true });
      expect(p.commands).to.deep.equal(['softacd-1:RouteSelect:c1']);
    });

    it('tells an abandoned call from an answered one from its own state, without reading the store', async () => {
      const clock = { now: 1_000_000 };
      const stored: { state: CtiState | null } = { state: null };
      const p = cti(clock, stored);
      await p.routing.agentEvent('login', 'a1');
      await p.routing.agentEvent('ready', 'a1');
      await p.caller('c1');
      await p.event({ type: 'Established', contactId: 'c1', agentId: 'a1', agentChannelId: 'c1-agent-1' });
      // Stored with the call's owners: a restarted CTI knows it too.
      expect(stored.state?.owners.answered).to.deep.equal(['c1']);
      await p.caller('c2'); // nobody free: it waits in the queue
      const cleared = (contactId: string) => ({
        type: 'ConnectionCleared' as const,
        contactId,
        releasedBy: 'caller',
        stage: 'queue',
      });
      await p.event(cleared('c1'));
      await p.event(cleared('c2'));
      expect(p.docs.get('c1')).to.include({ state: 'cleared', abandoned: false });
      expect(p.docs.get('c2')).to.include({ state: 'cleared', abandoned: true });
      expect(p.reads, 'store reads').to.deep.equal([]);
      expect(p.owners.answered('c1'), 'forgotten once cleared').to.equal(false);
    });

    it('records a redelivered ConnectionCleared once', async () => {
      const clock = { now: 1_000_000 };
      const p = cti(clock, { state: null });
      await p.caller('c1');
      const cleared = {
        type: 'ConnectionCleared' as const,
        contactId: 'c1',
        releasedBy: 'caller',
        stage: 'queue',
      };
      await p.event(cleared);
      await p.event(cleared);
      expect(p.timeline.filter((t) => t.type === 'ConnectionCleared')).to.have.length(1);
    });
  });
});
