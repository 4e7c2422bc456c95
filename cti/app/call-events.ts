import { Logger, contactLogger } from '../../lib/log';
import type { Draft, Message, MessageOf } from '../../lib/messages';
import type { InteractionDoc, InteractionStore, TimelineEntry } from '../store/interactions';
import { firstRoute } from './route-policy';
import type { ContactOwners } from './owners';
import type { RoutingService } from './routing';

/** Interface A pushes that follow call events (S237 On Answer Success, the end of a call). */
export interface CallNotifier {
  established(agentId: string, contactId: string): void;
  cleared(agentId: string, contactId: string, releasedBy: string): void;
  held(agentId: string, contactId: string): void;
  retrieved(agentId: string, contactId: string): void;
  transferred(agentId: string, contactId: string, target: string): void;
  transferFailed(agentId: string, contactId: string, reason: string): void;
  consulted(agentId: string, contactId: string, target: string): void;
  consultEnded(agentId: string, contactId: string, outcome: string): void;
  conferenced(agentId: string, contactId: string, target: string): void;
  conferenceEnded(agentId: string, contactId: string, left: string): void;
  /** A callback's customer did not answer; `retry`: it will be dialled again later. */
  callbackFailed?(agentId: string, contactId: string, reason: string, retry: boolean): void;
}

export interface CallEventPorts {
  clients?: CallNotifier;
  routing: RoutingService;
  owners: ContactOwners;
  store: InteractionStore;
  /** Sends a command to the SoftACD instance that owns the call's channel. */
  commandSoftAcd: (instance: string, draft: Draft<'RouteSelect'> | Draft<'RecordCall'>) => Promise<void>;
  log: Logger;
  directQueues: ReadonlyMap<string, string>;
  /** Queues whose calls are recorded from Established until the call ends. */
  recordingQueues?: ReadonlySet<string>;
  /**
   * Business hours (closed-hours.ts): the queue an AgentRequest is queued in, or null when the queue is
   * closed and the IVR plays a prompt or takes a voicemail instead (never throws). Without it: all open.
   */
  closedHours?: { route(contactId: string, queue: string): Promise<string | null> };
  /** Handles SoftACDs' call lists (reconciler.ts). */
  callLists?: { callList(m: MessageOf<'CallList'>): Promise<void> };
  /**
   * Takes a timeline write the handling does not wait for (lib/deferred-writes.ts: the message's ack
   * does). Without it every write is awaited where it is made.
   */
  defer?: (write: Promise<unknown>) => void;
}

/** How the message arrived: `redelivered` after a consumer (a crashed CTI) did not acknowledge it. */
export interface Delivery {
  redelivered: boolean;
}

/**
 * CTI's handling of call events (S203-S208, S216, S241). Each handler stores its effect, or hands the
 * write to `defer`, before it resolves, so the bus acknowledges a message only once its effect is durable.
 */
export class CallEvents {
  constructor(private readonly ports: CallEventPorts) {}

