import { randomUUID } from 'node:crypto';
import { Logger, contactLogger } from '../../lib/log';
import type { Draft, Message, MessageOf } from '../../lib/messages';
import type { CtiDomain, DomainError } from '../domain';
import type { InteractionDoc, InteractionStore, TimelineEntry } from '../store/interactions';
import type { ContactPhases } from './agent-status';
import { CallControlRefused } from './call-control';
import type { AgentContact } from './directory';
import type { ContactOwners } from './owners';
import type { RoutingService } from './routing';

/** What the page is told about an outbound contact (interface A `offer` kind `outbound`, `callback-failed`). */
export interface OutboundNotifier {
  offeredOutbound(contactId: string, agentId: string, queueId: string, number: string): void;
  callbackFailed?(agentId: string, contactId: string, reason: string, retry: boolean): void;
}

export interface OutboundPorts {
  domain: CtiDomain;
  routing: Pick<RoutingService, 'applyResult' | 'answered'>;
  owners: ContactOwners;
  phones: ReadonlyMap<string, AgentContact>;
  /** Queue ids in the AS's order (the first the agent qualifies for is the default). */
  queues: Iterable<string>;
  interactions: Pick<InteractionStore, 'create' | 'record'>;
  phases: ContactPhases;
  /** Resolves once CTI's state (owners included) is stored: before any command leaves. */
  persist: () => Promise<void>;
  /** A history write the caller does not wait for. */
  defer: (write: Promise<unknown>) => void;
  command: (softacd: string, draft: Draft<'DialCallback'>) => Promise<void>;
  /** The SoftACD that dials a click-to-dial call (no call exists yet to own it). */
  softacd: () => string | undefined;
  /** `CTI_OUTSIDE_DIAL` with the number in it. */
  outsideDial: (number: string) => string;
  customerRingTimeoutSec: number;
  ringTimeoutSec: (queueId: string) => number;
  notify?: OutboundNotifier;
  log: Logger;
}

export interface OutboundStart {
  agentId: string;
  contactId: string;
  number: string;
  queueId: string;
  softacd: string;
  /** A desk phone that dialled is already answered; a click-to-dial rings the agent's device first. */
  answered: boolean;
  via: 'desktop' | 'desk-phone';
}

/**
 * Outbound contacts: click-to-dial from the desktop and a desk phone's `9<number>`. Directed at the
 * agent who dials, never queued (cti/domain/outbound.ts); its interaction is `direction: 'outbound'`.
 * Click-to-dial reuses the callback's dialling (DialCallback: the agent's device first, then the number
 * through the outside dial string); the events that follow are a callback's and a call's.
 */
export class OutboundCalls {
  constructor(private readonly ports: OutboundPorts) {}

  /** The queue an outbound contact of this agent counts in: the one asked, or the first it qualifies for. */
  queueFor(agentId: string, queueId?: string): string {
    const queues = [...this.ports.queues];
    if (queueId !== undefined) {
      if (!queues.includes(queueId)) throw new CallControlRefused('unknown_queue', `no queue ${queueId}`);
      return queueId;
    }
    const skills = this.ports.domain.agentSnapshot(agentId)?.config.skills ?? {};
    for (const id of queues) {
      const queue = this.ports.domain.queueSnapshot(id)?.config;
      if (queue?.skills.every((s) => (skills[s.name] ?? 0) >= s.minLevel) === true) return id;
    }
    throw new CallControlRefused('no_queue', 'no queue this agent qualifies for');
  }

  /** Click-to-dial: the agent's device rings first, then the number is called. */
  async dial(agentId: string, number: string, queueId?: string): Promise<string> {
    const queue = this.queueFor(agentId, queueId);
    const phone = this.ports.phones.get(agentId);
    if (phone?.endpoint === undefined) throw new CallControlRefused('no_device', 'the agent has no phone');
    const softacd = this.ports.softacd();
    if (softacd === undefined) throw new CallControlRefused('unavailable', 'no SoftACD known to dial');
    const contactId = randomUUID();
    await this.start({
      agentId,
      contactId,
      number,
      queueId: queue,
      softacd,
      answered: false,
      via: 'desktop',
    });
    this.ports.notify?.offeredOutbound(contactId, agentId, queue, number);
    await this.ports.command(softacd, {
      type: 'DialCallback',
      contactId,
      agentId,
      queueId: queue,
      endpoint: phone.endpoint,
      ringTimeoutSec: this.ports.ringTimeoutSec(queue),
      ...(phone.callerIdName === undefined ? {} : { callerIdName: phone.callerIdName }),
      ...(phone.callerIdNumber === undefined ? {} : { callerIdNumber: phone.callerIdNumber }),
      number,
      customerEndpoint: this.ports.outsideDial(number),
      customerRingTimeoutSec: this.ports.customerRingTimeoutSec,
    });
    return contactId;
  }

