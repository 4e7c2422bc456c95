import { checkRingNoAnswer, command, contactCommand, unknown, wrongChannel } from './commands';
import { RING_NO_ANSWER, timerId, type DomainState } from './domain-state';
import { fail, ok, type Result } from './errors';
import {
  detach,
  endDirect,
  enqueue,
  leaveLine,
  matchAgent,
  returnToQueue,
  toCallback,
  wrapUp,
} from './matching';
import type { AgentRec, ContactRec } from './records';
import type { Outcome } from './types';

/** A contact's life as the IVR, SoftACD and the agent's phone report it: arrival to release. */

export interface ContactArrival {
  readonly contactId: string;
  readonly queueId: string;
}

export function contactArrived(s: DomainState, arrival: ContactArrival): Result<Outcome> {
  return command(s, (out) => {
    const queue = s.queues.get(arrival.queueId);
    if (!queue || s.config.closed(queue.id)) return unknown('UNKNOWN_QUEUE', 'queue', arrival.queueId);
    if (s.contacts.has(arrival.contactId)) {
      return fail('DUPLICATE_CONTACT', `contact ${arrival.contactId} exists`, {
        contactId: arrival.contactId,
      });
    }
    const contact: ContactRec = {
      id: arrival.contactId,
      queue,
      channel: queue.config.channel,
      state: 'waiting',
      enqueuedAt: s.now,
      seq: ++s.contactSeq,
      returned: false,
      callback: false,
      attempts: 0,
      agent: undefined,
      direct: undefined,
      offeredAt: undefined,
      answeredAt: undefined,
      node: undefined,
    };
    s.contacts.set(contact.id, contact);
    out.contactChanges.push({
      contactId: contact.id,
      queueId: queue.id,
      from: 'new',
      to: 'waiting',
      at: s.now,
    });
    enqueue(s, contact, out);
    return ok(undefined);
  });
}

/** The caller hung up (or the customer cancelled the callback) before being connected. */
export function contactAbandoned(s: DomainState, contactId: string): Result<Outcome> {
  return contactCommand(s, contactId, 'Abandon', (contact, out) => {
    const agent = contact.agent;
    if (agent && s.isRealtime(contact)) {
      const can = s.checkAgent(agent, 'Cancel');
      if (!can.ok) return can;
    }
    if (contact.state === 'waiting') {
      leaveLine(s, contact, out);
      s.moveContact(contact, 'Abandon', out);
      return ok(undefined);
    }
    if (contact.state === 'scheduled') {
      s.cancelTimer(timerId('retry', contact.id), out);
      s.moveContact(contact, 'Abandon', out);
      return ok(undefined);
    }
    s.cancelTimer(timerId('ring', contact.id), out);
    s.moveContact(contact, 'Abandon', out);
    if (agent) {
      detach(contact, agent);
      if (s.isRealtime(contact)) s.moveAgent(agent, 'Cancel', out, undefined, contact.id);
      else s.refile(agent);
      matchAgent(s, agent, out);
    }
    return ok(undefined);
  });
}

/** The caller asked to be called back: the entry keeps its place and is offered when it reaches the head. */
export function callbackRequested(s: DomainState, contactId: string): Result<Outcome> {
  return contactCommand(s, contactId, 'Callback', (contact, out) => {
    if (!s.isRealtime(contact)) return wrongChannel(contact, 'callback');
    if (contact.callback) {
      return fail('ILLEGAL_CONTACT_TRANSITION', `contact ${contactId} is already a callback`, {
        contactId,
      });
    }
    toCallback(s, contact, out, 'callback');
    return ok(undefined);
  });
}

/**
 * A callback's customer did not answer (or the agent gave up while it rang). The agent is ready at once
 * (no conversation, no wrap-up); the contact is dialled again `callbackRetryMs` later, back at its
 * original place in the line, until `callbackAttempts` dials were made; then it ends (`callback-failed`).
 */
