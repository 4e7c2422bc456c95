import { expect } from '../../support/chai';
import { CtiDomain, type Outcome } from '../../../cti/domain';
import { arrive, must, mustFail, offered, queue, readyAgent, stateOf, world, type World } from './helpers';

/** Agent moves of an outcome, as `agent:from>to(reason)`. */
const moves = (o: Outcome) =>
  o.agentChanges.map((c) => `${c.agentId}:${c.from}>${c.to}${c.reason ? `(${c.reason})` : ''}`);

/** Queue q (wrap-up 5 s), agent a talking with contact c, agent b ready: the transfer's starting point. */
function talking(): World {
  const w = world();
  queue(w, { id: 'q', channel: 'voice', wrapUpMs: 5000 });
  readyAgent(w, { id: 'a' });
  arrive(w, 'c', 'q');
  must(w.cti.ringing('c'));
  must(w.cti.answered('c'));
  readyAgent(w, { id: 'b' });
  return w;
}

describe('cti/domain directed offers (transfers, consultations, conferences by agent name)', () => {
  it('blind transfer: the target is reserved at once, rings and answers like a routed offer; the first agent wraps up', () => {
    const w = talking();
    expect(moves(must(w.cti.directOffer('c', 'b')))).to.deep.equal(['b:ready>reserved']);
    expect(must(w.cti.contactView('c'))).to.include({ state: 'connected', agentId: 'a', directAgentId: 'b' });
    // Reserved for c: a new contact is not routed to it.
    expect(offered(arrive(w, 'other', 'q'))).to.deep.equal([]);
    const t = must(w.cti.transferred('c'));
    expect(moves(t)).to.deep.equal(['a:talking>wrap-up']);
    expect(t.contactChanges.map((c) => `${c.from}>${c.to}:${c.agentId}`)).to.deep.equal([
      'connected>offered:b',
    ]);
    expect(t.timers.map((x) => (x.type === 'schedule' ? x.timer.id : x.timerId))).to.deep.equal([
      'wrap-up:a',
    ]);
    expect(moves(must(w.cti.ringing('c')))).to.deep.equal(['b:reserved>ringing']);
    expect(moves(must(w.cti.answered('c')))).to.deep.equal(['b:ringing>talking']);
    expect(moves(must(w.cti.released('c')))).to.deep.equal(['b:talking>wrap-up']);
    expect(must(w.cti.agentView('b')).callsToday).to.equal(1);
  });

  it('a blind-transfer target that does not answer goes not-ready and the contact back to the head of its queue', () => {
    const w = talking();
    must(w.cti.directOffer('c', 'b'));
    must(w.cti.transferred('c'));
    const r = must(w.cti.ringNoAnswer('c'));
    expect(moves(r)).to.deep.equal(['b:reserved>not-ready(ring-no-answer)']);
    expect(must(w.cti.contactView('c')).state).to.equal('waiting');
  });

  it('attended transfer: the target talks in the consultation, then takes the held contact over', () => {
    const w = talking();
    must(w.cti.held('c'));
    must(w.cti.directOffer('c', 'b'));
    expect(moves(must(w.cti.directRinging('c')))).to.deep.equal(['b:reserved>ringing']);
    expect(moves(must(w.cti.directAnswered('c')))).to.deep.equal(['b:ringing>talking']);
    expect(stateOf(w, 'a')).to.equal('talking');
    const t = must(w.cti.transferred('c'));
    expect(t.contactChanges.map((c) => `${c.from}>${c.to}:${c.agentId}:${c.reason}`)).to.deep.equal([
      'held>connected:b:transfer',
    ]);
    expect(moves(t)).to.deep.equal(['a:talking>wrap-up']);
    expect(must(w.cti.contactView('c'))).to.include({ agentId: 'b', state: 'connected' });
    expect(must(w.cti.contactView('c')).directAgentId).to.equal(undefined);
    mustFail(w.cti.answered('c'), 'ILLEGAL_CONTACT_TRANSITION');
  });

  it('a consultation ends: cancelled before the answer (ready), not answered (not-ready), or after talking (wrap-up)', () => {
    const cases = [
      { answered: false, how: 'cancelled', expected: 'b:reserved>ready' },
      { answered: false, how: 'no-answer', expected: 'b:reserved>not-ready(ring-no-answer)' },
      { answered: true, how: 'cancelled', expected: 'b:talking>wrap-up' },
    ] as const;
    for (const k of cases) {
      const w = talking();
      must(w.cti.directOffer('c', 'b'));
      if (k.answered) must(w.cti.directAnswered('c'));
      expect(moves(must(w.cti.directEnded('c', k.how))), `${k.how} answered=${k.answered}`).to.deep.equal([
        k.expected,
      ]);
      expect(must(w.cti.contactView('c'))).to.include({ agentId: 'a', state: 'connected' });
      mustFail(w.cti.directEnded('c', k.how), 'ILLEGAL_CONTACT_TRANSITION');
    }
  });

  it('a target freed by a cancelled consultation takes the next waiting contact at once', () => {
    const w = talking();
    must(w.cti.directOffer('c', 'b'));
    arrive(w, 'next', 'q');
    expect(offered(must(w.cti.directEnded('c', 'cancelled')))).to.deep.equal(['next->b']);
  });

  it('the call ending during a conference releases both agents', () => {
    const w = talking();
    must(w.cti.directOffer('c', 'b'));
    must(w.cti.directAnswered('c'));
    expect(moves(must(w.cti.released('c')))).to.deep.equal(['a:talking>wrap-up', 'b:talking>wrap-up']);
    expect(must(w.cti.agentView('b')).realtimeContactId).to.equal(undefined);
  });

  it("refuses a target that is not ready, the contact's own agent, a second target, and a waiting contact", () => {
    const w = talking();
    must(w.cti.addAgent({ id: 'off' }));
    mustFail(w.cti.directOffer('c', 'off'), 'ILLEGAL_AGENT_TRANSITION');
    mustFail(w.cti.directOffer('c', 'a'), 'ILLEGAL_CONTACT_TRANSITION');
    mustFail(w.cti.directOffer('c', 'nobody'), 'UNKNOWN_AGENT');
    must(w.cti.directOffer('c', 'b'));
    readyAgent(w, { id: 'd' });
    mustFail(w.cti.directOffer('c', 'd'), 'ILLEGAL_CONTACT_TRANSITION');
    must(w.cti.notReady('d', 'break'));
    arrive(w, 'x', 'q');
    must(w.cti.ready('d'));
    expect(must(w.cti.contactView('x')).agentId).to.equal('d');
    mustFail(w.cti.directOffer('x', 'b'), 'ILLEGAL_CONTACT_TRANSITION');
    mustFail(w.cti.transferred('x'), 'ILLEGAL_CONTACT_TRANSITION');
    mustFail(w.cti.directRinging('x'), 'ILLEGAL_CONTACT_TRANSITION');
  });

  it('a snapshot keeps the directed target, and the restored domain carries on', () => {
    const w = talking();
    must(w.cti.directOffer('c', 'b'));
    must(w.cti.directAnswered('c'));
    const snap = w.cti.snapshot();
    expect(snap.contacts.find((c) => c.id === 'c')?.directAgentId).to.equal('b');
    const restored = must(CtiDomain.restore(snap, w.clock));
    expect(must(restored.agentView('b')).realtimeContactId).to.equal('c');
    expect(moves(must(restored.transferred('c')))).to.deep.equal(['a:talking>wrap-up']);
  });
});
