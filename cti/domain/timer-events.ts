import { checkRingNoAnswer, command, unknown } from './commands';
import { nextContactState } from './contact-state';
import type { DomainState } from './domain-state';
import { fail, ok, type Result } from './errors';
import { enqueue, leaveLine, matchAgent, returnToQueue, toCallback } from './matching';
import type { Outcome, Timer } from './types';

/** A timer the adapter armed fired: ring timeout, end of wrap-up, queue timeout, a callback's retry. */
export function timerFired(s: DomainState, id: string): Result<Outcome> {
  return command(s, (out) => {
    const timer = s.timers.get(id);
    if (!timer) return fail('UNKNOWN_TIMER', `timer ${id} is not armed`, { timerId: id });
    // A timer fires once whatever the outcome; a stale one is reported, not retried.
    s.timers.delete(id);
    switch (timer.kind) {
      case 'ring':
        return ringTimeout(s, timer, out);
      case 'wrap-up':
        return wrapUpTimeout(s, timer, out);
      case 'queue':
        return queueTimeout(s, timer, out);
      case 'retry':
        return retryDue(s, timer, out);
    }
  });
}

function ringTimeout(s: DomainState, timer: Timer, out: Outcome): Result<unknown> {
  const contact = s.contacts.get(timer.contactId ?? '');
  if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', timer.contactId ?? '');
  const can = checkRingNoAnswer(s, contact);
  if (!can.ok) return can;
  returnToQueue(s, contact, out);
  return ok(undefined);
}

function wrapUpTimeout(s: DomainState, timer: Timer, out: Outcome): Result<unknown> {
  const agent = s.agents.get(timer.agentId ?? '');
  if (!agent) return unknown('UNKNOWN_AGENT', 'agent', timer.agentId ?? '');
  const can = s.checkAgent(agent, 'WrapUpEnd');
  if (!can.ok) return can;
  s.moveAgent(agent, 'WrapUpEnd', out);
  matchAgent(s, agent, out);
  return ok(undefined);
}

/** A scheduled callback goes back into the line with its original enqueue time: it keeps its place. */
function retryDue(s: DomainState, timer: Timer, out: Outcome): Result<unknown> {
  const contact = s.contacts.get(timer.contactId ?? '');
  if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', timer.contactId ?? '');
  const can = nextContactState(contact.id, contact.state, 'Due');
  if (!can.ok) return can;
  s.moveContact(contact, 'Due', out, 'callback-retry');
  enqueue(s, contact, out);
  return ok(undefined);
}

function queueTimeout(s: DomainState, timer: Timer, out: Outcome): Result<unknown> {
  const contact = s.contacts.get(timer.contactId ?? '');
  if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', timer.contactId ?? '');
  const can = nextContactState(contact.id, contact.state, 'Timeout');
  if (!can.ok) return can;
  const action = contact.queue.config.timeoutAction;
  out.notices.push({ type: 'queue-timeout', contactId: contact.id, queueId: contact.queue.id, action });
  if (action === 'callback') {
    toCallback(s, contact, out, 'queue-timeout');
  } else {
    leaveLine(s, contact, out);
    s.moveContact(contact, 'Timeout', out, 'queue-timeout');
  }
  return ok(undefined);
}
