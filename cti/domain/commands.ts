import type { AgentEventType } from './agent-state';
import { nextContactState, type ContactEventType } from './contact-state';
import type { DomainState } from './domain-state';
import { fail, ok, type Result } from './errors';
import { OUTBOUND_TRANSITIONS } from './outbound';
import type { AgentRec, ContactRec } from './records';
import { emptyOutcome, type Outcome } from './types';

/**
 * How every command runs: applied at `clock.now()`, validated completely before anything changes, and
 * answering either a typed error or the Outcome (state changes, offers, timers) it produced.
 */
export function command(s: DomainState, apply: (out: Outcome) => Result<unknown> | void): Result<Outcome> {
  s.now = s.clock.now();
  const out = emptyOutcome();
  const result = apply(out);
  if (result && !result.ok) return result;
  s.config.settle(out);
  return ok(out);
}

export function agentCommand(
  s: DomainState,
  agentId: string,
  event: AgentEventType,
  apply: (agent: AgentRec, out: Outcome) => Result<unknown> | void,
): Result<Outcome> {
  return command(s, (out) => {
    const agent = s.agents.get(agentId);
    if (!agent) return unknown('UNKNOWN_AGENT', 'agent', agentId);
    const can = s.checkAgent(agent, event);
    if (!can.ok) return can;
    return apply(agent, out);
  });
}

export function contactCommand(
  s: DomainState,
  contactId: string,
  event: ContactEventType,
  apply: (contact: ContactRec, out: Outcome) => Result<unknown>,
): Result<Outcome> {
  return command(s, (out) => {
    const contact = s.contacts.get(contactId);
    if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', contactId);
    const can = nextContactState(contact.id, contact.state, event);
    if (!can.ok) return can;
    if (contact.outbound && OUTBOUND_TRANSITIONS[contact.state][event] === undefined)
      return fail(
        'ILLEGAL_CONTACT_TRANSITION',
        `outbound contact ${contactId}: ${event} in ${contact.state}`,
        {
          contactId,
          state: contact.state,
          event,
        },
      );
    return apply(contact, out);
  });
}

/**
 * A command on a contact offered to an agent by name (direct-offers.ts): the contact and that agent, or
 * the error naming which of the two is missing.
 */
export function directedCommand(
  s: DomainState,
  contactId: string,
  apply: (contact: ContactRec, target: AgentRec, out: Outcome) => Result<unknown>,
): Result<Outcome> {
  return command(s, (out) => {
    const contact = s.contacts.get(contactId);
    if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', contactId);
    const target = contact.direct;
    if (!target) return noDirectOffer(contactId);
    return apply(contact, target, out);
  });
}

/**
 * A directed command that moves the target agent by `event` (or the event its current state calls
 * for), checked against the agent's transition table before anything changes.
 */
export function directCommand(
  s: DomainState,
  contactId: string,
  event: AgentEventType | ((target: AgentRec) => AgentEventType),
  apply: (contact: ContactRec, target: AgentRec, out: Outcome, event: AgentEventType) => void,
): Result<Outcome> {
  return directedCommand(s, contactId, (contact, target, out) => {
    const e = typeof event === 'function' ? event(target) : event;
    const can = s.checkAgent(target, e);
    if (!can.ok) return can;
    apply(contact, target, out, e);
    return ok(undefined);
  });
}

export function checkRingNoAnswer(s: DomainState, contact: ContactRec): Result<unknown> {
  const can = nextContactState(contact.id, contact.state, 'RingNoAnswer');
  if (!can.ok) return can;
  // An outbound contact has no queue to go back to (outbound.ts: outboundUnanswered ends it).
  if (contact.outbound)
    return fail('ILLEGAL_CONTACT_TRANSITION', `outbound contact ${contact.id}: RingNoAnswer`);
  return s.isRealtime(contact) ? s.checkAgent(contact.agent as AgentRec, 'RingNoAnswer') : ok(undefined);
}

export function unknown<T>(
  code: 'UNKNOWN_AGENT' | 'UNKNOWN_QUEUE' | 'UNKNOWN_CONTACT',
  what: string,
  id: string,
): Result<T> {
  return fail(code, `${what} ${id} is unknown`, { [`${what}Id`]: id });
}

export function noDirectOffer<T>(contactId: string): Result<T> {
  return fail('ILLEGAL_CONTACT_TRANSITION', `contact ${contactId} is offered to no agent by name`, {
    contactId,
  });
}

export function wrongChannel<T>(contact: ContactRec, what: string): Result<T> {
  return fail('WRONG_CHANNEL', `contact ${contact.id}: ${what} needs a voice or video contact`, {
    contactId: contact.id,
    channel: contact.channel,
  });
}
