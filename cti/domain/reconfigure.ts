import type { ActiveQueueIndex } from './active-queues';
import type { AgentEventType } from './agent-state';
import { AGENT_TRANSITIONS } from './agent-state';
import { agentConfig, queueConfig } from './config';
import type { Directory } from './directory';
import { fail, ok, type Result } from './errors';
import type { ReadyAgentIndex } from './ready-agents';
import { CHANNELS, type Channel, type QueueTimeoutAction } from './types';
import { HandleTimes, agentSkills, type AgentRec, type ContactRec, type QueueRec } from './records';
import type { SkillRegistry } from './skills';
import type { AgentInput, Outcome, QueueConfig, QueueInput } from './types';
import { WaitingLine } from './waiting-line';

/** What the configuration commands need of the domain's state and internals (given by CtiDomain). */
export interface DomainCore {
  readonly skills: SkillRegistry;
  readonly agents: Map<string, AgentRec>;
  readonly queues: Map<string, QueueRec>;
  readonly contacts: Map<string, ContactRec>;
  readonly readyIndex: ReadyAgentIndex;
  readonly active: ActiveQueueIndex;
  readonly directory: Directory;
  now(): number;
  configureQueue(queue: QueueRec, config: QueueConfig): void;
  countChannelQueue(channelIndex: number, delta: number): void;
  indexReady(agent: AgentRec): void;
  matchQueue(queue: QueueRec, out: Outcome): void;
  matchAgent(agent: AgentRec, out: Outcome): void;
  moveAgent(agent: AgentRec, event: AgentEventType, out: Outcome, reason?: string): void;
  enqueue(contact: ContactRec, out: Outcome): void;
  leaveLine(contact: ContactRec, out: Outcome): void;
  /** An offered contact goes back to the head of its queue (ring-no-answer's path), with the reason. */
  returnToQueue(contact: ContactRec, out: Outcome, reason: string): void;
  /** Ends a contact out of the line (a scheduled callback, or a waiting one that already left it). */
  abandon(contact: ContactRec, out: Outcome, reason: string): void;
  /** The contact leaves its line as on a queue timeout, with this action told to the IVR. */
  timeOut(contact: ContactRec, action: QueueTimeoutAction, out: Outcome, reason: string): void;
}

/** Reason recorded when an agent is logged out, or a contact moved or ended, because of a removal. */
export const REMOVED = 'removed';
export const QUEUE_DELETED = 'queue-deleted';

/** Capacity of an agent being removed while it still has a contact: nothing more is offered to it. */
const NO_CAPACITY: Record<Channel, number> = Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<
  Channel,
  number
>;

/**
 * Adding, changing and removing queues and agents while the domain runs (the AS's live changes).
 * Removal never cuts a contact in service short:
 * - an agent with no contact is logged out (reason `removed`) and forgotten at once; one with a contact
 *   (reserved, ringing, talking, a directed offer) keeps it, gets nothing more (capacity 0), and is
 *   logged out and forgotten by `settle` when its last contact leaves it;
 * - a queue's waiting contacts get its fallback at once (`removeQueue`); the queue takes no new contact
 *   and is forgotten by `settle` once its contacts in service ended.
 * Both marks live only here: after a restart the directory is applied again and removes them again.
 */
export class Reconfiguration {
  private readonly retiring = new Set<string>();
  private readonly closing = new Set<string>();

  constructor(private readonly core: DomainCore) {}

  /** A queue that is being removed: it refuses new contacts. */
  closed(queueId: string): boolean {
    return this.closing.has(queueId);
  }

  /** An agent that is being removed. */
  leaving(agentId: string): boolean {
    return this.retiring.has(agentId);
  }

  addQueue(input: QueueInput): Result<unknown> {
    const core = this.core;
    const config = queueConfig(input);
    if (!config.ok) return config;
    if (core.queues.has(config.value.id)) {
      return fail('DUPLICATE_QUEUE', `queue ${config.value.id} exists`, { queueId: config.value.id });
    }
    const queue: QueueRec = {
      id: config.value.id,
      config: config.value,
      reqs: [],
      channelIndex: 0,
      waiting: new WaitingLine(),
      activeEntries: [],
      headAt: 0,
      headSeq: 0,
      staffed: 0,
      handleTimes: new HandleTimes(),
      inService: 0,
    };
    core.configureQueue(queue, config.value);
    core.queues.set(queue.id, queue);
    core.countChannelQueue(queue.channelIndex, +1);
    return ok(undefined);
  }

