import { AGENT_TRANSITIONS, nextAgentState, type AgentEventType } from './agent-state';
import { CONTACT_TRANSITIONS, type ContactEventType } from './contact-state';
import { ActiveQueueIndex } from './active-queues';
import { canOffer, offersAnything } from './availability';
import { Directory } from './directory';
import type { Result } from './errors';
import type { Reconfiguration } from './reconfigure';
import { ReadyAgentIndex } from './ready-agents';
import { CHANNEL_INDEX, queueRequirements, type AgentRec, type ContactRec, type QueueRec } from './records';
import { SkillRegistry } from './skills';
import {
  CHANNELS,
  REALTIME_CHANNELS,
  type AgentState,
  type Clock,
  type Outcome,
  type QueueConfig,
  type Timer,
  type TimerKind,
} from './types';

export const RING_NO_ANSWER = 'ring-no-answer';

export function timerId(kind: TimerKind, ownerId: string): string {
  return `${kind}:${ownerId}`;
}

/**
 * The domain's records and indexes, and the state changes every section applies to them. The changes
 * here do not validate: callers have checked the transition tables first (commands.ts).
 */
export class DomainState {
  readonly skills = new SkillRegistry();
  readonly agents = new Map<string, AgentRec>();
  readonly queues = new Map<string, QueueRec>();
  readonly contacts = new Map<string, ContactRec>();
  readonly timers = new Map<string, Timer>();
  readonly readyIndex = new ReadyAgentIndex();
  readonly active = new ActiveQueueIndex();
  readonly directory = new Directory();
  /** Queues per channel index: a ready agent is filed only under channels that some queue serves. */
  readonly queuesPerChannel: number[] = CHANNELS.map(() => 0);
  contactSeq = 0;
  readySeq = 0;
  now = 0;
  /** Live configuration changes; built last, as it sees the state through the matching functions. */
  readonly config: Reconfiguration;

  constructor(
    readonly clock: Clock,
    configure: (state: DomainState) => Reconfiguration,
  ) {
    this.config = configure(this);
  }

  isRealtime(contact: ContactRec): boolean {
    return REALTIME_CHANNELS.has(contact.channel);
  }

  checkAgent(agent: AgentRec, event: AgentEventType): Result<AgentState> {
    return nextAgentState(agent.id, agent.state, event);
  }

  moveAgent(agent: AgentRec, event: AgentEventType, out: Outcome, reason?: string, contactId?: string): void {
    const from = agent.state;
    const to = AGENT_TRANSITIONS[from][event];
    if (to === undefined) throw new Error(`unchecked agent event ${event} in ${from}`);
    if (from === 'wrap-up') this.cancelTimer(timerId('wrap-up', agent.id), out);
    agent.state = to;
    agent.stateSince = this.now;
    agent.reason = to === 'not-ready' ? reason : undefined;
    out.agentChanges.push({
      agentId: agent.id,
      from,
      to,
      ...(reason !== undefined && { reason }),
      ...(contactId !== undefined && { contactId }),
      at: this.now,
    });
    if (from === 'logged-out') this.directory.staff(agent, +1);
    if (to === 'logged-out') this.directory.staff(agent, -1);
    if (to === 'ready') {
      // A new place in the idle order: out of every list first (they are kept in ready order).
      this.readyIndex.removeAll(agent);
      agent.readySeq = ++this.readySeq;
      agent.idleSince = this.now;
    }
    // Starting or ending a call changes what the agent may be offered (availability.ts).
    this.indexReady(agent);
  }

  moveContact(contact: ContactRec, event: ContactEventType, out: Outcome, reason?: string): void {
    const from = contact.state;
    const to = CONTACT_TRANSITIONS[from][event];
    if (to === undefined) throw new Error(`unchecked contact event ${event} in ${from}`);
    out.contactChanges.push({
      contactId: contact.id,
      queueId: contact.queue.id,
      from,
      to,
      ...(reason !== undefined && { reason }),
      ...(contact.agent && { agentId: contact.agent.id }),
      at: this.now,
    });
    if (to === 'ended') this.contacts.delete(contact.id);
    else contact.state = to;
  }

  /**
   * A task event (offer, answer, completion of e-mail, SMS, fax) counts as activity: an agent that may be
   * offered work moves to the back of the idle order and is re-filed under the channels it still has room
   * for (an agent that may be offered nothing is only taken out). Always an append, so O(skills x channels).
   */
  refile(agent: AgentRec): void {
    this.readyIndex.removeAll(agent);
    if (offersAnything(agent)) agent.readySeq = ++this.readySeq;
    this.indexReady(agent);
  }

  /**
   * Files the agent under every channel it may be offered now (availability.ts) and some queue serves,
   * and takes it out of the others. Agents take SMS and fax by default; without a queue for them their
   * index entries would only cost memory (about a fifth of the domain's heap at 10,000 agents:
   * bench/results/cti-routing.md).
   */
  indexReady(agent: AgentRec): void {
    for (let c = 0; c < CHANNELS.length; c++) {
      if ((this.queuesPerChannel[c] ?? 0) > 0 && canOffer(agent, c)) this.readyIndex.insert(agent, c);
      else this.readyIndex.remove(agent, c);
    }
  }

  /** A channel's first queue files the ready agents with room for it, in ready order (appends). */
  countChannelQueue(channelIndex: number, delta: number): void {
    const before = this.queuesPerChannel[channelIndex] ?? 0;
    this.queuesPerChannel[channelIndex] = before + delta;
    if (before > 0 || delta <= 0) return;
    const ready = [...this.agents.values()].filter((a) => canOffer(a, channelIndex));
    ready.sort((a, b) => a.readySeq - b.readySeq);
    for (const agent of ready) this.readyIndex.insert(agent, channelIndex);
  }

  configureQueue(queue: QueueRec, config: QueueConfig): void {
    queue.config = config;
    queue.reqs = queueRequirements(config, this.skills);
    queue.channelIndex = CHANNEL_INDEX[config.channel];
    queue.activeEntries = queue.reqs.map((r) => ({ queue, skill: r.skill, heapPos: -1 }));
    this.directory.addQueue(queue);
    this.directory.countStaff(queue);
  }

  schedule(timer: Timer, out: Outcome): void {
    this.timers.set(timer.id, timer);
    out.timers.push({ type: 'schedule', timer });
  }

  cancelTimer(id: string, out: Outcome): void {
    if (this.timers.delete(id)) out.timers.push({ type: 'cancel', timerId: id });
  }

  armQueueTimer(contact: ContactRec, out: Outcome): void {
    const timeout = contact.queue.config.queueTimeoutMs;
    if (timeout === 0 || contact.callback) return;
    const dueAt = Math.max(this.now, contact.enqueuedAt + timeout);
    this.schedule({ id: timerId('queue', contact.id), kind: 'queue', dueAt, contactId: contact.id }, out);
  }
}
