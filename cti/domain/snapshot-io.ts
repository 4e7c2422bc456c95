import { command } from './commands';
import type { DomainState } from './domain-state';
import { DomainError } from './errors';
import type { AgentRec, ContactRec, QueueRec } from './records';
import {
  SNAPSHOT_VERSION,
  type AgentSnapshot,
  type ContactSnapshot,
  type DomainSnapshot,
  type QueueSnapshot,
} from './snapshot';
import { REALTIME_CHANNELS } from './types';

/** Writing the domain's state as a snapshot, and loading one back (snapshot.ts has the format). */

export function snapshot(s: DomainState): DomainSnapshot {
  return {
    version: SNAPSHOT_VERSION,
    ...counters(s),
    queues: [...s.queues.values()].map(queueSnapshot),
    agents: [...s.agents.values()].map(agentSnapshot),
    contacts: [...s.contacts.values()].map(contactSnapshot),
    timers: [...s.timers.values()],
  };
}

/** The snapshot's counters alone. */
export function counters(s: DomainState): { contactSeq: number; readySeq: number } {
  return { contactSeq: s.contactSeq, readySeq: s.readySeq };
}

export function queueSnapshot(q: QueueRec): QueueSnapshot {
  return { config: q.config, handleTimes: q.handleTimes.toArray() };
}

export function agentSnapshot(a: AgentRec): AgentSnapshot {
  return {
    config: a.config,
    state: a.state,
    ...(a.reason !== undefined && { reason: a.reason }),
    stateSince: a.stateSince,
    readySeq: a.readySeq,
    idleSince: a.idleSince,
    callsToday: a.callsToday,
  };
}

export function contactSnapshot(c: ContactRec): ContactSnapshot {
  return {
    id: c.id,
    queueId: c.queue.id,
    state: c.state,
    enqueuedAt: c.enqueuedAt,
    seq: c.seq,
    returned: c.returned,
    callback: c.callback,
    ...(c.outbound && { outbound: true }),
    ...(c.attempts > 0 && { attempts: c.attempts }),
    ...(c.agent && { agentId: c.agent.id }),
    ...(c.direct && { directAgentId: c.direct.id }),
    ...(c.offeredAt !== undefined && { offeredAt: c.offeredAt }),
    ...(c.answeredAt !== undefined && { answeredAt: c.answeredAt }),
  };
}

/**
 * Fills a new domain's state (and its indexes) from a snapshot. Produces no offers: the state is as it
 * was. Throws DomainError('INVALID_SNAPSHOT') on the first inconsistency.
 */
export function load(s: DomainState, snapshot: DomainSnapshot): void {
  const invalid = (why: string): never => {
    throw new DomainError('INVALID_SNAPSHOT', `snapshot: ${why}`);
  };
  if (snapshot.version !== SNAPSHOT_VERSION) invalid(`unsupported version ${String(snapshot.version)}`);
  for (const q of snapshot.queues) {
    const added = command(s, () => s.config.addQueue(q.config));
    if (!added.ok) invalid(added.error.message);
    const queue = s.queues.get(q.config.id) as QueueRec;
    for (const ms of q.handleTimes) queue.handleTimes.record(ms);
  }
  for (const a of snapshot.agents) {
    const added = command(s, () => s.config.addAgent(a.config));
    if (!added.ok) invalid(added.error.message);
    const agent = s.agents.get(a.config.id) as AgentRec;
    agent.state = a.state;
    agent.reason = a.reason;
    agent.stateSince = a.stateSince;
    agent.readySeq = a.readySeq;
    agent.idleSince = a.idleSince;
    agent.callsToday = a.callsToday;
    if (agent.state !== 'logged-out') s.directory.staff(agent, +1);
  }
  for (const c of snapshot.contacts) loadContact(s, c, invalid);
  // Every agent: one on a call may take tasks (availability.ts); in ready order, so filing appends.
  const agents = [...s.agents.values()].sort((a, b) => a.readySeq - b.readySeq);
  for (const agent of agents) s.indexReady(agent);
  for (const queue of s.queues.values()) s.active.refresh(queue);
  for (const timer of snapshot.timers) s.timers.set(timer.id, timer);
  s.contactSeq = snapshot.contactSeq;
  s.readySeq = snapshot.readySeq;
}

function loadContact(s: DomainState, c: ContactSnapshot, invalid: (why: string) => never): void {
  const queue = s.queues.get(c.queueId) ?? invalid(`contact ${c.id}: unknown queue ${c.queueId}`);
  if (s.contacts.has(c.id)) invalid(`contact ${c.id} twice`);
  const agent =
    c.agentId === undefined
      ? undefined
      : (s.agents.get(c.agentId) ?? invalid(`contact ${c.id}: unknown agent`));
  const unassigned = c.state === 'waiting' || c.state === 'scheduled';
  if (unassigned !== (agent === undefined)) invalid(`contact ${c.id}: agent does not match state ${c.state}`);
  const contact: ContactRec = {
    id: c.id,
    queue,
    channel: queue.config.channel,
    state: c.state,
    enqueuedAt: c.enqueuedAt,
    seq: c.seq,
    returned: c.returned,
    callback: c.callback,
    ...(c.outbound === true && { outbound: true }),
    attempts: c.attempts ?? 0,
    agent,
    direct: undefined,
    offeredAt: c.offeredAt,
    answeredAt: c.answeredAt,
    node: undefined,
  };
  s.contacts.set(contact.id, contact);
  if (agent) {
    agent.active[queue.channelIndex] = (agent.active[queue.channelIndex] ?? 0) + 1;
    if (REALTIME_CHANNELS.has(contact.channel)) agent.realtimeContact = contact;
    queue.inService++;
  } else if (contact.state === 'waiting') {
    queue.waiting.add(contact);
  }
  if (c.directAgentId !== undefined) {
    const direct = s.agents.get(c.directAgentId) ?? invalid(`contact ${c.id}: unknown direct agent`);
    if (!agent || direct === agent || !['connected', 'held'].includes(c.state))
      invalid(`contact ${c.id}: a directed offer needs another agent and a connected contact`);
    contact.direct = direct;
    direct.active[queue.channelIndex] = (direct.active[queue.channelIndex] ?? 0) + 1;
    direct.realtimeContact = contact;
  }
}
