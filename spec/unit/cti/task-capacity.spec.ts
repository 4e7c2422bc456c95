import { expect } from '../../support/chai';
import { OFFERS_IN_STATE, canOffer } from '../../../cti/domain/availability';
import { AGENT_STATES } from '../../../cti/domain/agent-state';
import type { AgentRec } from '../../../cti/domain/records';
import { CtiDomain, type AgentState } from '../../../cti/domain';
import { arrive, must, offered, queue, readyAgent, stateOf, world, type World } from './helpers';

/** An agent record with only what availability.ts reads. */
function agentIn(state: AgentState, callBlocksTasks: boolean, active = [0, 0, 0, 0, 0]): AgentRec {
  return {
    state,
    active,
    config: {
      id: 'a',
      skills: {},
      maxTasks: { voice: 1, video: 1, email: 3, sms: 2, fax: 1 },
      maxTotal: 5,
      callBlocksTasks,
    },
  } as unknown as AgentRec;
}

const VOICE = 0;
const EMAIL = 2;

/** Two task queues and a call queue; tasks are offered for 60 s, calls wrap up at once. */
function taskWorld(): World {
  const w = world();
  queue(w, { id: 'mail', channel: 'email', ringTimeoutMs: 60_000 });
  queue(w, { id: 'sms', channel: 'sms', ringTimeoutMs: 60_000 });
  queue(w, { id: 'q', channel: 'voice', wrapUpMs: 0 });
  return w;
}

function activeOf(w: World, agentId: string) {
  return must(w.cti.agentView(agentId)).activeTasks;
}

describe('cti/domain tasks: what an agent may be offered in each state (availability.ts)', () => {
  const expected: Record<AgentState, { blocks: [boolean, boolean]; free: [boolean, boolean] }> = {
    // [voice, email] with callBlocksTasks true, then false
    'logged-out': { blocks: [false, false], free: [false, false] },
    'not-ready': { blocks: [false, false], free: [false, false] },
    ready: { blocks: [true, true], free: [true, true] },
    reserved: { blocks: [false, false], free: [false, true] },
    ringing: { blocks: [false, false], free: [false, true] },
    talking: { blocks: [false, false], free: [false, true] },
    'wrap-up': { blocks: [false, false], free: [false, true] },
  };

  for (const state of AGENT_STATES) {
    it(`${state}: ${OFFERS_IN_STATE[state]}`, () => {
      const row = expected[state];
      expect([canOffer(agentIn(state, true), VOICE), canOffer(agentIn(state, true), EMAIL)]).to.deep.equal(
        row.blocks,
      );
      expect([canOffer(agentIn(state, false), VOICE), canOffer(agentIn(state, false), EMAIL)]).to.deep.equal(
        row.free,
      );
    });
  }

  it('room: below the channel maximum and below the total across channels (a call counts)', () => {
    expect(canOffer(agentIn('ready', true, [0, 0, 3, 0, 0]), EMAIL)).to.equal(false);
    expect(canOffer(agentIn('ready', true, [0, 0, 2, 2, 1]), EMAIL)).to.equal(false);
    expect(canOffer(agentIn('ready', true, [0, 0, 2, 2, 1]), VOICE)).to.equal(false);
    expect(canOffer(agentIn('talking', false, [1, 0, 2, 1, 0]), EMAIL)).to.equal(true);
    expect(canOffer(agentIn('talking', false, [1, 0, 2, 2, 0]), EMAIL)).to.equal(false);
  });
});

describe('cti/domain tasks: total capacity across channels', () => {
  it('offers tasks up to the total, and the next one when a task completes', () => {
    const w = taskWorld();
    for (const id of ['m1', 'm2', 'm3']) arrive(w, id, 'mail');
    arrive(w, 's1', 'sms');
    const out = readyAgent(w, { id: 'a', maxTasks: { email: 3, sms: 2 }, maxTotal: 3 });
    expect(offered(out)).to.deep.equal(['m1->a', 'm2->a', 'm3->a']);
    expect(activeOf(w, 'a')).to.include({ email: 3, sms: 0 });
    must(w.cti.answered('m1'));
    expect(offered(must(w.cti.released('m1')))).to.deep.equal(['s1->a']);
  });

  it('an agent full of tasks gets no call; a completed task lets the waiting call through', () => {
    const w = taskWorld();
    readyAgent(w, { id: 'a', maxTotal: 2 });
    arrive(w, 'm1', 'mail');
    arrive(w, 'm2', 'mail');
    expect(arrive(w, 'call', 'q').offers).to.deep.equal([]);
    expect(stateOf(w, 'a')).to.equal('ready');
    must(w.cti.answered('m1'));
    expect(offered(must(w.cti.released('m1')))).to.deep.equal(['call->a']);
    expect(stateOf(w, 'a')).to.equal('reserved');
  });

  it('a call counts toward the total of an agent whose calls do not block tasks', () => {
    const w = taskWorld();
    readyAgent(w, { id: 'a', maxTotal: 2, callBlocksTasks: false });
    arrive(w, 'call', 'q');
    must(w.cti.answered('call'));
    expect(offered(arrive(w, 'm1', 'mail'))).to.deep.equal(['m1->a']);
    expect(arrive(w, 'm2', 'mail').offers).to.deep.equal([]);
    expect(stateOf(w, 'a')).to.equal('talking');
    // The call ends (no wrap-up): its slot goes to the waiting e-mail.
    expect(offered(must(w.cti.released('call')))).to.deep.equal(['m2->a']);
  });

  it('a live change of the total matches the agent at once', () => {
    const w = taskWorld();
    readyAgent(w, { id: 'a', maxTotal: 1 });
    arrive(w, 'm1', 'mail');
    arrive(w, 'm2', 'mail');
    expect(offered(must(w.cti.updateAgent({ id: 'a', maxTotal: 2 })))).to.deep.equal(['m2->a']);
  });

  it('refuses a total that is not a whole number of at least 0', () => {
    const w = world();
    expect(w.cti.addAgent({ id: 'a', maxTotal: -1 }).ok).to.equal(false);
    expect(w.cti.addAgent({ id: 'b', maxTotal: 1.5 }).ok).to.equal(false);
  });
});

