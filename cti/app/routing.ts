import { Logger, contactLogger, errorText } from '../../lib/log';
import type { Draft } from '../../lib/messages';
import {
  REALTIME_CHANNELS,
  type AgentStateChange,
  type CtiDomain,
  type ContactStateChange,
  type Offer,
  type Outcome,
  type Result,
} from '../domain';
import type { AgentStateStore } from '../store/agent-states';
import type { InteractionStore } from '../store/interactions';
import { CallbackRouting, type CallbackPorts } from './callback-routing';
import type { AgentContact } from './directory';
import type { ContactOwners } from './owners';
import { outcomeKeys } from './state-records';
import { withdrawOffer } from './undeliverable';
import { contactRecord, taskFields } from './contact-record';
import { within } from '../../lib/within';

/** The domain reason of a task its agent rejected (cti/tasks/service.ts tells the agent so). */
export const TASK_REJECTED = 'task-rejected';

/** The longest a screen pop waits for its offer to be stored (a slow store delays the pop, not the call). */
const OFFER_STORE_WAIT_MS = 500;

export interface Scheduler {
  schedule(id: string, dueAt: number, fire: () => void): void;
  cancel(id: string): void;
}

/** Where CTI tells agents' clients what happened to them (interface A). */
export interface AgentNotifier {
  agentChanged(change: AgentStateChange): void;
  /** The screen pop; `callback` when the agent is to call the customer back (the number to call). */
  offered(contactId: string, agentId: string, queueId: string, callback?: { number: string }): void;
}

export type { CallbackPorts } from './callback-routing';

/** Tasks (e-mail, SMS, fax): offered and followed by cti/tasks/service.ts instead of a phone. */
export interface TaskRoutingPort {
  /** Whether the contact is a task. */
  handles(contactId: string): boolean;
  offered(offer: Offer): Promise<void>;
  /** After the change is stored. */
  changed(change: ContactStateChange): Promise<void>;
}

export interface RoutingPorts {
  notify?: AgentNotifier;
  domain: CtiDomain;
  interactions: InteractionStore;
  /**
   * Resolves once the contact's history holds what was asked so far (the offer's agent): the AS shows an
   * agent a contact's screen pop only once it is stored as offered to that agent.
   */
  historyStored?: (contactId: string) => Promise<void>;
  agentStates: AgentStateStore;
  agents: ReadonlyMap<string, AgentContact>;
  ringTimeoutSec: (queueId: string) => number;
  owners: ContactOwners;
  divert: (softacd: string, draft: Draft<'DivertCall'> | Draft<'DialCallback'>) => Promise<void>;
  /** Without it a callback reaching the head cannot be dialled and is dropped (logged). */
  callbacks?: CallbackPorts;
  toIvr: (ivr: string, draft: Draft<'QueueStatus'> | Draft<'QueueTimeout'>) => Promise<void>;
  scheduler: Scheduler;
  /**
   * Resolves once CTI's state, with this change, is stored (cti/app/persistence.ts): awaited before any
   * command leaves CTI, so a restarted CTI never forgets an offer SoftACD is already ringing.
   */
  persist?: (keys: Iterable<string>, whole?: boolean) => Promise<void>;
  /**
   * Takes the history writes (agent-state records, timeline entries) commands need not wait for
   * (lib/deferred-writes.ts: the message's ack waits instead). Without it they are awaited too.
   */
  defer?: (write: Promise<unknown>) => void;
  /**
   * Every outcome applied, as soon as the domain decided it (the supervisors' wallboard feed,
   * cti/supervisor/feed.ts): it reads CTI's state, never the store.
   */
  observe?: (outcome: Outcome) => void;
  /** Without it a task offered is only stored (no agent is told). */
  tasks?: TaskRoutingPort;
  /** A contact offered with no known call was dropped: its history and owners are cleared (system). */
  callGone?: (contactId: string) => void;
  log: Logger;
}

