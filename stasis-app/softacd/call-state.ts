/**
 * The life of a call as SoftACD sees it, as an explicit table: the table is the documentation.
 * `stage` in ConnectionCleared is the state the call was in when it was released.
 */
export type CallState = 'routing' | 'ivr' | 'queue' | 'ringing' | 'talking' | 'cleared';
export type CallEvent =
  'routedToIvr' | 'queued' | 'divert' | 'agentAnswered' | 'agentNoAnswer' | 'returnedToIvr' | 'released';

const TRANSITIONS: Readonly<Record<CallState, Partial<Record<CallEvent, CallState>>>> = {
  routing: { routedToIvr: 'ivr', divert: 'ringing', released: 'cleared' },
  ivr: { queued: 'queue', divert: 'ringing', released: 'cleared' },
  queue: { divert: 'ringing', returnedToIvr: 'ivr', released: 'cleared' },
  ringing: { agentAnswered: 'talking', agentNoAnswer: 'queue', released: 'cleared' },
  talking: { released: 'cleared' },
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
