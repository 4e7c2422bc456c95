import { AGENT_TRANSITIONS, nextAgentState, type AgentEventType } from './agent-state';
import { CONTACT_TRANSITIONS, nextContactState, type ContactEventType } from './contact-state';
import { ActiveQueueIndex, queueServedBefore } from './active-queues';
import { Directory } from './directory';
import { DomainError, fail, ok, type Result } from './errors';
import {
  OUTBOUND_TRANSITIONS,
  outboundUnanswered,
  startOutbound,
  type OutboundCore,
  type OutboundInput,
} from './outbound';
import { Reconfiguration } from './reconfigure';
import { ReadyAgentIndex } from './ready-agents';
import {
  CHANNEL_INDEX,
  hasCapacity,
  queueRequirements,
  type AgentRec,
  type ContactRec,
  type QueueRec,
} from './records';
import { SkillRegistry } from './skills';
import {
  SNAPSHOT_VERSION,
  type AgentSnapshot,
  type ContactSnapshot,
  type DomainSnapshot,
  type QueueSnapshot,
} from './snapshot';
import {
  CHANNELS,
  REALTIME_CHANNELS,
  emptyOutcome,
  type AgentInput,
  type AgentState,
  type Channel,
  type Clock,
  type ContactState,
  type Outcome,
  type QueueConfig,
  type QueueInput,
  type Timer,
  type TimerKind,
} from './types';

export interface AgentView {
  readonly id: string;
  readonly state: AgentState;
  readonly reason?: string;
  readonly stateSince: number;
  readonly idleSince: number;
  readonly callsToday: number;
  readonly activeTasks: Readonly<Record<Channel, number>>;
  readonly realtimeContactId?: string;
}

export interface ContactView {
  readonly id: string;
  readonly queueId: string;
  readonly channel: Channel;
  readonly state: Exclude<ContactState, 'ended'>;
  readonly enqueuedAt: number;
  readonly callback: boolean;
  /** Callback dials the customer did not answer. */
  readonly attempts: number;
  readonly agentId?: string;
  /** The agent a transfer or consultation offered the contact to by name, while `agentId` has it. */
  readonly directAgentId?: string;
  /** Made by its agent (outbound.ts). */
  readonly outbound?: boolean;
}

export interface QueueStats {
  readonly queueId: string;
  readonly waiting: number;
  readonly inService: number;
  readonly staffed: number;
  readonly averageHandleTimeMs: number;
}

export interface ContactArrival {
  readonly contactId: string;
  readonly queueId: string;
}

const RING_NO_ANSWER = 'ring-no-answer';

/**
 * The CTI's routing and agent-state core. Every command is applied at `clock.now()`, validated completely
 * before anything changes, and answers either a typed error or an Outcome: the state changes to persist,
 * the offers to execute and the timers to arm or disarm. Matching happens inside the command that made it
 * possible (a contact arrived, an agent became free), so after every command no ready agent with spare
 * capacity qualifies for a queue that has a contact waiting.
 */
export class CtiDomain {
  private readonly skills = new SkillRegistry();
  private readonly agents = new Map<string, AgentRec>();
  private readonly queues = new Map<string, QueueRec>();
  private readonly contacts = new Map<string, ContactRec>();
  private readonly timers = new Map<string, Timer>();
  private readonly readyIndex = new ReadyAgentIndex();
  private readonly active = new ActiveQueueIndex();
  private readonly directory = new Directory();
  /** Queues per channel index: a ready agent is filed only under channels that some queue serves. */
  private readonly queuesPerChannel: number[] = CHANNELS.map(() => 0);
  private contactSeq = 0;
  private readySeq = 0;
  private now = 0;
  private readonly config = new Reconfiguration({
    skills: this.skills,
    agents: this.agents,
    queues: this.queues,
    contacts: this.contacts,
    readyIndex: this.readyIndex,
    active: this.active,
    directory: this.directory,
    now: () => this.now,
    configureQueue: (q, c) => this.configureQueue(q, c),
    countChannelQueue: (c, d) => this.countChannelQueue(c, d),
    indexReady: (a) => this.indexReady(a),
    matchQueue: (q, out) => this.matchQueue(q, out),
    matchAgent: (a, out) => this.matchAgent(a, out),
    moveAgent: (a, event, out, reason) => this.moveAgent(a, event, out, reason),
    enqueue: (c, out) => this.enqueue(c, out),
    leaveLine: (c, out) => this.leaveLine(c, out),
    abandon: (c, out, reason) => {
      this.cancelTimer(timerId('retry', c.id), out);
      this.moveContact(c, 'Abandon', out, reason);
    },
    timeOut: (c, action, out, reason) => {
      out.notices.push({ type: 'queue-timeout', contactId: c.id, queueId: c.queue.id, action });
      this.leaveLine(c, out);
      this.moveContact(c, 'Timeout', out, reason);
    },
  });

  private readonly outboundCore: OutboundCore = {
    agents: this.agents,
    queues: this.queues,
    contacts: this.contacts,
    now: () => this.now,
    nextSeq: () => ++this.contactSeq,
    closed: (q) => this.config.closed(q),
    checkAgent: (a, e) => this.checkAgent(a, e),
    moveAgent: (a, e, out, reason, c) => this.moveAgent(a, e, out, reason, c),
    moveContact: (c, e, out, reason) => this.moveContact(c, e, out, reason),
    detach: (c, a) => this.detach(c, a),
    matchAgent: (a, out) => this.matchAgent(a, out),
  };

  constructor(private readonly clock: Clock) {}

  // ---- outbound contacts (cti/domain/outbound.ts) ---------------------------------------------------

