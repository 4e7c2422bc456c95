import { queueServedBefore } from './active-queues';
import type { AgentEventType } from './agent-state';
import { RING_NO_ANSWER, timerId, type DomainState } from './domain-state';
import { canOffer } from './availability';
import type { AgentRec, ContactRec, QueueRec } from './records';
import { CHANNELS, type Outcome } from './types';

/**
 * Matching contacts with agents, and the moves of a contact in and out of its line and an agent's hands.
 * Matching happens inside the command that made it possible, so after every command no ready agent with
 * spare capacity qualifies for a queue that has a contact waiting.
 */

/** A contact joins its queue's line; if the line was empty an agent may be ready for it right now. */
export function enqueue(s: DomainState, contact: ContactRec, out: Outcome): void {
  const queue = contact.queue;
  const wasEmpty = queue.waiting.size === 0;
  queue.waiting.add(contact);
  s.active.refresh(queue);
  // A non-empty line means no ready agent qualifies (the invariant), so only an empty one needs a look.
  if (wasEmpty) matchQueue(s, queue, out);
  if (contact.state === 'waiting') s.armQueueTimer(contact, out);
}

export function matchQueue(s: DomainState, queue: QueueRec, out: Outcome): void {
  for (let head = queue.waiting.head(); head; head = queue.waiting.head()) {
    const agent = s.readyIndex.best(queue);
    if (!agent) return;
    offer(s, head, agent, out);
  }
}

/**
 * Offers the agent the best waiting contacts it can take until it is full or busy: each offer uses room,
 * and a call offered changes its state (availability.ts), so the loop ends.
 */
export function matchAgent(s: DomainState, agent: AgentRec, out: Outcome): void {
  for (;;) {
    let best: QueueRec | undefined;
    for (let c = 0; c < CHANNELS.length; c++) {
      if (!canOffer(agent, c)) continue;
      const queue = s.active.bestFor(agent, c);
      if (queue && (best === undefined || queueServedBefore(queue, best))) best = queue;
    }
    const head = best?.waiting.head();
    if (!head) return;
    offer(s, head, agent, out);
  }
}

function offer(s: DomainState, contact: ContactRec, agent: AgentRec, out: Outcome): void {
  const queue = contact.queue;
  leaveLine(s, contact, out);
  contact.agent = agent;
  contact.offeredAt = s.now;
  queue.inService++;
  s.moveContact(contact, 'Offer', out);
  const c = queue.channelIndex;
  agent.active[c] = (agent.active[c] ?? 0) + 1;
  if (s.isRealtime(contact)) {
    agent.realtimeContact = contact;
    s.moveAgent(agent, 'Reserve', out, undefined, contact.id);
  } else {
    s.refile(agent);
  }
  if (queue.config.ringTimeoutMs > 0) {
    const dueAt = s.now + queue.config.ringTimeoutMs;
    s.schedule(
      { id: timerId('ring', contact.id), kind: 'ring', dueAt, contactId: contact.id, agentId: agent.id },
      out,
    );
  }
  out.offers.push({
    contactId: contact.id,
    agentId: agent.id,
    queueId: queue.id,
    channel: contact.channel,
    callback: contact.callback,
  });
}

export function leaveLine(s: DomainState, contact: ContactRec, out: Outcome): void {
  contact.queue.waiting.remove(contact);
  s.active.refresh(contact.queue);
  s.cancelTimer(timerId('queue', contact.id), out);
}

/** Frees the agent's slot held by the contact (not its state: the caller moves the agent). */
export function detach(contact: ContactRec, agent: AgentRec): void {
  const c = contact.queue.channelIndex;
  agent.active[c] = (agent.active[c] ?? 1) - 1;
  if (agent.realtimeContact === contact) agent.realtimeContact = undefined;
  contact.queue.inService--;
  contact.agent = undefined;
  contact.offeredAt = undefined;
}

/** A real-time agent leaves its contact: wrap-up for the queue's time (or straight back to ready). */
export function wrapUp(
  s: DomainState,
  agent: AgentRec,
  queue: QueueRec,
  contactId: string,
  out: Outcome,
): void {
  s.moveAgent(agent, 'Hangup', out, undefined, contactId);
  const wrapUpMs = queue.config.wrapUpMs;
  if (wrapUpMs > 0) {
    s.schedule(
      { id: timerId('wrap-up', agent.id), kind: 'wrap-up', dueAt: s.now + wrapUpMs, agentId: agent.id },
      out,
    );
  } else {
    s.moveAgent(agent, 'WrapUpEnd', out);
  }
}

/** The directed target leaves the contact (checked: `event` is allowed in its state). */
export function endDirect(
  s: DomainState,
  contact: ContactRec,
  target: AgentRec,
  event: AgentEventType,
  out: Outcome,
): void {
  const c = contact.queue.channelIndex;
  target.active[c] = (target.active[c] ?? 1) - 1;
  target.realtimeContact = undefined;
  contact.direct = undefined;
  if (event === 'Hangup') wrapUp(s, target, contact.queue, contact.id, out);
  else s.moveAgent(target, event, out, event === 'RingNoAnswer' ? RING_NO_ANSWER : undefined, contact.id);
  matchAgent(s, target, out);
}

export function returnToQueue(
  s: DomainState,
  contact: ContactRec,
  out: Outcome,
  reason = RING_NO_ANSWER,
): void {
  const agent = contact.agent as AgentRec;
  s.cancelTimer(timerId('ring', contact.id), out);
  s.moveContact(contact, 'RingNoAnswer', out, reason);
  detach(contact, agent);
  contact.returned = true;
  if (s.isRealtime(contact)) {
    s.moveAgent(agent, 'RingNoAnswer', out, reason, contact.id);
    enqueue(s, contact, out);
    return;
  }
  // A task the agent let go (rejected, or its offer timed out) goes to another agent that can take it
  // now. The agent's state stays (its calls keep coming); it moves to the back of the idle order, and
  // gets the task back only when nobody else can take it (nothing waits that a free agent could take).
  s.readyIndex.remove(agent, contact.queue.channelIndex);
  enqueue(s, contact, out);
  s.refile(agent);
  matchAgent(s, agent, out);
}

export function toCallback(s: DomainState, contact: ContactRec, out: Outcome, reason: string): void {
  contact.callback = true;
  s.cancelTimer(timerId('queue', contact.id), out);
  s.moveContact(contact, 'Callback', out, reason);
}
