import winston from 'winston';
import type { Draft } from '../../../lib/messages';
import { ContactOwners } from '../../../cti/app/owners';
import { RoutingService, Scheduler } from '../../../cti/app/routing';
import { createCtiDomain } from '../../../cti/domain';
import type { AgentStateStore } from '../../../cti/store/agent-states';
import type { InteractionStore } from '../../../cti/store/interactions';
import { expect } from '../../support/chai';

/**
 * The real routing domain with in-memory stand-ins for the stores and the bus: pure logic, no servers.
 * `held`: history writes and the state write finish only when the test releases them; with `defer` the
 * service hands its history writes over instead of waiting for them.
 */
function harness(
  opts: {
    held?: boolean;
    defer?: (write: Promise<unknown>) => void;
    historyStored?: (contactId: string) => Promise<void>;
  } = {},
) {
  const waiting: { history: Array<() => void>; state: Array<() => void> } = { history: [], state: [] };
  const write = (kind: 'history' | 'state') =>
    opts.held ? new Promise<void>((resolve) => waiting[kind].push(resolve)) : Promise.resolve();
  let now = 1_000_000;
  const domain = createCtiDomain({ clock: { now: () => now } });
  domain.addQueue({
    id: 'sales',
    channel: 'voice',
    skills: [{ name: 'sales', minLevel: 1 }],
    ringTimeoutMs: 15_000,
    wrapUpMs: 5_000,
    queueTimeoutMs: 60_000,
  });
  for (const id of ['a1', 'a2']) domain.addAgent({ id, skills: { sales: 5 } });
  const diverts: Array<{ softacd: string; draft: Draft<'DivertCall'> | Draft<'DialCallback'> }> = [];
  const toIvr: Array<{ ivr: string; draft: Draft<'QueueStatus'> | Draft<'QueueTimeout'> }> = [];
  const states: string[] = [];
  const timeline: Array<{ contactId: string; type: string; set: Record<string, unknown> }> = [];
  const timers = new Map<string, { dueAt: number; fire: () => void }>();
  const scheduler: Scheduler = {
    schedule: (id, dueAt, fire) => void timers.set(id, { dueAt, fire }),
    cancel: (id) => void timers.delete(id),
  };
  const owners = new ContactOwners();
  const offers: string[] = [];
  const routing = new RoutingService({
    notify: {
      agentChanged: () => undefined,
      offered: (contactId, agentId) => void offers.push(`${contactId}:${agentId}`),
    },
    ...(opts.historyStored ? { historyStored: opts.historyStored } : {}),
    domain,
    interactions: {
      record: (contactId: string, e: { type: string }, set: Record<string, unknown> = {}) => {
        timeline.push({ contactId, type: e.type, set });
        return write('history');
      },
    } as unknown as InteractionStore,
    agentStates: {
      append: (changes: Array<{ agentId: string; to: string }>) => {
        for (const c of changes) states.push(`${c.agentId}:${c.to}`);
        return write('history');
      },
    } as unknown as AgentStateStore,
    agents: new Map([
      ['a1', { id: 'a1', login: '1001', endpoint: 'PJSIP/agent1001' }],
      ['a2', { id: 'a2', login: '1002', endpoint: 'PJSIP/agent1002' }],
    ]),
    ringTimeoutSec: () => 15,
    owners,
    divert: (softacd, draft) => {
      diverts.push({ softacd, draft });
      return Promise.resolve();
    },
    toIvr: (ivr, draft) => {
      toIvr.push({ ivr, draft });
      return Promise.resolve();
    },
    scheduler,
    ...(opts.held ? { persist: () => write('state') } : {}),
    ...(opts.defer ? { defer: opts.defer } : {}),
    log: winston.createLogger({ silent: true }),
  });
  /** Finishes the writes of one kind waiting now. */
  const release = (kind: 'history' | 'state') => waiting[kind].splice(0).forEach((done) => done());
  const advance = (ms: number) => {
    now += ms;
    for (const [id, t] of [...timers]) {
      if (t.dueAt <= now) {
        timers.delete(id);
        t.fire();
      }
    }
  };
  return { routing, owners, diverts, toIvr, states, timeline, timers, advance, release, offers };
}