  async handle(message: Message, delivery: Delivery = { redelivered: false }): Promise<void> {
    switch (message.type) {
      case 'CallDelivered':
        return this.callDelivered(message);
      case 'RouteRequest':
        return this.routeRequest(message, delivery);
      case 'ConnectionCleared':
        return this.connectionCleared(message, delivery);
      case 'AgentRequest': {
        if (this.ports.owners.softacd(message.contactId) === undefined) return this.refuseRequest(message);
        const requested = this.record(message.contactId, entry(message, { queueId: message.queueId }));
        // A callback is booked whatever the hours: it is dialled when an agent is free.
        const hours = message.callback ? undefined : this.ports.closedHours;
        const queue = hours ? await hours.route(message.contactId, message.queueId) : message.queueId;
        // Recorded with the routing's own writes (one batch, the request first on the timeline).
        await Promise.all([
          requested,
          queue === null ? undefined : this.ports.routing.contactQueued(message.contactId, queue),
        ]);
        return;
      }
      case 'Established': {
        const contact = this.ports.routing.contact(message.contactId);
        if (contact === undefined) {
          // A call transferred to this agent by name: not a routing offer, the agent now owns it.
          this.ports.owners.setAgent(message.contactId, message.agentId);
          await this.record(message.contactId, entry(message, { agentId: message.agentId }), {
            agentId: message.agentId,
          });
          this.ports.clients?.established(message.agentId, message.contactId);
          return;
        }
        const recorded = this.record(message.contactId, entry(message, { agentId: message.agentId }));
        // A transfer's target that already talked in the consultation (or the conference) took the
        // contact over when the first agent left: that is not a new answer. A callback was answered in
        // the domain when its agent answered (CallbackDialing).
        const answer =
          !this.alreadyConnected(message.contactId, message.agentId) &&
          !(contact.callback && contact.state === 'connected');
        await Promise.all([recorded, answer ? this.ports.routing.answered(message.contactId) : undefined]);
        this.ports.clients?.established(message.agentId, message.contactId);
        return this.recordIfAsked(message.contactId);
      }
      case 'Held':
        // The domain's change is the timeline entry (Held, with queue and agent).
        await this.ports.routing.held(message.contactId);
        this.ports.clients?.held(message.agentId, message.contactId);
        return;
      case 'Retrieved':
        await this.ports.routing.retrieved(message.contactId);
        this.ports.clients?.retrieved(message.agentId, message.contactId);
        return;
      case 'Transferred':
        await this.record(
          message.contactId,
          entry(message, { agentId: message.agentId, target: message.target }),
        );
        // To an agent: the agent offered the call by name takes it over (it rings, or already talks after
        // a consultation). To a queue or a number: the contact ends here for the routing domain.
        if (message.target.kind === 'agent' && this.isDirectTarget(message.contactId, message.target.agentId))
          await this.ports.routing.transferredTo(message.contactId, message.target.agentId);
        else await this.ports.routing.transferredOut(message.contactId, message.agentId);
        this.ports.clients?.transferred(message.agentId, message.contactId, targetText(message.target));
        return;
      case 'TransferFailed':
        await this.record(
          message.contactId,
          entry(message, { agentId: message.agentId, reason: message.reason }),
        );
        this.ports.clients?.transferFailed(message.agentId, message.contactId, message.reason);
        if (message.target?.kind === 'agent')
          await this.targetDidNotAnswer(message.contactId, message.target.agentId);
        return;
      case 'Consulted':
        await this.record(
          message.contactId,
          entry(message, { agentId: message.agentId, target: message.target }),
        );
        if (message.target.kind === 'agent' && this.isDirectTarget(message.contactId, message.target.agentId))
          await this.ports.routing.directAnswered(message.contactId);
        this.ports.clients?.consulted(message.agentId, message.contactId, targetText(message.target));
        return;
      case 'ConsultEnded':
        await this.record(
          message.contactId,
          entry(message, { agentId: message.agentId, outcome: message.outcome, target: message.target }),
        );
        this.ports.clients?.consultEnded(message.agentId, message.contactId, message.outcome);
        // Cancelled: ready again (wrap-up if it had answered); failed: it did not answer (not-ready).
        if (message.target.kind === 'agent' && this.isDirectTarget(message.contactId, message.target.agentId))
          await this.ports.routing.directEnded(
            message.contactId,
            message.outcome === 'cancelled' ? 'cancelled' : 'no-answer',
          );
        return;
      case 'Conferenced':
        return this.conferenced(message);
      case 'ConferenceEnded':
        return this.conferenceEnded(message);
      case 'RecordingStored': {
        const recording = {
          name: message.name,
          format: message.format,
          durationSec: message.durationSec,
          path: message.path,
        };
        // A voicemail is shown under the queue it was left for (the agents of that queue call back).
        const kind = message.kind ?? 'call';
        const queueId = message.queueId;
        return this.record(
          message.contactId,
          entry(message, { ...recording, kind, ...(queueId !== undefined && { queueId }) }),
          { recording, ...(queueId !== undefined && { queueId }) },
        );
      }
      case 'DivertFailed':
        await this.record(
          message.contactId,
          entry(message, { agentId: message.agentId, reason: message.reason }),
        );
        if (message.reason === 'caller-gone') return this.callerGone(message.contactId, message.agentId);
        await this.ports.routing.ringNoAnswer(message.contactId, message.agentId);
        return;
      case 'CallbackCancelled':
        // Withdrawn while it waits: it leaves its queue as a caller hanging up would.
        this.ports.routing.callbackDone(message.contactId);
        return this.clear(message.contactId, 'caller', entry(message));
      case 'CallbackRequested': {
        await this.record(
          message.contactId,
          entry(message, { queueId: message.queueId, number: message.number }),
        );
        const accepted = await this.ports.routing.callbackRequested(message.contactId, message.number);
        if (!accepted)
          await this.record(message.contactId, {
            at: new Date(),
            type: 'CallbackRefused',
            data: { number: message.number },
          });
        return;
      }
      case 'CallbackDialing':
        await this.record(
          message.contactId,
          entry(message, { agentId: message.agentId, number: message.number }),
        );
        return this.ports.routing.callbackDialing(message.contactId);
      case 'CallbackFailed':
        return this.callbackFailed(message);
      case 'AgentLogin':
        return this.ports.routing.agentEvent('login', message.agentId);
      case 'AgentLogout':
        return this.ports.routing.agentEvent('logout', message.agentId);
      case 'AgentReady':
        return this.ports.routing.agentEvent('ready', message.agentId);
      case 'AgentNotReady':
        return this.ports.routing.agentEvent('not-ready', message.agentId, message.reason);
      case 'CallList':
        return this.ports.callLists?.callList(message);
      default:
        return this.record(message.contactId, entry(message));
    }
  }

