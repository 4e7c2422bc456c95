import {
  isTaskMessage,
  type ContactKind,
  type ContactPhase,
  type Offer,
  type ServerMessage,
  type SnapshotContact,
  type TaskMessage,
} from './interface-a';

/** The contact the agent is on (offered, talking, held...), as the page shows it. */
export interface Contact {
  contactId: string;
  queueId: string;
  kind: ContactKind;
  phase: ContactPhase;
  callingNumber?: string;
  callingName?: string;
  media?: string;
  number?: string;
  /** ms epoch: when the contact entered its queue (CTI's `enteredAt`), for the wait time. */
  enteredAt?: number;
  /** ms epoch: when the offer reached this page. */
  offeredAt: number;
  /** CTI holds the call for this agent after its page was lost: "Take call back". */
  recoverable: boolean;
  /** The consulted or conferenced party. */
  target?: string;
}

/** What the wrap-up form works on once the contact is over. */
export interface AfterCall {
  contactId: string;
  queueId: string;
  callingNumber?: string;
  callingName?: string;
  endedAt: number;
}

type ContactMessage = Extract<
  ServerMessage,
  {
    contactId: string;
    // Tasks (the inbox's, domain/tasks.ts) are not the call's contact.
    type: Exclude<ServerMessage['type'], 'offer' | 'snapshot' | 'take-back-failed' | TaskMessage['type']>;
  }
>;
export type ContactEventType = ContactMessage['type'];

type Target = ContactPhase | 'ended' | ((m: ContactMessage) => ContactPhase | 'ended');

/**
 * The contact's phases as a table: a message not listed for a phase is refused (and logged), never
 * silently applied. `ended` moves the contact to the after-call form.
 */
export const CONTACT_TRANSITIONS: Readonly<
  Record<ContactPhase, Readonly<Partial<Record<ContactEventType, Target>>>>
> = {
  offered: {
    established: 'talking',
    cleared: 'ended',
    transferred: 'ended',
    'callback-failed': 'ended',
  },
  dialling: { established: 'talking', cleared: 'ended', 'callback-failed': 'ended' },
  talking: {
    established: 'talking',
    held: 'held',
    consulted: 'consulting',
    transferred: 'ended',
    'transfer-failed': 'talking',
    'conference-ended': (m) => (m.type === 'conference-ended' && m.left === 'agent' ? 'ended' : 'talking'),
    cleared: 'ended',
  },
  held: {
    retrieved: 'talking',
    consulted: 'consulting',
    transferred: 'ended',
    'transfer-failed': 'held',
    // CTI retrieves a taken-back call itself; the page shows it held until \`retrieved\`.
    'taken-back': 'held',
    cleared: 'ended',
  },
  consulting: {
    'consult-ended': 'talking',
    conferenced: 'conferenced',
    transferred: 'ended',
    'transfer-failed': 'consulting',
    cleared: 'ended',
  },
  conferenced: {
    'conference-ended': (m) => (m.type === 'conference-ended' && m.left === 'agent' ? 'ended' : 'talking'),
    transferred: 'ended',
    cleared: 'ended',
  },
};

export function isContactMessage(m: ServerMessage): m is ContactMessage {
  return 'contactId' in m && m.type !== 'offer' && m.type !== 'take-back-failed' && !isTaskMessage(m);
}

export type ContactStep =
  { ok: true; contact: Contact | undefined; ended?: AfterCall } | { ok: false; problem: string };

/** Applies one message about the current contact. */
export function stepContact(contact: Contact, m: ContactMessage, now: number): ContactStep {
  const rule = CONTACT_TRANSITIONS[contact.phase][m.type];
  if (rule === undefined) return { ok: false, problem: `${m.type} is not allowed while ${contact.phase}` };
  const next = typeof rule === 'function' ? rule(m) : rule;
  if (next === 'ended') {
    return {
      ok: true,
      contact: undefined,
      ended: {
        contactId: contact.contactId,
        queueId: contact.queueId,
        ...(contact.callingNumber === undefined ? {} : { callingNumber: contact.callingNumber }),
        ...(contact.callingName === undefined ? {} : { callingName: contact.callingName }),
        endedAt: now,
      },
    };
  }
  // The consulted or conferenced party is shown until the agent is back alone with the caller.
  const { target: previous, ...base } = contact;
  const target = 'target' in m ? m.target : previous;
  return {
    ok: true,
    contact: {
      ...base,
      phase: next,
      recoverable: false,
      ...(target === undefined || next === 'talking' || next === 'held' ? {} : { target }),
    },
  };
}

function time(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

export function contactFromOffer(o: Offer, now: number): Contact {
  const enteredAt = time(o.enteredAt);
  return {
    contactId: o.contactId,
    queueId: o.queueId,
    kind: o.kind,
    phase: o.kind === 'outbound' ? 'dialling' : 'offered',
    ...(o.callingNumber === undefined ? {} : { callingNumber: o.callingNumber }),
    ...(o.callingName === undefined ? {} : { callingName: o.callingName }),
    ...(o.media === undefined ? {} : { media: o.media }),
    ...(o.number === undefined ? {} : { number: o.number }),
    ...(enteredAt === undefined ? {} : { enteredAt }),
    offeredAt: now,
    recoverable: false,
  };
}

export function contactFromSnapshot(c: SnapshotContact, now: number): Contact {
  const { enteredAt, ...rest } = c;
  const entered = time(enteredAt);
  return { ...rest, ...(entered === undefined ? {} : { enteredAt: entered }), offeredAt: now };
}
