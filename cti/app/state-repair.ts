import { type AgentSnapshot, type ContactSnapshot, type DomainSnapshot, SNAPSHOT_VERSION } from '../domain';
import type { Timer } from '../domain/types';

/** What the repair changed, for the log: each entry names the record and why. */
export interface Repair {
  /** Contacts dropped from the domain: their calls must be cleared (reconciler.ts `dropLost`). */
  lost: string[];
  notes: string[];
}

const ASSIGNED = new Set(['offered', 'ringing', 'connected', 'held']);
/** Agent states that need a contact of theirs (a routed one, or one offered to them by name). */
const BUSY = new Set(['reserved', 'ringing', 'talking']);
const REALTIME = new Set(['voice', 'video']);
/** Contact states each contact timer belongs to. */
const TIMER_STATES: Record<Timer['kind'], ReadonlySet<string>> = {
  ring: new Set(['offered', 'ringing']),
  queue: new Set(['waiting']),
  retry: new Set(['scheduled']),
  'wrap-up': new Set(),
};

/**
 * Makes a stored domain snapshot consistent before `CtiDomain.restore`, which refuses the whole state
 * (every agent logged out, every contact forgotten) at the first inconsistency. A state written before
 * each write carried all of a contact's records (persistence.ts) could hold a contact whose queue or
 * agent is not there, a timer whose contact or agent is gone, or an agent busy with a contact that is
 * gone (issue 10: queue timers without their contacts after an overloaded restart). Contacts that
 * cannot be placed are dropped (their calls are cleared afterwards), orphan timers dropped, agents left
 * busy or in wrap-up with nothing to end it made Ready. Pure: returns the repaired snapshot.
 */
export function repairSnapshot(s: DomainSnapshot): { snapshot: DomainSnapshot; repair: Repair } {
  // Not this version's shape: `CtiDomain.restore` refuses it with its reason.
  if (s.version !== SNAPSHOT_VERSION || ![s.queues, s.agents, s.contacts, s.timers].every(Array.isArray))
    return { snapshot: s, repair: { lost: [], notes: [] } };
  const lost: string[] = [];
  const notes: string[] = [];
  const queues = new Map(s.queues.map((q) => [q.config.id, q.config.channel]));
  const agentIds = new Map(s.agents.map((a) => [a.config.id, a.state]));
  const seen = new Set<string>();
  const contacts: ContactSnapshot[] = [];
  for (const c of s.contacts) {
    const why = seen.has(c.id)
      ? 'twice'
      : !queues.has(c.queueId)
        ? `unknown queue ${c.queueId}`
        : c.agentId !== undefined && !agentIds.has(c.agentId)
          ? `unknown agent ${c.agentId}`
          : ASSIGNED.has(c.state) !== (c.agentId !== undefined)
            ? `agent does not match state ${c.state}`
            : c.agentId !== undefined &&
                REALTIME.has(queues.get(c.queueId) ?? '') &&
                !BUSY.has(agentIds.get(c.agentId) ?? '')
              ? `its agent ${c.agentId} is ${agentIds.get(c.agentId)}`
              : undefined;
    if (why !== undefined) {
      if (!seen.has(c.id)) lost.push(c.id);
      notes.push(`contact ${c.id} dropped: ${why}`);
      seen.add(c.id);
      continue;
    }
    seen.add(c.id);
    const direct = c.directAgentId;
    const directOk =
      direct === undefined ||
      (agentIds.has(direct) && direct !== c.agentId && (c.state === 'connected' || c.state === 'held'));
    if (!directOk) notes.push(`contact ${c.id}: offer by name to ${direct} dropped`);
    contacts.push(directOk ? c : withoutDirect(c));
  }
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const timers = s.timers.filter((t) => {
    const ok =
      t.kind === 'wrap-up'
        ? s.agents.some((a) => a.config.id === t.agentId && a.state === 'wrap-up')
        : TIMER_STATES[t.kind].has(byId.get(t.contactId ?? '')?.state ?? '') &&
          (t.kind !== 'queue' || byId.get(t.contactId ?? '')?.callback !== true);
    if (!ok)
      notes.push(`timer ${t.id} dropped: its ${t.kind === 'wrap-up' ? 'agent' : 'contact'} is not there`);
    return ok;
  });
  const holding = new Set(contacts.flatMap((c) => [c.agentId, c.directAgentId]));
  const wrapping = new Set(timers.filter((t) => t.kind === 'wrap-up').map((t) => t.agentId));
  let readySeq = s.readySeq;
  const agents = s.agents.map((a): AgentSnapshot => {
    const stuck =
      (BUSY.has(a.state) && !holding.has(a.config.id)) ||
      (a.state === 'wrap-up' && !wrapping.has(a.config.id));
    if (!stuck) return a;
    notes.push(`agent ${a.config.id} ${a.state} with nothing to end it: ready`);
    const { reason: _reason, ...rest } = a;
    return { ...rest, state: 'ready', readySeq: ++readySeq };
  });
  const snapshot = { ...s, readySeq, contacts, timers, agents };
  return { snapshot, repair: { lost, notes } };
}

function withoutDirect(c: ContactSnapshot): ContactSnapshot {
  const { directAgentId: _direct, ...rest } = c;
  return rest;
}
