import { CALL_STATES, type CallEvent, type CallState } from './call-state';

/**
 * What SoftACD does with each input in each call state, as tables the feature modules consult instead of
 * testing `call.state` themselves. An input is a CTI command or a leg of the call answering (its channel
 * entered Stasis). Each row splits every state (and `gone`: no such call) among the input's outcomes; a
 * state left out is a type error, so a new state or input is decided in every row at once. `leadsTo` names
 * the transition (call-state.ts) an outcome makes; `illegal` outcomes are the cells where that transition
 * does not exist and the command throws IllegalCallTransition, as it always did.
 */

/** A call as an input finds it: in one of its states, or gone (never known, or released and removed). */
export type Seen = CallState | 'gone';
export const SEEN: readonly Seen[] = ['gone', ...CALL_STATES];

type Partition = Readonly<Record<string, readonly Seen[]>>;
/** The states a partition leaves out: a non-empty union makes the row fail to type-check. */
type Uncovered<P extends Partition> = Exclude<Seen, P[keyof P][number]>;
type Exhaustive<P extends Partition> = [Uncovered<P>] extends [never] ? P : P & { uncovered: Uncovered<P> };

export interface Guard<O extends string> {
  readonly outcome: Readonly<Record<Seen, O>>;
  readonly leadsTo: Readonly<Partial<Record<O, readonly CallEvent[]>>>;
}

export function guard<const P extends Partition>(
  partition: Exhaustive<P>,
  leadsTo: Guard<keyof P & string>['leadsTo'] = {} as Guard<keyof P & string>['leadsTo'],
): Guard<keyof P & string> {
  const outcome = {} as Record<Seen, keyof P & string>;
  for (const [o, states] of Object.entries(partition as P))
    for (const s of states) {
      // The types see a state left out; a state given two outcomes is caught here, when the module loads.
      if (outcome[s] !== undefined) throw new Error(`${s} has two outcomes: ${outcome[s]} and ${o}`);
      outcome[s] = o;
    }
  return { outcome, leadsTo };
}

export const BEFORE_AGENT = ['routing', 'ivr', 'queue'] as const;
export const CALLBACK = ['callbackRinging', 'callbackDialling'] as const;
/** The states of a call with an agent on it (or a transfer target ringing in its place). */
export const WITH_AGENT = ['talking', 'held', 'transferring', 'consulting', 'conferenced'] as const;

