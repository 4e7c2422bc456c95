import { contactLogger } from '../../lib/log';
import type { Outcome, Result } from '../domain';
import { CallbackBook, DIALABLE } from './callbacks';
import type { RoutingPorts } from './routing';
import { withdrawOffer } from './undeliverable';

/** How CTI dials callbacks: the book of promised callbacks and the outside dial string. */
export interface CallbackPorts {
  book: CallbackBook;
  /** `CTI_OUTSIDE_DIAL` with the number in it (`PJSIP/{number}@outside`). */
  outsideDial: (number: string) => string;
  /** How long the customer's phone rings before the attempt counts as not answered. */
  ringTimeoutSec: number;
}

/** What the callback half of routing uses: the routing ports, and the routing service's outcome runner. */
export type CallbackRoutingPorts = Pick<
  RoutingPorts,
  'domain' | 'owners' | 'agents' | 'divert' | 'callbacks' | 'ringTimeoutSec' | 'notify' | 'log'
>;

/** Stores and executes a command's outcome (RoutingService.apply). */
export type ApplyOutcome = (result: Result<Outcome>, what: string) => Promise<void>;

/**
 * Callbacks in routing: the caller's request, the offer of a callback that reached the head of its queue
 * (screen pop with the number, then the SoftACD dials the agent and the customer), and the dial's results.
 */
export class CallbackRouting {
  constructor(
    private readonly ports: CallbackRoutingPorts,
    private readonly apply: ApplyOutcome,
  ) {}

  /**
   * The caller asked to be called back at `number` (a key, or the queue timed out with action callback,
   * which already made the entry a callback). A number that cannot be dialled is refused: the contact
   * leaves the queue (false).
   */
  async requested(contactId: string, number: string): Promise<boolean> {
    const view = this.ports.domain.contactView(contactId);
    const log = contactLogger(this.ports.log, contactId);
    if (!view.ok) {
      log.warn('callback request for a contact not in a queue');
      return false;
    }
    if (!DIALABLE.test(number) || this.ports.callbacks === undefined) {
      log.warn('callback refused: the number cannot be dialled', { number });
      if (view.value.state === 'waiting')
        await this.apply(this.ports.domain.contactAbandoned(contactId), 'callback refused');
      return false;
    }
    const softacd = this.ports.owners.softacd(contactId);
    this.ports.callbacks.book.requested(contactId, number, view.value.queueId, softacd);
    if (!view.value.callback) await this.apply(this.ports.domain.callbackRequested(contactId), 'callback');
    return true;
  }

  /**
   * A ConnectionCleared for a contact that waits as a callback is the hang-up of the caller who asked:
   * the contact stays in its queue.
   */
  awaits(contactId: string): boolean {
    const view = this.ports.domain.contactView(contactId);
    return (
      view.ok &&
      view.value.callback &&
      ['waiting', 'offered', 'ringing', 'scheduled'].includes(view.value.state)
    );
  }

  /** The caller who asked for the callback hung up: an offer that waited for that is dialled now. */
  async callerLeft(contactId: string): Promise<void> {
    const pending = this.ports.callbacks?.book.callerLeft(contactId);
    if (pending === undefined) return;
    const view = this.ports.domain.contactView(contactId);
    if (!view.ok || view.value.agentId !== pending.agentId || view.value.state !== 'offered') return;
    await this.dial(contactId, pending.agentId, pending.queueId);
  }

  /**
   * The customer did not answer (or the agent gave up): the retry policy of the queue decides. Answers
   * whether the callback is scheduled again, failed for good, or the report was stale (ignored).
   */
  async unanswered(contactId: string, agentId: string): Promise<'scheduled' | 'failed' | 'ignored'> {
    const view = this.ports.domain.contactView(contactId);
    if (!view.ok || view.value.agentId !== agentId) return 'ignored';
    const result = this.ports.domain.callbackUnanswered(contactId);
    await this.apply(result, 'callback unanswered');
    if (!result.ok) return 'ignored';
    if (this.ports.domain.contactView(contactId).ok) return 'scheduled';
    this.ports.callbacks?.book.remove(contactId);
    return 'failed';
  }

  /** The callback connected and ended (or the contact is gone): nothing more is owed. */
  done(contactId: string): void {
    this.ports.callbacks?.book.remove(contactId);
  }

  /**
   * A callback reached the head of its queue and a Ready agent was chosen: the agent gets the screen pop
   * with the number, and the SoftACD that took the caller's call dials the agent, then the customer.
   * While the caller who asked is still on the line (a confirmation prompt), the dial waits for its hang-up.
   */
  async offer(contactId: string, agentId: string, queueId: string): Promise<void> {
    const log = contactLogger(this.ports.log, contactId);
    const entry = this.ports.callbacks?.book.get(contactId);
    if (entry === undefined) {
      // CTI lost the number (a restart): the callback cannot be made; the agent is free again.
      log.error('callback cannot be dialled: its number is unknown', { agentId });
      await this.apply(this.ports.domain.contactAbandoned(contactId), 'callback without number');
      return;
    }
    if (this.ports.agents.get(agentId)?.endpoint === undefined) {
      log.warn('callback offer cannot be delivered: the agent has no phone', { agentId });
      await this.apply(withdrawOffer(this.ports.domain, contactId, 'no-phone'), 'undeliverable callback');
      return;
    }
    log.info('callback offered to agent', { agentId, queueId, number: entry.number });
    this.ports.owners.setAgent(contactId, agentId);
    this.ports.notify?.offered(contactId, agentId, queueId, { number: entry.number });
    if (entry.callerOnLine) {
      this.ports.callbacks?.book.setPending(contactId, { agentId, queueId });
      log.info('callback dial waits for the caller to hang up');
      return;
    }
    await this.dial(contactId, agentId, queueId);
  }

  /**
   * The SoftACD that dials is the one that took the caller's call (it reported the caller's hang-up a
   * moment ago, so it is alive, and its Asterisk is the one the caller reached); if CTI does not know it
   * (a restart), the SoftACD that most recently reported a call.
   */
  private async dial(contactId: string, agentId: string, queueId: string): Promise<void> {
    const log = contactLogger(this.ports.log, contactId);
    const cb = this.ports.callbacks;
    const entry = cb?.book.get(contactId);
    const agent = this.ports.agents.get(agentId);
    const softacd = entry?.softacd ?? this.ports.owners.latestSoftacd;
    if (cb === undefined || entry === undefined || agent?.endpoint === undefined || softacd === undefined) {
      log.error('callback cannot be dialled: no SoftACD known', { agentId });
      await this.apply(this.ports.domain.ringNoAnswer(contactId), 'callback without SoftACD');
      return;
    }
    this.ports.owners.setSoftacd(contactId, softacd);
    this.ports.owners.setAgent(contactId, agentId);
    log.info('dialling callback', { agentId, softacd, number: entry.number });
    await this.ports.divert(softacd, {
      type: 'DialCallback',
      contactId,
      agentId,
      queueId,
      endpoint: agent.endpoint,
      ringTimeoutSec: this.ports.ringTimeoutSec(queueId),
      ...(agent.callerIdName === undefined ? {} : { callerIdName: agent.callerIdName }),
      ...(agent.callerIdNumber === undefined ? {} : { callerIdNumber: agent.callerIdNumber }),
      number: entry.number,
      customerEndpoint: cb.outsideDial(entry.number),
      customerRingTimeoutSec: cb.ringTimeoutSec,
    });
  }
}