const settle = () => new Promise((r) => setTimeout(r, 5));

describe('CTI routing service (domain + adapter, no servers)', () => {
  it('offers a queued contact to the Ready agent through the SoftACD that owns the call', async () => {
    const h = harness();
    h.owners.setSoftacd('c1', 'softacd-9');
    h.owners.setIvr('c1', 'ivr-3');
    await h.routing.agentEvent('login', 'a1');
    await h.routing.agentEvent('ready', 'a1');
    await h.routing.contactQueued('c1', 'sales');
    expect(h.diverts).to.have.length(1);
    expect(h.diverts[0]).to.deep.include({ softacd: 'softacd-9' });
    expect(h.diverts[0]!.draft).to.include({
      contactId: 'c1',
      agentId: 'a1',
      endpoint: 'PJSIP/agent1001',
      ringTimeoutSec: 15,
    });
    expect(h.states).to.deep.equal(['a1:not-ready', 'a1:ready', 'a1:reserved']);
    expect(h.timeline.map((t) => t.type)).to.deep.equal(['Queued', 'Offered']);
    expect(h.timeline[1]!.set).to.include({ agentId: 'a1' });
  });

  it('rings the agent at once but sends the screen pop only once the offer is in the history', async () => {
    let stored!: () => void;
    const h = harness({ historyStored: () => new Promise<void>((resolve) => (stored = resolve)) });
    h.owners.setSoftacd('c1', 's');
    await h.routing.agentEvent('login', 'a1');
    await h.routing.agentEvent('ready', 'a1');
    const queued = h.routing.contactQueued('c1', 'sales');
    await settle();
    expect(h.diverts.map((d) => d.draft.agentId)).to.deep.equal(['a1']);
    expect(h.offers).to.deep.equal([]);
    stored();
    await queued;
    expect(h.offers).to.deep.equal(['c1:a1']);
  });

  it('sends the screen pop after 500 ms when the history is not stored by then', async () => {
    const h = harness({ historyStored: () => new Promise<void>(() => undefined) });
    h.owners.setSoftacd('c1', 's');
    await h.routing.agentEvent('login', 'a1');
    await h.routing.agentEvent('ready', 'a1');
    const started = Date.now();
    await h.routing.contactQueued('c1', 'sales');
    const waited = Date.now() - started;
    expect(h.offers).to.deep.equal(['c1:a1']);
    expect(waited).to.be.at.least(490);
    expect(waited).to.be.below(2_000);
  });

  it('tells the IVR the position while nobody is free, and offers the moment an agent becomes ready', async () => {
    const h = harness();
    h.owners.setSoftacd('c1', 's');
    h.owners.setIvr('c1', 'ivr-3');
    await h.routing.agentEvent('login', 'a1');
    await h.routing.contactQueued('c1', 'sales');
    expect(h.diverts).to.have.length(0);
    expect(h.toIvr[0]).to.deep.include({ ivr: 'ivr-3' });
    expect(h.toIvr[0]!.draft).to.include({ type: 'QueueStatus', position: 1 });
    await h.routing.agentEvent('ready', 'a1');
    expect(h.diverts.map((d) => d.draft.agentId)).to.deep.equal(['a1']);
  });

  it('a repeated request for the same contact does not queue it twice', async () => {
    const h = harness();
    h.owners.setSoftacd('c1', 's');
    await h.routing.contactQueued('c1', 'sales');
    await h.routing.contactQueued('c1', 'sales');
    expect(h.timeline.filter((t) => t.type === 'Queued')).to.have.length(1);
  });

  it('ring-no-answer makes the agent not-ready and offers the contact to the next agent', async () => {
    const h = harness();
    h.owners.setSoftacd('c1', 's');
    for (const a of ['a1', 'a2']) {
      await h.routing.agentEvent('login', a);
      await h.routing.agentEvent('ready', a);
    }
    await h.routing.contactQueued('c1', 'sales');
    await h.routing.ringNoAnswer('c1', 'a1');
    expect(h.diverts.map((d) => d.draft.agentId)).to.deep.equal(['a1', 'a2']);
    expect(h.states).to.include('a1:not-ready');
    expect(h.timeline.map((t) => t.type)).to.include('Requeued');
  });

  it('a late no-answer report about an earlier agent leaves the agent now offered the contact alone', async () => {
    const h = harness();
    h.owners.setSoftacd('c1', 's');
    await h.routing.agentEvent('login', 'a1');
    await h.routing.agentEvent('ready', 'a1');
    await h.routing.contactQueued('c1', 'sales');
    await h.routing.ringNoAnswer('c1', 'a1');
    await h.routing.agentEvent('login', 'a2');
    await h.routing.agentEvent('ready', 'a2');
    expect(h.diverts.map((d) => d.draft.agentId)).to.deep.equal(['a1', 'a2']);
    await h.routing.ringNoAnswer('c1', 'a1'); // SoftACD's report for a1's phone, arriving late
    expect(h.states.filter((s) => s.startsWith('a2:'))).to.deep.equal([
      'a2:not-ready',
      'a2:ready',
      'a2:reserved',
    ]);
  });

  it('answer, release and wrap-up: the agent is ready again when the wrap-up timer fires', async () => {
    const h = harness();
    h.owners.setSoftacd('c1', 's');
    await h.routing.agentEvent('login', 'a1');
    await h.routing.agentEvent('ready', 'a1');
    await h.routing.contactQueued('c1', 'sales');
    await h.routing.ringing('c1');
    await h.routing.answered('c1');
    await h.routing.ended('c1');
    expect(h.states.slice(-3)).to.deep.equal(['a1:ringing', 'a1:talking', 'a1:wrap-up']);
    h.advance(5_000);
    await settle();
    expect(h.states.at(-1)).to.equal('a1:ready');
    expect(h.timeline.find((t) => t.type === 'Connected')?.set).to.have.property('answeredAt');
  });

  it('a caller hanging up while waiting abandons the contact and cancels its timers', async () => {
    const h = harness();
    h.owners.setSoftacd('c1', 's');
    await h.routing.contactQueued('c1', 'sales');
    expect([...h.timers.keys()].some((k) => k.includes('c1'))).to.equal(true);
    await h.routing.ended('c1');
    expect([...h.timers.keys()].some((k) => k.includes('c1'))).to.equal(false);
    expect(h.timeline.at(-1)?.type).to.equal('Ended');
  });

  it('with `defer`: the offer leaves once the state is stored, without waiting for the history writes', async () => {
    const deferred: Array<Promise<unknown>> = [];
    const h = harness({ held: true, defer: (w) => deferred.push(w) });
    h.owners.setSoftacd('c1', 's');
    const ready = (async () => {
      await h.routing.agentEvent('login', 'a1');
      await h.routing.agentEvent('ready', 'a1');
    })();
    for (let i = 0; i < 2; i++) {
      await settle();
      h.release('state');
    }
    await ready;
    const queued = h.routing.contactQueued('c1', 'sales');
    await settle();
    expect(h.diverts, 'no offer before the state is stored').to.have.length(0);
    h.release('state');
    await queued;
    expect(h.diverts.map((d) => d.draft.agentId)).to.deep.equal(['a1']);
    expect(h.timeline.map((t) => t.type)).to.deep.equal(['Queued', 'Offered']);
    let historyDone = false;
    void Promise.all(deferred).then(() => (historyDone = true));
    await settle();
    expect(historyDone, 'history still being written').to.equal(false);
    h.release('history');
    await Promise.all(deferred);
  });

  it('without `defer`: the offer waits for the history writes too', async () => {
    const h = harness({ held: true });
    h.owners.setSoftacd('c1', 's');
    const ready = (async () => {
      await h.routing.agentEvent('login', 'a1');
      await h.routing.agentEvent('ready', 'a1');
    })();
    for (let i = 0; i < 2; i++) {
      await settle();
      h.release('state');
      h.release('history');
    }
    await ready;
    const queued = h.routing.contactQueued('c1', 'sales');
    await settle();
    h.release('state');
    await settle();
    expect(h.diverts).to.have.length(0);
    h.release('history');
    await queued;
    expect(h.diverts).to.have.length(1);
  });
});