  /**
   * New requirements, priority and policy apply to the next decision; new timeouts to contacts that
   * arrive later (armed timers stay). A queue being removed that comes back is open again.
   */
  updateQueue(input: QueueInput, out: Outcome): Result<unknown> {
    const core = this.core;
    const queue = core.queues.get(input.id);
    if (!queue) return unknownQueue(input.id);
    const config = queueConfig(input);
    if (!config.ok) return config;
    if (config.value.channel !== queue.config.channel && queue.waiting.size + queue.inService > 0) {
      return fail('QUEUE_IN_USE', `queue ${queue.id} has contacts: its channel cannot change`, {
        queueId: queue.id,
      });
    }
    this.closing.delete(queue.id);
    core.active.detach(queue);
    core.directory.removeQueue(queue);
    const previousChannel = queue.channelIndex;
    core.configureQueue(queue, config.value);
    if (queue.channelIndex !== previousChannel) {
      core.countChannelQueue(previousChannel, -1);
      core.countChannelQueue(queue.channelIndex, +1);
    }
    core.active.refresh(queue);
    core.matchQueue(queue, out);
    return ok(undefined);
  }

  addAgent(input: AgentInput): Result<unknown> {
    const core = this.core;
    const config = agentConfig(input);
    if (!config.ok) return config;
    if (core.agents.has(config.value.id)) {
      return fail('DUPLICATE_AGENT', `agent ${config.value.id} exists`, { agentId: config.value.id });
    }
    const { levels, skillIds } = agentSkills(config.value, core.skills);
    const now = core.now();
    const agent: AgentRec = {
      id: config.value.id,
      config: config.value,
      levels,
      skillIds,
      state: 'logged-out',
      reason: undefined,
      stateSince: now,
      readySeq: 0,
      idleSince: now,
      callsToday: 0,
      active: CHANNELS.map(() => 0),
      realtimeContact: undefined,
      readyNodes: [],
      indexed: CHANNELS.map(() => false),
    };
    core.agents.set(agent.id, agent);
    core.directory.addAgent(agent);
    return ok(undefined);
  }

  /**
   * Skills and capacities change at once, even mid-call; the agent keeps its place in the idle order.
   * An agent being removed that comes back (reactivated) is an ordinary agent again.
   */
  updateAgent(input: AgentInput, out: Outcome): Result<unknown> {
    const agent = this.core.agents.get(input.id);
    if (!agent) return unknownAgent(input.id);
    const config = agentConfig(input);
    if (!config.ok) return config;
    this.retiring.delete(agent.id);
    this.reconfigureAgent(agent, config.value, out);
    return ok(undefined);
  }

  /**
   * The agent was deleted, deactivated or lost its agent role. Without a contact it is logged out now
   * (a logged-in client is told) and forgotten; with one it keeps it and is offered nothing more.
   */
  removeAgent(agentId: string, out: Outcome): Result<unknown> {
    const agent = this.core.agents.get(agentId);
    if (!agent) return unknownAgent(agentId);
    this.retiring.add(agentId);
    // Tasks only offered to it (not accepted) go back to their queues, as at its logout; they leave
    // after the agent is out of routing, so none is offered to it again.
    const offered = [...this.core.contacts.values()].filter(
      (c) => c.agent === agent && c.state === 'offered' && agent.realtimeContact !== c,
    );
    if (this.free(agent, offered.length)) this.forgetAgent(agent, out);
    else this.reconfigureAgent(agent, { ...agent.config, maxTasks: NO_CAPACITY }, out);
    for (const contact of offered) this.core.returnToQueue(contact, out, REMOVED);
    return ok(undefined);
  }

