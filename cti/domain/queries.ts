import { unknown } from './commands';
import type { DomainState } from './domain-state';
import { fail, ok, type Result } from './errors';
import type { ContactRec, QueueRec } from './records';
import { CHANNELS, type AgentState, type Channel, type ContactState, type Timer } from './types';

/** Read-only views of the domain for the adapter, the IVR's announcements and the desktop. */

export interface AgentView {
  readonly id: string;
  readonly state: AgentState;
  readonly reason?: string;
  readonly stateSince: number;
  readonly idleSince: number;
  readonly callsToday: number;
  readonly activeTasks: Readonly<Record<Channel, number>>;
  readonly realtimeContactId?: string;
}

export interface ContactView {
  readonly id: string;
  readonly queueId: string;
  readonly channel: Channel;
  readonly state: Exclude<ContactState, 'ended'>;
  readonly enqueuedAt: number;
  readonly callback: boolean;
  /** Callback dials the customer did not answer. */
  readonly attempts: number;
  readonly agentId?: string;
  /** The agent a transfer or consultation offered the contact to by name, while `agentId` has it. */
  readonly directAgentId?: string;
  /** Made by its agent (outbound.ts). */
  readonly outbound?: boolean;
  /** When it was offered to `agentId`, and when that agent answered (a task: accepted). */
  readonly offeredAt?: number;
  readonly answeredAt?: number;
}

export interface QueueStats {
  readonly queueId: string;
  readonly waiting: number;
  readonly inService: number;
  readonly staffed: number;
  readonly averageHandleTimeMs: number;
}

/** 1-based place in the queue, for the IVR's announcement. */
export function queuePosition(s: DomainState, contactId: string): Result<number> {
  const contact = s.contacts.get(contactId);
  if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', contactId);
  const position = contact.state === 'waiting' ? contact.queue.waiting.position(contact) : undefined;
  if (position === undefined) {
    return fail('CONTACT_NOT_WAITING', `contact ${contactId} is ${contact.state}`, { contactId });
  }
  return ok(position);
}

/**
 * Expected wait: position x recent average handle time / logged-in agents serving the queue. Null when
 * nobody serves the queue (the IVR should not promise a time).
 */
export function expectedWaitMs(s: DomainState, contactId: string): Result<number | null> {
  const position = queuePosition(s, contactId);
  if (!position.ok) return position;
  const queue = (s.contacts.get(contactId) as ContactRec).queue;
  if (queue.staffed === 0) return ok(null);
  return ok(Math.round((position.value * averageHandleTime(queue)) / queue.staffed));
}

export function queueStats(s: DomainState, queueId: string): Result<QueueStats> {
  const queue = s.queues.get(queueId);
  if (!queue) return unknown('UNKNOWN_QUEUE', 'queue', queueId);
  return ok({
    queueId,
    waiting: queue.waiting.size,
    inService: queue.inService,
    staffed: queue.staffed,
    averageHandleTimeMs: averageHandleTime(queue),
  });
}

export function agentView(s: DomainState, agentId: string): Result<AgentView> {
  const agent = s.agents.get(agentId);
  if (!agent) return unknown('UNKNOWN_AGENT', 'agent', agentId);
  const activeTasks = Object.fromEntries(CHANNELS.map((ch, c) => [ch, agent.active[c] ?? 0])) as Record<
    Channel,
    number
  >;
  return ok({
    id: agent.id,
    state: agent.state,
    ...(agent.reason !== undefined && { reason: agent.reason }),
    stateSince: agent.stateSince,
    idleSince: agent.idleSince,
    callsToday: agent.callsToday,
    activeTasks,
    ...(agent.realtimeContact && { realtimeContactId: agent.realtimeContact.id }),
  });
}

export function contactView(s: DomainState, contactId: string): Result<ContactView> {
  const contact = s.contacts.get(contactId);
  if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', contactId);
  return ok({
    id: contact.id,
    queueId: contact.queue.id,
    channel: contact.channel,
    state: contact.state,
    enqueuedAt: contact.enqueuedAt,
    callback: contact.callback,
    attempts: contact.attempts,
    ...(contact.agent && { agentId: contact.agent.id }),
    ...(contact.direct && { directAgentId: contact.direct.id }),
    ...(contact.outbound && { outbound: true }),
    ...(contact.offeredAt !== undefined && { offeredAt: contact.offeredAt }),
    ...(contact.answeredAt !== undefined && { answeredAt: contact.answeredAt }),
  });
}

/** Timers the adapter must have armed (after a restore it re-arms exactly these). */
export function armedTimers(s: DomainState): Timer[] {
  return [...s.timers.values()];
}

function averageHandleTime(queue: QueueRec): number {
  return queue.handleTimes.average() ?? queue.config.defaultHandleTimeMs;
}
