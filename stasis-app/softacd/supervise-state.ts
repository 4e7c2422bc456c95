import type { MessageOf } from '../../lib/messages';
import type { Call } from './call-registry';
import { verdict } from './call-guards';

/** Call supervision's pure rules: snoop directions per mode, the session's life as a table. */

export type SuperviseMode = MessageOf<'SuperviseCall'>['mode'];
export type SnoopDirection = 'none' | 'in' | 'out' | 'both';

/**
 * What the snoop channel on the agent's leg does in each mode. ARI's directions are the snooped
 * channel's: `in` is what Asterisk reads from it (the agent's voice, which the caller hears), `out` is
 * what Asterisk writes to it (the caller's voice, which the agent hears). So spy `both` hears both
 * parties; whisper `out` adds the supervisor to what the agent hears only; whisper `both` also adds it
 * to the agent's voice on its way into the call's bridge, so the caller hears the supervisor too.
 *
 * Barge is a snoop like the others, not the supervisor joining the call's bridge: the bridge keeps its
 * two parties (natively bridged, video untouched, hold/transfer/recording unchanged), a mode switch is
 * the same swap of snoop channels in every direction, and the supervisor never counts as a party of the
 * call when it ends. The cost: whispered audio rides on the frames of the stream it is mixed into, so a
 * party whose phone sends no RTP (silence suppression) carries none of it.
 */
export const SNOOP: Readonly<Record<SuperviseMode, { spy: SnoopDirection; whisper: SnoopDirection }>> = {
  listen: { spy: 'both', whisper: 'none' },
  whisper: { spy: 'both', whisper: 'out' },
  barge: { spy: 'both', whisper: 'both' },
};

/** The agent's leg of the call, if `agentId` is on it now in a state that can be supervised (SuperviseCall). */
export function supervisableLeg(call: Call | undefined, agentId: string): string | undefined {
  if (call === undefined || call.agentId !== agentId || verdict('SuperviseCall', call) !== 'supervise')
    return undefined;
  return call.agentChannelId;
}

/**
 * A session from the request to its end. `ringing`: the supervisor's phone rings; `joining`: it
 * answered and the first snoop channel is entering the app; `active`: the supervisor is connected;
 * `switching`: a snoop for the new mode is entering the app while the old one still carries audio.
 */
export type SessionState = 'ringing' | 'joining' | 'active' | 'switching' | 'ended';
export type SessionEvent =
  'answered' | 'snoopJoined' | 'switch' | 'stop' | 'supervisorGone' | 'agentLegGone' | 'expired';

const TRANSITIONS: Readonly<Record<SessionState, Partial<Record<SessionEvent, SessionState>>>> = {
  ringing: {
    answered: 'joining',
    stop: 'ended',
    supervisorGone: 'ended',
    agentLegGone: 'ended',
    expired: 'ended',
  },
  joining: {
    snoopJoined: 'active',
    stop: 'ended',
    supervisorGone: 'ended',
    agentLegGone: 'ended',
    expired: 'ended',
  },
  active: {
    switch: 'switching',
    stop: 'ended',
    supervisorGone: 'ended',
    agentLegGone: 'ended',
    expired: 'ended',
  },
  switching: {
    snoopJoined: 'active',
    stop: 'ended',
    supervisorGone: 'ended',
    agentLegGone: 'ended',
    expired: 'ended',
  },
  ended: {},
};

export class IllegalSessionTransition extends Error {
  readonly code = 'illegal_session_transition';
  constructor(
    readonly from: SessionState,
    readonly event: SessionEvent,
  ) {
    super(`supervision event ${event} is not allowed in state ${from}`);
  }
}

export function nextSessionState(from: SessionState, event: SessionEvent): SessionState {
  const to = TRANSITIONS[from][event];
  if (to === undefined) throw new IllegalSessionTransition(from, event);
  return to;
}

export function canApply(from: SessionState, event: SessionEvent): boolean {
  return TRANSITIONS[from][event] !== undefined;
}

/** No event leaves the state: the session is over, its channels are strays. */
export function isOver(state: SessionState): boolean {
  return Object.keys(TRANSITIONS[state]).length === 0;
}

/** The supervisor's phone has not answered yet (it still can): a hang-up then is a failed ring. */
export function isRinging(state: SessionState): boolean {
  return canApply(state, 'answered');
}

/** Ids of a session's Asterisk resources: recovery.ts ends `-snoop` and `-bridge` ids with no call as orphans. */
export const sessionIds = {
  supervisor: (sessionId: string) => `${sessionId}-supervisor`,
  bridge: (sessionId: string) => `${sessionId}-bridge`,
  snoop: (sessionId: string, n: number) => `${sessionId}-${n}-snoop`,
};

/** A leftover supervisor leg (after a restart nothing knows its session any more). */
export function isSupervisorLeg(channelId: string): boolean {
  return channelId.endsWith('-supervisor');
}
