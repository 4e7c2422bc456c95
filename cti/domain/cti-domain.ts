import * as agents from './agent-commands';
import { command, unknown } from './commands';
import * as contacts from './contact-commands';
import * as direct from './direct-offers';
import { DomainState, timerId } from './domain-state';
import { DomainError, ok, type Result } from './errors';
import * as matching from './matching';
import { outboundUnanswered, startOutbound, type OutboundCore, type OutboundInput } from './outbound';
import * as queries from './queries';
import { moveWaiting, raiseWaiting } from './queue-moves';
import { Reconfiguration } from './reconfigure';
import * as snapshots from './snapshot-io';
import type { AgentSnapshot, ContactSnapshot, DomainSnapshot, QueueSnapshot } from './snapshot';
import { timerFired } from './timer-events';
import type { AgentInput, Clock, Outcome, QueueInput, Timer } from './types';

export { timerId };
export type { ContactArrival } from './contact-commands';
export type { AgentView, ContactView, QueueStats } from './queries';

/**
 * The CTI's routing and agent-state core. Every command is applied at `clock.now()`, validated completely
 * before anything changes, and answers either a typed error or an Outcome: the state changes to persist,
 * the offers to execute and the timers to arm or disarm. Matching happens inside the command that made it
 * possible (a contact arrived, an agent became free), so after every command no ready agent with spare
 * capacity qualifies for a queue that has a contact waiting.
 *
 * This class is the public face; each section lives in its own module over the shared DomainState:
 * agent-commands, contact-commands, direct-offers, timer-events, queries, snapshot-io, with matching
 * (matching.ts), configuration (reconfigure.ts) and outbound contacts (outbound.ts) beneath them.
 */
export class CtiDomain {
  private readonly s: DomainState;
  private readonly outboundCore: OutboundCore;

  constructor(clock: Clock) {
    const s = new DomainState(clock, wireConfiguration);
    this.s = s;
    this.outboundCore = {
      agents: s.agents,
      queues: s.queues,
      contacts: s.contacts,
      now: () => s.now,
      nextSeq: () => ++s.contactSeq,
      closed: (q) => s.config.closed(q),
      checkAgent: (a, e) => s.checkAgent(a, e),
      moveAgent: (a, e, out, reason, c) => s.moveAgent(a, e, out, reason, c),
      moveContact: (c, e, out, reason) => s.moveContact(c, e, out, reason),
      detach: (c, a) => matching.detach(c, a),
      matchAgent: (a, out) => matching.matchAgent(s, a, out),
    };
  }

  // ---- outbound contacts (cti/domain/outbound.ts) ---------------------------------------------------

  /** The agent dials out: a contact of `queueId` offered to it at once, never queued. */
  outbound(input: OutboundInput): Result<Outcome> {
    return command(this.s, (out) => startOutbound(this.outboundCore, input, out));
  }

  /** The agent's phone or the customer did not answer: the outbound contact ends. */
  outboundUnanswered(contactId: string, reason: string): Result<Outcome> {
    return command(this.s, (out) => {
      const contact = this.s.contacts.get(contactId);
      if (!contact) return unknown('UNKNOWN_CONTACT', 'contact', contactId);
      return outboundUnanswered(this.outboundCore, contact, out, reason);
    });
  }

  // ---- configuration (cti/domain/reconfigure.ts) ----------------------------------------------------

  addQueue(input: QueueInput): Result<Outcome> {
    return command(this.s, () => this.s.config.addQueue(input));
  }

  updateQueue(input: QueueInput): Result<Outcome> {
    return command(this.s, (out) => this.s.config.updateQueue(input, out));
  }

  /** The queue was deleted: its waiting contacts get its fallback (see Reconfiguration.removeQueue). */
  removeQueue(queueId: string, fallbackQueueId?: string): Result<Outcome> {
    return command(this.s, (out) => this.s.config.removeQueue(queueId, fallbackQueueId, out));
  }

  addAgent(input: AgentInput): Result<Outcome> {
    return command(this.s, () => this.s.config.addAgent(input));
  }