  /**
   * The queue was deleted. Its waiting contacts get its fallback: the fallback queue when it names a
   * live queue of the same channel (each contact keeps its wait: its enqueue time and place by it),
   * otherwise the queue's timeout action (`callback` becomes `voicemail`: the queue is gone, nobody
   * would dial it), told to the IVR as for a timeout. Callbacks (waiting or scheduled) move to the
   * fallback queue, or end (`queue-deleted`) without one. Contacts in service stay until they end.
   */
  removeQueue(queueId: string, fallbackId: string | undefined, out: Outcome): Result<unknown> {
    const core = this.core;
    const queue = core.queues.get(queueId);
    if (!queue) return unknownQueue(queueId);
    const target = fallbackId === undefined ? undefined : core.queues.get(fallbackId);
    const fallback =
      target !== undefined &&
      target !== queue &&
      !this.closing.has(target.id) &&
      target.config.channel === queue.config.channel
        ? target
        : undefined;
    this.closing.add(queueId);
    const action: QueueTimeoutAction =
      queue.config.timeoutAction === 'callback' ? 'voicemail' : queue.config.timeoutAction;
    for (const contact of [...queue.waiting.contacts()]) {
      if (fallback) this.move(contact, fallback, out);
      else if (contact.callback) {
        core.leaveLine(contact, out);
        core.abandon(contact, out, QUEUE_DELETED);
      } else core.timeOut(contact, action, out, QUEUE_DELETED);
    }
    for (const contact of [...core.contacts.values()]) {
      if (contact.queue !== queue || contact.state !== 'scheduled') continue;
      if (fallback) this.move(contact, fallback, out);
      else core.abandon(contact, out, QUEUE_DELETED);
    }
    this.settleQueue(queue);
    return ok(undefined);
  }

  /** After every command: removals waiting for the last contact of an agent or a queue complete. */
  settle(out: Outcome): void {
    for (const id of this.retiring) {
      const agent = this.core.agents.get(id);
      if (agent === undefined) this.retiring.delete(id);
      else if (this.free(agent)) this.forgetAgent(agent, out);
    }
    for (const id of this.closing) {
      const queue = this.core.queues.get(id);
      if (queue === undefined) this.closing.delete(id);
      else this.settleQueue(queue);
    }
  }

  /** No contact in service (besides `offered` task offers, which removal takes back). */
  private free(agent: AgentRec, offered = 0): boolean {
    return (
      agent.realtimeContact === undefined &&
      agent.active.reduce((sum, n) => sum + n, 0) === offered &&
      (agent.state === 'logged-out' || AGENT_TRANSITIONS[agent.state].Logout !== undefined)
    );
  }

  private forgetAgent(agent: AgentRec, out: Outcome): void {
    const core = this.core;
    if (agent.state !== 'logged-out') core.moveAgent(agent, 'Logout', out, REMOVED);
    core.readyIndex.forget(agent);
    core.directory.removeAgent(agent);
    core.agents.delete(agent.id);
    this.retiring.delete(agent.id);
  }

  private reconfigureAgent(agent: AgentRec, config: AgentRec['config'], out: Outcome): void {
    const core = this.core;
    const loggedIn = agent.state !== 'logged-out';
    core.readyIndex.forget(agent);
    if (loggedIn) core.directory.staff(agent, -1);
    core.directory.removeAgent(agent);
    const { levels, skillIds } = agentSkills(config, core.skills);
    agent.config = config;
    agent.levels = levels;
    agent.skillIds = skillIds;
    core.directory.addAgent(agent);
    if (loggedIn) core.directory.staff(agent, +1);
    // Filed under what it may be offered now (availability.ts: also an agent on a call taking tasks).
    core.indexReady(agent);
    core.matchAgent(agent, out);
  }

  /** The contact continues in `to` with its enqueue time (and so its place by waiting time). */
  private move(contact: ContactRec, to: QueueRec, out: Outcome): void {
    const core = this.core;
    const waiting = contact.state === 'waiting';
    if (waiting) core.leaveLine(contact, out);
    const moved: ContactRec = { ...contact, queue: to, node: undefined };
    core.contacts.set(moved.id, moved);
    out.contactChanges.push({
      contactId: moved.id,
      queueId: to.id,
      from: contact.state,
      to: contact.state,
      reason: QUEUE_DELETED,
      at: core.now(),
    });
    if (waiting) core.enqueue(moved, out);
  }

  private settleQueue(queue: QueueRec): void {
    if (queue.inService > 0 || queue.waiting.size > 0) return;
    for (const contact of this.core.contacts.values()) if (contact.queue === queue) return;
    const core = this.core;
    core.active.detach(queue);
    core.directory.removeQueue(queue);
    core.countChannelQueue(queue.channelIndex, -1);
    core.queues.delete(queue.id);
    this.closing.delete(queue.id);
  }
}

function unknownQueue<T>(id: string): Result<T> {
  return fail('UNKNOWN_QUEUE', `queue ${id} is unknown`, { queueId: id });
}

function unknownAgent<T>(id: string): Result<T> {
  return fail('UNKNOWN_AGENT', `agent ${id} is unknown`, { agentId: id });
}
