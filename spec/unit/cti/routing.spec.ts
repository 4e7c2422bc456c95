import { expect } from '../../support/chai';
import { arrive, must, offered, queue, readyAgent, stateOf, world, type World } from './helpers';

/** Makes agent `id` idle for a while so that ready order is explicit. */
function readyAt(w: World, id: string, skills: Record<string, number> = {}, extra = {}): void {
  w.clock.advance(1000);
  readyAgent(w, { id, skills, ...extra });
}

/** Serves one call to completion for agent `id` through queue `q` (counts as handled today). */
function handleOne(w: World, id: string, q: string, contactId: string): void {
  const out = arrive(w, contactId, q);
  expect(out.offers[0]?.agentId).to.equal(id);
  must(w.cti.answered(contactId));
  must(w.cti.released(contactId));
}

describe('cti/domain routing: matching on contact arrival', () => {
  it('offers an arriving contact to the longest-idle qualified agent (default policy)', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice', skills: [{ name: 'fr', minLevel: 3 }] });
    readyAt(w, 'low', { fr: 2 });
    readyAt(w, 'old', { fr: 3 });
    readyAt(w, 'new', { fr: 9 });
    const out = arrive(w, 'c1', 'q');
    expect(offered(out)).to.deep.equal(['c1->old']);
    expect(out.offers[0]).to.deep.equal({
      contactId: 'c1',
      agentId: 'old',
      queueId: 'q',
      channel: 'voice',
      callback: false,
    });
    expect(stateOf(w, 'old')).to.equal('reserved');
  });

  it('highest-skill picks the best level of the first required skill, longest idle among equals', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice', policy: 'highest-skill', skills: [{ name: 'de', minLevel: 2 }] });
    readyAt(w, 'a5', { de: 5 });
    readyAt(w, 'a8', { de: 8 });
    readyAt(w, 'b8', { de: 8 });
    expect(offered(arrive(w, 'c1', 'q'))).to.deep.equal(['c1->a8']);
    expect(offered(arrive(w, 'c2', 'q'))).to.deep.equal(['c2->b8']);
    expect(offered(arrive(w, 'c3', 'q'))).to.deep.equal(['c3->a5']);
  });

  it('least-calls picks the agent with the fewest contacts handled today', () => {
    const w = world();
    queue(w, { id: 'warm', channel: 'voice' });
    queue(w, { id: 'q', channel: 'voice', policy: 'least-calls' });
    readyAt(w, 'busy');
    handleOne(w, 'busy', 'warm', 'w1');
    readyAt(w, 'fresh');
    // busy has been idle longer than fresh but handled one call.
    expect(offered(arrive(w, 'c1', 'q'))).to.deep.equal(['c1->fresh']);
  });

  it('resetDailyCounters puts everyone back to zero calls', () => {
    const w = world();
    queue(w, { id: 'warm', channel: 'voice' });
    queue(w, { id: 'q', channel: 'voice', policy: 'least-calls' });
    readyAt(w, 'busy');
    handleOne(w, 'busy', 'warm', 'w1');
    readyAt(w, 'fresh');
    w.cti.resetDailyCounters();
    expect(must(w.cti.agentView('busy')).callsToday).to.equal(0);
    // Equal counts: longest idle wins, and busy became ready again before fresh did.
    expect(offered(arrive(w, 'c1', 'q'))).to.deep.equal(['c1->busy']);
  });

  it('requires every skill at its minimum level', () => {
    const w = world();
    queue(w, {
      id: 'q',
      channel: 'voice',
      skills: [
        { name: 'a', minLevel: 5 },
        { name: 'b', minLevel: 2 },
      ],
    });
    readyAt(w, 'onlyA', { a: 9 });
    readyAt(w, 'lowB', { a: 9, b: 1 });
    readyAt(w, 'both', { a: 5, b: 2 });
    expect(offered(arrive(w, 'c1', 'q'))).to.deep.equal(['c1->both']);
    expect(offered(arrive(w, 'c2', 'q'))).to.deep.equal([]);
  });

  it('queues a contact when nobody qualifies, and serves it on the channel it came from only', () => {
    const w = world();
    queue(w, { id: 'v', channel: 'video' });
    readyAt(w, 'voiceOnly', {}, { maxTasks: { video: 0 } });
    expect(arrive(w, 'c1', 'v').offers).to.deep.equal([]);
    expect(must(w.cti.contactView('c1')).state).to.equal('waiting');
    expect(offered(readyAgent(w, { id: 'videoToo' }))).to.deep.equal(['c1->videoToo']);
  });
});