  private async callDelivered(m: MessageOf<'CallDelivered'>): Promise<void> {
    if (m.deliveredTo.kind !== 'acd') {
      if (m.deliveredTo.kind === 'ivr') this.ports.owners.setIvr(m.contactId, m.deliveredTo.instance);
      await Promise.all([
        this.record(m.contactId, entry(m, { deliveredTo: m.deliveredTo })),
        m.deliveredTo.kind === 'agent'
          ? this.ports.routing.ringing(m.contactId, m.deliveredTo.agentId)
          : undefined,
      ]);
      return;
    }
    this.ports.owners.setSoftacd(m.contactId, m.deliveredTo.instance);
    this.ports.owners.setCaller(m.contactId, {
      callingNumber: m.callingNumber,
      callingName: m.callingName,
      media: m.media,
    });
    const created = this.ports.store.create(
      {
        _id: m.contactId,
        channel: m.media === 'audio+video' ? 'video' : 'voice',
        direction: 'inbound',
        from: m.callingNumber,
        to: m.calledNumber,
        state: 'delivered',
        createdAt: new Date(m.at),
        softacd: m.deliveredTo.instance,
      },
      entry(m, { callingName: m.callingName, media: m.media }),
    );
    if (this.ports.defer === undefined) return created;
    this.ports.defer(created);
  }

  /** Three talk: the caller is no longer on hold; an agent target becomes the conference's party. */
  private async conferenced(m: MessageOf<'Conferenced'>): Promise<void> {
    await this.record(m.contactId, entry(m, { agentId: m.agentId, target: m.target }));
    if (this.ports.routing.contact(m.contactId)?.state === 'held')
      await this.ports.routing.retrieved(m.contactId);
    this.ports.clients?.conferenced(m.agentId, m.contactId, targetText(m.target));
    if (m.target.kind !== 'agent') return;
    this.ports.owners.setParty(m.contactId, m.target.agentId);
    this.ports.clients?.conferenced(m.target.agentId, m.contactId, `agent:${m.agentId}`);
  }

  /**
   * Back to two parties. The third party left: an agent target is free again. The agent left: it is
   * done with the contact (wrap-up, as after a transfer) and the agent target keeps the caller (its
   * Established follows and makes it the owner).
   */
  private async conferenceEnded(m: MessageOf<'ConferenceEnded'>): Promise<void> {
    await this.record(m.contactId, entry(m, { agentId: m.agentId, left: m.left, target: m.target }));
    this.ports.owners.clearParty(m.contactId);
    const party = m.target.kind === 'agent' ? m.target.agentId : undefined;
    this.ports.clients?.conferenceEnded(m.agentId, m.contactId, m.left);
    if (party !== undefined) this.ports.clients?.conferenceEnded(party, m.contactId, m.left);
    if (party === undefined || !this.isDirectTarget(m.contactId, party)) return;
    // The third party left: it wraps up. The agent left: the target agent takes the contact over.
    if (m.left === 'third-party') await this.ports.routing.directEnded(m.contactId, 'cancelled');
    else await this.ports.routing.transferredTo(m.contactId, party);
  }