/** CTI's commands to SoftACD. `refuse`: logged as a warning, nothing else happens. */
export const COMMAND_GUARDS = {
  RouteSelect: guard(
    {
      route: ['routing'],
      gone: ['gone', 'cleared'],
      // Sent again by a CTI that restarted before it recorded the first one: the call moved on already.
      movedOn: ['ivr', 'queue', 'ringing', ...WITH_AGENT, ...CALLBACK, 'outboundDialling'],
    },
    { route: ['routedToIvr'] },
  ),
  DivertCall: guard(
    {
      divert: BEFORE_AGENT,
      // CTI moved on (its ring timer fired first): the previous agent's phone stops ringing.
      supersede: ['ringing'],
      callerGone: ['gone', 'cleared'],
      illegal: [...WITH_AGENT, ...CALLBACK, 'outboundDialling'],
    },
    { divert: ['divert'], illegal: ['divert'] },
  ),
  DialCallback: guard({
    dial: ['gone'],
    supersede: ['callbackRinging'],
    // A callback already past its agent's answer, or a live call of the contact (refused before this row).
    refuse: [...BEFORE_AGENT, 'ringing', ...WITH_AGENT, 'callbackDialling', 'outboundDialling', 'cleared'],
  }),
  HoldCall: guard(
    {
      hold: ['talking'],
      refuse: [
        'gone',
        ...BEFORE_AGENT,
        'ringing',
        'held',
        'transferring',
        'consulting',
        'conferenced',
        ...CALLBACK,
        'outboundDialling',
        'cleared',
      ],
    },
    { hold: ['hold'] },
  ),
  RetrieveCall: guard(
    {
      retrieve: ['held'],
      refuse: [
        'gone',
        ...BEFORE_AGENT,
        'ringing',
        'talking',
        'transferring',
        'consulting',
        'conferenced',
        ...CALLBACK,
        'outboundDialling',
        'cleared',
      ],
    },
    { retrieve: ['retrieve'] },
  ),
  TransferCall: guard(
    {
      transfer: ['talking'],
      // The caller already hears hold media: it stops (to a queue) or goes on while the target rings.
      transferHeld: ['held'],
      refuse: [
        'gone',
        ...BEFORE_AGENT,
        'ringing',
        'transferring',
        'consulting',
        'conferenced',
        ...CALLBACK,
        'outboundDialling',
        'cleared',
      ],
    },
    { transfer: ['transferToQueue', 'transferOut'], transferHeld: ['transferToQueue', 'transferOut'] },
  ),
  ConsultCall: guard(
    {
      // The caller is held first (Held reported), then the target is called.
      holdAndConsult: ['talking'],
      consult: ['held'],
      refuse: [
        'gone',
        ...BEFORE_AGENT,
        'ringing',
        'transferring',
        'consulting',
        'conferenced',
        ...CALLBACK,
        'outboundDialling',
        'cleared',
      ],
    },
    { holdAndConsult: ['consult'], consult: ['consult'] },
  ),
  CompleteTransfer: guard(
    {
      complete: ['consulting'],
      refuse: [
        'gone',
        ...BEFORE_AGENT,
        'ringing',
        'talking',
        'held',
        'transferring',
        'conferenced',
        ...CALLBACK,
        'outboundDialling',
        'cleared',
      ],
    },
    { complete: ['consultCompleted'] },
  ),
  CancelConsult: guard(
    {
      cancel: ['consulting'],
      refuse: [
        'gone',
        ...BEFORE_AGENT,
        'ringing',
        'talking',
        'held',
        'transferring',
        'conferenced',
        ...CALLBACK,
        'outboundDialling',
        'cleared',
      ],
    },
    { cancel: ['consultEnded'] },
  ),
  ConferenceCall: guard(
    {
      conference: ['consulting'],
      refuse: [
        'gone',
        ...BEFORE_AGENT,
        'ringing',
        'talking',
        'held',
        'transferring',
        'conferenced',
        ...CALLBACK,
        'outboundDialling',
        'cleared',
      ],
    },
    { conference: ['conference'] },
  ),
  /** Recording starts on a bridged two-party call and then runs through holds and transfers. */
  RecordCall: guard({
    record: ['talking', 'held'],
    refuse: [
      'gone',
      ...BEFORE_AGENT,
      'ringing',
      'transferring',
      'consulting',
      'conferenced',
      ...CALLBACK,
      'outboundDialling',
      'cleared',
    ],
  }),
  ClearCall: guard({
    // The released call's ChannelDestroyed makes the transition (LEG_GONE below).
    hangUpCaller: [
      ...BEFORE_AGENT,
      'ringing',
      'talking',
      'held',
      'transferring',
      'consulting',
      'callbackDialling',
      'outboundDialling',
    ],
    // In a conference an agent's hang-up is that agent leaving; the others stay.
    leaveConference: ['conferenced'],
    // A callback still ringing its agent has no customer leg yet: the agent's leg is the one to end.
    hangUpAgent: ['callbackRinging'],
    gone: ['gone', 'cleared'],
  }),
  /** Take-back of a held call after the agent's page reloaded (take-back.ts). */
  ReconnectAgent: guard({
    reconnect: ['held'],
    gone: ['gone', 'cleared'],
    notHeld: [
      ...BEFORE_AGENT,
      'ringing',
      'talking',
      'transferring',
      'consulting',
      'conferenced',
      ...CALLBACK,
      'outboundDialling',
    ],
  }),
  /** The agent has a live leg to snoop on (consulting: the agent with the target). */
  SuperviseCall: guard({
    supervise: ['talking', 'held', 'consulting', 'conferenced'],
    refuse: ['gone', ...BEFORE_AGENT, 'ringing', 'transferring', ...CALLBACK, 'outboundDialling', 'cleared'],
  }),
};