describe('cti/domain tasks: a call blocks other work', () => {
  it('while callBlocksTasks, no task is offered during the call or its wrap-up; the end of it lets one in', () => {
    const w = taskWorld();
    queue(w, { id: 'wq', channel: 'voice', wrapUpMs: 10_000 });
    readyAgent(w, { id: 'a' });
    arrive(w, 'call', 'wq');
    must(w.cti.answered('call'));
    expect(arrive(w, 'm1', 'mail').offers).to.deep.equal([]);
    must(w.cti.released('call'));
    expect(stateOf(w, 'a')).to.equal('wrap-up');
    expect(must(w.cti.queuePosition('m1'))).to.equal(1);
    w.clock.advance(10_000);
    expect(offered(must(w.cti.timerFired('wrap-up:a')))).to.deep.equal(['m1->a']);
  });

  it('without callBlocksTasks, tasks are offered while the call rings and is talked', () => {
    const w = taskWorld();
    readyAgent(w, { id: 'a', callBlocksTasks: false });
    arrive(w, 'call', 'q');
    expect(stateOf(w, 'a')).to.equal('reserved');
    expect(offered(arrive(w, 'm1', 'mail'))).to.deep.equal(['m1->a']);
    must(w.cti.answered('call'));
    expect(offered(arrive(w, 'm2', 'mail'))).to.deep.equal(['m2->a']);
    expect(stateOf(w, 'a')).to.equal('talking');
    // Never a second call.
    expect(arrive(w, 'call2', 'q').offers).to.deep.equal([]);
  });

  it('an agent holding tasks still gets a call, and a blocking call stops further tasks', () => {
    const w = taskWorld();
    readyAgent(w, { id: 'a' });
    arrive(w, 'm1', 'mail');
    expect(offered(arrive(w, 'call', 'q'))).to.deep.equal(['call->a']);
    expect(arrive(w, 'm2', 'mail').offers).to.deep.equal([]);
    expect(activeOf(w, 'a')).to.include({ voice: 1, email: 1 });
  });

  it('switching callBlocksTasks off during a call offers the waiting task at once', () => {
    const w = taskWorld();
    readyAgent(w, { id: 'a' });
    arrive(w, 'call', 'q');
    must(w.cti.answered('call'));
    arrive(w, 'm1', 'mail');
    expect(offered(must(w.cti.updateAgent({ id: 'a', callBlocksTasks: false })))).to.deep.equal(['m1->a']);
  });

  it('a restored agent on a call that takes tasks is offered them', () => {
    const w = taskWorld();
    readyAgent(w, { id: 'a', callBlocksTasks: false });
    arrive(w, 'call', 'q');
    must(w.cti.answered('call'));
    const restored = must(CtiDomain.restore(w.cti.snapshot(), w.clock));
    const out = must(restored.contactArrived({ contactId: 'm1', queueId: 'mail' }));
    expect(offered(out)).to.deep.equal(['m1->a']);
  });
});

