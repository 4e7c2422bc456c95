import { expect } from '../../support/chai';
import { CtiDomain, type Outcome } from '../../../cti/domain';
import { arrive, must, mustFail, offered, queue, readyAgent, stateOf, world, type World } from './helpers';

/** A callback dialled at the head of the queue: customer no-answer, retry policy, snapshot. */
describe('cti/domain callback dialling and retry policy', () => {
  const RETRY = 60_000;

  /** q: a callback entry `cb` (arrived first) and a caller `late`; agent `a` ready -> offered `cb`. */
  function callbackAtHead(attempts = 3): World {
    const w = world();
    queue(w, { id: 'q', channel: 'voice', callbackRetryMs: RETRY, callbackAttempts: attempts });
    arrive(w, 'cb', 'q');
    w.clock.advance(1000);
    must(w.cti.callbackRequested('cb'));
    arrive(w, 'late', 'q');
    const out = readyAgent(w, { id: 'a' });
    expect(offered(out)).to.deep.equal(['cb->a']);
    expect(out.offers[0]?.callback).to.equal(true);
    return w;
  }

  function dialUnanswered(w: World): Outcome {
    must(w.cti.ringing('cb'));
    must(w.cti.answered('cb')); // the agent answered: the customer is being dialled
    expect(stateOf(w, 'a')).to.equal('talking');
    return must(w.cti.callbackUnanswered('cb'));
  }

  it('customer no-answer: the agent is ready at once and takes the next caller; the callback is scheduled', () => {
    const w = callbackAtHead();
    const out = dialUnanswered(w);
    expect(out.agentChanges.map((c) => `${c.from}->${c.to}`)).to.deep.equal([
      'talking->ready',
      'ready->reserved',
    ]);
    expect(offered(out)).to.deep.equal(['late->a']);
    expect(out.contactChanges[0]).to.include({ contactId: 'cb', from: 'connected', to: 'scheduled' });
    expect(out.contactChanges[0]?.reason).to.equal('callback-no-answer');
    expect(out.timers).to.deep.include({
      type: 'schedule',
      timer: { id: 'retry:cb', kind: 'retry', dueAt: w.clock.now() + RETRY, contactId: 'cb' },
    });
    expect(must(w.cti.contactView('cb'))).to.include({ state: 'scheduled', attempts: 1, callback: true });
    mustFail(w.cti.queuePosition('cb'), 'CONTACT_NOT_WAITING');
  });

  it('the retry puts the callback back at its original place, ahead of callers who came later', () => {
    const w = callbackAtHead();
    dialUnanswered(w); // `late` is now offered to a
    must(w.cti.answered('late'));
    must(w.cti.released('late')); // wrap-up 0: a is ready again at once
    must(w.cti.notReady('a', 'break'));
    arrive(w, 'later', 'q');
    w.clock.advance(RETRY);
    const due = must(w.cti.timerFired('retry:cb'));
    expect(due.contactChanges[0]).to.include({ from: 'scheduled', to: 'waiting', reason: 'callback-retry' });
    expect(must(w.cti.queuePosition('cb'))).to.equal(1);
    expect(must(w.cti.queuePosition('later'))).to.equal(2);
    const out = must(w.cti.ready('a'));
    expect(offered(out)).to.deep.equal(['cb->a']);
  });

  it('ends as callback-failed after the last attempt; the contact is gone', () => {
    const w = callbackAtHead(2);
    dialUnanswered(w);
    must(w.cti.answered('late'));
    must(w.cti.released('late'));
    w.clock.advance(RETRY);
    const again = must(w.cti.timerFired('retry:cb'));
    expect(offered(again)).to.deep.equal(['cb->a']);
    const out = dialUnanswered(w);
    expect(out.contactChanges[0]).to.include({ from: 'connected', to: 'ended', reason: 'callback-failed' });
    expect(out.timers.filter((t) => t.type === 'schedule')).to.deep.equal([]);
    mustFail(w.cti.contactView('cb'), 'UNKNOWN_CONTACT');
    expect(stateOf(w, 'a')).to.equal('ready');
  });

  it('refuses no-answer for an ordinary call, and for a callback that is not being dialled', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice' });
    readyAgent(w, { id: 'a' });
    arrive(w, 'c', 'q');
    must(w.cti.answered('c'));
    mustFail(w.cti.callbackUnanswered('c'), 'ILLEGAL_CONTACT_TRANSITION');
    const cb = callbackAtHead();
    mustFail(cb.cti.callbackUnanswered('cb'), 'ILLEGAL_CONTACT_TRANSITION'); // offered, not answered
  });

  it('a scheduled callback can be abandoned (its retry timer goes) and survives a snapshot', () => {
    const w = callbackAtHead();
    dialUnanswered(w);
    const restored = must(CtiDomain.restore(w.cti.snapshot(), w.clock));
    expect(must(restored.contactView('cb'))).to.include({ state: 'scheduled', attempts: 1 });
    expect(restored.armedTimers().map((t) => t.id)).to.include('retry:cb');
    const out = must(restored.contactAbandoned('cb'));
    expect(out.timers).to.deep.include({ type: 'cancel', timerId: 'retry:cb' });
    mustFail(restored.contactView('cb'), 'UNKNOWN_CONTACT');
  });

  it('a callback that connects ends like a call: released, agent to wrap-up', () => {
    const w = callbackAtHead();
    must(w.cti.ringing('cb'));
    must(w.cti.answered('cb'));
    const out = must(w.cti.released('cb'));
    expect(out.contactChanges[0]).to.include({ from: 'connected', to: 'ended' });
    expect(out.agentChanges[0]).to.include({ from: 'talking', to: 'wrap-up' });
  });

  it('rejects a callback policy it cannot apply', () => {
    const w = world();
    mustFail(w.cti.addQueue({ id: 'q', channel: 'voice', callbackAttempts: 0 }), 'INVALID_CONFIG');
    mustFail(w.cti.addQueue({ id: 'q', channel: 'voice', callbackRetryMs: -1 }), 'INVALID_CONFIG');
  });
});