/**
 * Runs the routing domain for CTI: every command's outcome is stored (agent states, contact timeline),
 * then executed (DivertCall to the owning SoftACD, queue notices to the IVR, timers). The domain decides
 * on arrival or when an agent frees up; nothing here polls.
 */
export class RoutingService {
  private readonly callbacks: CallbackRouting;

  constructor(private readonly ports: RoutingPorts) {
    this.callbacks = new CallbackRouting(ports, (result, what) => this.apply(result, what));
  }

  agentEvent(
    kind: 'login' | 'logout' | 'ready' | 'not-ready',
    agentId: string,
    reason?: string,
  ): Promise<void> {
    const d = this.ports.domain;
    const result =
      kind === 'login'
        ? d.login(agentId)
        : kind === 'logout'
          ? d.logout(agentId)
          : kind === 'ready'
            ? d.ready(agentId)
            : d.notReady(agentId, reason ?? 'unspecified');
    return this.apply(result, `agent ${kind} ${agentId}`);
  }

  async contactQueued(contactId: string, queueId: string): Promise<void> {
    const result = this.ports.domain.contactArrived({ contactId, queueId });
    if (!result.ok && result.error.code === 'DUPLICATE_CONTACT') return; // the IVR asked again: one entry
    await this.apply(result, `queue ${queueId}`);
    await this.sendQueueStatus(contactId, queueId);
  }

  /** A task entered its queue (cti/tasks/service.ts); false when the domain refused it. */
  async taskArrived(contactId: string, queueId: string): Promise<boolean> {
    const result = this.ports.domain.contactArrived({ contactId, queueId });
    await this.apply(result, `task queue ${queueId}`);
    return result.ok;
  }

  /** The agent rejected the task offered: back to its queue, the agent stays as it is. */
  rejectTask(contactId: string): Promise<void> {
    return this.apply(this.ports.domain.ringNoAnswer(contactId, TASK_REJECTED), 'task rejected');
  }

  /** The agent completed the task. */
  completeTask(contactId: string): Promise<void> {
    return this.apply(this.ports.domain.released(contactId), 'task completed');
  }

  /** An agent's phone rings for the contact: the agent it was routed to, or one it was offered to by name. */
  ringing(contactId: string, agentId?: string): Promise<void> {
    const view = this.ports.domain.contactView(contactId);
    if (view.ok && agentId !== undefined && view.value.directAgentId === agentId)
      return this.apply(this.ports.domain.directRinging(contactId), 'direct ringing');
    return this.apply(this.ports.domain.ringing(contactId), 'ringing');
  }

  /**
   * A transfer or consultation names an agent: it is offered the contact directly (reserved at once, out
   * of routing). False, with nothing changed, when the domain refuses (the agent is no longer ready).
   */
  async directOffer(contactId: string, agentId: string): Promise<boolean> {
    const result = this.ports.domain.directOffer(contactId, agentId);
    await this.apply(result, `direct offer to ${agentId}`);
    return result.ok;
  }

  /** The agent offered the contact by name answered (a consultation): it talks. */
  directAnswered(contactId: string): Promise<void> {
    return this.apply(this.ports.domain.directAnswered(contactId), 'direct answered');
  }

  /** The agent offered the contact by name is done without taking it (see CtiDomain.directEnded). */
  directEnded(contactId: string, how: 'no-answer' | 'cancelled'): Promise<void> {
    return this.apply(this.ports.domain.directEnded(contactId, how), `direct ended (${how})`);
  }

  /** The agent left the contact to the agent it was offered to by name, which now owns it. */
  async transferredTo(contactId: string, agentId: string): Promise<void> {
    await this.apply(this.ports.domain.transferred(contactId), `transferred to ${agentId}`);
    if (this.ports.domain.contactView(contactId).ok) this.ports.owners.setAgent(contactId, agentId);
  }

  answered(contactId: string): Promise<void> {
    return this.apply(this.ports.domain.answered(contactId), 'answered');
  }

