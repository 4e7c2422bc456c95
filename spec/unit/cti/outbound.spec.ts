import { expect } from '../../support/chai';
import {
  CONTACT_EVENTS,
  CtiDomain,
  LIVE_CONTACT_STATES,
  type ContactEventType,
  type DomainSnapshot,
} from '../../../cti/domain';
import { OUTBOUND_TRANSITIONS } from '../../../cti/domain/outbound';
import { arrive, must, mustFail, queue, readyAgent, stateOf, world } from './helpers';

/** Outbound contacts (click-to-dial, desk phones): directed at the agent who dials, never queued. */
function setUp() {
  const w = world();
  queue(w, { id: 'sales', channel: 'voice', wrapUpMs: 5_000, ringTimeoutMs: 10_000 });
  readyAgent(w, { id: 'a1' });
  return w;
}

// Written out independently of the implementation's table: a change to either shows here.
const LEGAL: Record<string, Partial<Record<ContactEventType, string>>> = {
  waiting: {},
  offered: { Ring: 'ringing', Answer: 'connected', Abandon: 'ended' },
  ringing: { Answer: 'connected', Abandon: 'ended' },
  connected: {
    Hold: 'held',
    Release: 'ended',
    DirectOffer: 'connected',
    Transfer: 'offered',
    TakeOver: 'connected',
  },
  held: {
    Retrieve: 'connected',
    Release: 'ended',
    DirectOffer: 'held',
    Transfer: 'offered',
    TakeOver: 'connected',
  },
  scheduled: {},
};

