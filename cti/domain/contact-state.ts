import type { ContactState } from './types';
import { fail, ok, type Result } from './errors';

/** A contact's life in the CTI, as a table. Hold is a property of the call, not of the agent (still talking). */
export const CONTACT_EVENTS = [
  'Offer',
  'Ring',
  'Answer',
  'RingNoAnswer',
  'Hold',
  'Retrieve',
  'Release',
  'Abandon',
  'Timeout',
  'Callback',
  /** A transfer or consultation names an agent (the contact stays with its agent meanwhile). */
  'DirectOffer',
  /** The agent left for a directed target that has not answered yet / that already talks with the caller. */
  'Transfer',
  'TakeOver',
  /** A callback's customer did not answer: retried later, or ended once the attempts are used up. */
  'CallbackRetry',
  'CallbackFail',
  /** A scheduled callback's retry time came: back in the line at its original place. */
  'Due',
] as const;
export type ContactEventType = (typeof CONTACT_EVENTS)[number];

export const LIVE_CONTACT_STATES: readonly Exclude<ContactState, 'ended'>[] = [
  'waiting',
  'offered',
  'ringing',
  'connected',
  'held',
  'scheduled',
];

export const CONTACT_TRANSITIONS: Readonly<
  Record<Exclude<ContactState, 'ended'>, Readonly<Partial<Record<ContactEventType, ContactState>>>>
> = {
  // Callback keeps the entry (and its place) in the queue: only the way it is served changes.
  waiting: { Offer: 'offered', Abandon: 'ended', Timeout: 'ended', Callback: 'waiting' },
  offered: { Ring: 'ringing', Answer: 'connected', RingNoAnswer: 'waiting', Abandon: 'ended' },
  ringing: { Answer: 'connected', RingNoAnswer: 'waiting', Abandon: 'ended' },
  // For a callback `connected` starts when the agent answers and the customer is being dialled.
  connected: {
    Hold: 'held',
    Release: 'ended',
    DirectOffer: 'connected',
    Transfer: 'offered',
    TakeOver: 'connected',
    CallbackRetry: 'scheduled',
    CallbackFail: 'ended',
  },
  held: {
    Retrieve: 'connected',
    Release: 'ended',
    DirectOffer: 'held',
    Transfer: 'offered',
    TakeOver: 'connected',
  },
  scheduled: { Due: 'waiting', Abandon: 'ended' },
};

export function nextContactState(
  contactId: string,
  from: Exclude<ContactState, 'ended'>,
  event: ContactEventType,
): Result<ContactState> {
  const to = CONTACT_TRANSITIONS[from][event];
  if (to === undefined) {
    return fail(
      'ILLEGAL_CONTACT_TRANSITION',
      `contact ${contactId}: ${event} is not allowed in state ${from}`,
      {
        contactId,
        state: from,
        event,
      },
    );
  }
  return ok(to);
}
