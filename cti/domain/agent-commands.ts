import { agentCommand } from './commands';
import type { DomainState } from './domain-state';
import { fail, ok, type Result } from './errors';
import { matchAgent, returnToQueue } from './matching';
import { CHANNELS, emptyOutcome, type Outcome } from './types';

/** The agent's own commands: log in and out, ready and not ready. */

export function login(s: DomainState, agentId: string): Result<Outcome> {
  return agentCommand(s, agentId, 'Login', (agent, out) => s.moveAgent(agent, 'Login', out, 'login'));
}

/**
 * Refused while the agent has a contact in service; tasks only offered to it (not accepted) go back to
 * their queues instead (reason `logout`), after the agent left, so none comes back to it.
 */
export function logout(s: DomainState, agentId: string): Result<Outcome> {
  return agentCommand(s, agentId, 'Logout', (agent, out) => {
    const offered = [...s.contacts.values()].filter(
      (c) => c.agent === agent && c.state === 'offered' && !s.isRealtime(c),
    );
    const held = agent.active.reduce((sum, n) => sum + n, 0);
    if (held > offered.length) {
      return fail('AGENT_HAS_TASKS', `agent ${agentId} still has contacts in service`, { agentId });
    }
    s.moveAgent(agent, 'Logout', out);
    for (const contact of offered) returnToQueue(s, contact, out, LOGGED_OUT);
    return ok(undefined);
  });
}

/** The reason of a task offer taken back because its agent logged out. */
export const LOGGED_OUT = 'logout';

export function ready(s: DomainState, agentId: string): Result<Outcome> {
  return agentCommand(s, agentId, 'Ready', (agent, out) => {
    s.moveAgent(agent, 'Ready', out);
    matchAgent(s, agent, out);
  });
}

export function notReady(s: DomainState, agentId: string, reason: string): Result<Outcome> {
  return agentCommand(s, agentId, 'NotReady', (agent, out) => s.moveAgent(agent, 'NotReady', out, reason));
}

/** "Handled today" counters restart (least-calls policy); the adapter calls this at the day boundary. */
export function resetDailyCounters(s: DomainState): Outcome {
  s.now = s.clock.now();
  // In ready order, so that re-filing appends.
  const agents = [...s.agents.values()].sort((a, b) => a.readySeq - b.readySeq);
  for (const agent of agents) {
    const indexed = CHANNELS.map((_, c) => s.readyIndex.isIndexed(agent, c));
    s.readyIndex.removeAll(agent);
    agent.callsToday = 0;
    indexed.forEach((was, c) => was && s.readyIndex.insert(agent, c));
  }
  return emptyOutcome();
}