  /**
   * The agent's phone was not answered. Only while the contact is still offered to that agent: a late
   * report about an earlier agent (CTI's own ring timer already moved the contact on) must not make the
   * agent now ringing not-ready.
   */
  ringNoAnswer(contactId: string, agentId: string): Promise<void> {
    const view = this.ports.domain.contactView(contactId);
    if (view.ok && view.value.agentId !== agentId) {
      this.ports.log.info('late no-answer report ignored', {
        contactId,
        agentId,
        offeredTo: view.value.agentId,
      });
      return Promise.resolve();
    }
    return this.apply(this.ports.domain.ringNoAnswer(contactId), 'ring-no-answer');
  }

  /** The agent put the caller on hold / took it back: the contact is held, the agent stays talking. */
  held(contactId: string): Promise<void> {
    return this.apply(this.ports.domain.held(contactId), 'held');
  }

  retrieved(contactId: string): Promise<void> {
    return this.apply(this.ports.domain.retrieved(contactId), 'retrieved');
  }

  /**
   * Blind transfer to a queue: the transferring agent is done with the contact (wrap-up, as after a
   * release) and stops owning it; the contact re-enters routing when the IVR asks for the new queue.
   */
  async transferredOut(contactId: string, agentId: string): Promise<void> {
    await this.apply(this.ports.domain.released(contactId), 'transferred');
    if (this.ports.owners.agent(contactId) === agentId) this.ports.owners.clearAgent(contactId);
  }

  /** The contact's place changed (a supervisor moved or raised it): its IVR announces the new one. */
  announcePosition(contactId: string): Promise<void> {
    const view = this.ports.domain.contactView(contactId);
    return view.ok ? this.sendQueueStatus(contactId, view.value.queueId) : Promise.resolve();
  }

  /** The contact's queue and state in the domain, if it is live there. */
  contact(
    contactId: string,
  ):
    | { queueId: string; state: string; agentId?: string; directAgentId?: string; callback: boolean }
    | undefined {
    const view = this.ports.domain.contactView(contactId);
    return view.ok ? view.value : undefined;
  }

  /** An agent's current state (and not-ready reason), if known. */
  agentState(agentId: string): { state: string; reason?: string } | undefined {
    const view = this.ports.domain.agentView(agentId);
    if (!view.ok) return undefined;
    return {
      state: view.value.state,
      ...(view.value.reason === undefined ? {} : { reason: view.value.reason }),
    };
  }

  /** The caller asked to be called back at `number` (callback-routing.ts); false when refused. */
  callbackRequested(contactId: string, number: string): Promise<boolean> {
    return this.callbacks.requested(contactId, number);
  }

  /** Whether the contact waits as a callback (its ConnectionCleared is the caller who asked hanging up). */
  awaitsCallback(contactId: string): boolean {
    return this.callbacks.awaits(contactId);
  }

  /** The caller who asked for the callback hung up: an offer that waited for that is dialled now. */
  callerLeftForCallback(contactId: string): Promise<void> {
    return this.callbacks.callerLeft(contactId);
  }

  /** The callback's agent answered: the agent is busy (talking) while the customer's phone rings. */
  callbackDialing(contactId: string): Promise<void> {
    return this.apply(this.ports.domain.answered(contactId), 'callback dialling');
  }

  /** The customer did not answer: scheduled again, failed for good, or a stale report (ignored). */
  callbackUnanswered(contactId: string, agentId: string): Promise<'scheduled' | 'failed' | 'ignored'> {
    return this.callbacks.unanswered(contactId, agentId);
  }

  /** The callback connected and ended (or the contact is gone): nothing more is owed. */
  callbackDone(contactId: string): void {
    this.callbacks.done(contactId);
  }

  /** What a (re)connecting client is told: the state, its reason, since when, the call it is on. */
  agentStatus(
    agentId: string,
  ): { state: string; reason?: string; since: number; contactId?: string } | undefined {
    const view = this.ports.domain.agentView(agentId);
    if (!view.ok) return undefined;
    return {
      state: view.value.state,
      since: view.value.stateSince,
      ...(view.value.reason === undefined ? {} : { reason: view.value.reason }),
      ...(view.value.realtimeContactId === undefined ? {} : { contactId: view.value.realtimeContactId }),
    };
  }

