import {
  contactFromOffer,
  contactFromSnapshot,
  isContactMessage,
  stepContact,
  type AfterCall,
  type Contact,
} from './contact';
import type { Device, ServerMessage } from './interface-a';

/**
 * The desktop's state: where the agent is (signed out ... wrap-up), driven by the user's own steps and
 * by interface A messages. The page never guesses the agent state: it comes from CTI's `state` and
 * `snapshot` messages, so a reloaded page shows what CTI knows.
 */
export type Status =
  | 'signed-out'
  | 'signing-in'
  | 'choosing-device'
  | 'logged-out'
  | 'not-ready'
  | 'ready'
  | 'on-contact'
  | 'wrap-up';

export const STATUSES: readonly Status[] = [
  'signed-out',
  'signing-in',
  'choosing-device',
  'logged-out',
  'not-ready',
  'ready',
  'on-contact',
  'wrap-up',
];

/** Something the agent should read: an outcome CTI reported or a refusal. */
export interface Notice {
  code: string;
  detail?: string;
}

export interface DesktopState {
  status: Status;
  /** CTI's own agent state (reserved, ringing, talking... for `on-contact`). */
  ctiState?: string;
  reason?: string;
  /** ms epoch: when the agent entered its state. */
  since?: number;
  /** ms epoch: when CTI ends the wrap-up. */
  wrapUpEndsAt?: number;
  device?: Device;
  devices: { softphone: boolean; desk: boolean };
  agentId?: string;
  contact?: Contact;
  afterCall?: AfterCall;
  notice?: Notice;
  /** Another tab of this agent took over: this page stops (no automatic reconnect). */
  superseded: boolean;
}

export type UiEvent =
  | { type: 'sign-in' }
  | { type: 'sign-in-failed'; error: string }
  | { type: 'signed-out' }
  | { type: 'choose-device'; device: Device }
  | { type: 'change-device' }
  | { type: 'after-call-done' }
  | { type: 'dismiss-notice' };

export type DesktopEvent = UiEvent | ServerMessage;
export type EventType = DesktopEvent['type'];

/** `by-agent-state`: the next status is read from the message's CTI state; `stay`: status unchanged. */
type Target = Status | 'by-agent-state' | 'stay';

const CONTACT_EVENTS: Partial<Record<EventType, Target>> = {
  offer: 'stay',
  established: 'stay',
  cleared: 'stay',
  held: 'stay',
  retrieved: 'stay',
  transferred: 'stay',
  'transfer-failed': 'stay',
  consulted: 'stay',
  'consult-ended': 'stay',
  conferenced: 'stay',
  'conference-ended': 'stay',
  'callback-failed': 'stay',
  'taken-back': 'stay',
  'take-back-failed': 'stay',
};

/** Allowed in every status once the CTI connection is authenticated. */
const CONNECTED: Partial<Record<EventType, Target>> = {
  welcome: 'stay',
  refreshed: 'stay',
  snapshot: 'by-agent-state',
  state: 'by-agent-state',
  error: 'stay',
  superseded: 'stay',
  'signed-out': 'signed-out',
  'dismiss-notice': 'stay',
};

/**
 * The desktop's transition table: the documentation of what may happen in each status. Anything not
 * listed is refused with a problem the page logs.
 */
export const TRANSITIONS: Readonly<Record<Status, Readonly<Partial<Record<EventType, Target>>>>> = {
  'signed-out': { 'sign-in': 'signing-in', 'dismiss-notice': 'stay' },
  'signing-in': { ...CONNECTED, 'sign-in-failed': 'signed-out' },
  'choosing-device': { ...CONNECTED, 'choose-device': 'logged-out' },
  'logged-out': { ...CONNECTED, 'change-device': 'choosing-device', 'after-call-done': 'stay' },
  'not-ready': { ...CONNECTED, ...CONTACT_EVENTS, 'after-call-done': 'stay' },
  ready: { ...CONNECTED, ...CONTACT_EVENTS, 'after-call-done': 'stay' },
  'on-contact': { ...CONNECTED, ...CONTACT_EVENTS },
  'wrap-up': { ...CONNECTED, ...CONTACT_EVENTS, 'after-call-done': 'stay' },
};

export function initialState(): DesktopState {
  return { status: 'signed-out', devices: { softphone: true, desk: false }, superseded: false };
}

/** The status a CTI agent state puts the page in. */
export function statusOfAgentState(ctiState: string, current: Status): Status | undefined {
  switch (ctiState) {
    case 'logged-out':
      // Right after sign-in the agent picks its device before logging in to CTI.
      return current === 'signing-in' || current === 'choosing-device' ? 'choosing-device' : 'logged-out';
    case 'not-ready':
    case 'ready':
    case 'wrap-up':
      return ctiState;
    case 'reserved':
    case 'ringing':
    case 'talking':
      return 'on-contact';
    default:
      return undefined;
  }
}

export interface Step {
  state: DesktopState;
  /** Why the event was refused or only partly applied (for the log); the state is then unchanged. */
  problem?: string;
}

function time(iso: string | undefined, fallback: number): number {
  const t = iso === undefined ? NaN : Date.parse(iso);
  return Number.isFinite(t) ? t : fallback;
}

