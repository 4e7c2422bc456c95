import type { Call } from './call-registry';
import { BEFORE_AGENT, CALLBACK, type Guard, guard } from './call-guards';

/**
 * ChannelDestroyed (S216/S241) as a table: which leg of the call went, in which state, decides what
 * happens. `release` ends the whole call (every other leg hung up, one ConnectionCleared); the other
 * actions keep the call going. An action marked `orRelease` may find the call cannot go on after all
 * (a conference's agent leaving an outside number with the caller, a held agent's leg that was not a
 * softphone's): it then releases the call. Each row covers every state; `gone` and `cleared` do nothing.
 */

/** A leg of a call, by what it is to the call; `other` is a channel the call no longer names. */
export type Leg = 'reconnect' | 'caller' | 'agent' | 'consulted' | 'third' | 'other';
export const LEGS: readonly Leg[] = ['reconnect', 'caller', 'agent', 'consulted', 'third', 'other'];

export function legOf(call: Call, channelId: string): Leg {
  if (channelId === call.reconnect?.channelId) return 'reconnect';
  if (channelId === call.channelId) return 'caller';
  if (channelId === call.agentChannelId) return 'agent';
  if (channelId === call.consult?.channelId) return 'consulted';
  if (channelId === call.conference?.channelId) return 'third';
  return 'other';
}

export const LEG_GONE = {
  /** A take-back's new leg never answered: the caller stays held, CTI may ask again (take-back.ts). */
  reconnect: guard({
    takeBackFailed: [
      ...BEFORE_AGENT,
      'ringing',
      'talking',
      'held',
      'transferring',
      'consulting',
      'conferenced',
      ...CALLBACK,
      'outboundDialling',
    ],
    none: ['gone', 'cleared'],
  }),
  caller: guard(
    {
      release: [...BEFORE_AGENT, 'ringing', 'talking', 'held', 'transferring', 'consulting', 'conferenced'],
      // Up to the customer's answer a callback is reported by CallbackFailed, never ConnectionCleared;
      // while its agent's phone rings only the agent's leg counts (no customer leg exists yet).
      callbackFailed: ['callbackDialling'],
      // A desk phone's dialled number did not answer: the phone hears so (outbound.ts).
      notReached: ['outboundDialling'],
      none: ['gone', 'cleared', 'callbackRinging'],
    },
    { release: ['released'], callbackFailed: ['released'], notReached: ['released'] },
  ),
  agent: guard(
    {
      // The agent did not answer (or refused): the caller is still in the queue, in the IVR.
      agentNoAnswer: ['ringing'],
      // The agent's callback leg did not answer: the callback goes back to the head of its queue.
      callbackNoAnswer: ['callbackRinging'],
      callbackFailed: ['callbackDialling'],
      // A softphone's page or network went while the caller was held: the caller stays held (take-back.ts).
      softphoneLostOrRelease: ['held'],
      partyLeftOrRelease: ['conferenced'],
      transferTargetGone: ['transferring'],
      release: [...BEFORE_AGENT, 'talking', 'consulting', 'outboundDialling'],
      none: ['gone', 'cleared'],
    },
    {
      agentNoAnswer: ['agentNoAnswer'],
      callbackNoAnswer: ['released'],
      callbackFailed: ['released'],
      softphoneLostOrRelease: ['released'],
      partyLeftOrRelease: ['partyLeft', 'released'],
      transferTargetGone: ['transferToQueue'],
      release: ['released'],
    },
  ),
  /**
   * The consulted target never answered or hung up: the agent is back with the caller. The leg exists
   * only while consulting (set on entering it, taken on each way out); elsewhere it is any other leg.
   */
  consulted: guard(
    {
      endConsult: ['consulting'],
      release: [
        ...BEFORE_AGENT,
        'ringing',
        'talking',
        'held',
        'transferring',
        'conferenced',
        'outboundDialling',
      ],
      callbackFailed: ['callbackDialling'],
      none: ['gone', 'cleared', 'callbackRinging'],
    },
    { endConsult: ['consultEnded'], release: ['released'], callbackFailed: ['released'] },
  ),
  third: guard(
    {
      partyLeft: ['conferenced'],
      release: [
        ...BEFORE_AGENT,
        'ringing',
        'talking',
        'held',
        'transferring',
        'consulting',
        'outboundDialling',
      ],
      callbackFailed: ['callbackDialling'],
      none: ['gone', 'cleared', 'callbackRinging'],
    },
    { partyLeft: ['partyLeft'], release: ['released'], callbackFailed: ['released'] },
  ),
  other: guard(
    {
      release: [
        ...BEFORE_AGENT,
        'ringing',
        'talking',
        'held',
        'transferring',
        'consulting',
        'conferenced',
        'outboundDialling',
      ],
      callbackFailed: ['callbackDialling'],
      none: ['gone', 'cleared', 'callbackRinging'],
    },
    { release: ['released'], callbackFailed: ['released'] },
  ),
} satisfies Record<Leg, Guard<string>>;

export type LegGoneAction = { [L in Leg]: (typeof LEG_GONE)[L] extends Guard<infer O> ? O : never }[Leg];

export function legGoneAction(call: Call, channelId: string): { leg: Leg; action: LegGoneAction } {
  const leg = legOf(call, channelId);
  const row: Guard<LegGoneAction> = LEG_GONE[leg];
  return { leg, action: row.outcome[call.state] };
}

/** The actions done by features kept in classes of their own, which register them (CallContext.legGone). */
export type FeatureLegGoneAction = 'takeBackFailed' | 'softphoneLostOrRelease' | 'notReached';
const FEATURE_ACTIONS: ReadonlySet<LegGoneAction> = new Set<FeatureLegGoneAction>([
  'takeBackFailed',
  'softphoneLostOrRelease',
  'notReached',
]);

export function isFeatureAction(action: LegGoneAction): action is FeatureLegGoneAction {
  return FEATURE_ACTIONS.has(action);
}
