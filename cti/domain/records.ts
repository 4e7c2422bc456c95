import type { AgentConfig, AgentState, Channel, ContactState, QueueConfig } from './types';
import { CHANNELS } from './types';
import type { ListNode } from './linked-list';
import type { HeapItem } from './indexed-heap';
import type { WaitingLine } from './waiting-line';
import { ANY_SKILL_ID, type SkillRegistry } from './skills';

/** Live, mutable records behind the façade. Only the domain's own modules see them. */

export const CHANNEL_INDEX: Readonly<Record<Channel, number>> = {
  voice: 0,
  video: 1,
  email: 2,
  sms: 3,
  fax: 4,
};

export interface Requirement {
  readonly skill: number;
  readonly min: number;
}

export interface AgentRec {
  readonly id: string;
  config: AgentConfig;
  /** Level by skill id, 0 (or past the end) when the agent lacks the skill. */
  levels: Uint8Array;
  /** Skill ids the agent has, ANY_SKILL_ID included. */
  skillIds: number[];
  state: AgentState;
  reason: string | undefined;
  stateSince: number;
  /** Order of becoming ready: the smallest is the longest idle. */
  readySeq: number;
  idleSince: number;
  callsToday: number;
  /** Contacts in service per channel index. */
  active: number[];
  realtimeContact: ContactRec | undefined;
  /** Ready-index nodes per channel index (level node, calls node, per skill), kept for reuse. */
  readyNodes: ListNode<AgentRec>[][];
  /** Whether the agent is in the ready index, per channel index. */
  indexed: boolean[];
}

/** A queue's place in one (channel, skill) heap of queues that have contacts waiting. */
export interface ActiveEntry extends HeapItem {
  readonly queue: QueueRec;
  readonly skill: number;
}

export interface QueueRec {
  readonly id: string;
  config: QueueConfig;
  reqs: Requirement[];
  channelIndex: number;
  waiting: WaitingLine;
  activeEntries: ActiveEntry[];
  /** Head contact's key, cached for the active-queue heaps. */
  headAt: number;
  headSeq: number;
  /** Logged-in agents qualified for this queue: the divisor of the expected wait. */
  staffed: number;
  handleTimes: HandleTimes;
  /** Contacts of this queue that are offered or in service (a queue cannot change channel under them). */
  inService: number;
}

export interface ContactRec {
  readonly id: string;
  readonly queue: QueueRec;
  readonly channel: Channel;
  state: Exclude<ContactState, 'ended'>;
  readonly enqueuedAt: number;
  readonly seq: number;
  /** Back from ring-no-answer: ahead of every contact that never left the queue. */
  returned: boolean;
  callback: boolean;
  /** Made by its agent (click-to-dial, a desk phone): never queued (outbound.ts). */
  outbound?: boolean;
  /** Callback dials whose customer did not answer. */
  attempts: number;
  agent: AgentRec | undefined;
  /**
   * An agent offered this contact by name (transfer, consultation, conference) while `agent` still has
   * it: reserved for it (it counts the contact as its real-time contact), never in the waiting line.
   */
  direct: AgentRec | undefined;
  offeredAt: number | undefined;
  answeredAt: number | undefined;
  node: ListNode<ContactRec> | undefined;
}

export function qualifies(agent: AgentRec, reqs: readonly Requirement[]): boolean {
  const levels = agent.levels;
  for (const r of reqs) if ((levels[r.skill] ?? 0) < r.min) return false;
  return true;
}

export function agentSkills(
  config: AgentConfig,
  skills: SkillRegistry,
): { levels: Uint8Array; skillIds: number[] } {
  // Levels (0..10) by skill id, one byte each: a plain array would hold 8 bytes per skill id up to the
  // highest one the agent has (up to every skill of the centre), for each agent.
  const skillIds = [ANY_SKILL_ID];
  const ids: Array<[number, number]> = [];
  for (const [name, level] of Object.entries(config.skills)) {
    const id = skills.intern(name);
    ids.push([id, level]);
    skillIds.push(id);
  }
  const levels = new Uint8Array(Math.max(ANY_SKILL_ID, ...skillIds) + 1);
  levels[ANY_SKILL_ID] = 1;
  for (const [id, level] of ids) levels[id] = level;
  return { levels, skillIds };
}

export function queueRequirements(config: QueueConfig, skills: SkillRegistry): Requirement[] {
  if (config.skills.length === 0) return [{ skill: ANY_SKILL_ID, min: 1 }];
  return config.skills.map((s) => ({ skill: skills.intern(s.name), min: s.minLevel }));
}

export function hasCapacity(agent: AgentRec, channelIndex: number): boolean {
  const channel = CHANNELS[channelIndex] as Channel;
  return (agent.active[channelIndex] ?? 0) < agent.config.maxTasks[channel];
}

/** The last few handle times of a queue, for the expected-wait estimate. */
export class HandleTimes {
  static readonly CAPACITY = 20;
  private readonly samples: number[] = [];
  private next = 0;
  private sum = 0;

  record(ms: number): void {
    if (this.samples.length < HandleTimes.CAPACITY) {
      this.samples.push(ms);
    } else {
      this.sum -= this.samples[this.next] ?? 0;
      this.samples[this.next] = ms;
      this.next = (this.next + 1) % HandleTimes.CAPACITY;
    }
    this.sum += ms;
  }

  average(): number | undefined {
    return this.samples.length === 0 ? undefined : this.sum / this.samples.length;
  }

  /** Oldest first, so replaying `record` rebuilds the same window. */
  toArray(): number[] {
    return [...this.samples.slice(this.next), ...this.samples.slice(0, this.next)];
  }
}