/** A leg of the call answered (its channel entered Stasis). `ignore`: it stays as it is, nothing happens. */
export const ANSWER_GUARDS = {
  /** The offered agent answered: the caller is asked out of the IVR. */
  AgentAnswered: guard(
    {
      answer: ['ringing'],
      ignore: ['gone', ...BEFORE_AGENT, ...WITH_AGENT, ...CALLBACK, 'outboundDialling', 'cleared'],
    },
    { answer: ['agentAnswered'] },
  ),
  /** The IVR did not hand the caller over in time: SoftACD moves it itself, unless it is bridged already. */
  HandoverTimedOut: guard({
    moveCaller: ['talking'],
    ignore: [
      'gone',
      ...BEFORE_AGENT,
      'ringing',
      'held',
      'transferring',
      'consulting',
      'conferenced',
      ...CALLBACK,
      'outboundDialling',
      'cleared',
    ],
  }),
  /** The caller is back in SoftACD's app after the agent answered: caller and agent are bridged. */
  CallerReturned: guard({
    bridge: ['talking'],
    ignore: [
      'gone',
      ...BEFORE_AGENT,
      'ringing',
      'held',
      'transferring',
      'consulting',
      'conferenced',
      ...CALLBACK,
      'outboundDialling',
      'cleared',
    ],
  }),
  TransferTargetAnswered: guard(
    {
      join: ['transferring'],
      ignore: [
        'gone',
        ...BEFORE_AGENT,
        'ringing',
        'talking',
        'held',
        'consulting',
        'conferenced',
        ...CALLBACK,
        'outboundDialling',
        'cleared',
      ],
    },
    { join: ['transferAnswered'] },
  ),
  ConsultTargetAnswered: guard({
    bridge: ['consulting'],
    ignore: [
      'gone',
      ...BEFORE_AGENT,
      'ringing',
      'talking',
      'held',
      'transferring',
      'conferenced',
      ...CALLBACK,
      'outboundDialling',
      'cleared',
    ],
  }),
  CallbackAgentAnswered: guard(
    {
      dialCustomer: ['callbackRinging'],
      ignore: [
        'gone',
        ...BEFORE_AGENT,
        'ringing',
        ...WITH_AGENT,
        'callbackDialling',
        'outboundDialling',
        'cleared',
      ],
    },
    { dialCustomer: ['callbackAgentAnswered'] },
  ),
  CallbackCustomerAnswered: guard(
    {
      join: ['callbackDialling'],
      ignore: [
        'gone',
        ...BEFORE_AGENT,
        'ringing',
        ...WITH_AGENT,
        'callbackRinging',
        'outboundDialling',
        'cleared',
      ],
    },
    { join: ['customerAnswered'] },
  ),
  /** A desk phone's dialled number answered (outbound.ts). */
  OutboundAnswered: guard(
    {
      join: ['outboundDialling'],
      ignore: ['gone', ...BEFORE_AGENT, 'ringing', ...WITH_AGENT, ...CALLBACK, 'cleared'],
    },
    { join: ['customerAnswered'] },
  ),
  /** A take-back's new agent leg answered: it becomes the agent leg of the still held call. */
  ReconnectAnswered: guard({
    takeBack: ['held'],
    notHeld: [
      'gone',
      ...BEFORE_AGENT,
      'ringing',
      'talking',
      'transferring',
      'consulting',
      'conferenced',
      ...CALLBACK,
      'outboundDialling',
      'cleared',
    ],
  }),
};

export type CallCommand = keyof typeof COMMAND_GUARDS;
export type CallAnswer = keyof typeof ANSWER_GUARDS;
type Guards = typeof COMMAND_GUARDS & typeof ANSWER_GUARDS;
export type CallInput = keyof Guards;
export type OutcomeOf<I extends CallInput> = Guards[I] extends Guard<infer O> ? O : never;

const GUARDS: Guards = { ...COMMAND_GUARDS, ...ANSWER_GUARDS };

/** What `input` does to `call` in its current state (`gone` without a call). */
export function verdict<I extends CallInput>(input: I, call: { state: CallState } | undefined): OutcomeOf<I> {
  const g = GUARDS[input] as Guard<OutcomeOf<I>>;
  return g.outcome[call?.state ?? 'gone'];
}

export function guardOf(input: CallInput): Guard<string> {
  return GUARDS[input];
}
