import type { AgentState } from './types';
import { fail, ok, type Result } from './errors';

/**
 * The agent state machine as data: the table is the documentation and the tests walk every cell.
 * Voice and video contacts drive it; e-mail, SMS and fax tasks are counted per channel instead, because
 * an agent reading mail is still available for a call.
 */
export const AGENT_EVENTS = [
  'Login',
  'Logout',
  'Ready',
  'NotReady',
  'Reserve',
  'Ring',
  'Answer',
  'RingNoAnswer',
  'Cancel',
  'Hangup',
  /** The callback's customer never answered: nothing to wrap up, the agent is ready at once. */
  'Unanswered',
  'WrapUpEnd',
  /** The agent dials out (click-to-dial, a desk phone): reserved for its own outbound contact. */
  'Outbound',
] as const;
export type AgentEventType = (typeof AGENT_EVENTS)[number];

export const AGENT_STATES: readonly AgentState[] = [
  'logged-out',
  'not-ready',
  'ready',
  'reserved',
  'ringing',
  'talking',
  'wrap-up',
];

export const AGENT_TRANSITIONS: Readonly<
  Record<AgentState, Readonly<Partial<Record<AgentEventType, AgentState>>>>
> = {
  'logged-out': { Login: 'not-ready' },
  'not-ready': { Logout: 'logged-out', Ready: 'ready', NotReady: 'not-ready', Outbound: 'reserved' },
  ready: { Logout: 'logged-out', NotReady: 'not-ready', Reserve: 'reserved', Outbound: 'reserved' },
  // Answer straight from reserved: auto-answer endpoints (WebRTC) never report ringing.
  reserved: { Ring: 'ringing', Answer: 'talking', RingNoAnswer: 'not-ready', Cancel: 'ready' },
  ringing: { Answer: 'talking', RingNoAnswer: 'not-ready', Cancel: 'ready' },
  talking: { Hangup: 'wrap-up', Unanswered: 'ready' },
  // Ready during wrap-up ends it early.
  'wrap-up': {
    WrapUpEnd: 'ready',
    Ready: 'ready',
    NotReady: 'not-ready',
    Logout: 'logged-out',
    Outbound: 'reserved',
  },
};

export function nextAgentState(agentId: string, from: AgentState, event: AgentEventType): Result<AgentState> {
  const to = AGENT_TRANSITIONS[from][event];
  if (to === undefined) {
    return fail('ILLEGAL_AGENT_TRANSITION', `agent ${agentId}: ${event} is not allowed in state ${from}`, {
      agentId,
      state: from,
      event,
    });
  }
  return ok(to);
}