  /** The agent dials out: a contact of `queueId` offered to it at once, never queued. */
  outbound(input: OutboundInput): Result<Outcome> {
    return this.command((out) => startOutbound(this.outboundCore, input, out));
  }

  /** The agent's phone or the customer did not answer: the outbound contact ends. */
  outboundUnanswered(contactId: string, reason: string): Result<Outcome> {
    return this.command((out) => {
      const contact = this.contacts.get(contactId);
      if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', contactId);
      return outboundUnanswered(this.outboundCore, contact, out, reason);
    });
  }

  // ---- configuration (cti/domain/reconfigure.ts) ----------------------------------------------------

  addQueue(input: QueueInput): Result<Outcome> {
    return this.command(() => this.config.addQueue(input));
  }

  updateQueue(input: QueueInput): Result<Outcome> {
    return this.command((out) => this.config.updateQueue(input, out));
  }

  /** The queue was deleted: its waiting contacts get its fallback (see Reconfiguration.removeQueue). */
  removeQueue(queueId: string, fallbackQueueId?: string): Result<Outcome> {
    return this.command((out) => this.config.removeQueue(queueId, fallbackQueueId, out));
  }

  addAgent(input: AgentInput): Result<Outcome> {
    return this.command(() => this.config.addAgent(input));
  }

  updateAgent(input: AgentInput): Result<Outcome> {
    return this.command((out) => this.config.updateAgent(input, out));
  }

  /** The agent was deleted or deactivated: logged out, offered nothing more (Reconfiguration.removeAgent). */
  removeAgent(agentId: string): Result<Outcome> {
    return this.command((out) => this.config.removeAgent(agentId, out));
  }

  // ---- agent commands -------------------------------------------------------------------------------

  login(agentId: string): Result<Outcome> {
    return this.agentCommand(agentId, 'Login', (agent, out) => this.moveAgent(agent, 'Login', out, 'login'));
  }

  logout(agentId: string): Result<Outcome> {
    return this.agentCommand(agentId, 'Logout', (agent, out) => {
      if (agent.active.some((n) => n > 0)) {
        return fail('AGENT_HAS_TASKS', `agent ${agentId} still has contacts in service`, { agentId });
      }
      this.moveAgent(agent, 'Logout', out);
      return ok(undefined);
    });
  }

  ready(agentId: string): Result<Outcome> {
    return this.agentCommand(agentId, 'Ready', (agent, out) => {
      this.moveAgent(agent, 'Ready', out);
      this.matchAgent(agent, out);
    });
  }

  notReady(agentId: string, reason: string): Result<Outcome> {
    return this.agentCommand(agentId, 'NotReady', (agent, out) =>
      this.moveAgent(agent, 'NotReady', out, reason),
    );
  }

  /** "Handled today" counters restart (least-calls policy); the adapter calls this at the day boundary. */
  resetDailyCounters(): Outcome {
    this.now = this.clock.now();
    // In ready order, so that re-filing appends.
    const agents = [...this.agents.values()].sort((a, b) => a.readySeq - b.readySeq);
    for (const agent of agents) {
      const indexed = CHANNELS.map((_, c) => this.readyIndex.isIndexed(agent, c));
      this.readyIndex.removeAll(agent);
      agent.callsToday = 0;
      indexed.forEach((was, c) => was && this.readyIndex.insert(agent, c));
    }
    return emptyOutcome();
  }

  // ---- contact commands -----------------------------------------------------------------------------

  contactArrived(arrival: ContactArrival): Result<Outcome> {
    return this.command((out) => {
      const queue = this.queues.get(arrival.queueId);
      if (!queue || this.config.closed(queue.id)) return unknown('UNKNOWN_QUEUE', 'queue', arrival.queueId);
      if (this.contacts.has(arrival.contactId)) {
        return fail('DUPLICATE_CONTACT', `contact ${arrival.contactId} exists`, {
          contactId: arrival.contactId,
        });
      }
      const contact: ContactRec = {
        id: arrival.contactId,
        queue,
        channel: queue.config.channel,
        state: 'waiting',
        enqueuedAt: this.now,
        seq: ++this.contactSeq,
        returned: false,
        callback: false,
        attempts: 0,
        agent: undefined,
        direct: undefined,
        offeredAt: undefined,
        answeredAt: undefined,
        node: undefined,
      };
      this.contacts.set(contact.id, contact);
      out.contactChanges.push({
        contactId: contact.id,
        queueId: queue.id,
        from: 'new',
        to: 'waiting',
        at: this.now,
      });
      this.enqueue(contact, out);
      return ok(undefined);
    });
  }

  /** The caller hung up (or the customer cancelled the callback) before being connected. */
  contactAbandoned(contactId: string): Result<Outcome> {
    return this.contactCommand(contactId, 'Abandon', (contact, out) => {
      const agent = contact.agent;
      if (agent && this.isRealtime(contact)) {
        const can = this.checkAgent(agent, 'Cancel');
        if (!can.ok) return can;
      }
      if (contact.state === 'waiting') {
        this.leaveLine(contact, out);
        this.moveContact(contact, 'Abandon', out);
        return ok(undefined);
      }
      if (contact.state === 'scheduled') {
        this.cancelTimer(timerId('retry', contact.id), out);
        this.moveContact(contact, 'Abandon', out);
        return ok(undefined);
      }
      this.cancelTimer(timerId('ring', contact.id), out);
      this.moveContact(contact, 'Abandon', out);
      if (agent) {
        this.detach(contact, agent);
        if (this.isRealtime(contact)) this.moveAgent(agent, 'Cancel', out, undefined, contact.id);
        else this.refile(agent);
        this.matchAgent(agent, out);
      }
      return ok(undefined);
    });
  }