describe('cti/domain tasks: rejection and offer timeout', () => {
  it('a rejected task goes to another agent; the agent stays ready and moves to the back', () => {
    const w = taskWorld();
    readyAgent(w, { id: 'a' });
    readyAgent(w, { id: 'b' });
    expect(offered(arrive(w, 'm1', 'mail'))).to.deep.equal(['m1->a']);
    const out = must(w.cti.ringNoAnswer('m1', 'task-rejected'));
    expect(offered(out)).to.deep.equal(['m1->b']);
    expect(out.agentChanges).to.deep.equal([]);
    expect(stateOf(w, 'a')).to.equal('ready');
    expect(out.contactChanges.map((c) => `${c.from}>${c.to}:${c.reason ?? ''}`)).to.deep.equal([
      'offered>waiting:task-rejected',
      'waiting>offered:',
    ]);
    // a refused after b was offered m1: a is behind b in the idle order.
    expect(offered(arrive(w, 'm2', 'mail'))).to.deep.equal(['m2->b']);
  });

  it('an offer timeout returns the task to its queue without making the agent not-ready', () => {
    const w = taskWorld();
    readyAgent(w, { id: 'a', maxTasks: { email: 1 } });
    readyAgent(w, { id: 'b', maxTasks: { email: 1 } });
    arrive(w, 'm1', 'mail');
    arrive(w, 'm2', 'mail');
    must(w.cti.answered('m2'));
    w.clock.advance(60_000);
    const out = must(w.cti.timerFired('ring:m1'));
    expect(stateOf(w, 'a')).to.equal('ready');
    expect(out.agentChanges).to.deep.equal([]);
    // Nobody else has room: the task comes back to the same agent (nothing waits that a free agent takes).
    expect(offered(out)).to.deep.equal(['m1->a']);
  });

  it('the timed-out agent still gets calls', () => {
    const w = taskWorld();
    readyAgent(w, { id: 'a', maxTasks: { email: 1 } });
    arrive(w, 'm1', 'mail');
    w.clock.advance(60_000);
    must(w.cti.timerFired('ring:m1'));
    expect(offered(arrive(w, 'call', 'q'))).to.deep.equal(['call->a']);
  });

  it('a call keeps its ring-no-answer: the agent goes not-ready', () => {
    const w = taskWorld();
    readyAgent(w, { id: 'a' });
    arrive(w, 'call', 'q');
    must(w.cti.ringNoAnswer('call'));
    expect(stateOf(w, 'a')).to.equal('not-ready');
  });
});

describe('cti/domain tasks: logging out', () => {
  it('takes back the tasks only offered and logs out; the tasks go to another agent', () => {
    const w = taskWorld();
    readyAgent(w, { id: 'a' });
    arrive(w, 'm1', 'mail');
    arrive(w, 's1', 'sms');
    readyAgent(w, { id: 'b' });
    const out = must(w.cti.logout('a'));
    expect(stateOf(w, 'a')).to.equal('logged-out');
    expect(out.contactChanges.filter((c) => c.to === 'waiting').map((c) => c.reason)).to.deep.equal([
      'logout',
      'logout',
    ]);
    expect(offered(out).sort()).to.deep.equal(['m1->b', 's1->b']);
    expect(activeOf(w, 'a')).to.include({ email: 0, sms: 0 });
  });

  it('is refused while a task is accepted (or a call is on)', () => {
    const w = taskWorld();
    readyAgent(w, { id: 'a' });
    arrive(w, 'm1', 'mail');
    must(w.cti.answered('m1'));
    const refused = w.cti.logout('a');
    expect(refused.ok).to.equal(false);
    if (!refused.ok) expect(refused.error.code).to.equal('AGENT_HAS_TASKS');
  });
});

describe('cti/domain tasks: removing an agent (deleted or deactivated)', () => {
  it('takes back the tasks only offered, logs the agent out at once; the tasks go to another agent', () => {
    const w = taskWorld();
    readyAgent(w, { id: 'a' });
    arrive(w, 'm1', 'mail');
    arrive(w, 's1', 'sms');
    readyAgent(w, { id: 'b' });
    const out = must(w.cti.removeAgent('a'));
    const loggedOut = out.agentChanges.find((c) => c.agentId === 'a' && c.to === 'logged-out');
    expect(loggedOut?.reason).to.equal('removed');
    expect(out.contactChanges.filter((c) => c.to === 'waiting').map((c) => c.reason)).to.deep.equal([
      'removed',
      'removed',
    ]);
    expect(offered(out).sort()).to.deep.equal(['m1->b', 's1->b']);
    expect(w.cti.agentView('a').ok).to.equal(false);
  });

  it('keeps an accepted task, takes back the offered one, and is offered nothing more', () => {
    const w = taskWorld();
    readyAgent(w, { id: 'a' });
    arrive(w, 'm1', 'mail');
    arrive(w, 'm2', 'mail');
    must(w.cti.answered('m1'));
    const out = must(w.cti.removeAgent('a'));
    expect(out.agentChanges.filter((c) => c.to === 'logged-out')).to.deep.equal([]);
    expect(out.contactChanges.filter((c) => c.to === 'waiting').map((c) => c.contactId)).to.deep.equal([
      'm2',
    ]);
    expect(offered(out)).to.deep.equal([]);
    expect(activeOf(w, 'a')).to.include({ email: 1 });
  });
});