  /**
   * The outbound contact in the domain (the agent reserved for it, talking at once for a desk phone),
   * its owners and its interaction; stored before anything leaves CTI. Refusals are CallControlRefused.
   */
  async start(o: OutboundStart): Promise<void> {
    const result = this.ports.domain.outbound({
      contactId: o.contactId,
      queueId: o.queueId,
      agentId: o.agentId,
    });
    if (!result.ok) throw this.refusal(o.agentId, result.error);
    const phone = this.ports.phones.get(o.agentId);
    const now = new Date();
    // Created before the domain's change is recorded on its timeline.
    this.ports.defer(
      this.ports.interactions.create(
        {
          _id: o.contactId,
          channel: 'voice',
          direction: 'outbound',
          from: phone?.callerIdNumber ?? phone?.login ?? o.agentId,
          to: o.number,
          state: 'dialling',
          createdAt: now,
          softacd: o.softacd,
          queueId: o.queueId,
          agentId: o.agentId,
        },
        {
          at: now,
          type: 'OutboundDial',
          data: { agentId: o.agentId, queueId: o.queueId, number: o.number, via: o.via },
        },
      ),
    );
    this.ports.owners.setSoftacd(o.contactId, o.softacd);
    this.ports.owners.setAgent(o.contactId, o.agentId);
    this.ports.owners.setCaller(o.contactId, { callingNumber: o.number, callingName: '', media: 'audio' });
    this.ports.phases.diallingStarted(o.contactId);
    contactLogger(this.ports.log, o.contactId).info('outbound contact', {
      agentId: o.agentId,
      queueId: o.queueId,
      number: o.number,
      via: o.via,
    });
    await this.ports.routing.applyResult(result, `outbound by ${o.agentId}`);
    if (o.answered) await this.ports.routing.answered(o.contactId);
    await this.ports.persist();
  }

  /** Whether the message is about an outbound contact's dial that failed (handled here, not as a call's). */
  handles(m: Message): m is MessageOf<'DivertFailed'> | MessageOf<'CallbackFailed'> {
    if (m.type !== 'DivertFailed' && m.type !== 'CallbackFailed') return false;
    const view = this.ports.domain.contactView(m.contactId);
    return view.ok && view.value.outbound === true;
  }

  /**
   * The agent's device (DivertFailed) or the customer (CallbackFailed) did not answer: the contact ends
   * without a conversation and the page is told (`callback-failed`, no retry).
   */
  async failed(m: MessageOf<'DivertFailed'> | MessageOf<'CallbackFailed'>): Promise<void> {
    const view = this.ports.domain.contactView(m.contactId);
    if (!view.ok || view.value.agentId !== m.agentId) return;
    const entry: TimelineEntry = {
      at: new Date(m.at),
      type: m.type,
      messageId: m.id,
      data: { agentId: m.agentId, reason: m.reason },
    };
    const set: Partial<InteractionDoc> = { state: 'cleared', endedAt: new Date(m.at), abandoned: false };
    this.ports.defer(this.ports.interactions.record(m.contactId, entry, set));
    await this.ports.routing.applyResult(
      this.ports.domain.outboundUnanswered(m.contactId, m.reason),
      `outbound unanswered (${m.reason})`,
    );
    this.ports.phases.forget(m.contactId);
    this.ports.owners.forget(m.contactId);
    this.ports.notify?.callbackFailed?.(m.agentId, m.contactId, m.reason, false);
  }

  private refusal(agentId: string, error: DomainError): CallControlRefused {
    if (error.code === 'UNKNOWN_QUEUE') return new CallControlRefused('unknown_queue', error.message);
    if (error.code === 'UNKNOWN_AGENT') return new CallControlRefused('unknown_agent', error.message);
    const state = this.ports.domain.agentView(agentId);
    if (state.ok && state.value.state === 'logged-out')
      return new CallControlRefused('logged_out', 'log in before dialling');
    return new CallControlRefused('busy', error.message);
  }
}