export function reduce(state: DesktopState, event: DesktopEvent, now: number): Step {
  const target = TRANSITIONS[state.status][event.type];
  if (target === undefined) return { state, problem: `${event.type} is not allowed in ${state.status}` };
  const next: DesktopState = { ...state };
  if (target === 'by-agent-state') {
    const agentState = (event as { state: string }).state;
    const status = statusOfAgentState(agentState, state.status);
    if (status === undefined) return { state, problem: `unknown agent state ${agentState}` };
    next.status = status;
  } else if (target !== 'stay') {
    next.status = target;
  }
  const applied = apply(next, event, now);
  // A refused event changes nothing, not even the status its row named.
  return applied.problem === undefined ? applied : { state, problem: applied.problem };
}

/** What an allowed event changes besides the status. */
function apply(s: DesktopState, e: DesktopEvent, now: number): Step {
  switch (e.type) {
    case 'sign-in':
      return { state: { ...s, notice: undefined, superseded: false } };
    case 'sign-in-failed':
      return { state: { ...s, notice: { code: 'sign-in-failed', detail: e.error } } };
    case 'signed-out':
      return { state: { ...initialState(), notice: s.notice } };
    case 'choose-device':
      return { state: { ...s, device: e.device } };
    case 'after-call-done':
      return { state: { ...s, afterCall: undefined } };
    case 'dismiss-notice':
      return { state: { ...s, notice: undefined } };
    case 'welcome':
      return { state: { ...s, agentId: e.agentId } };
    case 'state':
    case 'snapshot':
      return agentState(s, e, now);
    case 'superseded':
      return { state: { ...s, superseded: true } };
    case 'error':
      return { state: { ...s, notice: { code: e.code, detail: e.message } } };
    case 'refreshed':
      return { state: s };
    case 'offer':
      // A new offer replaces an offer that was never answered (CTI re-offers after a reject).
      if (s.contact !== undefined && s.contact.phase !== 'offered' && s.contact.contactId !== e.contactId) {
        return { state: s, problem: `offer ${e.contactId} while on ${s.contact.contactId}` };
      }
      return { state: { ...s, contact: contactFromOffer(e, now), notice: undefined } };
    case 'take-back-failed':
      return { state: { ...s, notice: { code: 'take-back-failed', detail: e.reason } } };
    default:
      return isServerMessage(e) ? contactMessage(s, e, now) : { state: s, problem: `unexpected ${e.type}` };
  }
}

function agentState(
  s: DesktopState,
  e: Extract<ServerMessage, { type: 'state' | 'snapshot' }>,
  now: number,
): Step {
  const next: DesktopState = {
    ...s,
    ctiState: e.state,
    since: Math.min(time(e.at, now), now),
    reason: e.reason,
    wrapUpEndsAt:
      e.state === 'wrap-up' && e.wrapUpEndsAt !== undefined ? time(e.wrapUpEndsAt, now) : undefined,
  };
  if (e.type === 'snapshot') {
    if (e.device !== undefined) next.device = e.device;
    if (e.devices !== undefined) {
      next.devices = { softphone: e.devices.softphone === true, desk: e.devices.desk === true };
    }
    // The snapshot is the truth after a reload or a reconnect: its contact replaces what the page had.
    const previous = s.contact;
    next.contact = e.contact === undefined ? undefined : contactFromSnapshot(e.contact, now);
    if (next.contact !== undefined && previous?.contactId === next.contact.contactId) {
      next.contact.offeredAt = previous.offeredAt;
    }
    if (previous !== undefined && next.contact === undefined && e.state === 'wrap-up') {
      next.afterCall ??= { contactId: previous.contactId, queueId: previous.queueId, endedAt: now };
    }
  }
  // A contact cannot outlive the agent's login.
  if (e.state === 'logged-out') next.contact = undefined;
  return { state: next };
}

function isServerMessage(e: DesktopEvent): e is ServerMessage {
  return 'contactId' in e || e.type === 'superseded';
}

function contactMessage(s: DesktopState, e: ServerMessage, now: number): Step {
  if (!isContactMessage(e)) return { state: s, problem: `unexpected ${e.type}` };
  const contact = s.contact;
  if (contact === undefined || contact.contactId !== e.contactId) {
    return { state: s, problem: `${e.type} for ${e.contactId}, not the current contact` };
  }
  const step = stepContact(contact, e, now);
  if (!step.ok) return { state: s, problem: step.problem };
  const notice = noticeOf(e);
  // An offer that ended before it was answered leaves nothing to wrap up.
  const answered = contact.phase !== 'offered' && contact.phase !== 'dialling';
  return {
    state: {
      ...s,
      contact: step.contact,
      ...(step.ended === undefined || !answered ? {} : { afterCall: step.ended }),
      ...(notice === undefined ? {} : { notice }),
    },
  };
}

function noticeOf(e: ServerMessage): Notice | undefined {
  switch (e.type) {
    case 'transfer-failed':
      return { code: 'transfer-failed', detail: e.reason };
    case 'callback-failed':
      return { code: 'callback-failed', detail: e.reason };
    case 'consult-ended':
      return e.outcome === 'failed' ? { code: 'consult-failed' } : undefined;
    case 'transferred':
      return { code: 'transferred', detail: e.target };
    default:
      return undefined;
  }
}