describe('cti/domain outbound contacts', () => {
  it('the outbound table is exactly the one written here', () => {
    for (const state of LIVE_CONTACT_STATES)
      for (const event of CONTACT_EVENTS)
        expect(OUTBOUND_TRANSITIONS[state][event], `${state} ${event}`).to.equal(LEGAL[state]?.[event]);
  });

  for (const from of ['ready', 'not-ready', 'wrap-up'] as const) {
    it(`an agent ${from} dials: the contact is offered to it at once and the agent reserved`, () => {
      const w = setUp();
      if (from === 'not-ready') must(w.cti.notReady('a1', 'lunch'));
      if (from === 'wrap-up') {
        arrive(w, 'in1', 'sales');
        must(w.cti.answered('in1'));
        must(w.cti.released('in1'));
        expect(stateOf(w, 'a1')).to.equal('wrap-up');
      }
      const out = must(w.cti.outbound({ contactId: 'o1', queueId: 'sales', agentId: 'a1' }));
      expect(out.contactChanges).to.deep.include({
        contactId: 'o1',
        queueId: 'sales',
        from: 'new',
        to: 'offered',
        reason: 'outbound',
        agentId: 'a1',
        at: w.clock.t,
      });
      expect(out.agentChanges.at(-1)).to.deep.include({
        agentId: 'a1',
        from,
        to: 'reserved',
        contactId: 'o1',
      });
      // No ring timer: the SoftACD's originate timeout ends an unanswered dial.
      expect(out.timers.filter((t) => t.type === 'schedule')).to.deep.equal([]);
      expect(out.offers).to.deep.equal([]);
      expect(must(w.cti.contactView('o1'))).to.deep.include({
        state: 'offered',
        agentId: 'a1',
        outbound: true,
      });
      expect(must(w.cti.agentView('a1')).realtimeContactId).to.equal('o1');
    });
  }

  it('is refused for an agent logged out or on a contact, and for an unknown queue or a duplicate id', () => {
    const w = setUp();
    must(w.cti.addAgent({ id: 'a2' }));
    mustFail(
      w.cti.outbound({ contactId: 'o1', queueId: 'sales', agentId: 'a2' }),
      'ILLEGAL_AGENT_TRANSITION',
    );
    arrive(w, 'in1', 'sales');
    mustFail(
      w.cti.outbound({ contactId: 'o1', queueId: 'sales', agentId: 'a1' }),
      'ILLEGAL_AGENT_TRANSITION',
    );
    must(w.cti.answered('in1'));
    mustFail(
      w.cti.outbound({ contactId: 'o1', queueId: 'sales', agentId: 'a1' }),
      'ILLEGAL_AGENT_TRANSITION',
    );
    mustFail(w.cti.outbound({ contactId: 'o1', queueId: 'nope', agentId: 'a1' }), 'UNKNOWN_QUEUE');
    mustFail(w.cti.outbound({ contactId: 'in1', queueId: 'sales', agentId: 'a1' }), 'DUPLICATE_CONTACT');
  });

  it('rings, connects, holds and ends like a call: wrap-up, then the agent takes queued callers', () => {
    const w = setUp();
    must(w.cti.outbound({ contactId: 'o1', queueId: 'sales', agentId: 'a1' }));
    arrive(w, 'in1', 'sales'); // waits: the agent is busy with its own call
    expect(must(w.cti.contactView('in1')).state).to.equal('waiting');
    must(w.cti.ringing('o1'));
    must(w.cti.answered('o1'));
    expect(stateOf(w, 'a1')).to.equal('talking');
    must(w.cti.held('o1'));
    must(w.cti.retrieved('o1'));
    must(w.cti.released('o1'));
    expect(stateOf(w, 'a1')).to.equal('wrap-up');
    w.clock.advance(5_000);
    const out = must(w.cti.timerFired('wrap-up:a1'));
    expect(out.offers.map((o) => o.contactId)).to.deep.equal(['in1']);
  });

  it('never goes back to a queue: ring-no-answer is refused', () => {
    const w = setUp();
    must(w.cti.outbound({ contactId: 'o1', queueId: 'sales', agentId: 'a1' }));
    mustFail(w.cti.ringNoAnswer('o1'), 'ILLEGAL_CONTACT_TRANSITION');
    expect(must(w.cti.contactView('o1')).state).to.equal('offered');
    expect(must(w.cti.queueStats('sales')).waiting).to.equal(0);
  });

  it("the agent's own phone not answering ends it and makes the agent not-ready", () => {
    const w = setUp();
    must(w.cti.outbound({ contactId: 'o1', queueId: 'sales', agentId: 'a1' }));
    must(w.cti.ringing('o1'));
    const out = must(w.cti.outboundUnanswered('o1', 'no-answer'));
    expect(out.contactChanges.map((c) => `${c.from}->${c.to}`)).to.deep.equal(['ringing->ended']);
    expect(stateOf(w, 'a1')).to.equal('not-ready');
    expect(must(w.cti.agentView('a1')).reason).to.equal('ring-no-answer');
    expect(w.cti.contactView('o1').ok).to.equal(false);
  });

  it('the customer not answering ends it and the agent is ready at once (no wrap-up)', () => {
    const w = setUp();
    must(w.cti.outbound({ contactId: 'o1', queueId: 'sales', agentId: 'a1' }));
    must(w.cti.answered('o1'));
    const out = must(w.cti.outboundUnanswered('o1', 'busy'));
    expect(out.contactChanges.map((c) => `${c.from}->${c.to}:${c.reason}`)).to.deep.equal([
      'connected->ended:busy',
    ]);
    expect(stateOf(w, 'a1')).to.equal('ready');
    mustFail(w.cti.outboundUnanswered('o1', 'busy'), 'UNKNOWN_CONTACT');
  });

  it('outboundUnanswered is refused for an inbound contact', () => {
    const w = setUp();
    arrive(w, 'in1', 'sales');
    mustFail(w.cti.outboundUnanswered('in1', 'busy'), 'ILLEGAL_CONTACT_TRANSITION');
  });

  it('survives a snapshot and restore as outbound', () => {
    const w = setUp();
    must(w.cti.outbound({ contactId: 'o1', queueId: 'sales', agentId: 'a1' }));
    must(w.cti.answered('o1'));
    const restored = must(
      CtiDomain.restore(JSON.parse(JSON.stringify(w.cti.snapshot())) as DomainSnapshot, w.clock),
    );
    expect(must(restored.contactView('o1'))).to.deep.include({
      state: 'connected',
      outbound: true,
      agentId: 'a1',
    });
    mustFail(restored.ringNoAnswer('o1'), 'ILLEGAL_CONTACT_TRANSITION');
    must(restored.released('o1'));
    expect(must(restored.agentView('a1')).state).to.equal('wrap-up');
  });
});