  /**
   * After a restore: the domain's timers on the event loop again. One that fell due while CTI was down
   * fires at `notBefore`, not at once: the events queued for CTI meanwhile (the agent answered, the
   * caller hung up) must be handled first, or a ring timer would take back a call already answered.
   */
  rearmTimers(notBefore: number): number {
    const timers = this.ports.domain.armedTimers();
    for (const t of timers)
      this.ports.scheduler.schedule(t.id, Math.max(t.dueAt, notBefore), () => this.timerFired(t.id));
    return timers.length;
  }

  /**
   * Executes a command's outcome decided outside this service (the directory, at start and live). A
   * configuration change is in no outcome key: the next state write compares the whole state.
   */
  applyResult(result: Result<Outcome>, what: string): Promise<void> {
    if (result.ok) void this.ports.persist?.([], true);
    return this.apply(result, what);
  }

  /** The stored offer never reached SoftACD (CTI stopped in between): DivertCall again, same agent. */
  async resendOffer(contactId: string): Promise<void> {
    const view = this.ports.domain.contactView(contactId);
    if (!view.ok || view.value.state !== 'offered' || view.value.agentId === undefined) return;
    contactLogger(this.ports.log, contactId).warn('offer sent again after CTI restart', {
      agentId: view.value.agentId,
    });
    await this.offer(contactId, view.value.agentId, view.value.queueId);
  }

  /** The call ended: released if an agent had it, abandoned if it was still waiting or ringing. */
  async ended(contactId: string): Promise<void> {
    const view = this.ports.domain.contactView(contactId);
    if (!view.ok) return; // never queued (ended in routing or the IVR menus)
    const state = view.value.state;
    const result =
      state === 'connected' || state === 'held'
        ? this.ports.domain.released(contactId)
        : this.ports.domain.contactAbandoned(contactId);
    await this.apply(result, 'ended');
  }

  private async apply(result: Result<Outcome>, what: string): Promise<void> {
    if (!result.ok) {
      // A refused command changed nothing; races (a late DivertFailed, a repeated Ready) end here.
      this.ports.log.warn('routing command refused', {
        what,
        code: result.error.code,
        error: result.error.message,
      });
      return;
    }
    const outcome = result.value;
    this.ports.observe?.(outcome);
    // Who the contact is offered to is part of the stored state (interface A checks it).
    for (const offer of outcome.offers) this.ports.owners.setAgent(offer.contactId, offer.agentId);
    // Commands leave once the state is stored (a restarted CTI knows every offer it made). The history
    // (agent-state records, timeline entries) is written at the same time, each store grouping it with
    // the other writes of the moment; with `defer`, commands do not wait for it.
    const state = this.ports.persist?.(outcomeKeys(outcome));
    const history = Promise.all([
      this.ports.agentStates.append(outcome.agentChanges),
      ...outcome.contactChanges.map((change) => this.recordContact(change)),
    ]);
    if (this.ports.defer !== undefined) this.ports.defer(history);
    const stored = this.ports.defer === undefined ? Promise.all([state, history]) : state;
    for (const t of outcome.timers) {
      if (t.type === 'cancel') this.ports.scheduler.cancel(t.timerId);
      else this.ports.scheduler.schedule(t.timer.id, t.timer.dueAt, () => this.timerFired(t.timer.id));
    }
    await stored;
    for (const change of outcome.agentChanges) this.ports.notify?.agentChanged(change);
    const tasks = this.ports.tasks;
    if (tasks !== undefined)
      for (const change of outcome.contactChanges)
        if (tasks.handles(change.contactId)) await tasks.changed(change);
    for (const offer of outcome.offers) {
      if (!REALTIME_CHANNELS.has(offer.channel)) await tasks?.offered(offer);
      else if (offer.callback) await this.callbacks.offer(offer.contactId, offer.agentId, offer.queueId);
      else await this.offer(offer.contactId, offer.agentId, offer.queueId);
    }
    for (const notice of outcome.notices) {
      const ivr = this.ports.owners.ivr(notice.contactId);
      if (ivr === undefined) continue;
      await this.ports.toIvr(ivr, {
        type: 'QueueTimeout',
        contactId: notice.contactId,
        queueId: notice.queueId,
        action: notice.action,
      });
    }
  }

