import { Logger, contactLogger, errorText } from '../../lib/log';
import type { Draft } from '../../lib/messages';
import type { AgentStateChange, CtiDomain, ContactStateChange, Outcome, Result } from '../domain';
import type { AgentStateStore } from '../store/agent-states';
import type { InteractionStore, InteractionDoc } from '../store/interactions';
import type { AgentContact } from './directory';
import type { ContactOwners } from './owners';

export interface Scheduler {
  schedule(id: string, dueAt: number, fire: () => void): void;
  cancel(id: string): void;
}

/** Where CTI tells agents' clients what happened to them (interface A). */
export interface AgentNotifier {
  agentChanged(change: AgentStateChange): void;
  offered(contactId: string, agentId: string, queueId: string): void;
}

export interface RoutingPorts {
  notify?: AgentNotifier;
  domain: CtiDomain;
  interactions: InteractionStore;
  agentStates: AgentStateStore;
  agents: ReadonlyMap<string, AgentContact>;
  ringTimeoutSec: (queueId: string) => number;
  owners: ContactOwners;
  divert: (softacd: string, draft: Draft<'DivertCall'>) => Promise<void>;
  toIvr: (ivr: string, draft: Draft<'QueueStatus'> | Draft<'QueueTimeout'>) => Promise<void>;
  scheduler: Scheduler;
  log: Logger;
}

const TIMELINE: Record<string, string> = {
  waiting: 'Queued',
  offered: 'Offered',
  ringing: 'Ringing',
  connected: 'Connected',
  held: 'Held',
  ended: 'Ended',
};

/**
 * Runs the routing domain for CTI: every command's outcome is stored (agent states, contact timeline),
 * then executed (DivertCall to the owning SoftACD, queue notices to the IVR, timers). The domain decides
 * on arrival or when an agent frees up; nothing here polls.
 */
export class RoutingService {
  constructor(private readonly ports: RoutingPorts) {}

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

  /** The contact's queue and state in the domain, if it is live there. */
  contact(
    contactId: string,
  ): { queueId: string; state: string; agentId?: string; directAgentId?: string } | undefined {
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

  callbackRequested(contactId: string): Promise<void> {
    return this.apply(this.ports.domain.callbackRequested(contactId), 'callback');
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
    await this.ports.agentStates.append(outcome.agentChanges);
    for (const change of outcome.agentChanges) this.ports.notify?.agentChanged(change);
    for (const change of outcome.contactChanges) await this.recordContact(change);
    for (const t of outcome.timers) {
      if (t.type === 'cancel') this.ports.scheduler.cancel(t.timerId);
      else this.ports.scheduler.schedule(t.timer.id, t.timer.dueAt, () => this.timerFired(t.timer.id));
    }
    for (const offer of outcome.offers) await this.offer(offer.contactId, offer.agentId, offer.queueId);
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
    this.apply(this.ports.domain.timerFired(id), `timer ${id}`).catch((err: unknown) =>
      this.ports.log.error('timer handling failed', { timer: id, error: errorText(err) }),
    );
  }

  private async offer(contactId: string, agentId: string, queueId: string): Promise<void> {
    const log = contactLogger(this.ports.log, contactId);
    const agent = this.ports.agents.get(agentId);
    const softacd = this.ports.owners.softacd(contactId);
    if (agent?.endpoint === undefined || softacd === undefined) {
      // Not callable (no phone, or a non-call task): hand it back so the next agent gets it.
      log.warn('offer cannot be delivered', { agentId, hasEndpoint: agent?.endpoint !== undefined, softacd });
      await this.apply(this.ports.domain.ringNoAnswer(contactId), 'undeliverable offer');
      return;
    }
    log.info('offering to agent', { agentId, login: agent.login, queueId });
    this.ports.owners.setAgent(contactId, agentId);
    this.ports.notify?.offered(contactId, agentId, queueId);
    await this.ports.divert(softacd, {
      type: 'DivertCall',
      contactId,
      agentId,
      endpoint: agent.endpoint,
      ringTimeoutSec: this.ports.ringTimeoutSec(queueId),
      ...(agent.callerIdName === undefined ? {} : { callerIdName: agent.callerIdName }),
      ...(agent.callerIdNumber === undefined ? {} : { callerIdNumber: agent.callerIdNumber }),
    });
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
    const at = new Date(change.at);
    const set: Partial<InteractionDoc> = { queueId: change.queueId };
    if (change.to === 'waiting' && change.from === 'new') set.queuedAt = at;
    if (change.to === 'offered' && change.agentId !== undefined) {
      set.offeredAt = at;
      set.agentId = change.agentId;
    }
    // A transfer's target taking over a call it already talks in is not a new answer either.
    const takeOver = change.to === 'connected' && change.reason === 'transfer';
    if (takeOver && change.agentId !== undefined) set.agentId = change.agentId;
    // Retrieved from hold is not a second answer.
    if (change.to === 'connected' && change.from !== 'held' && !takeOver) set.answeredAt = at;
    const type = takeOver
      ? 'TakenOver'
      : change.to === 'waiting' && change.from !== 'new'
        ? 'Requeued'
        : change.to === 'connected' && change.from === 'held'
          ? 'Retrieved'
          : (TIMELINE[change.to] ?? change.to);
    await this.ports.interactions.record(
      change.contactId,
      {
        at,
        type,
        data: {
          queueId: change.queueId,
          ...(change.agentId === undefined ? {} : { agentId: change.agentId }),
          ...(change.reason === undefined ? {} : { reason: change.reason }),
        },
      },
      set,
    );
  }
}
