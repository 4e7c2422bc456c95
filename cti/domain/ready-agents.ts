import { LinkedList, ListNode } from './linked-list';
import { MAX_SKILL_LEVEL } from './types';
import { qualifies, type AgentRec, type QueueRec, type Requirement } from './records';

/**
 * Ready agents with spare capacity, indexed per (channel, skill) rather than per queue: memory grows with
 * agents x skills, not agents x queues (an agent can qualify for hundreds of queues). Each (channel, skill)
 * keeps the agents in two orders:
 *  - one list per level, each in ready order (longest idle first);
 *  - one list per "contacts handled today" count, each in ready order.
 * A query walks the lists of one required skill in the queue's policy order and returns the first agent
 * that meets every requirement, so the cost is the number of agents skipped, not the number of agents.
 */
class SkillBucket {
  readonly byLevel: (LinkedList<AgentRec> | undefined)[] = [];
  readonly byCalls = new Map<number, LinkedList<AgentRec>>();
  /** Non-empty keys of byCalls, ascending. */
  readonly callKeys: number[] = [];
  size = 0;
}

export class ReadyAgentIndex {
  /** [channelIndex][skillId] */
  private readonly buckets: (SkillBucket | undefined)[][] = [];
  /**
   * The "handled today" count each agent was filed under, per channel: an agent that takes tasks during a
   * call stays filed while its count grows, and must leave the list it was filed in.
   */
  private readonly filedCalls = new WeakMap<AgentRec, number[]>();

  isIndexed(agent: AgentRec, channelIndex: number): boolean {
    return agent.indexed[channelIndex] === true;
  }

  insert(agent: AgentRec, channelIndex: number): void {
    if (agent.indexed[channelIndex] === true) return;
    // Nodes are made once per agent and channel and re-linked on every ready: no garbage per transition.
    let nodes = agent.readyNodes[channelIndex];
    if (!nodes || nodes.length !== 2 * agent.skillIds.length) {
      nodes = agent.skillIds.flatMap(() => [new ListNode(agent), new ListNode(agent)]);
      agent.readyNodes[channelIndex] = nodes;
    }
    const skillIds = agent.skillIds;
    for (let i = 0; i < skillIds.length; i++) {
      const skill = skillIds[i] as number;
      const bucket = this.bucket(channelIndex, skill);
      const level = agent.levels[skill] ?? 0;
      const byLevel = (bucket.byLevel[level] ??= new LinkedList<AgentRec>());
      byLevel.insertSorted(nodes[2 * i] as ListNode<AgentRec>, readyBefore);
      let byCalls = bucket.byCalls.get(agent.callsToday);
      if (!byCalls) {
        byCalls = new LinkedList<AgentRec>();
        bucket.byCalls.set(agent.callsToday, byCalls);
        insertKey(bucket.callKeys, agent.callsToday);
      }
      byCalls.insertSorted(nodes[2 * i + 1] as ListNode<AgentRec>, readyBefore);
      bucket.size++;
    }
    let filed = this.filedCalls.get(agent);
    if (!filed) this.filedCalls.set(agent, (filed = []));
    filed[channelIndex] = agent.callsToday;
    agent.indexed[channelIndex] = true;
  }

  remove(agent: AgentRec, channelIndex: number): void {
    if (agent.indexed[channelIndex] !== true) return;
    const nodes = agent.readyNodes[channelIndex] as ListNode<AgentRec>[];
    const skillIds = agent.skillIds;
    const calls = this.filedCalls.get(agent)?.[channelIndex] ?? agent.callsToday;
    for (let i = 0; i < skillIds.length; i++) {
      const bucket = this.bucket(channelIndex, skillIds[i] as number);
      const levelNode = nodes[2 * i] as ListNode<AgentRec>;
      const callsNode = nodes[2 * i + 1] as ListNode<AgentRec>;
      levelNode.list?.remove(levelNode);
      const callsList = callsNode.list;
      callsList?.remove(callsNode);
      if (callsList && callsList.size === 0) {
        bucket.byCalls.delete(calls);
        removeKey(bucket.callKeys, calls);
      }
      bucket.size--;
    }
    agent.indexed[channelIndex] = false;
  }

