import { contactCommand, directCommand, directedCommand, unknown, wrongChannel } from './commands';
import { nextContactState, type ContactEventType } from './contact-state';
import type { DomainState } from './domain-state';
import { fail, ok, type Result } from './errors';
import { endDirect, matchAgent, wrapUp } from './matching';
import type { AgentRec } from './records';
import type { Outcome } from './types';

/**
 * A transfer or a consultation names an agent: the target is offered the contact directly, not by
 * routing, while the contact's agent still has it. The target must be ready (chosen by name: no skill
 * check); it is reserved at once, so routing cannot give it anything else, and then follows the states
 * of a routed offer: `directRinging`, `directAnswered`, and either `transferred` (the first agent left,
 * the target has the contact) or `directEnded` (no answer, cancelled, or it left a conference).
 */
export function directOffer(s: DomainState, contactId: string, agentId: string): Result<Outcome> {
  return contactCommand(s, contactId, 'DirectOffer', (contact, out) => {
    if (!s.isRealtime(contact)) return wrongChannel(contact, 'a directed offer');
    const target = s.agents.get(agentId);
    if (!target) return unknown('UNKNOWN_AGENT', 'agent', agentId);
    if (contact.direct || contact.agent === target) {
      return fail('ILLEGAL_CONTACT_TRANSITION', `contact ${contactId} is already offered to that agent`, {
        contactId,
        agentId,
      });
    }
    const can = s.checkAgent(target, 'Reserve');
    if (!can.ok) return can;
    const c = contact.queue.channelIndex;
    contact.direct = target;
    target.active[c] = (target.active[c] ?? 0) + 1;
    target.realtimeContact = contact;
    // The contact's state does not change (the table allows DirectOffer only while connected or held).
    s.moveAgent(target, 'Reserve', out, undefined, contact.id);
    return ok(undefined);
  });
}

/** The directed target's phone rings. */
export function directRinging(s: DomainState, contactId: string): Result<Outcome> {
  return directCommand(s, contactId, 'Ring', (contact, target, out) =>
    s.moveAgent(target, 'Ring', out, undefined, contact.id),
  );
}

/** The directed target answered (a consultation or a conference: it talks, the contact is not yet its own). */
export function directAnswered(s: DomainState, contactId: string): Result<Outcome> {
  return directCommand(s, contactId, 'Answer', (contact, target, out) => {
    s.moveAgent(target, 'Answer', out, undefined, contact.id);
    target.callsToday++;
    s.refile(target);
  });
}

/**
 * The directed target is done without taking the contact: it never answered (not-ready, as after a
 * routed ring-no-answer), the offer was cancelled before it answered (ready), or it had answered and
 * left (a consultation cancelled, a conference left: wrap-up).
 */
export function directEnded(
  s: DomainState,
  contactId: string,
  how: 'no-answer' | 'cancelled',
): Result<Outcome> {
  return directCommand(
    s,
    contactId,
    (target) => (target.state === 'talking' ? 'Hangup' : how === 'no-answer' ? 'RingNoAnswer' : 'Cancel'),
    (contact, target, out, event) => endDirect(s, contact, target, event, out),
  );
}

/**
 * The contact's agent left it to the directed target (blind transfer: the target may still be ringing;
 * attended transfer or an agent leaving a conference: the target already talks with the caller). The
 * first agent goes to wrap-up as after a release; the contact stays in service with the target.
 */
export function transferred(s: DomainState, contactId: string): Result<Outcome> {
  return directedCommand(s, contactId, (contact, target, out) => {
    const event: ContactEventType = target.state === 'talking' ? 'TakeOver' : 'Transfer';
    const can = nextContactState(contact.id, contact.state, event);
    if (!can.ok) return can;
    const first = contact.agent as AgentRec;
    const canLeave = s.checkAgent(first, 'Hangup');
    if (!canLeave.ok) return canLeave;
    const c = contact.queue.channelIndex;
    first.active[c] = (first.active[c] ?? 1) - 1;
    first.realtimeContact = undefined;
    contact.agent = target;
    contact.direct = undefined;
    contact.offeredAt = s.now;
    s.moveContact(contact, event, out, 'transfer');
    if (event === 'Transfer' && target.state === 'ringing') s.moveContact(contact, 'Ring', out);
    wrapUp(s, first, contact.queue, contact.id, out);
    matchAgent(s, first, out);
    return ok(undefined);
  });
}