  /**
   * Routed at once from what CTI holds: the store is read only for a redelivered request (CTI stopped
   * before its ack), which must not move the caller to the IVR again once it was routed. A RouteSelect
   * sent twice all the same (routed, not yet recorded, when CTI stopped) is ignored by SoftACD: the call
   * is no longer waiting for its route there.
   */
  private async routeRequest(m: MessageOf<'RouteRequest'>, delivery: Delivery): Promise<void> {
    const log = contactLogger(this.ports.log, m.contactId);
    const doc = delivery.redelivered ? await this.ports.store.find(m.contactId) : null;
    if (doc !== null && doc.state !== 'delivered') {
      log.info('route request not routed again', { state: doc.state });
      return;
    }
    const owner = this.ports.owners.softacd(m.contactId) ?? doc?.softacd;
    if (owner === undefined) throw new Error(`RouteRequest for unknown contact ${m.contactId}`);
    const destination = firstRoute(m.calledNumber, this.ports.directQueues);
    await this.record(m.contactId, entry(m), { state: 'routing' });
    await this.ports.commandSoftAcd(owner, { type: 'RouteSelect', contactId: m.contactId, destination });
    await this.record(m.contactId, { at: new Date(), type: 'RouteSelect', data: { destination } });
    log.info('route selected', { destination });
  }

  /** One callback attempt ended before the customer answered: the queue's retry policy applies. */
  private async callbackFailed(m: MessageOf<'CallbackFailed'>): Promise<void> {
    await this.record(m.contactId, entry(m, { agentId: m.agentId, number: m.number, reason: m.reason }));
    const outcome = await this.ports.routing.callbackUnanswered(m.contactId, m.agentId);
    if (outcome === 'ignored') return;
    this.ports.clients?.callbackFailed?.(m.agentId, m.contactId, m.reason, outcome === 'scheduled');
    // That attempt's legs are gone; the next attempt gets its owners anew.
    this.ports.owners.forget(m.contactId);
    if (outcome === 'failed')
      await this.record(
        m.contactId,
        { at: new Date(m.at), type: 'CallbackGaveUp', data: { number: m.number } },
        { state: 'callback-failed', endedAt: new Date(m.at) },
      );
  }

  /**
   * The caller who asked for a callback hung up: its place stays in the queue (not abandoned), and an
   * offer that waited for the hang-up is dialled now.
   */
  private async callerLeftForCallback(contactId: string, timeline: TimelineEntry): Promise<void> {
    const agentId = this.ports.owners.agent(contactId);
    this.ports.owners.forget(contactId);
    if (agentId !== undefined) this.ports.owners.setAgent(contactId, agentId);
    await this.record(contactId, timeline, { state: 'callback', abandoned: false });
    await this.ports.routing.callerLeftForCallback(contactId);
  }

  private connectionCleared(m: MessageOf<'ConnectionCleared'>, delivery: Delivery): Promise<void> {
    if (this.ports.routing.awaitsCallback(m.contactId))
      return this.callerLeftForCallback(
        m.contactId,
        entry(m, { releasedBy: m.releasedBy, stage: m.stage, cause: m.cause }),
      );
    this.ports.routing.callbackDone(m.contactId);
    return this.clear(
      m.contactId,
      m.releasedBy,
      entry(m, { releasedBy: m.releasedBy, stage: m.stage, cause: m.cause }),
      delivery,
    );
  }

  /**
   * Releases the contact's agent and any agent it was offered to by name (a conference's third party).
   * What CTI holds says whether the call was answered; the store is read only when CTI holds nothing of
   * the contact or the message is redelivered (it may have been cleared already).
   */
  private async clear(
    contactId: string,
    releasedBy: string,
    timeline: { at: Date; type: string; data?: Record<string, unknown> },
    delivery: Delivery = { redelivered: false },
  ): Promise<void> {
    const owners = this.ports.owners;
    const known = owners.knows(contactId) || this.ports.routing.contact(contactId) !== undefined;
    let answered = owners.answered(contactId);
    let exists = known;
    if (!known || delivery.redelivered) {
      const doc = await this.ports.store.find(contactId);
      // Already cleared: a redelivery (CTI stopped after storing the clearing, before the ack) or the
      // SoftACD's own report arriving after CTI reconciled the call away. Cleared once, recorded once.
      if (doc?.state === 'cleared' && owners.softacd(contactId) === undefined) return;
      answered ||= doc?.answeredAt !== undefined;
      exists = doc !== null;
    }
    await this.ports.routing.ended(contactId);
    const agentId = owners.agent(contactId);
    if (agentId !== undefined) this.ports.clients?.cleared(agentId, contactId, releasedBy);
    const party = owners.party(contactId);
    if (party !== undefined) this.ports.clients?.cleared(party, contactId, releasedBy);
    owners.forget(contactId);
    const abandoned = exists && !answered && releasedBy === 'caller';
    await this.record(contactId, timeline, {
      state: 'cleared',
      endedAt: timeline.at,
      abandoned,
      ...(releasedBy === 'system' && { clearedBy: 'system' as const }),
    });
  }

