import { qualifies, type AgentRec, type QueueRec } from './records';
import { CHANNELS, type Channel } from './types';

/**
 * Every agent and queue by skill, whatever their state. Used only on configuration and log-in/log-out
 * (never per routing decision) to keep each queue's count of logged-in qualified agents, which the
 * expected-wait estimate divides by.
 */
export class Directory {
  private readonly agentsBySkill = new Map<number, Set<AgentRec>>();
  /** Queues by their first required skill: each queue is met once per agent without a seen-set. */
  private readonly queuesByFirstSkill = new Map<number, Set<QueueRec>>();

  addAgent(agent: AgentRec): void {
    for (const s of agent.skillIds) setOf(this.agentsBySkill, s).add(agent);
  }

  removeAgent(agent: AgentRec): void {
    for (const s of agent.skillIds) this.agentsBySkill.get(s)?.delete(agent);
  }

  addQueue(queue: QueueRec): void {
    const first = queue.reqs[0];
    if (first) setOf(this.queuesByFirstSkill, first.skill).add(queue);
  }

  removeQueue(queue: QueueRec): void {
    const first = queue.reqs[0];
    if (first) this.queuesByFirstSkill.get(first.skill)?.delete(queue);
  }

  /** Adds `delta` to the staffing of every queue the agent serves. */
  staff(agent: AgentRec, delta: number): void {
    for (const s of agent.skillIds) {
      for (const queue of this.queuesByFirstSkill.get(s) ?? [])
        if (serves(agent, queue)) queue.staffed += delta;
    }
  }

  /** Recounts one queue's staffing from the agents holding its first required skill. */
  countStaff(queue: QueueRec): void {
    let staffed = 0;
    const first = queue.reqs[0];
    for (const agent of (first && this.agentsBySkill.get(first.skill)) ?? []) {
      if (agent.state !== 'logged-out' && serves(agent, queue)) staffed++;
    }
    queue.staffed = staffed;
  }
}

function serves(agent: AgentRec, queue: QueueRec): boolean {
  return agent.config.maxTasks[CHANNELS[queue.channelIndex] as Channel] > 0 && qualifies(agent, queue.reqs);
}

function setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) {
    set = new Set<V>();
    map.set(key, set);
  }
  return set;
}
