import { type Logger, contactLogger, errorText } from '../../lib/log';
import type { Draft, MessageOf } from '../../lib/messages';
import type { ContactOwners } from './owners';
import { reconcile } from './recovery';

/** What the reconciler needs of routing: a contact's view and the offer sent again. */
export interface ReconcilerRouting {
  contact(contactId: string): { state: string; agentId?: string; callback: boolean } | undefined;
  resendOffer(contactId: string): Promise<void>;
}

export interface ReconcilerPorts {
  owners: ContactOwners;
  routing: ReconcilerRouting;
  /** Ends a contact whose call is gone, as system-cleared (CallEvents.clearBySystem), in its turn. */
  clear: (contactId: string, data: Record<string, unknown>, at: Date) => Promise<void>;
  /** A command to one SoftACD (CallListRequest, ClearCall). */
  command: (instance: string, draft: Draft<'CallListRequest'> | Draft<'ClearCall'>) => Promise<void>;
  /** Runs a task in the contact's turn (after the contact's messages already being handled). */
  serialize?: (contactId: string, task: () => Promise<void>) => Promise<void>;
  log: Logger;
}

/** Contacts cleared because no SoftACD listed them, remembered this long for a list arriving late. */
const CLEARED_MEMORY_MS = 3_600_000;
const CLEARED_MEMORY_MAX = 100_000;

/**
 * Brings CTI's calls in line with what the SoftACDs hold (docs/cti-recovery.md). After a restore every
 * contact CTI holds is unconfirmed until a SoftACD lists its call (CallList, asked by CTI or sent unasked
 * after SoftACD's own start). A SoftACD's list clears the calls CTI holds for it that it does not list.
 * When the reconciliation window ends, every contact still unconfirmed is cleared as system-cleared:
 * those with no owner record (a stored state missing it, or a late AgentRequest), those of a SoftACD that
 * never answered (after a restart of the whole system the SoftACD is new and its calls are gone). A live
 * call always has a SoftACD that lists it. A list naming a call CTI cleared that way gets a ClearCall
 * back (the caller is not left waiting for an agent CTI will never offer); a listed call CTI holds no
 * owner for gets that SoftACD as its owner.
 */
export class Reconciler {
  private readonly unconfirmed = new Set<string>();
  /** SoftACD instances that listed their calls since this CTI started. */
  private readonly answered = new Set<string>();
  /** Contacts cleared at the window's end, with when: a late list naming one gets a ClearCall. */
  private readonly clearedUnlisted = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private windowOpen = false;
  private startedAt = 0;

  constructor(private readonly ports: ReconcilerPorts) {}

