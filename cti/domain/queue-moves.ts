import { command, unknown } from './commands';
import type { DomainState } from './domain-state';
import { fail, ok, type Result } from './errors';
import { enqueue, leaveLine } from './matching';
import type { ContactRec } from './records';
import type { Outcome } from './types';

/** A supervisor's moves of a waiting contact (cti/supervisor/): to another queue, or to the front. */
export const MOVED = 'moved';
export const RAISED = 'raised';

function waitingContact(s: DomainState, contactId: string): Result<ContactRec> {
  const contact = s.contacts.get(contactId);
  if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', contactId);
  if (contact.state !== 'waiting' || contact.outbound) {
    return fail('CONTACT_NOT_WAITING', `contact ${contactId} is ${contact.state}, not waiting`, {
      contactId,
    });
  }
  return ok(contact);
}

/**
 * The waiting contact continues in another queue of its channel, keeping its enqueue time (its place by
 * waiting time there) and its raised mark; the target queue's timeout applies from its enqueue time.
 */
export function moveWaiting(s: DomainState, contactId: string, queueId: string): Result<Outcome> {
  return command(s, (out) => {
    const found = waitingContact(s, contactId);
    if (!found.ok) return found;
    const contact = found.value;
    const target = s.queues.get(queueId);
    if (!target || s.config.closed(queueId)) return unknown('UNKNOWN_QUEUE', 'queue', queueId);
    if (target === contact.queue) {
      return fail('ILLEGAL_CONTACT_TRANSITION', `contact ${contactId} already waits in ${queueId}`, {
        contactId,
        queueId,
      });
    }
    if (target.config.channel !== contact.channel) {
      return fail(
        'WRONG_CHANNEL',
        `queue ${queueId} serves ${target.config.channel}, not ${contact.channel}`,
        {
          contactId,
          queueId,
        },
      );
    }
    leaveLine(s, contact, out);
    const moved: ContactRec = { ...contact, queue: target, node: undefined };
    s.contacts.set(moved.id, moved);
    out.contactChanges.push({
      contactId,
      queueId: target.id,
      from: 'waiting',
      to: 'waiting',
      reason: MOVED,
      at: s.now,
    });
    enqueue(s, moved, out);
    return ok(undefined);
  });
}

/**
 * The waiting contact is served before every contact of its queue that was not raised (nor returned
 * after a missed offer, which the line already puts first): it joins the line's front part, where
 * contacts keep their order by waiting time. Raising it twice is refused.
 */
export function raiseWaiting(s: DomainState, contactId: string): Result<Outcome> {
  return command(s, (out) => {
    const found = waitingContact(s, contactId);
    if (!found.ok) return found;
    const contact = found.value;
    if (contact.returned) {
      return fail('ILLEGAL_CONTACT_TRANSITION', `contact ${contactId} is already at the front`, {
        contactId,
      });
    }
    leaveLine(s, contact, out);
    contact.returned = true;
    out.contactChanges.push({
      contactId,
      queueId: contact.queue.id,
      from: 'waiting',
      to: 'waiting',
      reason: RAISED,
      at: s.now,
    });
    enqueue(s, contact, out);
    return ok(undefined);
  });
}
