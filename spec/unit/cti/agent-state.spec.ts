import { expect } from '../../support/chai';
import {
  AGENT_EVENTS,
  AGENT_STATES,
  nextAgentState,
  type AgentEventType,
  type AgentState,
} from '../../../cti/domain';
import { arrive, must, mustFail, queue, readyAgent, stateOf, world, type World } from './helpers';

// Written out independently of the implementation's table: a change to either shows here.
const LEGAL: Record<AgentState, Partial<Record<AgentEventType, AgentState>>> = {
  'logged-out': { Login: 'not-ready' },
  'not-ready': { Logout: 'logged-out', Ready: 'ready', NotReady: 'not-ready', Outbound: 'reserved' },
  ready: { Logout: 'logged-out', NotReady: 'not-ready', Reserve: 'reserved', Outbound: 'reserved' },
  reserved: { Ring: 'ringing', Answer: 'talking', RingNoAnswer: 'not-ready', Cancel: 'ready' },
  ringing: { Answer: 'talking', RingNoAnswer: 'not-ready', Cancel: 'ready' },
  talking: { Hangup: 'wrap-up', Unanswered: 'ready' },
  'wrap-up': {
    WrapUpEnd: 'ready',
    Ready: 'ready',
    NotReady: 'not-ready',
    Logout: 'logged-out',
    Outbound: 'reserved',
  },
};

describe('cti/domain agent state table', () => {
  for (const state of AGENT_STATES) {
    for (const event of AGENT_EVENTS) {
      const to = LEGAL[state][event];
      if (to) {
        it(`${state} --${event}--> ${to}`, () => {
          expect(must(nextAgentState('a1', state, event))).to.equal(to);
        });
      } else {
        it(`${state} refuses ${event} with a typed error`, () => {
          const result = nextAgentState('a1', state, event);
          mustFail(result, 'ILLEGAL_AGENT_TRANSITION');
          if (!result.ok) expect(result.error.details).to.include({ agentId: 'a1', state, event });
        });
      }
    }
  }
});

/** Drives agent a1 into `state` through the façade (queue q1 voice, wrap-up 5 s). */
function agentIn(state: AgentState): World {
  const w = world();
  queue(w, { id: 'q1', channel: 'voice', wrapUpMs: 5000 });
  must(w.cti.addAgent({ id: 'a1' }));
  if (state === 'logged-out') return w;
  must(w.cti.login('a1'));
  if (state === 'not-ready') return w;
  must(w.cti.ready('a1'));
  if (state === 'ready') return w;
  arrive(w, 'c1', 'q1');
  if (state === 'reserved') return w;
  must(w.cti.ringing('c1'));
  if (state === 'ringing') return w;
  must(w.cti.answered('c1'));
  if (state === 'talking') return w;
  must(w.cti.released('c1'));
  return w;
}

describe('cti/domain agent commands through the façade', () => {
  const commands: [AgentEventType, (w: World) => ReturnType<World['cti']['login']>][] = [
    ['Login', (w) => w.cti.login('a1')],
    ['Logout', (w) => w.cti.logout('a1')],
    ['Ready', (w) => w.cti.ready('a1')],
    ['NotReady', (w) => w.cti.notReady('a1', 'lunch')],
  ];
  for (const state of AGENT_STATES) {
    it(`reaches ${state}`, () => expect(stateOf(agentIn(state), 'a1')).to.equal(state));
    for (const [event, run] of commands) {
      const to = LEGAL[state][event];
      it(`${state} + ${event} ${to ? `-> ${to} with a change record` : 'is refused and changes nothing'}`, () => {
        const w = agentIn(state);
        const before = JSON.stringify(w.cti.snapshot());
        const result = run(w);
        if (to) {
          const out = must(result);
          expect(out.agentChanges[0]).to.deep.include({ agentId: 'a1', from: state, to, at: w.clock.t });
          expect(stateOf(w, 'a1')).to.equal(to);
        } else {
          mustFail(result, 'ILLEGAL_AGENT_TRANSITION');
          expect(JSON.stringify(w.cti.snapshot())).to.equal(before);
        }
      });
    }
  }

  it('records the not-ready reason and clears it when ready', () => {
    const w = agentIn('ready');
    const out = must(w.cti.notReady('a1', 'lunch'));
    expect(out.agentChanges).to.deep.equal([
      { agentId: 'a1', from: 'ready', to: 'not-ready', reason: 'lunch', at: w.clock.t },
    ]);
    expect(must(w.cti.agentView('a1')).reason).to.equal('lunch');
    must(w.cti.ready('a1'));
    expect(must(w.cti.agentView('a1')).reason).to.equal(undefined);
  });

  it('carries the contact id on contact-driven changes', () => {
    const w = agentIn('ready');
    const out = arrive(w, 'c9', 'q1');
    expect(out.agentChanges).to.deep.equal([
      { agentId: 'a1', from: 'ready', to: 'reserved', contactId: 'c9', at: w.clock.t },
    ]);
  });

  it('refuses log-out while the agent still has tasks in service', () => {
    const w = world();
    queue(w, { id: 'mail', channel: 'email' });
    readyAgent(w, { id: 'a1' });
    arrive(w, 'm1', 'mail');
    // Only offered, the task would go back to its queue (task-capacity.spec.ts); accepted, it is in service.
    must(w.cti.answered('m1'));
    must(w.cti.notReady('a1', 'break'));
    mustFail(w.cti.logout('a1'), 'AGENT_HAS_TASKS');
  });

  it('answers UNKNOWN_AGENT for an agent it does not know', () => {
    mustFail(world().cti.login('nobody'), 'UNKNOWN_AGENT');
  });
});