  /**
   * After a restore: `contacts` (the routing domain's) and every call CTI holds owners for wait for a
   * SoftACD to list them; each SoftACD that owns one is asked for its calls; what is unlisted when
   * `windowMs` ends is cleared; `notCall` names the contacts that are not calls (tasks). Resolves once
   * the requests are sent.
   */
  async begin(
    contacts: Iterable<string>,
    windowMs: number,
    notCall: (contactId: string) => boolean = () => false,
  ): Promise<void> {
    this.startedAt = Date.now();
    const owners = this.ports.owners;
    const calls = owners.snapshot();
    const held = new Set([
      ...contacts,
      ...[calls.softacds, calls.ivrs, calls.agents, calls.callers].flatMap((p) => p.map(([id]) => id)),
    ]);
    for (const id of held) {
      // A task (e-mail, SMS, fax) has no call: no SoftACD lists it, it is not cleared for that.
      if (notCall(id)) continue;
      // A callback waiting after its caller left has no call by design: nothing to confirm.
      const view = this.ports.routing.contact(id);
      if (view?.callback === true && owners.softacd(id) === undefined && view.state !== 'connected') continue;
      this.unconfirmed.add(id);
    }
    this.windowOpen = true;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.endWindow().catch((err: unknown) =>
        this.ports.log.error('reconciliation window end failed', { error: errorText(err) }),
      );
    }, windowMs);
    this.ports.log.info('reconciliation window open', { unconfirmed: this.unconfirmed.size, windowMs });
    // Every restored call already accounted for (a SoftACD's unasked list came first): nothing to wait for.
    if (this.unconfirmed.size === 0) this.close();
    for (const softacd of owners.instances())
      await this.ports.command(softacd, { type: 'CallListRequest', contactId: `calls:${softacd}` });
  }

  /** Contacts still waiting for a SoftACD to list them. */
  get pending(): number {
    return this.unconfirmed.size;
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * One SoftACD's list: calls CTI holds for it that it does not list ended unseen and are cleared; a
   * stored offer it never rang is sent again (after CTI's restart only); listed calls are confirmed.
   */
  async callList(m: MessageOf<'CallList'>): Promise<void> {
    const log = this.ports.log;
    if (m.source.service !== 'softacd' || m.source.instance !== m.instance) {
      // Only a SoftACD speaks for its own calls: a list from anyone else could clear calls in progress.
      log.warn('call list ignored: not from the SoftACD it names', {
        instance: m.instance,
        source: `${m.source.service}/${m.source.instance}`,
      });
      return;
    }
    this.answered.add(m.instance);
    const owners = this.ports.owners;
    const owned = owners.ownedBy(m.instance);
    const plan = reconcile(m, owned, (id) => this.ports.routing.contact(id));
    const late: string[] = [];
    let adopted = 0;
    for (const call of m.calls) {
      this.unconfirmed.delete(call.contactId);
      if (this.clearedUnlisted.has(call.contactId)) late.push(call.contactId);
      else if (owners.softacd(call.contactId) === undefined) {
        // Live at this SoftACD while CTI holds no owner for it (a state stored without it, or lost):
        // commands for it go there from now on.
        owners.setSoftacd(call.contactId, m.instance);
        adopted++;
      }
    }
    for (const id of plan.vanished) this.unconfirmed.delete(id);
    log.info('call list reconciled', {
      softacd: m.instance,
      reason: m.reason,
      listed: m.calls.length,
      known: owned.length,
      vanished: plan.vanished.length,
      reoffered: plan.reoffer.length,
      adopted,
      late: late.length,
      unconfirmed: this.unconfirmed.size,
    });
    for (const contactId of plan.vanished) {
      await this.inTurn(contactId, async () => {
        // Its ConnectionCleared may have been handled while this waited for its turn.
        if (owners.softacd(contactId) !== m.instance) return;
        contactLogger(log, contactId).warn('call gone at SoftACD: cleared', { softacd: m.instance });
        await this.ports.clear(
          contactId,
          { why: 'not-listed', softacd: m.instance, reason: m.reason },
          new Date(m.at),
        );
      });
    }
    for (const contactId of plan.reoffer)
      await this.inTurn(contactId, () => this.ports.routing.resendOffer(contactId));
    for (const contactId of late) {
      contactLogger(log, contactId).warn('call listed after CTI cleared it: SoftACD told to end it', {
        softacd: m.instance,
      });
      this.clearedUnlisted.delete(contactId);
      await this.ports.command(m.instance, { type: 'ClearCall', contactId, by: 'system' });
    }
    if (this.windowOpen && this.unconfirmed.size === 0) this.close();
  }

  /** The window's end: every contact no SoftACD listed is cleared. Returns how many. */
  async endWindow(): Promise<number> {
    this.stop();
    if (!this.windowOpen) return 0;
    const now = Date.now();
    let cleared = 0;
    for (const contactId of [...this.unconfirmed]) {
      await this.inTurn(contactId, async () => {
        // Listed while this waited for the contact's turn: confirmed, kept.
        if (!this.unconfirmed.delete(contactId)) return;
        const owner = this.ports.owners.softacd(contactId);
        // Ended meanwhile by its own ConnectionCleared: nothing left to clear.
        if (this.ports.routing.contact(contactId) === undefined && !this.ports.owners.knows(contactId))
          return;
        contactLogger(this.ports.log, contactId).warn('call listed by no SoftACD: cleared', {
          softacd: owner,
          answered: owner !== undefined && this.answered.has(owner),
        });
        const why = owner === undefined ? 'no-owner' : 'not-listed';
        await this.ports.clear(
          contactId,
          { why, ...(owner === undefined ? {} : { softacd: owner }) },
          new Date(),
        );
        this.remember(contactId, now);
        cleared++;
      });
    }
    this.close(cleared);
    return cleared;
  }

  /**
   * Contacts the restore had to drop (records it could not make consistent): their calls are cleared
   * now (history, owners, agent told) and, if a SoftACD still lists one, it is told to end it.
   */
  async dropLost(contacts: Iterable<string>): Promise<void> {
    const now = Date.now();
    for (const contactId of contacts) {
      this.unconfirmed.delete(contactId);
      await this.inTurn(contactId, () => this.ports.clear(contactId, { why: 'unrestorable' }, new Date()));
      this.remember(contactId, now);
    }
  }

  private close(cleared = 0): void {
    if (!this.windowOpen) return;
    this.windowOpen = false;
    this.stop();
    this.ports.log.info('reconciliation done', {
      answered: [...this.answered],
      cleared,
      ms: Date.now() - this.startedAt,
    });
  }

  private remember(contactId: string, now: number): void {
    this.clearedUnlisted.set(contactId, now);
    for (const [id, at] of this.clearedUnlisted) {
      if (this.clearedUnlisted.size <= CLEARED_MEMORY_MAX && now - at < CLEARED_MEMORY_MS) break;
      this.clearedUnlisted.delete(id);
    }
  }

  private inTurn(contactId: string, task: () => Promise<void>): Promise<void> {
    return this.ports.serialize === undefined ? task() : this.ports.serialize(contactId, task);
  }
}