  /** The caller asked to be called back: the entry keeps its place and is offered when it reaches the head. */
  callbackRequested(contactId: string): Result<Outcome> {
    return this.contactCommand(contactId, 'Callback', (contact, out) => {
      if (!this.isRealtime(contact)) return wrongChannel(contact, 'callback');
      if (contact.callback) {
        return fail('ILLEGAL_CONTACT_TRANSITION', `contact ${contactId} is already a callback`, {
          contactId,
        });
      }
      this.toCallback(contact, out, 'callback');
      return ok(undefined);
    });
  }

  /**
   * A callback's customer did not answer (or the agent gave up while it rang). The agent is ready at once
   * (no conversation, no wrap-up); the contact is dialled again `callbackRetryMs` later, back at its
   * original place in the line, until `callbackAttempts` dials were made; then it ends (`callback-failed`).
   */
  callbackUnanswered(contactId: string): Result<Outcome> {
    return this.contactCommand(contactId, 'CallbackRetry', (contact, out) => {
      if (!contact.callback) {
        return fail('ILLEGAL_CONTACT_TRANSITION', `contact ${contactId} is not a callback`, { contactId });
      }
      const agent = contact.agent as AgentRec;
      const can = this.checkAgent(agent, 'Unanswered');
      if (!can.ok) return can;
      contact.attempts++;
      contact.answeredAt = undefined;
      const queue = contact.queue;
      if (contact.attempts >= queue.config.callbackAttempts) {
        this.moveContact(contact, 'CallbackFail', out, 'callback-failed');
      } else {
        this.moveContact(contact, 'CallbackRetry', out, 'callback-no-answer');
        this.schedule(
          {
            id: timerId('retry', contact.id),
            kind: 'retry',
            dueAt: this.now + queue.config.callbackRetryMs,
            contactId: contact.id,
          },
          out,
        );
      }
      this.detach(contact, agent);
      this.moveAgent(agent, 'Unanswered', out, undefined, contact.id);
      this.matchAgent(agent, out);
      return ok(undefined);
    });
  }

  ringing(contactId: string): Result<Outcome> {
    return this.contactCommand(contactId, 'Ring', (contact, out) => {
      if (!this.isRealtime(contact)) return wrongChannel(contact, 'ringing');
      const agent = contact.agent as AgentRec;
      const can = this.checkAgent(agent, 'Ring');
      if (!can.ok) return can;
      this.moveContact(contact, 'Ring', out);
      this.moveAgent(agent, 'Ring', out, undefined, contact.id);
      return ok(undefined);
    });
  }

  answered(contactId: string): Result<Outcome> {
    return this.contactCommand(contactId, 'Answer', (contact, out) => {
      const agent = contact.agent as AgentRec;
      if (this.isRealtime(contact)) {
        const can = this.checkAgent(agent, 'Answer');
        if (!can.ok) return can;
      }
      this.cancelTimer(timerId('ring', contact.id), out);
      contact.answeredAt = this.now;
      this.moveContact(contact, 'Answer', out);
      if (this.isRealtime(contact)) {
        this.moveAgent(agent, 'Answer', out, undefined, contact.id);
        agent.callsToday++;
      } else {
        agent.callsToday++;
        this.refile(agent);
      }
      return ok(undefined);
    });
  }

  /**
   * The offer was not taken in time: the agent goes not-ready and the contact back to the head of its
   * queue. `reason`: the agent's not-ready reason when it is not a missed call (an agent with no phone).
   */
  ringNoAnswer(contactId: string, reason = RING_NO_ANSWER): Result<Outcome> {
    return this.contactCommand(contactId, 'RingNoAnswer', (contact, out) => {
      const can = this.checkRingNoAnswer(contact);
      if (!can.ok) return can;
      this.returnToQueue(contact, out, reason);
      return ok(undefined);
    });
  }

  held(contactId: string): Result<Outcome> {
    return this.contactCommand(contactId, 'Hold', (contact, out) => {
      if (!this.isRealtime(contact)) return wrongChannel(contact, 'hold');
      this.moveContact(contact, 'Hold', out);
      return ok(undefined);
    });
  }

  retrieved(contactId: string): Result<Outcome> {
    return this.contactCommand(contactId, 'Retrieve', (contact, out) => {
      this.moveContact(contact, 'Retrieve', out);
      return ok(undefined);
    });
  }

  /** The call ended or the task was completed. A directed target still on it leaves with it. */
  released(contactId: string): Result<Outcome> {
    return this.contactCommand(contactId, 'Release', (contact, out) => {
      const agent = contact.agent as AgentRec;
      const realtime = this.isRealtime(contact);
      if (realtime) {
        const can = this.checkAgent(agent, 'Hangup');
        if (!can.ok) return can;
      }
      const direct = contact.direct;
      const directEvent = direct && (direct.state === 'talking' ? 'Hangup' : 'Cancel');
      if (direct && directEvent) {
        const can = this.checkAgent(direct, directEvent);
        if (!can.ok) return can;
      }
      const queue = contact.queue;
      const wrapUpMs = realtime ? queue.config.wrapUpMs : 0;
      queue.handleTimes.record(this.now - (contact.answeredAt ?? this.now) + wrapUpMs);
      this.moveContact(contact, 'Release', out);
      this.detach(contact, agent);
      if (realtime) this.wrapUp(agent, queue, contact.id, out);
      else this.refile(agent);
      if (direct && directEvent) this.endDirect(contact, direct, directEvent, out);
      this.matchAgent(agent, out);
      return ok(undefined);
    });
  }