export function callbackUnanswered(s: DomainState, contactId: string): Result<Outcome> {
  return contactCommand(s, contactId, 'CallbackRetry', (contact, out) => {
    if (!contact.callback) {
      return fail('ILLEGAL_CONTACT_TRANSITION', `contact ${contactId} is not a callback`, { contactId });
    }
    const agent = contact.agent as AgentRec;
    const can = s.checkAgent(agent, 'Unanswered');
    if (!can.ok) return can;
    contact.attempts++;
    contact.answeredAt = undefined;
    const queue = contact.queue;
    if (contact.attempts >= queue.config.callbackAttempts) {
      s.moveContact(contact, 'CallbackFail', out, 'callback-failed');
    } else {
      s.moveContact(contact, 'CallbackRetry', out, 'callback-no-answer');
      s.schedule(
        {
          id: timerId('retry', contact.id),
          kind: 'retry',
          dueAt: s.now + queue.config.callbackRetryMs,
          contactId: contact.id,
        },
        out,
      );
    }
    detach(contact, agent);
    s.moveAgent(agent, 'Unanswered', out, undefined, contact.id);
    matchAgent(s, agent, out);
    return ok(undefined);
  });
}

export function ringing(s: DomainState, contactId: string): Result<Outcome> {
  return contactCommand(s, contactId, 'Ring', (contact, out) => {
    if (!s.isRealtime(contact)) return wrongChannel(contact, 'ringing');
    const agent = contact.agent as AgentRec;
    const can = s.checkAgent(agent, 'Ring');
    if (!can.ok) return can;
    s.moveContact(contact, 'Ring', out);
    s.moveAgent(agent, 'Ring', out, undefined, contact.id);
    return ok(undefined);
  });
}

export function answered(s: DomainState, contactId: string): Result<Outcome> {
  return contactCommand(s, contactId, 'Answer', (contact, out) => {
    const agent = contact.agent as AgentRec;
    if (s.isRealtime(contact)) {
      const can = s.checkAgent(agent, 'Answer');
      if (!can.ok) return can;
    }
    s.cancelTimer(timerId('ring', contact.id), out);
    contact.answeredAt = s.now;
    s.moveContact(contact, 'Answer', out);
    if (s.isRealtime(contact)) s.moveAgent(agent, 'Answer', out, undefined, contact.id);
    agent.callsToday++;
    // Filed again under its new count (an agent whose calls do not block tasks is filed while talking).
    s.refile(agent);
    return ok(undefined);
  });
}

/**
 * The offer was not taken in time (or a task was rejected): the contact goes back to the head of its
 * queue. A call's agent goes not-ready; `reason`: its not-ready reason when it is not a missed call (an
 * agent with no phone). A task's agent stays as it is (matching.ts returnToQueue).
 */
export function ringNoAnswer(s: DomainState, contactId: string, reason = RING_NO_ANSWER): Result<Outcome> {
  return contactCommand(s, contactId, 'RingNoAnswer', (contact, out) => {
    const can = checkRingNoAnswer(s, contact);
    if (!can.ok) return can;
    returnToQueue(s, contact, out, reason);
    return ok(undefined);
  });
}

export function held(s: DomainState, contactId: string): Result<Outcome> {
  return contactCommand(s, contactId, 'Hold', (contact, out) => {
    if (!s.isRealtime(contact)) return wrongChannel(contact, 'hold');
    s.moveContact(contact, 'Hold', out);
    return ok(undefined);
  });
}

export function retrieved(s: DomainState, contactId: string): Result<Outcome> {
  return contactCommand(s, contactId, 'Retrieve', (contact, out) => {
    s.moveContact(contact, 'Retrieve', out);
    return ok(undefined);
  });
}

/** The call ended or the task was completed. A directed target still on it leaves with it. */
export function released(s: DomainState, contactId: string): Result<Outcome> {
  return contactCommand(s, contactId, 'Release', (contact, out) => {
    const agent = contact.agent as AgentRec;
    const realtime = s.isRealtime(contact);
    if (realtime) {
      const can = s.checkAgent(agent, 'Hangup');
      if (!can.ok) return can;
    }
    const direct = contact.direct;
    const directEvent = direct && (direct.state === 'talking' ? 'Hangup' : 'Cancel');
    if (direct && directEvent) {
      const can = s.checkAgent(direct, directEvent);
      if (!can.ok) return can;
    }
    const queue = contact.queue;
    const wrapUpMs = realtime ? queue.config.wrapUpMs : 0;
    queue.handleTimes.record(s.now - (contact.answeredAt ?? s.now) + wrapUpMs);
    s.moveContact(contact, 'Release', out);
    detach(contact, agent);
    if (realtime) wrapUp(s, agent, queue, contact.id, out);
    else s.refile(agent);
    if (direct && directEvent) endDirect(s, contact, direct, directEvent, out);
    matchAgent(s, agent, out);
    return ok(undefined);
  });
}