describe('cti/domain routing: matching when an agent becomes free', () => {
  it('offers the oldest contact of the highest-priority queue the agent qualifies for', () => {
    const w = world();
    queue(w, { id: 'low', channel: 'voice', priority: 1 });
    queue(w, { id: 'high', channel: 'voice', priority: 5 });
    queue(w, { id: 'vip', channel: 'voice', priority: 9, skills: [{ name: 'vip', minLevel: 1 }] });
    arrive(w, 'l1', 'low');
    w.clock.advance(10);
    arrive(w, 'h1', 'high');
    arrive(w, 'v1', 'vip');
    w.clock.advance(10);
    arrive(w, 'h2', 'high');
    expect(offered(readyAgent(w, { id: 'a' }))).to.deep.equal(['h1->a']);
  });

  it('among queues of equal priority, serves the contact that has waited longest', () => {
    const w = world();
    queue(w, { id: 'q1', channel: 'voice' });
    queue(w, { id: 'q2', channel: 'voice' });
    arrive(w, 'x', 'q2');
    w.clock.advance(5);
    arrive(w, 'y', 'q1');
    expect(offered(readyAgent(w, { id: 'a' }))).to.deep.equal(['x->a']);
  });

  it('after wrap-up ends the agent takes the next waiting contact at once', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice', wrapUpMs: 3000 });
    readyAgent(w, { id: 'a' });
    arrive(w, 'c1', 'q');
    arrive(w, 'c2', 'q');
    must(w.cti.answered('c1'));
    const out = must(w.cti.released('c1'));
    expect(out.offers).to.deep.equal([]);
    expect(stateOf(w, 'a')).to.equal('wrap-up');
    w.clock.advance(3000);
    expect(offered(must(w.cti.timerFired('wrap-up:a')))).to.deep.equal(['c2->a']);
  });

  it('a cancelled offer (caller hung up while ringing) frees the agent for the next contact', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice' });
    readyAgent(w, { id: 'a' });
    arrive(w, 'c1', 'q');
    arrive(w, 'c2', 'q');
    must(w.cti.ringing('c1'));
    const out = must(w.cti.contactAbandoned('c1'));
    expect(out.agentChanges.map((c) => c.to)).to.deep.equal(['ready', 'reserved']);
    expect(offered(out)).to.deep.equal(['c2->a']);
  });
});

describe('cti/domain routing: several channels and max tasks per channel', () => {
  it('gives an agent up to its e-mail maximum and still offers it a call', () => {
    const w = world();
    queue(w, { id: 'mail', channel: 'email' });
    queue(w, { id: 'q', channel: 'voice' });
    for (const id of ['m1', 'm2', 'm3', 'm4']) arrive(w, id, 'mail');
    const out = readyAgent(w, { id: 'a', maxTasks: { email: 3 } });
    expect(offered(out)).to.deep.equal(['m1->a', 'm2->a', 'm3->a']);
    expect(stateOf(w, 'a')).to.equal('ready');
    expect(must(w.cti.agentView('a')).activeTasks.email).to.equal(3);
    expect(offered(arrive(w, 'call', 'q'))).to.deep.equal(['call->a']);
    expect(stateOf(w, 'a')).to.equal('reserved');
  });

  it('frees an e-mail slot when a task is completed and fills it from the queue', () => {
    const w = world();
    queue(w, { id: 'mail', channel: 'email' });
    readyAgent(w, { id: 'a', maxTasks: { email: 1 } });
    arrive(w, 'm1', 'mail');
    arrive(w, 'm2', 'mail');
    must(w.cti.answered('m1'));
    expect(offered(must(w.cti.released('m1')))).to.deep.equal(['m2->a']);
  });

  it('never offers a second voice contact to an agent already reserved', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice' });
    queue(w, { id: 'v', channel: 'video' });
    readyAgent(w, { id: 'a' });
    expect(offered(arrive(w, 'c1', 'q'))).to.deep.equal(['c1->a']);
    expect(arrive(w, 'c2', 'q').offers).to.deep.equal([]);
    expect(arrive(w, 'c3', 'v').offers).to.deep.equal([]);
  });

  it('updating an agent with a new skill matches it to a waiting contact at once', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice', skills: [{ name: 'es', minLevel: 4 }] });
    readyAgent(w, { id: 'a' });
    arrive(w, 'c1', 'q');
    expect(must(w.cti.queueStats('q')).staffed).to.equal(0);
    expect(offered(must(w.cti.updateAgent({ id: 'a', skills: { es: 4 } })))).to.deep.equal(['c1->a']);
    expect(must(w.cti.queueStats('q')).staffed).to.equal(1);
  });

  it('lowering a queue requirement matches waiting contacts to ready agents at once', () => {
    const w = world();
    queue(w, { id: 'q', channel: 'voice', skills: [{ name: 'es', minLevel: 8 }] });
    readyAgent(w, { id: 'a', skills: { es: 5 } });
    arrive(w, 'c1', 'q');
    const out = must(w.cti.updateQueue({ id: 'q', channel: 'voice', skills: [{ name: 'es', minLevel: 5 }] }));
    expect(offered(out)).to.deep.equal(['c1->a']);
  });
});
