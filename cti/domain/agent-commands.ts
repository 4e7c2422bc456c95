import { agentCommand } from './commands';
import type { DomainState } from './domain-state';
import { fail, ok, type Result } from './errors';
import { matchAgent } from './matching';
import { CHANNELS, emptyOutcome, type Outcome } from './types';

/** The agent's own commands: log in and out, ready and not ready. */

export function login(s: DomainState, agentId: string): Result<Outcome> {
  return agentCommand(s, agentId, 'Login', (agent, out) => s.moveAgent(agent, 'Login', out, 'login'));
}

export function logout(s: DomainState, agentId: string): Result<Outcome> {
  return agentCommand(s, agentId, 'Logout', (agent, out) => {
    if (agent.active.some((n) => n > 0)) {
      return fail('AGENT_HAS_TASKS', `agent ${agentId} still has contacts in service`, { agentId });
    }
    s.moveAgent(agent, 'Logout', out);
    return ok(undefined);
  });
}

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