  /**
   * A transfer or a consultation names an agent: the target is offered the contact directly, not by
   * routing, while the contact's agent still has it. The target must be ready (chosen by name: no skill
   * check); it is reserved at once, so routing cannot give it anything else, and then follows the states
   * of a routed offer: `directRinging`, `directAnswered`, and either `transferred` (the first agent left,
   * the target has the contact) or `directEnded` (no answer, cancelled, or it left a conference).
   */
  directOffer(contactId: string, agentId: string): Result<Outcome> {
    return this.contactCommand(contactId, 'DirectOffer', (contact, out) => {
      if (!this.isRealtime(contact)) return wrongChannel(contact, 'a directed offer');
      const target = this.agents.get(agentId);
      if (!target) return unknown('UNKNOWN_AGENT', 'agent', agentId);
      if (contact.direct || contact.agent === target) {
        return fail('ILLEGAL_CONTACT_TRANSITION', `contact ${contactId} is already offered to that agent`, {
          contactId,
          agentId,
        });
      }
      const can = this.checkAgent(target, 'Reserve');
      if (!can.ok) return can;
      const c = contact.queue.channelIndex;
      contact.direct = target;
      target.active[c] = (target.active[c] ?? 0) + 1;
      target.realtimeContact = contact;
      // The contact's state does not change (the table allows DirectOffer only while connected or held).
      this.moveAgent(target, 'Reserve', out, undefined, contact.id);
      return ok(undefined);
    });
  }

  /** The directed target's phone rings. */
  directRinging(contactId: string): Result<Outcome> {
    return this.directCommand(contactId, 'Ring', (contact, target, out) =>
      this.moveAgent(target, 'Ring', out, undefined, contact.id),
    );
  }

  /** The directed target answered (a consultation or a conference: it talks, the contact is not yet its own). */
  directAnswered(contactId: string): Result<Outcome> {
    return this.directCommand(contactId, 'Answer', (contact, target, out) => {
      this.moveAgent(target, 'Answer', out, undefined, contact.id);
      target.callsToday++;
    });
  }

  /**
   * The directed target is done without taking the contact: it never answered (not-ready, as after a
   * routed ring-no-answer), the offer was cancelled before it answered (ready), or it had answered and
   * left (a consultation cancelled, a conference left: wrap-up).
   */
  directEnded(contactId: string, how: 'no-answer' | 'cancelled'): Result<Outcome> {
    return this.command((out) => {
      const contact = this.contacts.get(contactId);
      if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', contactId);
      const target = contact.direct;
      if (!target) return noDirectOffer(contactId);
      const event: AgentEventType =
        target.state === 'talking' ? 'Hangup' : how === 'no-answer' ? 'RingNoAnswer' : 'Cancel';
      const can = this.checkAgent(target, event);
      if (!can.ok) return can;
      this.endDirect(contact, target, event, out);
      return ok(undefined);
    });
  }

  /**
   * The contact's agent left it to the directed target (blind transfer: the target may still be ringing;
   * attended transfer or an agent leaving a conference: the target already talks with the caller). The
   * first agent goes to wrap-up as after a release; the contact stays in service with the target.
   */
  transferred(contactId: string): Result<Outcome> {
    return this.command((out) => {
      const contact = this.contacts.get(contactId);
      if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', contactId);
      const target = contact.direct;
      if (!target) return noDirectOffer(contactId);
      const event: ContactEventType = target.state === 'talking' ? 'TakeOver' : 'Transfer';
      const can = nextContactState(contact.id, contact.state, event);
      if (!can.ok) return can;
      const first = contact.agent as AgentRec;
      const canLeave = this.checkAgent(first, 'Hangup');
      if (!canLeave.ok) return canLeave;
      const c = contact.queue.channelIndex;
      first.active[c] = (first.active[c] ?? 1) - 1;
      first.realtimeContact = undefined;
      contact.agent = target;
      contact.direct = undefined;
      contact.offeredAt = this.now;
      this.moveContact(contact, event, out, 'transfer');
      if (event === 'Transfer' && target.state === 'ringing') this.moveContact(contact, 'Ring', out);
      this.wrapUp(first, contact.queue, contact.id, out);
      this.matchAgent(first, out);
      return ok(undefined);
    });
  }

  timerFired(id: string): Result<Outcome> {
    return this.command((out) => {
      const timer = this.timers.get(id);
      if (!timer) return fail('UNKNOWN_TIMER', `timer ${id} is not armed`, { timerId: id });
      // A timer fires once whatever the outcome; a stale one is reported, not retried.
      this.timers.delete(id);
      switch (timer.kind) {
        case 'ring':
          return this.ringTimeout(timer, out);
        case 'wrap-up':
          return this.wrapUpTimeout(timer, out);
        case 'queue':
          return this.queueTimeout(timer, out);
        case 'retry':
          return this.retryDue(timer, out);
      }
    });
  }

  // ---- queries --------------------------------------------------------------------------------------

  /** 1-based place in the queue, for the IVR's announcement. */
  queuePosition(contactId: string): Result<number> {
    const contact = this.contacts.get(contactId);
    if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', contactId);
    const position = contact.state === 'waiting' ? contact.queue.waiting.position(contact) : undefined;
    if (position === undefined) {
      return fail('CONTACT_NOT_WAITING', `contact ${contactId} is ${contact.state}`, { contactId });
    }
    return ok(position);
  }

  /**
   * Expected wait: position x recent average handle time / logged-in agents serving the queue. Null when
   * nobody serves the queue (the IVR should not promise a time).
   */
  expectedWaitMs(contactId: string): Result<number | null> {
    const position = this.queuePosition(contactId);
    if (!position.ok) return position;
    const queue = (this.contacts.get(contactId) as ContactRec).queue;
    if (queue.staffed === 0) return ok(null);
    return ok(Math.round((position.value * averageHandleTime(queue)) / queue.staffed));
  }

