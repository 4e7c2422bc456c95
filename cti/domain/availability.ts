import { hasCapacity, type AgentRec } from './records';
import { CHANNELS, REALTIME_CHANNELS, type AgentState, type Channel } from './types';

/**
 * What routing may offer an agent in each state, as a table (the tests walk every row):
 *  - `all`: a call of a channel it takes, or a task;
 *  - `tasks`: tasks only, and only when its calls do not block other work (`callBlocksTasks` false):
 *    the agent has a call offered, ringing or connected, or wraps one up;
 *  - `none`: not ready or logged out.
 * On top of the state, the agent needs room: below its maximum for the channel and below its total
 * across channels (a call counts as one), so an agent full of e-mails gets no call either.
 */
export type OffersInState = 'all' | 'tasks' | 'none';

export const OFFERS_IN_STATE: Readonly<Record<AgentState, OffersInState>> = {
  'logged-out': 'none',
  'not-ready': 'none',
  ready: 'all',
  reserved: 'tasks',
  ringing: 'tasks',
  talking: 'tasks',
  'wrap-up': 'tasks',
};

export function totalActive(agent: AgentRec): number {
  let total = 0;
  for (const n of agent.active) total += n;
  return total;
}

/** Room on the channel and in all: the per-channel maximum and the total across channels. */
export function hasRoom(agent: AgentRec, channelIndex: number): boolean {
  return hasCapacity(agent, channelIndex) && totalActive(agent) < agent.config.maxTotal;
}

/** Whether routing may offer the agent a contact of the channel now (its state, its room, its calls). */
export function canOffer(agent: AgentRec, channelIndex: number): boolean {
  const offers = OFFERS_IN_STATE[agent.state];
  if (offers === 'none' || !hasRoom(agent, channelIndex)) return false;
  if (offers === 'all') return true;
  const channel = CHANNELS[channelIndex] as Channel;
  return !REALTIME_CHANNELS.has(channel) && !agent.config.callBlocksTasks;
}

/** Whether any channel could be offered in the agent's state (else it is in no index at all). */
export function offersAnything(agent: AgentRec): boolean {
  const offers = OFFERS_IN_STATE[agent.state];
  return offers === 'all' || (offers === 'tasks' && !agent.config.callBlocksTasks);
}