  /** Call before the agent's skills change: its nodes belong to the old skill list. */
  forget(agent: AgentRec): void {
    this.removeAll(agent);
    agent.readyNodes = [];
  }

  removeAll(agent: AgentRec): void {
    for (let c = 0; c < agent.indexed.length; c++) this.remove(agent, c);
  }

  /** The agent the queue's policy picks among ready agents meeting every requirement, if any. */
  best(queue: QueueRec): AgentRec | undefined {
    const reqs = queue.reqs;
    if (queue.config.policy === 'highest-skill') return this.highestSkill(queue.channelIndex, reqs);
    // Walk the rarest required skill: fewest candidates to skip.
    let walk: Requirement | undefined;
    let walkSize = Infinity;
    for (const r of reqs) {
      const size = this.buckets[queue.channelIndex]?.[r.skill]?.size ?? 0;
      if (size < walkSize) {
        walk = r;
        walkSize = size;
      }
    }
    if (!walk || walkSize === 0) return undefined;
    const bucket = this.bucket(queue.channelIndex, walk.skill);
    return queue.config.policy === 'least-calls' ? leastCalls(bucket, reqs) : longestIdle(bucket, walk, reqs);
  }

  private highestSkill(channelIndex: number, reqs: readonly Requirement[]): AgentRec | undefined {
    const primary = reqs[0];
    const bucket = primary && this.buckets[channelIndex]?.[primary.skill];
    if (!primary || !bucket) return undefined;
    for (let level = MAX_SKILL_LEVEL; level >= primary.min; level--) {
      const list = bucket.byLevel[level];
      if (!list) continue;
      for (let n = list.head; n; n = n.next) if (qualifies(n.value, reqs)) return n.value;
    }
    return undefined;
  }

  private bucket(channelIndex: number, skill: number): SkillBucket {
    const perSkill = (this.buckets[channelIndex] ??= []);
    return (perSkill[skill] ??= new SkillBucket());
  }
}

/** Merges the per-level lists at or above the minimum by ready order. */
function longestIdle(
  bucket: SkillBucket,
  walk: Requirement,
  reqs: readonly Requirement[],
): AgentRec | undefined {
  const cursors: ListNode<AgentRec>[] = [];
  for (let level = walk.min; level <= MAX_SKILL_LEVEL; level++) {
    const head = bucket.byLevel[level]?.head;
    if (head) cursors.push(head);
  }
  while (cursors.length > 0) {
    let bestIndex = 0;
    for (let i = 1; i < cursors.length; i++) {
      if (
        (cursors[i] as ListNode<AgentRec>).value.readySeq <
        (cursors[bestIndex] as ListNode<AgentRec>).value.readySeq
      ) {
        bestIndex = i;
      }
    }
    const node = cursors[bestIndex] as ListNode<AgentRec>;
    if (qualifies(node.value, reqs)) return node.value;
    if (node.next) cursors[bestIndex] = node.next;
    else cursors.splice(bestIndex, 1);
  }
  return undefined;
}

function leastCalls(bucket: SkillBucket, reqs: readonly Requirement[]): AgentRec | undefined {
  for (const calls of bucket.callKeys) {
    const list = bucket.byCalls.get(calls);
    for (let n = list?.head; n; n = n.next) if (qualifies(n.value, reqs)) return n.value;
  }
  return undefined;
}

function readyBefore(a: AgentRec, b: AgentRec): boolean {
  return a.readySeq < b.readySeq;
}

function insertKey(keys: number[], key: number): void {
  let i = keys.length;
  while (i > 0 && (keys[i - 1] as number) > key) i--;
  keys.splice(i, 0, key);
}

function removeKey(keys: number[], key: number): void {
  const i = keys.indexOf(key);
  if (i >= 0) keys.splice(i, 1);
}
