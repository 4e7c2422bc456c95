import winston from 'winston';
import { makeMessage, type Draft, type MessageType } from '../../../lib/messages';
import { Message } from '../../../lib/messages/schemas';
import { AgentGateway, ClientSocket } from '../../../cti/agent-gateway/gateway';
import type { ServerMessage } from '../../../cti/agent-gateway/protocol';
import { CallControl } from '../../../cti/app/call-control';
import { CallEvents } from '../../../cti/app/call-events';
import { ContactOwners } from '../../../cti/app/owners';
import { RoutingService } from '../../../cti/app/routing';
import { createCtiDomain } from '../../../cti/domain';
import type { AgentStateStore } from '../../../cti/store/agent-states';
import type { InteractionStore } from '../../../cti/store/interactions';
import { expect } from '../../support/chai';

/**
 * CTI's side of agent call control with the real domain, routing service, gateway and call events, and
 * in-memory stores and bus: what the agent may do, which command goes to which SoftACD, what is stored.
 */
function harness() {
  const now = 1_000_000;
  const log = winston.createLogger({ silent: true });
  const domain = createCtiDomain({ clock: { now: () => now } });
  for (const id of ['sales', 'support'])
    domain.addQueue({
      id,
      channel: 'voice',
      skills: [{ name: 'talk', minLevel: 1 }],
      ringTimeoutMs: 15_000,
      wrapUpMs: 5_000,
      queueTimeoutMs: 60_000,
    });
  for (const id of ['a1', 'a2']) domain.addAgent({ id, skills: { talk: 5 } });
  const commands: Array<{ softacd: string; draft: Draft<MessageType> }> = [];
  const states: string[] = [];
  const timeline: Array<{ type: string; set: Record<string, unknown> }> = [];
  const owners = new ContactOwners();
  const cleared: string[] = [];
  const interactions = {
    record: (_id: string, e: { type: string }, set: Record<string, unknown> = {}) => {
      timeline.push({ type: e.type, set });
      return Promise.resolve();
    },
    find: () => Promise.resolve(null),
    create: () => Promise.resolve(),
  } as unknown as InteractionStore;
  const agents = new Map([
    ['a1', { id: 'a1', login: '1001', endpoint: 'PJSIP/agent1001' }],
    ['a2', { id: 'a2', login: '1002', endpoint: 'PJSIP/agent1002' }],
  ]);
  const routing = new RoutingService({
    domain,
    interactions,
    agentStates: {
      append: (changes: Array<{ agentId: string; to: string }>) => {
        for (const c of changes) states.push(`${c.agentId}:${c.to}`);
        return Promise.resolve();
      },
    } as unknown as AgentStateStore,
    agents,
    ringTimeoutSec: () => 15,
    owners,
    divert: (softacd, draft) => {
      commands.push({ softacd, draft });
      return Promise.resolve();
    },
    toIvr: () => Promise.resolve(),
    scheduler: { schedule: () => undefined, cancel: () => undefined },
    log,
  });
  const control = new CallControl({
    owners,
    routing,
    agents,
    queues: new Set(['sales', 'support']),
    command: (softacd, draft) => {
      commands.push({ softacd, draft });
      return Promise.resolve();
    },
    outsideDial: 'PJSIP/{number}@outside',
    ringTimeoutSec: 20,
    log,
  });
  const gateway = new AgentGateway({
    routing,
    owners,
    // The token is the agent's id here; the real token and account checks have their own tests.
    verifyToken: (token) => ({
      sub: token,
      roles: ['agent'],
      ver: 0,
      exp: Math.floor(Date.now() / 1000) + 600,
    }),
    accounts: { check: () => Promise.resolve(null), checkMany: () => Promise.resolve([]) },
    clearCall: (contactId, agentId) => {
      cleared.push(`${contactId}:${agentId}`);
      return Promise.resolve();
    },
    control: (contactId, agentId, action) => control.act(contactId, agentId, action),
    recordAnswer: () => Promise.resolve(),
    log,
  });
  const events = new CallEvents({
    clients: gateway,
    routing,
    owners,
    store: interactions,
    commandSoftAcd: (softacd, draft) => {
      commands.push({ softacd, draft });
      return Promise.resolve();
    },
    log,
    directQueues: new Map(),
    recordingQueues: new Set(['sales']),
  });
  const socket = (agentId: string) => {
    const got: ServerMessage[] = [];
    const s: ClientSocket = { send: (m) => void got.push(m), close: () => undefined };
    void gateway.received(s, JSON.stringify({ type: 'auth', token: agentId }));
    const say = (m: unknown) => gateway.received(s, JSON.stringify(m));
    return { got, say };
  };
  /** An event as SoftACD or the IVR would publish it, validated against the message schemas. */
  const event = (draft: { type: MessageType; contactId: string } & Record<string, unknown>) =>
    events.handle(
      Message.parse(makeMessage({ service: 'softacd', instance: 'softacd-7' }, draft as Draft<'Held'>)),
    );
  /** c1 in `queue`, answered by a1 (the only Ready agent), owned by softacd-7. */
  const connected = async (queue = 'support') => {
    owners.setSoftacd('c1', 'softacd-7');
    await routing.agentEvent('login', 'a1');
    await routing.agentEvent('ready', 'a1');
    await routing.agentEvent('login', 'a2');
    await routing.contactQueued('c1', queue);
    await routing.ringing('c1');
    await event({ type: 'Established', contactId: 'c1', agentId: 'a1', agentChannelId: 'c1-agent-x' });
  };
  const sent = () => commands.map((c) => `${c.softacd}:${c.draft.type}`);
  return { routing, owners, domain, commands, states, timeline, socket, event, connected, sent, cleared };
}

