import { expect } from '../../support/chai';
import { arrive, must, mustFail, offered, queue, readyAgent, stateOf, world } from './helpers';

describe('cti/domain timers (fake clock, timers as effects)', () => {
  it('asks for a ring timer on offer and cancels it on answer', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice', ringTimeoutMs: 15_000 });
    readyAgent(w, { id: 'a' });
    const out = arrive(w, 'c1', 'q');
    expect(out.timers).to.deep.equal([
      {
        type: 'schedule',
        timer: { id: 'ring:c1', kind: 'ring', dueAt: w.clock.t + 15_000, contactId: 'c1', agentId: 'a' },
      },
    ]);
    w.clock.advance(2000);
    expect(must(w.cti.answered('c1')).timers).to.deep.equal([{ type: 'cancel', timerId: 'ring:c1' }]);
    mustFail(w.cti.timerFired('ring:c1'), 'UNKNOWN_TIMER');
  });

  it('ring timeout: agent not-ready, contact back at the head and offered to the next ready agent', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice', ringTimeoutMs: 15_000 });
    readyAgent(w, { id: 'a' });
    arrive(w, 'c1', 'q');
    must(w.cti.ringing('c1'));
    readyAgent(w, { id: 'b' });
    w.clock.advance(15_000);
    const out = must(w.cti.timerFired('ring:c1'));
    expect(stateOf(w, 'a')).to.equal('not-ready');
    expect(must(w.cti.agentView('a')).reason).to.equal('ring-no-answer');
    expect(offered(out)).to.deep.equal(['c1->b']);
  });

  it('e-mail offer timeout returns the task to its queue; the agent stays ready (its calls keep coming)', () => {
    const w = world();
    queue(w, { id: 'mail', channel: 'email', ringTimeoutMs: 60_000 });
    readyAgent(w, { id: 'a' });
    arrive(w, 'm1', 'mail');
    must(w.cti.notReady('a', 'break'));
    w.clock.advance(60_000);
    must(w.cti.timerFired('ring:m1'));
    expect(stateOf(w, 'a')).to.equal('not-ready');
    expect(must(w.cti.agentView('a')).reason).to.equal('break');
    expect(must(w.cti.agentView('a')).activeTasks.email).to.equal(0);
    expect(must(w.cti.queuePosition('m1'))).to.equal(1);
  });

  it('wrap-up lasts the queue wrap-up time; Ready ends it early and cancels the timer', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice', wrapUpMs: 10_000 });
    readyAgent(w, { id: 'a' });
    arrive(w, 'c1', 'q');
    must(w.cti.answered('c1'));
    const out = must(w.cti.released('c1'));
    expect(out.timers).to.deep.equal([
      {
        type: 'schedule',
        timer: { id: 'wrap-up:a', kind: 'wrap-up', dueAt: w.clock.t + 10_000, agentId: 'a' },
      },
    ]);
    const early = must(w.cti.ready('a'));
    expect(early.timers).to.deep.equal([{ type: 'cancel', timerId: 'wrap-up:a' }]);
    mustFail(w.cti.timerFired('wrap-up:a'), 'UNKNOWN_TIMER');
  });

  it('wrap-up timer returns the agent to ready', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice', wrapUpMs: 10_000 });
    readyAgent(w, { id: 'a' });
    arrive(w, 'c1', 'q');
    must(w.cti.answered('c1'));
    must(w.cti.released('c1'));
    w.clock.advance(10_000);
    const out = must(w.cti.timerFired('wrap-up:a'));
    expect(out.agentChanges).to.deep.equal([{ agentId: 'a', from: 'wrap-up', to: 'ready', at: w.clock.t }]);
  });

  for (const action of ['release', 'voicemail'] as const) {
    it(`queue timeout with action ${action} removes the contact and tells the IVR`, () => {
      const w = world();
      queue(w, { id: 'q', channel: 'voice', queueTimeoutMs: 60_000, timeoutAction: action });
      const out = arrive(w, 'c1', 'q');
      expect(out.timers[0]).to.deep.include({ type: 'schedule' });
      arrive(w, 'c2', 'q');
      w.clock.advance(60_000);
      const fired = must(w.cti.timerFired('queue:c1'));
      expect(fired.notices).to.deep.equal([{ type: 'queue-timeout', contactId: 'c1', queueId: 'q', action }]);
      expect(fired.contactChanges[0]).to.include({ contactId: 'c1', to: 'ended', reason: 'queue-timeout' });
      mustFail(w.cti.contactView('c1'), 'UNKNOWN_CONTACT');
      expect(must(w.cti.queuePosition('c2'))).to.equal(1);
    });
  }

  it('queue timeout with action callback keeps the place as a callback entry', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice', queueTimeoutMs: 60_000, timeoutAction: 'callback' });
    arrive(w, 'c1', 'q');
    w.clock.advance(1);
    arrive(w, 'c2', 'q');
    w.clock.advance(60_000);
    const fired = must(w.cti.timerFired('queue:c1'));
    expect(fired.notices[0]).to.include({ action: 'callback' });
    expect(must(w.cti.contactView('c1')).callback).to.equal(true);
    expect(must(w.cti.queuePosition('c1'))).to.equal(1);
    const out = readyAgent(w, { id: 'a' });
    expect(out.offers[0]).to.include({ contactId: 'c1', callback: true });
  });

  it('an offered contact has no queue timer; a returned one gets it back at its original deadline', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice', queueTimeoutMs: 60_000 });
    readyAgent(w, { id: 'a' });
    const start = w.clock.t;
    expect(arrive(w, 'c1', 'q').timers).to.deep.equal([]);
    w.clock.advance(5000);
    const out = must(w.cti.ringNoAnswer('c1'));
    expect(out.timers).to.deep.equal([
      { type: 'schedule', timer: { id: 'queue:c1', kind: 'queue', dueAt: start + 60_000, contactId: 'c1' } },
    ]);
  });

  it('estimates the expected wait from recent handle times and the agents serving the queue', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice', defaultHandleTimeMs: 100_000 });
    for (const id of ['a', 'b']) {
      must(w.cti.addAgent({ id }));
      must(w.cti.login(id));
    }
    arrive(w, 'c1', 'q');
    arrive(w, 'c2', 'q');
    arrive(w, 'c3', 'q');
    expect(must(w.cti.expectedWaitMs('c3'))).to.equal((3 * 100_000) / 2);
    // One handled call of 40 s replaces the default.
    must(w.cti.ready('a'));
    w.clock.advance(40_000);
    must(w.cti.answered('c1'));
    w.clock.advance(40_000);
    must(w.cti.released('c1'));
    expect(must(w.cti.queueStats('q')).averageHandleTimeMs).to.equal(40_000);
    // a took c2 right away; c3 is now first of one.
    expect(must(w.cti.expectedWaitMs('c3'))).to.equal(40_000 / 2);
    must(w.cti.logout('b'));
    expect(must(w.cti.expectedWaitMs('c3'))).to.equal(40_000);
  });

  it('expected wait is null when nobody serves the queue', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice' });
    arrive(w, 'c1', 'q');
    expect(must(w.cti.expectedWaitMs('c1'))).to.equal(null);
  });
});
