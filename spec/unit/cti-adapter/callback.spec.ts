import winston from 'winston';
import { type Draft, type MessageType, makeMessage } from '../../../lib/messages';
import { CallbackBook } from '../../../cti/app/callbacks';
import { CallEvents, type CallNotifier } from '../../../cti/app/call-events';
import { ContactOwners } from '../../../cti/app/owners';
import { RoutingService, type Scheduler } from '../../../cti/app/routing';
import { createCtiDomain } from '../../../cti/domain';
import type { AgentStateStore } from '../../../cti/store/agent-states';
import type { InteractionStore } from '../../../cti/store/interactions';
import { expect } from '../../support/chai';

/**
 * CTI's callback path with the real domain, routing service and call-event handler, and in-memory
 * stand-ins for the stores, the bus and the agents' clients.
 */
function harness(o: { attempts?: number } = {}) {
  let now = 1_000_000;
  const domain = createCtiDomain({ clock: { now: () => now } });
  domain.addQueue({
    id: 'support',
    channel: 'voice',
    ringTimeoutMs: 20_000,
    wrapUpMs: 0,
    queueTimeoutMs: 20_000,
    timeoutAction: 'callback',
    callbackRetryMs: 60_000,
    callbackAttempts: o.attempts ?? 3,
  });
  domain.addAgent({ id: 'a1' });
  const commands: Array<{ softacd: string; draft: Draft<'DivertCall'> | Draft<'DialCallback'> }> = [];
  const toIvr: Array<Draft<'QueueStatus'> | Draft<'QueueTimeout'>> = [];
  const states: string[] = [];
  const timeline: Array<{ contactId: string; type: string; set: Record<string, unknown> }> = [];
  const pushes: string[] = [];
  const offers: Array<{ contactId: string; agentId: string; callback?: { number: string } }> = [];
  const timers = new Map<string, { dueAt: number; fire: () => void }>();
  const scheduler: Scheduler = {
    schedule: (id, dueAt, fire) => void timers.set(id, { dueAt, fire }),
    cancel: (id) => void timers.delete(id),
  };
  const owners = new ContactOwners();
  const book = new CallbackBook();
  const interactions = {
    record: (contactId: string, e: { type: string }, set: Record<string, unknown> = {}) => {
      timeline.push({ contactId, type: e.type, set });
      return Promise.resolve();
    },
    create: () => Promise.resolve(),
    find: () => Promise.resolve({ answeredAt: undefined }),
  } as unknown as InteractionStore;
  const routing = new RoutingService({
    notify: {
      agentChanged: () => undefined,
      offered: (contactId, agentId, _queueId, callback) =>
        offers.push({ contactId, agentId, ...(callback === undefined ? {} : { callback }) }),
    },
    domain,
    interactions,
    agentStates: {
      append: (changes: Array<{ agentId: string; to: string }>) => {
        for (const c of changes) states.push(`${c.agentId}:${c.to}`);
        return Promise.resolve();
      },
    } as unknown as AgentStateStore,
    agents: new Map([['a1', { id: 'a1', login: '1003', endpoint: 'PJSIP/agent1003' }]]),
    ringTimeoutSec: () => 20,
    owners,
    divert: (softacd, draft) => {
      commands.push({ softacd, draft });
      return Promise.resolve();
    },
    callbacks: { book, outsideDial: (n) => `PJSIP/${n}@outside`, ringTimeoutSec: 25 },
    toIvr: (_ivr, draft) => {
      toIvr.push(draft);
      return Promise.resolve();
    },
    scheduler,
    log: winston.createLogger({ silent: true }),
  });
  const clients = {
    established: (a: string, c: string) => pushes.push(`established ${a} ${c}`),
    cleared: (a: string, c: string, by: string) => pushes.push(`cleared ${a} ${c} ${by}`),
    callbackFailed: (a: string, c: string, reason: string, retry: boolean) =>
      pushes.push(`callback-failed ${a} ${c} ${reason} retry=${retry}`),
  } as unknown as CallNotifier;
  const events = new CallEvents({
    routing,
    owners,
    clients,
    store: interactions,
    commandSoftAcd: () => Promise.resolve(),
    log: winston.createLogger({ silent: true }),
    directQueues: new Map(),
  });
  const send = <T extends MessageType>(draft: Draft<T>) =>
    events.handle(makeMessage({ service: 'softacd', instance: 'softacd-7' }, draft));
  const advance = (ms: number) => {
    now += ms;
    for (const [id, t] of [...timers]) {
      if (t.dueAt <= now) {
        timers.delete(id);
        t.fire();
      }
    }
  };
  /** A caller of softacd-7 queued in support, timed out into a callback, then hung up. */
  const callbackWaiting = async (contactId = 'c1', number = '15550001') => {
    owners.setSoftacd(contactId, 'softacd-7');
    owners.setIvr(contactId, 'ivr-1');
    await send<'AgentRequest'>({ type: 'AgentRequest', contactId, queueId: 'support' });
    advance(20_000); // queue timeout, action callback
    await settle();
    await send<'CallbackRequested'>({ type: 'CallbackRequested', contactId, queueId: 'support', number });
  };
  const callerHangsUp = (contactId = 'c1') =>
    send<'ConnectionCleared'>({ type: 'ConnectionCleared', contactId, releasedBy: 'caller', stage: 'ivr' });
  const dials = () => commands.filter((c) => c.draft.type === 'DialCallback');
  return {
    routing,
    domain,
    owners,
    book,
    commands,
    dials,
    toIvr,
    states,
    timeline,
    pushes,
    offers,
    send,
    advance,
    callbackWaiting,
    callerHangsUp,
  };
}

