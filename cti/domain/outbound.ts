import type { AgentEventType } from './agent-state';
import type { ContactEventType } from './contact-state';
import { fail, ok, type Result } from './errors';
import { hasCapacity, type AgentRec, type ContactRec, type QueueRec } from './records';
import { REALTIME_CHANNELS, type ContactState, type Outcome } from './types';

/**
 * Outbound contacts (click-to-dial, a desk phone's `9<number>`): made by an agent, never queued. They are
 * a restriction of the contact table: no ring-no-answer back to a queue (there is no queue to go back
 * to), no queue timeout, no callback. The agent's own phone not answering, or the customer not
 * answering, ends the contact (`outboundUnanswered`).
 */
export const OUTBOUND_TRANSITIONS: Readonly<
  Record<Exclude<ContactState, 'ended'>, Readonly<Partial<Record<ContactEventType, ContactState>>>>
> = {
  waiting: {},
  // The agent's phone rings first (click-to-dial); a desk phone that dialled is answered already.
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

/** Whether an event is allowed for an outbound contact in its state (the contact table also applies). */
export function outboundAllows(state: Exclude<ContactState, 'ended'>, event: ContactEventType): boolean {
  return OUTBOUND_TRANSITIONS[state][event] !== undefined;
}

/** What the outbound commands need of the domain's internals (given by CtiDomain). */
export interface OutboundCore {
  readonly agents: ReadonlyMap<string, AgentRec>;
  readonly queues: ReadonlyMap<string, QueueRec>;
  readonly contacts: Map<string, ContactRec>;
  now(): number;
  nextSeq(): number;
  closed(queueId: string): boolean;
  checkAgent(agent: AgentRec, event: AgentEventType): Result<unknown>;
  moveAgent(agent: AgentRec, event: AgentEventType, out: Outcome, reason?: string, contactId?: string): void;
  moveContact(contact: ContactRec, event: ContactEventType, out: Outcome, reason?: string): void;
  detach(contact: ContactRec, agent: AgentRec): void;
  matchAgent(agent: AgentRec, out: Outcome): void;
}

export interface OutboundInput {
  readonly contactId: string;
  readonly queueId: string;
  readonly agentId: string;
}

/**
 * The agent starts an outbound contact: it is `offered` to that agent at once (its phone rings first,
 * or answers at once for a desk phone that dialled) and the agent is `reserved` from ready, not-ready or
 * wrap-up (event `Outbound`). Refused for an agent logged out or on a contact.
 */
export function startOutbound(core: OutboundCore, input: OutboundInput, out: Outcome): Result<unknown> {
  const queue = core.queues.get(input.queueId);
  if (!queue || core.closed(queue.id))
    return fail('UNKNOWN_QUEUE', `queue ${input.queueId} is unknown`, { queueId: input.queueId });
  if (!REALTIME_CHANNELS.has(queue.config.channel))
    return fail('WRONG_CHANNEL', `queue ${queue.id} does not serve calls`, { queueId: queue.id });
  const agent = core.agents.get(input.agentId);
  if (!agent) return fail('UNKNOWN_AGENT', `agent ${input.agentId} is unknown`, { agentId: input.agentId });
  if (core.contacts.has(input.contactId))
    return fail('DUPLICATE_CONTACT', `contact ${input.contactId} exists`, { contactId: input.contactId });
  const can = core.checkAgent(agent, 'Outbound');
  if (!can.ok) return can;
  if (agent.realtimeContact !== undefined || !hasCapacity(agent, queue.channelIndex))
    return fail('AGENT_HAS_TASKS', `agent ${agent.id} is on a contact`, { agentId: agent.id });
  const now = core.now();
  const contact: ContactRec = {
    id: input.contactId,
    queue,
    channel: queue.config.channel,
    state: 'offered',
    enqueuedAt: now,
    seq: core.nextSeq(),
    returned: false,
    callback: false,
    outbound: true,
    attempts: 0,
    agent,
    direct: undefined,
    offeredAt: now,
    answeredAt: undefined,
    node: undefined,
  };
  core.contacts.set(contact.id, contact);
  queue.inService++;
  agent.active[queue.channelIndex] = (agent.active[queue.channelIndex] ?? 0) + 1;
  agent.realtimeContact = contact;
  out.contactChanges.push({
    contactId: contact.id,
    queueId: queue.id,
    from: 'new',
    to: 'offered',
    reason: 'outbound',
    agentId: agent.id,
    at: now,
  });
  core.moveAgent(agent, 'Outbound', out, undefined, contact.id);
  return ok(undefined);
}

/**
 * The outbound contact ends before a conversation: the agent's phone was not answered (offered or
 * ringing: the agent goes not-ready, as after any missed call) or the customer did not answer (connected:
 * the agent was only dialling, so it is ready at once, as after an unanswered callback).
 */
export function outboundUnanswered(
  core: OutboundCore,
  contact: ContactRec,
  out: Outcome,
  reason: string,
): Result<unknown> {
  if (!contact.outbound)
    return fail('ILLEGAL_CONTACT_TRANSITION', `contact ${contact.id} is not outbound`, {
      contactId: contact.id,
    });
  const agent = contact.agent as AgentRec;
  const dialling = contact.state === 'connected';
  const contactEvent: ContactEventType = dialling ? 'Release' : 'Abandon';
  const agentEvent: AgentEventType = dialling ? 'Unanswered' : 'RingNoAnswer';
  if (!outboundAllows(contact.state, contactEvent))
    return fail('ILLEGAL_CONTACT_TRANSITION', `contact ${contact.id}: unanswered in state ${contact.state}`, {
      contactId: contact.id,
      state: contact.state,
    });
  const can = core.checkAgent(agent, agentEvent);
  if (!can.ok) return can;
  core.moveContact(contact, contactEvent, out, reason);
  core.detach(contact, agent);
  core.moveAgent(agent, agentEvent, out, dialling ? undefined : 'ring-no-answer', contact.id);
  core.matchAgent(agent, out);
  return ok(undefined);
}
