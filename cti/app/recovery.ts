import type { Logger } from '../../lib/log';
import type { MessageOf } from '../../lib/messages';
import { CtiDomain, createCtiDomain } from '../domain';
import type { AgentInput, Clock, Outcome, QueueInput, Result } from '../domain';
import { ContactOwners } from './owners';
import type { CtiState } from './persistence';
import { repairSnapshot } from './state-repair';

/**
 * CTI's way back after a crash: the stored state is restored, then brought up to date with the AS's
 * directory (agents and queues may have changed while CTI was down) and, call by call, with what each
 * SoftACD still holds (CallList). Pure: the adapter executes what it returns.
 */
export function restoreState(
  saved: CtiState | null,
  clock: Clock,
  log: Logger,
): { domain: CtiDomain; owners: ContactOwners; restored: boolean; lost: string[] } {
  if (saved !== null) {
    // Whatever a stored state holds that does not fit together is repaired, not a reason to forget it all.
    const { snapshot, repair } = repairSnapshot(saved.domain);
    if (repair.notes.length > 0)
      log.warn('stored CTI state repaired', { count: repair.notes.length, notes: repair.notes.slice(0, 20) });
    const domain = CtiDomain.restore(snapshot, clock);
    if (domain.ok) {
      const owners = ContactOwners.restore(saved.owners);
      return { domain: domain.value, owners, restored: true, lost: repair.lost };
    }
    // A snapshot this version cannot read: start empty (agents log in again, SoftACD's CallList
    // tells which calls are still there) rather than not start at all.
    log.error('stored CTI state refused; starting empty', { error: domain.error.message });
  }
  return { domain: createCtiDomain({ clock }), owners: new ContactOwners(), restored: false, lost: [] };
}

/**
 * Applies the directory to a domain, fresh or restored: known queues and agents are updated (a new skill
 * may let a ready agent take a waiting contact at once: those offers are in the outcomes), new ones
 * added. An agent or queue gone from the directory stays as restored: the domain has no removal yet.
 */
export function applyDirectory(
  domain: CtiDomain,
  directory: { queues: readonly QueueInput[]; agents: readonly AgentInput[] },
): Array<{ what: string; result: Result<Outcome> }> {
  const results: Array<{ what: string; result: Result<Outcome> }> = [];
  for (const q of directory.queues) {
    const known = domain.queueStats(q.id).ok;
    results.push({ what: `queue ${q.id}`, result: known ? domain.updateQueue(q) : domain.addQueue(q) });
  }
  for (const a of directory.agents) {
    const known = domain.agentView(a.id).ok;
    results.push({ what: `agent ${a.id}`, result: known ? domain.updateAgent(a) : domain.addAgent(a) });
  }
  return results;
}

export interface ReconcilePlan {
  /** Calls CTI still has that the SoftACD does not: they ended while CTI (or SoftACD) was not listening. */
  vanished: string[];
  /**
   * Contacts CTI stored as offered to an agent whose phone SoftACD never rang (CTI stopped between
   * storing the offer and sending DivertCall): the DivertCall is sent again.
   */
  reoffer: string[];
}

/** SoftACD states in which the caller has no agent leg: an offer CTI stored has not reached SoftACD. */
const WITHOUT_AGENT_LEG = new Set(['routing', 'ivr', 'queue']);

/**
 * Compares one SoftACD's call list with what CTI holds for that SoftACD. `contact` answers CTI's
 * routing view of a contact (undefined: not in routing, e.g. still in the IVR's menus).
 */
export function reconcile(
  list: Pick<MessageOf<'CallList'>, 'calls' | 'reason'>,
  ownedByInstance: readonly string[],
  contact: (contactId: string) => { state: string; agentId?: string } | undefined,
): ReconcilePlan {
  const listed = new Map(list.calls.map((c) => [c.contactId, c]));
  const vanished: string[] = [];
  const reoffer: string[] = [];
  for (const contactId of ownedByInstance) {
    const call = listed.get(contactId);
    if (call === undefined) {
      vanished.push(contactId);
      continue;
    }
    // Only after CTI's own restart: in normal running a DivertCall may simply be on its way.
    if (list.reason !== 'requested') continue;
    const view = contact(contactId);
    if (view?.state === 'offered' && WITHOUT_AGENT_LEG.has(call.state)) reoffer.push(contactId);
  }
  return { vanished, reoffer };
}