  updateAgent(input: AgentInput): Result<Outcome> {
    return command(this.s, (out) => this.s.config.updateAgent(input, out));
  }

  /** The agent was deleted or deactivated: logged out, offered nothing more (Reconfiguration.removeAgent). */
  removeAgent(agentId: string): Result<Outcome> {
    return command(this.s, (out) => this.s.config.removeAgent(agentId, out));
  }

  // ---- agent commands (agent-commands.ts) -----------------------------------------------------------

  login(agentId: string): Result<Outcome> {
    return agents.login(this.s, agentId);
  }

  logout(agentId: string): Result<Outcome> {
    return agents.logout(this.s, agentId);
  }

  ready(agentId: string): Result<Outcome> {
    return agents.ready(this.s, agentId);
  }

  notReady(agentId: string, reason: string): Result<Outcome> {
    return agents.notReady(this.s, agentId, reason);
  }

  /** "Handled today" counters restart (least-calls policy); the adapter calls this at the day boundary. */
  resetDailyCounters(): Outcome {
    return agents.resetDailyCounters(this.s);
  }

  // ---- contact commands (contact-commands.ts) -------------------------------------------------------

  contactArrived(arrival: contacts.ContactArrival): Result<Outcome> {
    return contacts.contactArrived(this.s, arrival);
  }

  /** The caller hung up (or the customer cancelled the callback) before being connected. */
  contactAbandoned(contactId: string): Result<Outcome> {
    return contacts.contactAbandoned(this.s, contactId);
  }

  /** The caller asked to be called back: the entry keeps its place and is offered when it reaches the head. */
  callbackRequested(contactId: string): Result<Outcome> {
    return contacts.callbackRequested(this.s, contactId);
  }

  /** A callback's customer did not answer: dialled again later, or ended after the last attempt. */
  callbackUnanswered(contactId: string): Result<Outcome> {
    return contacts.callbackUnanswered(this.s, contactId);
  }

  ringing(contactId: string): Result<Outcome> {
    return contacts.ringing(this.s, contactId);
  }

  answered(contactId: string): Result<Outcome> {
    return contacts.answered(this.s, contactId);
  }

  /** The offer was not taken in time: the agent goes not-ready, the contact back to its queue's head. */
  ringNoAnswer(contactId: string, reason?: string): Result<Outcome> {
    return contacts.ringNoAnswer(this.s, contactId, reason);
  }

  held(contactId: string): Result<Outcome> {
    return contacts.held(this.s, contactId);
  }

  retrieved(contactId: string): Result<Outcome> {
    return contacts.retrieved(this.s, contactId);
  }

  /** The call ended or the task was completed. A directed target still on it leaves with it. */
  released(contactId: string): Result<Outcome> {
    return contacts.released(this.s, contactId);
  }

  /** A supervisor moves a waiting contact to another queue of its channel (queue-moves.ts). */
  moveWaiting(contactId: string, queueId: string): Result<Outcome> {
    return moveWaiting(this.s, contactId, queueId);
  }

  /** A supervisor puts a waiting contact ahead of the contacts of its queue not raised (queue-moves.ts). */
  raiseWaiting(contactId: string): Result<Outcome> {
    return raiseWaiting(this.s, contactId);
  }

  // ---- offers by name: transfers, consultations, conferences (direct-offers.ts) ---------------------

  directOffer(contactId: string, agentId: string): Result<Outcome> {
    return direct.directOffer(this.s, contactId, agentId);
  }

  directRinging(contactId: string): Result<Outcome> {
    return direct.directRinging(this.s, contactId);
  }

  directAnswered(contactId: string): Result<Outcome> {
    return direct.directAnswered(this.s, contactId);
  }

  directEnded(contactId: string, how: 'no-answer' | 'cancelled'): Result<Outcome> {
    return direct.directEnded(this.s, contactId, how);
  }

  transferred(contactId: string): Result<Outcome> {
    return direct.transferred(this.s, contactId);
  }

  // ---- timers (timer-events.ts) ---------------------------------------------------------------------