  /**
   * CTI ends a contact whose call is gone without a ConnectionCleared (reconciliation, a dead offer): as
   * a ConnectionCleared would (its agent freed and told, its owners forgotten, a callback's place kept),
   * recorded as system-cleared (`Reconciled`, `clearedBy: system`): not a caller's abandon in reports.
   * Run it in the contact's turn.
   */
  clearBySystem(contactId: string, data: Record<string, unknown>, at = new Date()): Promise<void> {
    const timeline = { at, type: 'Reconciled', data: { ...data, outcome: 'system-cleared' } };
    if (this.ports.routing.awaitsCallback(contactId)) return this.callerLeftForCallback(contactId, timeline);
    this.ports.routing.callbackDone(contactId);
    return this.clear(contactId, 'system', timeline);
  }

  /**
   * An AgentRequest for a call CTI holds no SoftACD for: the caller hung up and its ConnectionCleared
   * (SoftACD's) overtook the IVR's request, or the call never reached CTI. Queued, it could never be
   * delivered: under load such late requests left contacts without a call in the queues (issue 10).
   */
  private async refuseRequest(m: MessageOf<'AgentRequest'>): Promise<void> {
    contactLogger(this.ports.log, m.contactId).warn(
      'agent request for a call CTI does not hold: not queued',
      {
        queueId: m.queueId,
      },
    );
    await this.record(m.contactId, entry(m, { queueId: m.queueId, refused: 'call-not-held' }));
  }

  /**
   * SoftACD holds no call for the offer (its ConnectionCleared, if the caller hung up, came before this
   * and cleared the contact): the call ended unseen. Still offered to this agent: cleared now (the agent
   * Ready again) rather than left reserved until the ring timer makes it not-ready.
   */
  private async callerGone(contactId: string, agentId: string): Promise<void> {
    const view = this.ports.routing.contact(contactId);
    if (view?.agentId !== agentId || !['offered', 'ringing'].includes(view.state)) return;
    contactLogger(this.ports.log, contactId).warn('offered call unknown at SoftACD: cleared', { agentId });
    await this.clearBySystem(contactId, { why: 'caller-gone', agentId });
  }

  /** A timeline write: handed to `defer` (the ack waits for it), or awaited here without one. */
  private record(contactId: string, entry: TimelineEntry, set?: Partial<InteractionDoc>): Promise<void> {
    const write = this.ports.store.record(contactId, entry, set);
    if (this.ports.defer === undefined) return write;
    this.ports.defer(write);
    return Promise.resolve();
  }

  /** Whether `agentId` is the agent the contact is offered to by name (a transfer or a consultation). */
  private isDirectTarget(contactId: string, agentId: string): boolean {
    return this.ports.routing.contact(contactId)?.directAgentId === agentId;
  }

  private alreadyConnected(contactId: string, agentId: string): boolean {
    const view = this.ports.routing.contact(contactId);
    return view?.agentId === agentId && view.state === 'connected';
  }

  /**
   * A blind transfer's target agent did not answer: like a routed ring-no-answer (not-ready, the contact
   * back to the head of its queue, where SoftACD sends the caller). If the transfer failed before the
   * first agent left, the offer by name just ends.
   */
  private async targetDidNotAnswer(contactId: string, agentId: string): Promise<void> {
    const view = this.ports.routing.contact(contactId);
    if (view?.directAgentId === agentId) await this.ports.routing.directEnded(contactId, 'no-answer');
    else if (view?.agentId === agentId) await this.ports.routing.ringNoAnswer(contactId, agentId);
  }

  private async recordIfAsked(contactId: string): Promise<void> {
    const queueId = this.ports.routing.contact(contactId)?.queueId;
    const owner = this.ports.owners.softacd(contactId);
    if (queueId === undefined || owner === undefined || !this.ports.recordingQueues?.has(queueId)) return;
    await this.ports.commandSoftAcd(owner, { type: 'RecordCall', contactId, format: 'wav' });
    contactLogger(this.ports.log, contactId).info('recording asked', { queueId });
  }

  get liveCalls(): number {
    return this.ports.owners.size;
  }
}

function targetText(t: MessageOf<'Transferred'>['target']): string {
  return t.kind === 'queue'
    ? `queue:${t.queueId}`
    : t.kind === 'agent'
      ? `agent:${t.agentId}`
      : `number:${t.number}`;
}

function entry(m: Message, data?: Record<string, unknown>) {
  return { at: new Date(m.at), type: m.type, messageId: m.id, ...(data === undefined ? {} : { data }) };
}