  queueStats(queueId: string): Result<QueueStats> {
    const queue = this.queues.get(queueId);
    if (!queue) return unknown('UNKNOWN_QUEUE', 'queue', queueId);
    return ok({
      queueId,
      waiting: queue.waiting.size,
      inService: queue.inService,
      staffed: queue.staffed,
      averageHandleTimeMs: averageHandleTime(queue),
    });
  }

  agentView(agentId: string): Result<AgentView> {
    const agent = this.agents.get(agentId);
    if (!agent) return unknown('UNKNOWN_AGENT', 'agent', agentId);
    const activeTasks = Object.fromEntries(CHANNELS.map((ch, c) => [ch, agent.active[c] ?? 0])) as Record<
      Channel,
      number
    >;
    return ok({
      id: agent.id,
      state: agent.state,
      ...(agent.reason !== undefined && { reason: agent.reason }),
      stateSince: agent.stateSince,
      idleSince: agent.idleSince,
      callsToday: agent.callsToday,
      activeTasks,
      ...(agent.realtimeContact && { realtimeContactId: agent.realtimeContact.id }),
    });
  }

  contactView(contactId: string): Result<ContactView> {
    const contact = this.contacts.get(contactId);
    if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', contactId);
    return ok({
      id: contact.id,
      queueId: contact.queue.id,
      channel: contact.channel,
      state: contact.state,
      enqueuedAt: contact.enqueuedAt,
      callback: contact.callback,
      attempts: contact.attempts,
      ...(contact.agent && { agentId: contact.agent.id }),
      ...(contact.direct && { directAgentId: contact.direct.id }),
      ...(contact.outbound && { outbound: true }),
    });
  }

  /** Timers the adapter must have armed (after a restore it re-arms exactly these). */
  armedTimers(): Timer[] {
    return [...this.timers.values()];
  }

  // ---- snapshot -------------------------------------------------------------------------------------

  snapshot(): DomainSnapshot {
    return {
      version: SNAPSHOT_VERSION,
      ...this.counters(),
      queues: [...this.queues.values()].map(queueSnapshot),
      agents: [...this.agents.values()].map(agentSnapshot),
      contacts: [...this.contacts.values()].map(contactSnapshot),
      timers: [...this.timers.values()],
    };
  }

  /** The snapshot's counters alone. */
  counters(): { contactSeq: number; readySeq: number } {
    return { contactSeq: this.contactSeq, readySeq: this.readySeq };
  }

  /** One queue's, agent's, contact's or timer's part of the snapshot (undefined: not there). */
  queueSnapshot(id: string): QueueSnapshot | undefined {
    const q = this.queues.get(id);
    return q && queueSnapshot(q);
  }

  agentSnapshot(id: string): AgentSnapshot | undefined {
    const a = this.agents.get(id);
    return a && agentSnapshot(a);
  }

  contactSnapshot(id: string): ContactSnapshot | undefined {
    const c = this.contacts.get(id);
    return c && contactSnapshot(c);
  }

  timer(id: string): Timer | undefined {
    return this.timers.get(id);
  }

  /** Rebuilds a domain (and its indexes) from a snapshot. Produces no offers: the state is as it was. */
  static restore(snapshot: DomainSnapshot, clock: Clock): Result<CtiDomain> {
    const domain = new CtiDomain(clock);
    try {
      domain.load(snapshot);
    } catch (err) {
      if (err instanceof DomainError) return { ok: false, error: err };
      throw err;
    }
    return ok(domain);
  }

  // ---- internals: commands --------------------------------------------------------------------------

  private command(apply: (out: Outcome) => Result<unknown> | void): Result<Outcome> {
    this.now = this.clock.now();
    const out = emptyOutcome();
    const result = apply(out);
    if (result && !result.ok) return result;
    this.config.settle(out);
    return ok(out);
  }

  private agentCommand(
    agentId: string,
    event: AgentEventType,
    apply: (agent: AgentRec, out: Outcome) => Result<unknown> | void,
  ): Result<Outcome> {
    return this.command((out) => {
      const agent = this.agents.get(agentId);
      if (!agent) return unknown('UNKNOWN_AGENT', 'agent', agentId);
      const can = this.checkAgent(agent, event);
      if (!can.ok) return can;
      return apply(agent, out);
    });
  }

  private contactCommand(
    contactId: string,
    event: ContactEventType,
    apply: (contact: ContactRec, out: Outcome) => Result<unknown>,
  ): Result<Outcome> {
    return this.command((out) => {
      const contact = this.contacts.get(contactId);
      if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', contactId);
      const can = nextContactState(contact.id, contact.state, event);
      if (!can.ok) return can;
      if (contact.outbound && OUTBOUND_TRANSITIONS[contact.state][event] === undefined)
        return fail(
          'ILLEGAL_CONTACT_TRANSITION',
          `outbound contact ${contactId}: ${event} in ${contact.state}`,
          {
            contactId,
            state: contact.state,
            event,
          },
        );
      return apply(contact, out);
    });
  }

  private directCommand(
    contactId: string,
    event: AgentEventType,
    apply: (contact: ContactRec, target: AgentRec, out: Outcome) => void,
  ): Result<Outcome> {
    return this.command((out) => {
      const contact = this.contacts.get(contactId);
      if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', contactId);
      const target = contact.direct;
      if (!target) return noDirectOffer(contactId);
      const can = this.checkAgent(target, event);
      if (!can.ok) return can;
      apply(contact, target, out);
      return ok(undefined);
    });
  }

  private checkAgent(agent: AgentRec, event: AgentEventType): Result<AgentState> {
    return nextAgentState(agent.id, agent.state, event);
  }