  timerFired(id: string): Result<Outcome> {
    return timerFired(this.s, id);
  }

  // ---- queries (queries.ts) -------------------------------------------------------------------------

  /** 1-based place in the queue, for the IVR's announcement. */
  queuePosition(contactId: string): Result<number> {
    return queries.queuePosition(this.s, contactId);
  }

  /** Expected wait in ms; null when nobody serves the queue (the IVR should not promise a time). */
  expectedWaitMs(contactId: string): Result<number | null> {
    return queries.expectedWaitMs(this.s, contactId);
  }

  queueStats(queueId: string): Result<queries.QueueStats> {
    return queries.queueStats(this.s, queueId);
  }

  agentView(agentId: string): Result<queries.AgentView> {
    return queries.agentView(this.s, agentId);
  }

  contactView(contactId: string): Result<queries.ContactView> {
    return queries.contactView(this.s, contactId);
  }

  /** Timers the adapter must have armed (after a restore it re-arms exactly these). */
  armedTimers(): Timer[] {
    return queries.armedTimers(this.s);
  }

  // ---- snapshot (snapshot-io.ts) --------------------------------------------------------------------

  snapshot(): DomainSnapshot {
    return snapshots.snapshot(this.s);
  }

  /** The snapshot's counters alone. */
  counters(): { contactSeq: number; readySeq: number } {
    return snapshots.counters(this.s);
  }

  /** One queue's, agent's, contact's or timer's part of the snapshot (undefined: not there). */
  queueSnapshot(id: string): QueueSnapshot | undefined {
    const q = this.s.queues.get(id);
    return q && snapshots.queueSnapshot(q);
  }

  agentSnapshot(id: string): AgentSnapshot | undefined {
    const a = this.s.agents.get(id);
    return a && snapshots.agentSnapshot(a);
  }

  contactSnapshot(id: string): ContactSnapshot | undefined {
    const c = this.s.contacts.get(id);
    return c && snapshots.contactSnapshot(c);
  }

  timer(id: string): Timer | undefined {
    return this.s.timers.get(id);
  }

  /** Rebuilds a domain (and its indexes) from a snapshot. Produces no offers: the state is as it was. */
  static restore(snapshot: DomainSnapshot, clock: Clock): Result<CtiDomain> {
    const domain = new CtiDomain(clock);
    try {
      snapshots.load(domain.s, snapshot);
    } catch (err) {
      if (err instanceof DomainError) return { ok: false, error: err };
      throw err;
    }
    return ok(domain);
  }
}

/** The configuration commands see the state and matching through reconfigure.ts's DomainCore. */
function wireConfiguration(s: DomainState): Reconfiguration {
  return new Reconfiguration({
    skills: s.skills,
    agents: s.agents,
    queues: s.queues,
    contacts: s.contacts,
    readyIndex: s.readyIndex,
    active: s.active,
    directory: s.directory,
    now: () => s.now,
    configureQueue: (q, c) => s.configureQueue(q, c),
    countChannelQueue: (c, d) => s.countChannelQueue(c, d),
    indexReady: (a) => s.indexReady(a),
    matchQueue: (q, out) => matching.matchQueue(s, q, out),
    matchAgent: (a, out) => matching.matchAgent(s, a, out),
    moveAgent: (a, event, out, reason) => s.moveAgent(a, event, out, reason),
    enqueue: (c, out) => matching.enqueue(s, c, out),
    leaveLine: (c, out) => matching.leaveLine(s, c, out),
    returnToQueue: (c, out, reason) => matching.returnToQueue(s, c, out, reason),
    abandon: (c, out, reason) => {
      s.cancelTimer(timerId('retry', c.id), out);
      s.moveContact(c, 'Abandon', out, reason);
    },
    timeOut: (c, action, out, reason) => {
      out.notices.push({ type: 'queue-timeout', contactId: c.id, queueId: c.queue.id, action });
      matching.leaveLine(s, c, out);
      s.moveContact(c, 'Timeout', out, reason);
    },
  });
}