describe('CTI call control (hold, retrieve, blind transfer, recording; no servers)', () => {
  it('hold and retrieve: commands to the owning SoftACD, the domain holds the contact, the agent stays talking', async () => {
    const h = harness();
    await h.connected();
    const a1 = h.socket('a1');
    await a1.say({ type: 'hold', contactId: 'c1' });
    expect(h.sent().at(-1)).to.equal('softacd-7:HoldCall');
    expect(h.commands.at(-1)!.draft).to.include({ contactId: 'c1', agentId: 'a1' });
    await h.event({ type: 'Held', contactId: 'c1', agentId: 'a1' });
    expect(h.domain.contactView('c1')).to.deep.include({ ok: true });
    expect(h.routing.contact('c1')?.state).to.equal('held');
    expect(h.routing.agentState('a1')?.state).to.equal('talking');
    await a1.say({ type: 'retrieve', contactId: 'c1' });
    expect(h.sent().at(-1)).to.equal('softacd-7:RetrieveCall');
    await h.event({ type: 'Retrieved', contactId: 'c1', agentId: 'a1' });
    expect(h.routing.contact('c1')?.state).to.equal('connected');
    // A client that connects mid-call is told its state first (as after a CTI restart), then the pushes.
    expect(a1.got.map((m) => m.type)).to.deep.equal(['welcome', 'state', 'held', 'retrieved']);
    expect(a1.got[1]).to.include({ type: 'state', state: 'talking', contactId: 'c1' });
    const types = h.timeline.map((t) => t.type);
    expect(types.slice(types.indexOf('Connected'))).to.deep.equal(['Connected', 'Held', 'Retrieved']);
    // Retrieve is not a second answer.
    expect(h.timeline.filter((t) => t.set.answeredAt !== undefined)).to.have.length(1);
  });

  it('refuses what the agent may not do, with a code, and sends nothing', async () => {
    const h = harness();
    await h.connected();
    const before = h.commands.length;
    const a1 = h.socket('a1');
    const a2 = h.socket('a2');
    await a2.say({ type: 'hold', contactId: 'c1' });
    await a1.say({ type: 'retrieve', contactId: 'c1' });
    await a1.say({ type: 'transfer', contactId: 'c1', to: { kind: 'queue', queueId: 'nope' } });
    await a1.say({ type: 'transfer', contactId: 'c1', to: { kind: 'agent', agent: '1002' } });
    await a1.say({ type: 'transfer', contactId: 'c1', to: { kind: 'agent', agent: '1001' } });
    await a1.say({ type: 'transfer', contactId: 'c1', to: { kind: 'number', number: '12; rm -rf' } });
    const codes = [...a2.got, ...a1.got].filter((m) => m.type === 'error').map((m) => m.code);
    expect(codes).to.deep.equal([
      'not_your_contact',
      'illegal_state',
      'unknown_queue',
      'agent_unavailable',
      'unknown_agent',
      'bad_message',
    ]);
    expect(h.commands).to.have.length(before);
  });

  it('blind transfer to a queue: the agent goes to wrap-up and loses the contact, which is routed again', async () => {
    const h = harness();
    await h.connected();
    const a1 = h.socket('a1');
    await a1.say({ type: 'transfer', contactId: 'c1', to: { kind: 'queue', queueId: 'sales' } });
    expect(h.commands.at(-1)!.draft).to.deep.include({
      type: 'TransferCall',
      target: { kind: 'queue', queueId: 'sales' },
    });
    await h.event({
      type: 'Transferred',
      contactId: 'c1',
      agentId: 'a1',
      target: { kind: 'queue', queueId: 'sales' },
    });
    expect(h.states.at(-1)).to.equal('a1:wrap-up');
    expect(h.owners.agent('c1')).to.equal(undefined);
    expect(a1.got.find((m) => m.type === 'transferred')).to.deep.include({ target: 'queue:sales' });
    // The IVR asks for the new queue: the contact is a new arrival there and goes to the Ready agent.
    await h.routing.agentEvent('ready', 'a2');
    await h.event({ type: 'AgentRequest', contactId: 'c1', queueId: 'sales' });
    expect(h.commands.at(-1)!.draft).to.include({ type: 'DivertCall', agentId: 'a2' });
    expect(h.owners.agent('c1')).to.equal('a2');
  });

  it('blind transfer to an agent by login: the target is offered the call by name (reserved, ringing, talking), owns it, wraps up', async () => {
    const h = harness();
    await h.connected();
    await h.routing.agentEvent('ready', 'a2');
    const a1 = h.socket('a1');
    const a2 = h.socket('a2');
    await a1.say({ type: 'transfer', contactId: 'c1', to: { kind: 'agent', agent: '1002' } });
    expect(h.commands.at(-1)!.draft).to.deep.include({
      type: 'TransferCall',
      agentId: 'a1',
      target: { kind: 'agent', agentId: 'a2', endpoint: 'PJSIP/agent1002', ringTimeoutSec: 20 },
      fallbackQueueId: 'support',
    });
    expect(h.routing.agentState('a2')).to.deep.equal({ state: 'reserved' });
    await h.event({
      type: 'Transferred',
      contactId: 'c1',
      agentId: 'a1',
      target: { kind: 'agent', agentId: 'a2', endpoint: 'PJSIP/agent1002', ringTimeoutSec: 20 },
    });
    expect(h.routing.agentState('a1')?.state).to.equal('wrap-up');
    expect(h.routing.contact('c1')).to.include({ state: 'offered', agentId: 'a2' });
    await h.event({
      type: 'CallDelivered',
      contactId: 'c1',
      callingNumber: '1',
      callingName: '',
      calledNumber: '201',
      media: 'audio',
      channelId: 'c1-agent-y',
      deliveredTo: { kind: 'agent', agentId: 'a2' },
    });
    expect(h.routing.agentState('a2')?.state).to.equal('ringing');
    await h.event({ type: 'Established', contactId: 'c1', agentId: 'a2', agentChannelId: 'c1-agent-y' });
    expect(h.owners.agent('c1')).to.equal('a2');
    expect(h.routing.agentState('a2')?.state).to.equal('talking');
    expect(a2.got.map((m) => m.type)).to.include('established');
    // The new owner may act on the call.
    await a2.say({ type: 'hold', contactId: 'c1' });
    expect(h.sent().at(-1), JSON.stringify(a2.got)).to.equal('softacd-7:HoldCall');
    await h.event({ type: 'ConnectionCleared', contactId: 'c1', releasedBy: 'caller', stage: 'talking' });
    expect(h.routing.agentState('a2')?.state).to.equal('wrap-up');
    expect(a2.got.map((m) => m.type)).to.include('cleared');
  });

  it('a transfer to an agent that is no longer ready is refused; one that does not answer is a ring-no-answer', async () => {
    const h = harness();
    await h.connected();
    const a1 = h.socket('a1');
    await a1.say({ type: 'transfer', contactId: 'c1', to: { kind: 'agent', agent: 'a2' } });
    expect(a1.got.at(-1)).to.deep.include({ type: 'error', code: 'agent_unavailable' });
    await h.routing.agentEvent('ready', 'a2');
    await a1.say({ type: 'transfer', contactId: 'c1', to: { kind: 'agent', agent: 'a2' } });
    const target = { kind: 'agent', agentId: 'a2', endpoint: 'PJSIP/agent1002', ringTimeoutSec: 20 };
    await h.event({ type: 'Transferred', contactId: 'c1', agentId: 'a1', target });
    await h.event({
      type: 'TransferFailed',
      contactId: 'c1',
      agentId: 'a1',
      reason: 'no-answer',
      fallbackQueueId: 'support',
      target,
    });
    expect(h.routing.agentState('a2')).to.deep.equal({ state: 'not-ready', reason: 'ring-no-answer' });
    expect(h.routing.contact('c1')?.state).to.equal('waiting');
  });

  it('attended transfer: consult offers the target by name, complete hands it the call, cancel frees it', async () => {
    const h = harness();
    await h.connected();
    await h.routing.agentEvent('ready', 'a2');
    const a1 = h.socket('a1');
    await a1.say({ type: 'complete-transfer', contactId: 'c1' });
    expect(a1.got.at(-1)).to.deep.include({ type: 'error', code: 'illegal_state' });
    await a1.say({ type: 'consult', contactId: 'c1', to: { kind: 'queue', queueId: 'sales' } });
    expect(a1.got.at(-1)).to.deep.include({ type: 'error', code: 'illegal_state' });
    await a1.say({ type: 'consult', contactId: 'c1', to: { kind: 'agent', agent: '1002' } });
    expect(h.commands.at(-1)!.draft).to.deep.include({
      type: 'ConsultCall',
      target: { kind: 'agent', agentId: 'a2', endpoint: 'PJSIP/agent1002', ringTimeoutSec: 20 },
    });
    expect(h.routing.agentState('a2')).to.deep.equal({ state: 'reserved' });
    await h.event({ type: 'Held', contactId: 'c1', agentId: 'a1' });
    const target = { kind: 'agent', agentId: 'a2', endpoint: 'PJSIP/agent1002', ringTimeoutSec: 20 };
    await h.event({ type: 'Consulted', contactId: 'c1', agentId: 'a1', target });
    expect(h.routing.agentState('a2')?.state).to.equal('talking');
    expect(a1.got.at(-1)).to.deep.include({ type: 'consulted', target: 'agent:a2' });
    await a1.say({ type: 'cancel-consult', contactId: 'c1' });
    expect(h.sent().at(-1)).to.equal('softacd-7:CancelConsult');
    await h.event({ type: 'ConsultEnded', contactId: 'c1', agentId: 'a1', outcome: 'cancelled', target });
    await h.event({ type: 'Retrieved', contactId: 'c1', agentId: 'a1' });
    // It talked in the consultation: wrap-up, as after any call.
    expect(h.routing.agentState('a2')?.state).to.equal('wrap-up');
    expect(h.routing.contact('c1')).to.include({ state: 'connected', agentId: 'a1' });
    await a1.say({ type: 'complete-transfer', contactId: 'c1' });
    expect(a1.got.at(-1)).to.deep.include({ type: 'error', code: 'illegal_state' });

    // A second consultation, completed: the target takes the held caller over.
    await h.routing.agentEvent('ready', 'a2');
    await a1.say({ type: 'consult', contactId: 'c1', to: { kind: 'agent', agent: '1002' } });
    await h.event({ type: 'Held', contactId: 'c1', agentId: 'a1' });
    await h.event({ type: 'Consulted', contactId: 'c1', agentId: 'a1', target });
    await a1.say({ type: 'complete-transfer', contactId: 'c1' });
    expect(h.sent().at(-1)).to.equal('softacd-7:CompleteTransfer');
    await h.event({ type: 'Transferred', contactId: 'c1', agentId: 'a1', target });
    await h.event({ type: 'Established', contactId: 'c1', agentId: 'a2', agentChannelId: 'c1-agent-y' });
    expect(h.routing.agentState('a1')?.state).to.equal('wrap-up');
    expect(h.routing.agentState('a2')?.state).to.equal('talking');
    expect(h.routing.contact('c1')).to.include({ state: 'connected', agentId: 'a2' });
    expect(h.owners.agent('c1')).to.equal('a2');
    expect(h.timeline.map((t) => t.type)).to.include('TakenOver');
  });

  /** c1 answered by a1, who consulted a2 (answered): the caller is held. */
  async function consulting() {
    const h = harness();
    await h.connected();
    await h.routing.agentEvent('ready', 'a2');
    const a1 = h.socket('a1');
    const a2 = h.socket('a2');
    await a1.say({ type: 'conference', contactId: 'c1' });
    expect(a1.got.at(-1)).to.deep.include({ type: 'error', code: 'illegal_state' });
    await a1.say({ type: 'consult', contactId: 'c1', to: { kind: 'agent', agent: '1002' } });
    await h.event({ type: 'Held', contactId: 'c1', agentId: 'a1' });
    await h.event({ type: 'Consulted', contactId: 'c1', agentId: 'a1', target: agentTarget });
    await a1.say({ type: 'conference', contactId: 'c1' });
    expect(h.sent().at(-1)).to.equal('softacd-7:ConferenceCall');
    await h.event({ type: 'Conferenced', contactId: 'c1', agentId: 'a1', target: agentTarget });
    return { h, a1, a2 };
  }
  const agentTarget = { kind: 'agent', agentId: 'a2', endpoint: 'PJSIP/agent1002', ringTimeoutSec: 20 };

  it('conference: merged after a consult; the caller is connected again, both agents told; the third party may only leave', async () => {
    const { h, a1, a2 } = await consulting();
    expect(h.routing.contact('c1')?.state).to.equal('connected');
    expect(a1.got.at(-1)).to.deep.include({ type: 'conferenced', target: 'agent:a2' });
    expect(a2.got.at(-1)).to.deep.include({ type: 'conferenced', target: 'agent:a1' });
    expect(h.owners.party('c1')).to.equal('a2');
    await a2.say({ type: 'hold', contactId: 'c1' });
    expect(a2.got.at(-1)).to.deep.include({ type: 'error', code: 'not_your_contact' });
    await a2.say({ type: 'hangup', contactId: 'c1' });
    expect(h.cleared).to.deep.equal(['c1:a2']);
    expect(h.timeline.map((t) => t.type)).to.include('Conferenced');
  });

  it('conference: the third party leaving wraps the target agent up; the caller leaving later ends the first agent', async () => {
    const { h, a1 } = await consulting();
    await h.event({
      type: 'ConferenceEnded',
      contactId: 'c1',
      agentId: 'a1',
      left: 'third-party',
      target: agentTarget,
    });
    expect(h.routing.agentState('a2')?.state).to.equal('wrap-up');
    expect(h.owners.party('c1')).to.equal(undefined);
    expect(a1.got.at(-1)).to.deep.include({ type: 'conference-ended', left: 'third-party' });
    await h.event({ type: 'ConnectionCleared', contactId: 'c1', releasedBy: 'caller', stage: 'talking' });
    expect(h.routing.agentState('a1')?.state).to.equal('wrap-up');
  });

  it('conference: the agent leaving goes to wrap-up; the target agent owns the call until it ends', async () => {
    const { h, a2 } = await consulting();
    await h.event({
      type: 'ConferenceEnded',
      contactId: 'c1',
      agentId: 'a1',
      left: 'agent',
      target: agentTarget,
    });
    expect(h.routing.agentState('a1')?.state).to.equal('wrap-up');
    await h.event({ type: 'Established', contactId: 'c1', agentId: 'a2', agentChannelId: 'c1-agent-y' });
    expect(h.owners.agent('c1')).to.equal('a2');
    expect(h.routing.agentState('a2')?.state).to.equal('talking');
    await h.event({ type: 'ConnectionCleared', contactId: 'c1', releasedBy: 'caller', stage: 'talking' });
    expect(h.routing.agentState('a2')?.state).to.equal('wrap-up');
    expect(a2.got.map((m) => m.type)).to.include('cleared');
  });

  it('conference: the caller leaving ends it for both agents (cleared pushed to both, both wrap up)', async () => {
    const { h, a1, a2 } = await consulting();
    await h.event({ type: 'ConnectionCleared', contactId: 'c1', releasedBy: 'caller', stage: 'talking' });
    expect(h.routing.agentState('a1')?.state).to.equal('wrap-up');
    expect(h.routing.agentState('a2')?.state).to.equal('wrap-up');
    expect(a1.got.at(-1)).to.deep.include({ type: 'cleared' });
    expect(a2.got.at(-1)).to.deep.include({ type: 'cleared' });
  });

  it('asks the owning SoftACD to record calls of recording queues only, and stores the metadata', async () => {
    const quiet = harness();
    await quiet.connected('support');
    expect(quiet.sent()).to.not.include('softacd-7:RecordCall');
    const h = harness();
    await h.connected('sales');
    expect(h.sent().at(-1)).to.equal('softacd-7:RecordCall');
    expect(h.commands.at(-1)!.draft).to.include({ contactId: 'c1', format: 'wav' });
    const recording = {
      name: 'c1-x',
      format: 'wav',
      durationSec: 12.5,
      path: '/var/spool/asterisk/recording/c1-x.wav',
    };
    await h.event({ type: 'RecordingStored', contactId: 'c1', ...recording });
    expect(h.timeline.at(-1)).to.deep.equal({ type: 'RecordingStored', set: { recording } });
  });
});