  private timerFired(id: string): void {
    const result = this.ports.domain.timerFired(id);
    // The domain drops a fired timer even when the firing is refused (stale): its record goes too.
    if (!result.ok) void this.ports.persist?.([`t:${id}`]);
    this.apply(result, `timer ${id}`).catch((err: unknown) =>
      this.ports.log.error('timer handling failed', { timer: id, error: errorText(err) }),
    );
  }

  private async offer(contactId: string, agentId: string, queueId: string): Promise<void> {
    const log = contactLogger(this.ports.log, contactId);
    const agent = this.ports.agents.get(agentId);
    const softacd = this.ports.owners.softacd(contactId);
    if (agent?.endpoint === undefined || softacd === undefined) {
      // Never charged to the agent (undeliverable.ts): a contact with no known call is dropped.
      const why = softacd === undefined ? 'call-unknown' : 'no-phone';
      log.warn('offer cannot be delivered', { agentId, why, hasEndpoint: agent?.endpoint !== undefined });
      if (this.ports.owners.agent(contactId) === agentId) this.ports.owners.clearAgent(contactId);
      await this.apply(withdrawOffer(this.ports.domain, contactId, why), `undeliverable offer (${why})`);
      if (why === 'call-unknown') this.ports.callGone?.(contactId);
      return;
    }
    log.info('offering to agent', { agentId, login: agent.login, queueId });
    this.ports.owners.setAgent(contactId, agentId);
    // The phone starts ringing at once; the screen pop waits until the AS lets the agent read the contact
    // (the page would otherwise be refused and ask again), but never longer than OFFER_STORE_WAIT_MS.
    const stored = within(
      this.ports.historyStored?.(contactId) ?? Promise.resolve(),
      OFFER_STORE_WAIT_MS,
      (err) => log.warn('offer not stored before the screen pop', { error: errorText(err) }),
    );
    const diverted = this.ports.divert(softacd, {
      type: 'DivertCall',
      contactId,
      agentId,
      endpoint: agent.endpoint,
      ringTimeoutSec: this.ports.ringTimeoutSec(queueId),
      ...(agent.callerIdName === undefined ? {} : { callerIdName: agent.callerIdName }),
      ...(agent.callerIdNumber === undefined ? {} : { callerIdNumber: agent.callerIdNumber }),
    });
    // Its failure is awaited below; this only keeps it from counting as unhandled meanwhile.
    diverted.catch(() => undefined);
    await stored;
    this.ports.notify?.offered(contactId, agentId, queueId);
    await diverted;
  }

  private async sendQueueStatus(contactId: string, queueId: string): Promise<void> {
    const ivr = this.ports.owners.ivr(contactId);
    const position = this.ports.domain.queuePosition(contactId);
    if (ivr === undefined || !position.ok) return;
    const wait = this.ports.domain.expectedWaitMs(contactId);
    await this.ports.toIvr(ivr, {
      type: 'QueueStatus',
      contactId,
      queueId,
      position: position.value,
      expectedWaitSec: wait.ok && wait.value !== null ? Math.round(wait.value / 1000) : null,
    });
  }

  private async recordContact(change: ContactStateChange): Promise<void> {
    const { entry, set, answered } = contactRecord(change);
    // A task's interaction carries its state like a call's (the call path sets it from SoftACD's events).
    if (this.ports.tasks?.handles(change.contactId) === true) Object.assign(set, taskFields(change, entry));
    else if (answered) this.ports.owners.setAnswered(change.contactId);
    await this.ports.interactions.record(change.contactId, entry, set);
  }
}
