/**
 * The life of a call as SoftACD sees it, as an explicit table: the table is the documentation.
 * `stage` in ConnectionCleared is the state the call was in when it was released.
 */
export type CallState =
  | 'routing'
  | 'ivr'
  | 'queue'
  | 'ringing'
  | 'talking'
  | 'held'
  /** Blind transfer to an agent or a number: the caller is on hold media while the target rings. */
  | 'transferring'
  /** Attended transfer: the agent talks with the consulted target, the caller is on hold media. */
  | 'consulting'
  /** Three-way conference: caller, agent and the consulted target in one (mixing) bridge. */
  | 'conferenced'
  /** A callback: the agent's phone rings (no customer leg yet). */
  | 'callbackRinging'
  /** A callback: the agent answered and waits in the bridge hearing ringback while the customer rings. */
  | 'callbackDialling'
  /** A desk phone dialled out (`9<number>`): the phone hears ringback in the bridge while the number rings. */
  | 'outboundDialling'
  | 'cleared';
/** Every state once, for the tables built over all of them; a state missing here fails to type-check. */
export const CALL_STATES = [
  'routing',
  'ivr',
  'queue',
  'ringing',
  'talking',
  'held',
  'transferring',
  'consulting',
  'conferenced',
  'callbackRinging',
  'callbackDialling',
  'outboundDialling',
  'cleared',
] as const satisfies readonly CallState[];
const allStatesListed: [Exclude<CallState, (typeof CALL_STATES)[number]>] extends [never] ? true : false =
  true;
void allStatesListed;

export type CallEvent =
  | 'routedToIvr'
  | 'queued'
  | 'divert'
  | 'agentAnswered'
  | 'agentNoAnswer'
  | 'returnedToIvr'
  /** The agent put the caller on hold (music, a still image to a video caller) / took it back. */
  | 'hold'
  | 'retrieve'
  /** Blind transfer to a queue: the agent leaves, the caller is back in the IVR's queue media. */
  | 'transferToQueue'
  /** Blind transfer to an agent or a number: the first agent leaves, the target rings / answers. */
  | 'transferOut'
  | 'transferAnswered'
  /** Attended transfer: consultation starts / ends back with the caller / completes to the target. */
  | 'consult'
  | 'consultEnded'
  | 'consultCompleted'
  /** The agent merged the consultation into the call / the agent or the third party left it. */
  | 'conference'
  | 'partyLeft'
  /** A callback's agent answered / its customer answered. */
  | 'callbackAgentAnswered'
  | 'customerAnswered'
  | 'released';

const TRANSITIONS: Readonly<Record<CallState, Partial<Record<CallEvent, CallState>>>> = {
  routing: { routedToIvr: 'ivr', divert: 'ringing', released: 'cleared' },
  ivr: { queued: 'queue', divert: 'ringing', released: 'cleared' },
  queue: { divert: 'ringing', returnedToIvr: 'ivr', released: 'cleared' },
  ringing: { agentAnswered: 'talking', agentNoAnswer: 'queue', released: 'cleared' },
  talking: {
    hold: 'held',
    transferToQueue: 'ivr',
    transferOut: 'transferring',
    consult: 'consulting',
    released: 'cleared',
  },
  held: {
    retrieve: 'talking',
    transferToQueue: 'ivr',
    transferOut: 'transferring',
    consult: 'consulting',
    released: 'cleared',
  },
  consulting: {
    consultEnded: 'talking',
    consultCompleted: 'talking',
    conference: 'conferenced',
    released: 'cleared',
  },
  // No hold or transfer while three talk: one party leaves first (back to two, talking).
  conferenced: { partyLeft: 'talking', released: 'cleared' },
  // A target that does not answer sends the caller back to its queue (transferToQueue).
  transferring: { transferAnswered: 'talking', transferToQueue: 'ivr', released: 'cleared' },
  // A callback that fails before the customer answers is released too (CallbackFailed, no ConnectionCleared).
  callbackRinging: { callbackAgentAnswered: 'callbackDialling', released: 'cleared' },
  callbackDialling: { customerAnswered: 'talking', released: 'cleared' },
  outboundDialling: { customerAnswered: 'talking', released: 'cleared' },
  cleared: {},
};

export class IllegalCallTransition extends Error {
  readonly code = 'illegal_call_transition';
  constructor(
    readonly from: CallState,
    readonly event: CallEvent,
  ) {
    super(`call event ${event} is not allowed in state ${from}`);
  }
}

export function nextCallState(from: CallState, event: CallEvent): CallState {
  const to = TRANSITIONS[from][event];
  if (to === undefined) throw new IllegalCallTransition(from, event);
  return to;
}
