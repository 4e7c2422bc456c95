import { expect } from '../../support/chai';
import {
  CONTACT_EVENTS,
  LIVE_CONTACT_STATES,
  nextContactState,
  type ContactEventType,
  type ContactState,
} from '../../../cti/domain';
import { arrive, must, mustFail, queue, readyAgent, world } from './helpers';

const LEGAL: Record<string, Partial<Record<ContactEventType, ContactState>>> = {
  waiting: { Offer: 'offered', Abandon: 'ended', Timeout: 'ended', Callback: 'waiting' },
  offered: { Ring: 'ringing', Answer: 'connected', RingNoAnswer: 'waiting', Abandon: 'ended' },
  ringing: { Answer: 'connected', RingNoAnswer: 'waiting', Abandon: 'ended' },
  connected: {
    Hold: 'held',
    Release: 'ended',
    DirectOffer: 'connected',
    Transfer: 'offered',
    TakeOver: 'connected',
    CallbackRetry: 'scheduled',
    CallbackFail: 'ended',
  },
  held: {
    Retrieve: 'connected',
    Release: 'ended',
    DirectOffer: 'held',
    Transfer: 'offered',
    TakeOver: 'connected',
  },
  scheduled: { Due: 'waiting', Abandon: 'ended' },
};

describe('cti/domain contact state table', () => {
  for (const state of LIVE_CONTACT_STATES) {
    for (const event of CONTACT_EVENTS) {
      const to = LEGAL[state]?.[event];
      it(to ? `${state} --${event}--> ${to}` : `${state} refuses ${event}`, () => {
        const result = nextContactState('c1', state, event);
        if (to) expect(must(result)).to.equal(to);
        else mustFail(result, 'ILLEGAL_CONTACT_TRANSITION');
      });
    }
  }
});

describe('cti/domain contact commands through the façade', () => {
  it('holds and retrieves a call while the agent stays talking', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice' });
    readyAgent(w, { id: 'a' });
    arrive(w, 'c', 'q');
    must(w.cti.answered('c'));
    expect(must(w.cti.held('c')).contactChanges[0]).to.include({ from: 'connected', to: 'held' });
    expect(must(w.cti.agentView('a')).state).to.equal('talking');
    mustFail(w.cti.held('c'), 'ILLEGAL_CONTACT_TRANSITION');
    must(w.cti.retrieved('c'));
    expect(must(w.cti.contactView('c')).state).to.equal('connected');
  });

  it('refuses to abandon a connected call (release it instead) and to answer a waiting one', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice' });
    arrive(w, 'w', 'q');
    mustFail(w.cti.answered('w'), 'ILLEGAL_CONTACT_TRANSITION');
    readyAgent(w, { id: 'a' });
    must(w.cti.answered('w'));
    mustFail(w.cti.contactAbandoned('w'), 'ILLEGAL_CONTACT_TRANSITION');
    must(w.cti.released('w'));
    mustFail(w.cti.released('w'), 'UNKNOWN_CONTACT');
  });

  it('refuses ringing, hold and callback on a non-real-time task', () => {
    const w = world();
    queue(w, { id: 'mail', channel: 'email' });
    arrive(w, 'm', 'mail');
    mustFail(w.cti.callbackRequested('m'), 'WRONG_CHANNEL');
    readyAgent(w, { id: 'a' });
    mustFail(w.cti.ringing('m'), 'WRONG_CHANNEL');
    must(w.cti.answered('m'));
    mustFail(w.cti.held('m'), 'WRONG_CHANNEL');
  });

  it('refuses duplicate and unknown contacts and unknown queues', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice' });
    arrive(w, 'c', 'q');
    mustFail(w.cti.contactArrived({ contactId: 'c', queueId: 'q' }), 'DUPLICATE_CONTACT');
    mustFail(w.cti.contactArrived({ contactId: 'd', queueId: 'nope' }), 'UNKNOWN_QUEUE');
    mustFail(w.cti.ringing('zz'), 'UNKNOWN_CONTACT');
  });

  it('rejects invalid configuration with INVALID_CONFIG', () => {
    const w = world();
    mustFail(
      w.cti.addQueue({ id: 'q', channel: 'voice', skills: [{ name: 'x', minLevel: 11 }] }),
      'INVALID_CONFIG',
    );
    mustFail(w.cti.addQueue({ id: 'q', channel: 'email', timeoutAction: 'callback' }), 'INVALID_CONFIG');
    mustFail(w.cti.addAgent({ id: 'a', maxTasks: { voice: 2 } }), 'INVALID_CONFIG');
    mustFail(w.cti.addAgent({ id: 'a', skills: { '*': 3 } }), 'INVALID_CONFIG');
    must(w.cti.addQueue({ id: 'q', channel: 'voice' }));
    mustFail(w.cti.addQueue({ id: 'q', channel: 'voice' }), 'DUPLICATE_QUEUE');
  });
});