  private checkRingNoAnswer(contact: ContactRec): Result<unknown> {
    const can = nextContactState(contact.id, contact.state, 'RingNoAnswer');
    if (!can.ok) return can;
    // An outbound contact has no queue to go back to (outbound.ts: outboundUnanswered ends it).
    if (contact.outbound)
      return fail('ILLEGAL_CONTACT_TRANSITION', `outbound contact ${contact.id}: RingNoAnswer`);
    return this.isRealtime(contact)
      ? this.checkAgent(contact.agent as AgentRec, 'RingNoAnswer')
      : ok(undefined);
  }

  // ---- internals: state changes (callers have validated) --------------------------------------------

  private moveAgent(
    agent: AgentRec,
    event: AgentEventType,
    out: Outcome,
    reason?: string,
    contactId?: string,
  ): void {
    const from = agent.state;
    const to = AGENT_TRANSITIONS[from][event];
    if (to === undefined) throw new Error(`unchecked agent event ${event} in ${from}`);
    if (from === 'ready') this.readyIndex.removeAll(agent);
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
      agent.readySeq = ++this.readySeq;
      agent.idleSince = this.now;
      this.indexReady(agent);
    }
  }

  private moveContact(contact: ContactRec, event: ContactEventType, out: Outcome, reason?: string): void {
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
   * A task event (offer, answer, completion of e-mail, SMS, fax) counts as activity: the ready agent moves
   * to the back of the idle order and is re-filed under the channels it still has room for. Always an
   * append, so O(skills x channels).
   */
  private refile(agent: AgentRec): void {
    if (agent.state !== 'ready') return;
    this.readyIndex.removeAll(agent);
    agent.readySeq = ++this.readySeq;
    this.indexReady(agent);
  }

  /**
   * Files a ready agent under every channel it has room for and some queue serves. Agents take SMS and
   * fax by default; without a queue for them their index entries would only cost memory (about a fifth
   * of the domain's heap at 10,000 agents: bench/results/cti-routing.md).
   */
  private indexReady(agent: AgentRec): void {
    for (let c = 0; c < CHANNELS.length; c++)
      if ((this.queuesPerChannel[c] ?? 0) > 0 && hasCapacity(agent, c)) this.readyIndex.insert(agent, c);
  }

  /** A channel's first queue files the ready agents with room for it, in ready order (appends). */
  private countChannelQueue(channelIndex: number, delta: number): void {
    const before = this.queuesPerChannel[channelIndex] ?? 0;
    this.queuesPerChannel[channelIndex] = before + delta;
    if (before > 0 || delta <= 0) return;
    const ready = [...this.agents.values()].filter(
      (a) => a.state === 'ready' && hasCapacity(a, channelIndex),
    );
    ready.sort((a, b) => a.readySeq - b.readySeq);
    for (const agent of ready) this.readyIndex.insert(agent, channelIndex);
  }

  private configureQueue(queue: QueueRec, config: QueueConfig): void {
    queue.config = config;
    queue.reqs = queueRequirements(config, this.skills);
    queue.channelIndex = CHANNEL_INDEX[config.channel];
    queue.activeEntries = queue.reqs.map((r) => ({ queue, skill: r.skill, heapPos: -1 }));
    this.directory.addQueue(queue);
    this.directory.countStaff(queue);
  }

  private isRealtime(contact: ContactRec): boolean {
    return REALTIME_CHANNELS.has(contact.channel);
  }

  // ---- internals: matching --------------------------------------------------------------------------

  /** A contact joins its queue's line; if the line was empty an agent may be ready for it right now. */
  private enqueue(contact: ContactRec, out: Outcome): void {
    const queue = contact.queue;
    const wasEmpty = queue.waiting.size === 0;
    queue.waiting.add(contact);
    this.active.refresh(queue);
    // A non-empty line means no ready agent qualifies (the invariant), so only an empty one needs a look.
    if (wasEmpty) this.matchQueue(queue, out);
    if (contact.state === 'waiting') this.armQueueTimer(contact, out);
  }

  private matchQueue(queue: QueueRec, out: Outcome): void {
    for (let head = queue.waiting.head(); head; head = queue.waiting.head()) {
      const agent = this.readyIndex.best(queue);
      if (!agent) return;
      this.offer(head, agent, out);
    }
  }

  /** Offers the agent the best waiting contacts it can take until it is full or busy. */
  private matchAgent(agent: AgentRec, out: Outcome): void {
    while (agent.state === 'ready') {
      let best: QueueRec | undefined;
      for (let c = 0; c < CHANNELS.length; c++) {
        if (!hasCapacity(agent, c)) continue;
        const queue = this.active.bestFor(agent, c);
        if (queue && (best === undefined || queueServedBefore(queue, best))) best = queue;
      }
      const head = best?.waiting.head();
      if (!head) return;
      this.offer(head, agent, out);
    }
  }

  private offer(contact: ContactRec, agent: AgentRec, out: Outcome): void {
    const queue = contact.queue;
    this.leaveLine(contact, out);
    contact.agent = agent;
    contact.offeredAt = this.now;
    queue.inService++;
    this.moveContact(contact, 'Offer', out);
    const c = queue.channelIndex;
    agent.active[c] = (agent.active[c] ?? 0) + 1;
    if (this.isRealtime(contact)) {
      agent.realtimeContact = contact;
      this.moveAgent(agent, 'Reserve', out, undefined, contact.id);
    } else {
      this.refile(agent);
    }
    if (queue.config.ringTimeoutMs > 0) {
      const dueAt = this.now + queue.config.ringTimeoutMs;
      this.schedule(
        { id: timerId('ring', contact.id), kind: 'ring', dueAt, contactId: contact.id, agentId: agent.id },
        out,
      );
    }
    out.offers.push({
      contactId: contact.id,
      agentId: agent.id,
      queueId: queue.id,
      channel: contact.channel,
      callback: contact.callback,
    });
  }

  private leaveLine(contact: ContactRec, out: Outcome): void {
    contact.queue.waiting.remove(contact);
    this.active.refresh(contact.queue);
    this.cancelTimer(timerId('queue', contact.id), out);
  }

  /** Frees the agent's slot held by the contact (not its state: the caller moves the agent). */
  private detach(contact: ContactRec, agent: AgentRec): void {
    const c = contact.queue.channelIndex;
    agent.active[c] = (agent.active[c] ?? 1) - 1;
    if (agent.realtimeContact === contact) agent.realtimeContact = undefined;
    contact.queue.inService--;
    contact.agent = undefined;
    contact.offeredAt = undefined;
  }

  /** A real-time agent leaves its contact: wrap-up for the queue's time (or straight back to ready). */
  private wrapUp(agent: AgentRec, queue: QueueRec, contactId: string, out: Outcome): void {
    this.moveAgent(agent, 'Hangup', out, undefined, contactId);
    const wrapUpMs = queue.config.wrapUpMs;
    if (wrapUpMs > 0) {
      this.schedule(
        { id: timerId('wrap-up', agent.id), kind: 'wrap-up', dueAt: this.now + wrapUpMs, agentId: agent.id },
        out,
      );
    } else {
      this.moveAgent(agent, 'WrapUpEnd', out);
    }
  }

  /** The directed target leaves the contact (checked: `event` is allowed in its state). */
  private endDirect(contact: ContactRec, target: AgentRec, event: AgentEventType, out: Outcome): void {
    const c = contact.queue.channelIndex;
    target.active[c] = (target.active[c] ?? 1) - 1;
    target.realtimeContact = undefined;
    contact.direct = undefined;
    if (event === 'Hangup') this.wrapUp(target, contact.queue, contact.id, out);
    else
      this.moveAgent(target, event, out, event === 'RingNoAnswer' ? RING_NO_ANSWER : undefined, contact.id);
    this.matchAgent(target, out);
  }

  private returnToQueue(contact: ContactRec, out: Outcome, reason = RING_NO_ANSWER): void {
    const agent = contact.agent as AgentRec;
    this.cancelTimer(timerId('ring', contact.id), out);
    this.moveContact(contact, 'RingNoAnswer', out, reason);
    this.detach(contact, agent);
    if (this.isRealtime(contact)) this.moveAgent(agent, 'RingNoAnswer', out, reason, contact.id);
    else if (agent.state === 'ready') this.moveAgent(agent, 'NotReady', out, reason, contact.id);
    contact.returned = true;
    this.enqueue(contact, out);
  }

  private toCallback(contact: ContactRec, out: Outcome, reason: string): void {
    contact.callback = true;
    this.cancelTimer(timerId('queue', contact.id), out);
    this.moveContact(contact, 'Callback', out, reason);
  }

  // ---- internals: timers ----------------------------------------------------------------------------

  private schedule(timer: Timer, out: Outcome): void {
    this.timers.set(timer.id, timer);
    out.timers.push({ type: 'schedule', timer });
  }

  private cancelTimer(id: string, out: Outcome): void {
    if (this.timers.delete(id)) out.timers.push({ type: 'cancel', timerId: id });
  }

  private armQueueTimer(contact: ContactRec, out: Outcome): void {
    const timeout = contact.queue.config.queueTimeoutMs;
    if (timeout === 0 || contact.callback) return;
    const dueAt = Math.max(this.now, contact.enqueuedAt + timeout);
    this.schedule({ id: timerId('queue', contact.id), kind: 'queue', dueAt, contactId: contact.id }, out);
  }

  private ringTimeout(timer: Timer, out: Outcome): Result<unknown> {
    const contact = this.contacts.get(timer.contactId ?? '');
    if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', timer.contactId ?? '');
    const can = this.checkRingNoAnswer(contact);
    if (!can.ok) return can;
    this.returnToQueue(contact, out);
    return ok(undefined);
  }

  private wrapUpTimeout(timer: Timer, out: Outcome): Result<unknown> {
    const agent = this.agents.get(timer.agentId ?? '');
    if (!agent) return unknown('UNKNOWN_AGENT', 'agent', timer.agentId ?? '');
    const can = this.checkAgent(agent, 'WrapUpEnd');
    if (!can.ok) return can;
    this.moveAgent(agent, 'WrapUpEnd', out);
    this.matchAgent(agent, out);
    return ok(undefined);
  }

  /** A scheduled callback goes back into the line with its original enqueue time: it keeps its place. */
  private retryDue(timer: Timer, out: Outcome): Result<unknown> {
    const contact = this.contacts.get(timer.contactId ?? '');
    if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', timer.contactId ?? '');
    const can = nextContactState(contact.id, contact.state, 'Due');
    if (!can.ok) return can;
    this.moveContact(contact, 'Due', out, 'callback-retry');
    this.enqueue(contact, out);
    return ok(undefined);
  }

  private queueTimeout(timer: Timer, out: Outcome): Result<unknown> {
    const contact = this.contacts.get(timer.contactId ?? '');
    if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', timer.contactId ?? '');
    const can = nextContactState(contact.id, contact.state, 'Timeout');
    if (!can.ok) return can;
    const action = contact.queue.config.timeoutAction;
    out.notices.push({ type: 'queue-timeout', contactId: contact.id, queueId: contact.queue.id, action });
    if (action === 'callback') {
      this.toCallback(contact, out, 'queue-timeout');
    } else {
      this.leaveLine(contact, out);
      this.moveContact(contact, 'Timeout', out, 'queue-timeout');
    }
    return ok(undefined);
  }

  // ---- internals: restore ---------------------------------------------------------------------------

  /** Throws DomainError('INVALID_SNAPSHOT') on the first inconsistency. */
  private load(snapshot: DomainSnapshot): void {
    const invalid = (why: string): never => {
      throw new DomainError('INVALID_SNAPSHOT', `snapshot: ${why}`);
    };
    if (snapshot.version !== SNAPSHOT_VERSION) invalid(`unsupported version ${String(snapshot.version)}`);
    for (const q of snapshot.queues) {
      const added = this.addQueue(q.config);
      if (!added.ok) invalid(added.error.message);
      const queue = this.queues.get(q.config.id) as QueueRec;
      for (const ms of q.handleTimes) queue.handleTimes.record(ms);
    }
    for (const a of snapshot.agents) {
      const added = this.addAgent(a.config);
      if (!added.ok) invalid(added.error.message);
      const agent = this.agents.get(a.config.id) as AgentRec;
      agent.state = a.state;
      agent.reason = a.reason;
      agent.stateSince = a.stateSince;
      agent.readySeq = a.readySeq;
      agent.idleSince = a.idleSince;
      agent.callsToday = a.callsToday;
      if (agent.state !== 'logged-out') this.directory.staff(agent, +1);
    }
    for (const c of snapshot.contacts) {
      const queue = this.queues.get(c.queueId) ?? invalid(`contact ${c.id}: unknown queue ${c.queueId}`);
      if (this.contacts.has(c.id)) invalid(`contact ${c.id} twice`);
      const agent =
        c.agentId === undefined
          ? undefined
          : (this.agents.get(c.agentId) ?? invalid(`contact ${c.id}: unknown agent`));
      const unassigned = c.state === 'waiting' || c.state === 'scheduled';
      if (unassigned !== (agent === undefined))
        invalid(`contact ${c.id}: agent does not match state ${c.state}`);
      const contact: ContactRec = {
        id: c.id,
        queue,
        channel: queue.config.channel,
        state: c.state,
        enqueuedAt: c.enqueuedAt,
        seq: c.seq,
        returned: c.returned,
        callback: c.callback,
        ...(c.outbound === true && { outbound: true }),
        attempts: c.attempts ?? 0,
        agent,
        direct: undefined,
        offeredAt: c.offeredAt,
        answeredAt: c.answeredAt,
        node: undefined,
      };
      this.contacts.set(contact.id, contact);
      if (agent) {
        agent.active[queue.channelIndex] = (agent.active[queue.channelIndex] ?? 0) + 1;
        if (this.isRealtime(contact)) agent.realtimeContact = contact;
        queue.inService++;
      } else if (contact.state === 'waiting') {
        queue.waiting.add(contact);
      }
      if (c.directAgentId !== undefined) {
        const direct = this.agents.get(c.directAgentId) ?? invalid(`contact ${c.id}: unknown direct agent`);
        if (!agent || direct === agent || !['connected', 'held'].includes(c.state))
          invalid(`contact ${c.id}: a directed offer needs another agent and a connected contact`);
        contact.direct = direct;
        direct.active[queue.channelIndex] = (direct.active[queue.channelIndex] ?? 0) + 1;
        direct.realtimeContact = contact;
      }
    }
    const readyAgents = [...this.agents.values()].filter((a) => a.state === 'ready');
    readyAgents.sort((a, b) => a.readySeq - b.readySeq);
    for (const agent of readyAgents) this.indexReady(agent);
    for (const queue of this.queues.values()) this.active.refresh(queue);
    for (const timer of snapshot.timers) this.timers.set(timer.id, timer);
    this.contactSeq = snapshot.contactSeq;
    this.readySeq = snapshot.readySeq;
  }
}