const settle = () => new Promise((r) => setTimeout(r, 5));

describe('CTI callback path (domain + routing + call events, no servers)', () => {
  it('keeps the callback when the caller hangs up, and dials it through the same SoftACD when an agent is ready', async () => {
    const h = harness();
    await h.callbackWaiting();
    expect(h.toIvr.map((d) => d.type)).to.deep.equal(['QueueStatus', 'QueueTimeout']);
    await h.callerHangsUp();
    expect(h.domain.contactView('c1').ok, 'still queued').to.equal(true);
    const cleared = h.timeline.find((t) => t.type === 'ConnectionCleared');
    expect(cleared?.set).to.deep.equal({ state: 'callback', abandoned: false });

    await h.routing.agentEvent('login', 'a1');
    await h.routing.agentEvent('ready', 'a1');
    expect(h.offers).to.deep.equal([{ contactId: 'c1', agentId: 'a1', callback: { number: '15550001' } }]);
    expect(h.dials()).to.have.length(1);
    expect(h.dials()[0]?.softacd).to.equal('softacd-7');
    expect(h.dials()[0]?.draft).to.deep.include({
      agentId: 'a1',
      endpoint: 'PJSIP/agent1003',
      number: '15550001',
      customerEndpoint: 'PJSIP/15550001@outside',
      customerRingTimeoutSec: 25,
      ringTimeoutSec: 20,
    });
    expect(h.owners.agent('c1')).to.equal('a1');
  });

  it('a withdrawn callback (CallbackCancelled) leaves its queue and is never offered', async () => {
    const h = harness();
    await h.callbackWaiting();
    await h.callerHangsUp();
    await h.send<'CallbackCancelled'>({ type: 'CallbackCancelled', contactId: 'c1' });
    expect(h.domain.contactView('c1').ok, 'gone from the queue').to.equal(false);
    await h.routing.agentEvent('login', 'a1');
    await h.routing.agentEvent('ready', 'a1');
    expect(h.offers).to.deep.equal([]);
    expect(h.dials()).to.deep.equal([]);
  });

  it('connects: ringing, agent answers (talking while the customer rings), Established, cleared with wrap-up', async () => {
    const h = harness();
    await h.callbackWaiting();
    await h.callerHangsUp();
    await h.routing.agentEvent('login', 'a1');
    await h.routing.agentEvent('ready', 'a1');
    await h.send<'CallDelivered'>({
      type: 'CallDelivered',
      contactId: 'c1',
      callingNumber: '15550001',
      callingName: '',
      calledNumber: '15550001',
      media: 'audio',
      channelId: 'c1-agent-x',
      deliveredTo: { kind: 'agent', agentId: 'a1' },
    });
    await h.send<'CallbackDialing'>({
      type: 'CallbackDialing',
      contactId: 'c1',
      agentId: 'a1',
      number: '15550001',
    });
    expect(h.states.at(-1)).to.equal('a1:talking');
    await h.send<'Established'>({
      type: 'Established',
      contactId: 'c1',
      agentId: 'a1',
      agentChannelId: 'c1-agent-x',
    });
    expect(h.pushes).to.deep.equal(['established a1 c1']);
    await h.send<'ConnectionCleared'>({
      type: 'ConnectionCleared',
      contactId: 'c1',
      releasedBy: 'caller',
      stage: 'talking',
    });
    expect(h.domain.contactView('c1').ok).to.equal(false);
    expect(h.book.size).to.equal(0);
    expect(h.states.slice(-2)).to.deep.equal(['a1:wrap-up', 'a1:ready']);
    expect(h.pushes.at(-1)).to.equal('cleared a1 c1 caller');
    const types = h.timeline.map((t) => t.type);
    expect(types).to.include.members([
      'CallbackRequested',
      'Offered',
      'Ringing',
      'CallbackDialing',
      'Connected',
      'Established',
      'Ended',
    ]);
  });

  it('an agent ready before the caller hung up is offered at once; the dial waits for the hang-up', async () => {
    const h = harness();
    await h.callbackWaiting();
    await h.routing.agentEvent('login', 'a1');
    await h.routing.agentEvent('ready', 'a1');
    expect(h.offers).to.have.length(1);
    expect(h.dials()).to.have.length(0);
    await h.callerHangsUp();
    expect(h.dials()).to.have.length(1);
    expect(h.owners.agent('c1')).to.equal('a1');
  });

  it('customer no-answer: agent ready again, retried later through the book, then failed after the last attempt', async () => {
    const h = harness({ attempts: 2 });
    await h.callbackWaiting();
    await h.callerHangsUp();
    await h.routing.agentEvent('login', 'a1');
    await h.routing.agentEvent('ready', 'a1');
    const attempt = async () => {
      await h.send<'CallbackDialing'>({
        type: 'CallbackDialing',
        contactId: 'c1',
        agentId: 'a1',
        number: '15550001',
      });
      await h.send<'CallbackFailed'>({
        type: 'CallbackFailed',
        contactId: 'c1',
        agentId: 'a1',
        number: '15550001',
        reason: 'no-answer',
      });
    };
    await attempt();
    expect(h.states.at(-1)).to.equal('a1:ready');
    expect(h.pushes).to.deep.equal(['callback-failed a1 c1 no-answer retry=true']);
    expect(h.timeline.map((t) => t.type)).to.include('CallbackScheduled');
    h.advance(60_000);
    await settle();
    expect(h.dials()).to.have.length(2);
    expect(h.timeline.map((t) => t.type)).to.include('CallbackDue');
    await attempt();
    expect(h.pushes.at(-1)).to.equal('callback-failed a1 c1 no-answer retry=false');
    expect(h.domain.contactView('c1').ok).to.equal(false);
    expect(h.book.size).to.equal(0);
    expect(h.timeline.at(-1)).to.deep.include({ type: 'CallbackGaveUp' });
    expect(h.timeline.at(-1)?.set).to.include({ state: 'callback-failed' });
    expect(h.states.at(-1)).to.equal('a1:ready');
  });

  it('refuses a number that cannot be dialled: the contact leaves the queue', async () => {
    const h = harness();
    h.owners.setSoftacd('c2', 'softacd-7');
    await h.send<'AgentRequest'>({ type: 'AgentRequest', contactId: 'c2', queueId: 'support' });
    await h.send<'CallbackRequested'>({
      type: 'CallbackRequested',
      contactId: 'c2',
      queueId: 'support',
      number: '1555@evil.example',
    });
    expect(h.domain.contactView('c2').ok).to.equal(false);
    expect(h.timeline.map((t) => t.type)).to.include('CallbackRefused');
    expect(h.book.size).to.equal(0);
  });

  it('a stale no-answer report for another agent changes nothing', async () => {
    const h = harness();
    await h.callbackWaiting();
    await h.callerHangsUp();
    await h.routing.agentEvent('login', 'a1');
    await h.routing.agentEvent('ready', 'a1');
    expect(await h.routing.callbackUnanswered('c1', 'someone-else')).to.equal('ignored');
    expect(h.domain.contactView('c1').ok).to.equal(true);
  });
});
