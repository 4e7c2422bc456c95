import { expect } from '../../support/chai';
import { arrive, must, mustFail, offered, queue, readyAgent, world } from './helpers';

describe('cti/domain queue order', () => {
  it('serves one queue first in, first out and reports positions', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice' });
    for (const id of ['c1', 'c2', 'c3']) {
      arrive(w, id, 'q');
      w.clock.advance(1);
    }
    expect(['c1', 'c2', 'c3'].map((id) => must(w.cti.queuePosition(id)))).to.deep.equal([1, 2, 3]);
    expect(offered(readyAgent(w, { id: 'a' }))).to.deep.equal(['c1->a']);
    expect(must(w.cti.queuePosition('c3'))).to.equal(2);
    mustFail(w.cti.queuePosition('c1'), 'CONTACT_NOT_WAITING');
  });

  it('returns a contact to the head of its queue after ring-no-answer; the agent goes not-ready', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice' });
    readyAgent(w, { id: 'a' });
    arrive(w, 'c1', 'q');
    w.clock.advance(1);
    arrive(w, 'c2', 'q');
    must(w.cti.ringing('c1'));
    const out = must(w.cti.ringNoAnswer('c1'));
    expect(out.agentChanges).to.deep.equal([
      {
        agentId: 'a',
        from: 'ringing',
        to: 'not-ready',
        reason: 'ring-no-answer',
        contactId: 'c1',
        at: w.clock.t,
      },
    ]);
    expect(must(w.cti.queuePosition('c1'))).to.equal(1);
    expect(must(w.cti.queuePosition('c2'))).to.equal(2);
    expect(offered(readyAgent(w, { id: 'b' }))).to.deep.equal(['c1->b']);
  });

  it('a returned contact goes ahead of contacts that arrived before it', () => {
    const w2 = world();
    queue(w2, { id: 'q', channel: 'voice' });
    readyAgent(w2, { id: 'a' });
    arrive(w2, 'first', 'q');
    w2.clock.advance(1);
    arrive(w2, 'second', 'q');
    w2.clock.advance(1);
    arrive(w2, 'third', 'q');
    must(w2.cti.answered('first'));
    must(w2.cti.released('first'));
    // a now holds 'second'; it rings out and must come back in front of 'third'.
    must(w2.cti.ringNoAnswer('second'));
    expect(must(w2.cti.queuePosition('second'))).to.equal(1);
    expect(must(w2.cti.queuePosition('third'))).to.equal(2);
  });

  it('a callback keeps the caller place: offered at the head, never ahead of callers who waited longer', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice' });
    arrive(w, 'c1', 'q');
    w.clock.advance(1);
    arrive(w, 'cb', 'q');
    w.clock.advance(1);
    arrive(w, 'c3', 'q');
    const out = must(w.cti.callbackRequested('cb'));
    expect(out.contactChanges[0]).to.include({ from: 'waiting', to: 'waiting', reason: 'callback' });
    expect(must(w.cti.queuePosition('cb'))).to.equal(2);
    mustFail(w.cti.callbackRequested('cb'), 'ILLEGAL_CONTACT_TRANSITION');
    expect(offered(readyAgent(w, { id: 'a' }))).to.deep.equal(['c1->a']);
    const next = readyAgent(w, { id: 'b' });
    expect(next.offers).to.deep.equal([
      { contactId: 'cb', agentId: 'b', queueId: 'q', channel: 'voice', callback: true },
    ]);
    expect(offered(readyAgent(w, { id: 'c' }))).to.deep.equal(['c3->c']);
  });

  it('an abandoned contact leaves the queue and the next one moves up', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice' });
    arrive(w, 'c1', 'q');
    arrive(w, 'c2', 'q');
    const out = must(w.cti.contactAbandoned('c1'));
    expect(out.contactChanges[0]).to.include({ contactId: 'c1', from: 'waiting', to: 'ended' });
    expect(must(w.cti.queuePosition('c2'))).to.equal(1);
  });
});