export function timerId(kind: TimerKind, ownerId: string): string {
  return `${kind}:${ownerId}`;
}

function averageHandleTime(queue: QueueRec): number {
  return queue.handleTimes.average() ?? queue.config.defaultHandleTimeMs;
}

function unknown<T>(
  code: 'UNKNOWN_AGENT' | 'UNKNOWN_QUEUE' | 'UNKNOWN_CONTACT',
  what: string,
  id: string,
): Result<T> {
  return fail(code, `${what} ${id} is unknown`, { [`${what}Id`]: id });
}

function noDirectOffer<T>(contactId: string): Result<T> {
  return fail('ILLEGAL_CONTACT_TRANSITION', `contact ${contactId} is offered to no agent by name`, {
    contactId,
  });
}

function wrongChannel<T>(contact: ContactRec, what: string): Result<T> {
  return fail('WRONG_CHANNEL', `contact ${contact.id}: ${what} needs a voice or video contact`, {
    contactId: contact.id,
    channel: contact.channel,
  });
}

function queueSnapshot(q: QueueRec): QueueSnapshot {
  return { config: q.config, handleTimes: q.handleTimes.toArray() };
}

function agentSnapshot(a: AgentRec): AgentSnapshot {
  return {
    config: a.config,
    state: a.state,
    ...(a.reason !== undefined && { reason: a.reason }),
    stateSince: a.stateSince,
    readySeq: a.readySeq,
    idleSince: a.idleSince,
    callsToday: a.callsToday,
  };
}

function contactSnapshot(c: ContactRec): ContactSnapshot {
  return {
    id: c.id,
    queueId: c.queue.id,
    state: c.state,
    enqueuedAt: c.enqueuedAt,
    seq: c.seq,
    returned: c.returned,
    callback: c.callback,
    ...(c.outbound && { outbound: true }),
    ...(c.attempts > 0 && { attempts: c.attempts }),
    ...(c.agent && { agentId: c.agent.id }),
    ...(c.direct && { directAgentId: c.direct.id }),
    ...(c.offeredAt !== undefined && { offeredAt: c.offeredAt }),
    ...(c.answeredAt !== undefined && { answeredAt: c.answeredAt }),
  };
}
