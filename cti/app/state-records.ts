import type { AgentSnapshot, ContactSnapshot, DomainSnapshot, QueueSnapshot } from '../domain';
import type { Timer } from '../domain/types';
import type { CallbackEntry } from './callbacks';
import type { CallerInfo, OwnersSnapshot } from './owners';
import type { CtiState } from './persistence';

/**
 * CTI's state as records: one JSON text per queue, agent, contact, timer, call owner and promised
 * callback, keyed by kind and id, plus one `meta` record. A change to one agent changes one record, so
 * the store writes what changed (a few hundred bytes) instead of the whole state (hundreds of KB with
 * a few hundred agents, 7.6 MB with 10,000).
 */
export type StateRecords = ReadonlyMap<string, string>;

type StateBody = Omit<CtiState, 'savedAt'>;

interface Meta {
  version: CtiState['version'];
  domain: Pick<DomainSnapshot, 'version' | 'contactSeq' | 'readySeq'>;
}

/** Who holds each leg of one call (owners.ts keeps them in four maps). */
interface CallOwners {
  softacd?: string;
  ivr?: string;
  agent?: string;
  caller?: CallerInfo;
}

export function toRecords(state: StateBody): Map<string, string> {
  const records = new Map<string, string>();
  const put = (key: string, value: unknown) => records.set(key, JSON.stringify(value));
  const { domain } = state;
  const meta: Meta = {
    version: state.version,
    domain: { version: domain.version, contactSeq: domain.contactSeq, readySeq: domain.readySeq },
  };
  put('meta', meta);
  for (const q of domain.queues) put(`q:${q.config.id}`, q);
  for (const a of domain.agents) put(`a:${a.config.id}`, a);
  for (const c of domain.contacts) put(`c:${c.id}`, c);
  for (const t of domain.timers) put(`t:${t.id}`, t);
  const calls = new Map<string, CallOwners>();
  const call = (id: string): CallOwners => {
    let owners = calls.get(id);
    if (owners === undefined) calls.set(id, (owners = {}));
    return owners;
  };
  for (const [id, v] of state.owners.softacds) call(id).softacd = v;
  for (const [id, v] of state.owners.ivrs) call(id).ivr = v;
  for (const [id, v] of state.owners.agents) call(id).agent = v;
  for (const [id, v] of state.owners.callers) call(id).caller = v;
  for (const [id, owners] of calls) put(`o:${id}`, owners);
  for (const { contactId, ...entry } of state.callbacks ?? []) put(`cb:${contactId}`, entry);
  return records;
}

/** The state the records hold; throws when `meta` is missing or a record is not JSON. */
export function fromRecords(records: StateRecords): StateBody {
  const metaText = records.get('meta');
  if (metaText === undefined) throw new Error('no meta record');
  const meta = JSON.parse(metaText) as Meta;
  const queues: QueueSnapshot[] = [];
  const agents: AgentSnapshot[] = [];
  const contacts: ContactSnapshot[] = [];
  const timers: Timer[] = [];
  const owners: OwnersSnapshot = { softacds: [], ivrs: [], agents: [], callers: [] };
  const callbacks: Array<CallbackEntry & { contactId: string }> = [];
  for (const [key, text] of records) {
    const colon = key.indexOf(':');
    const [kind, id] = [key.slice(0, colon), key.slice(colon + 1)];
    const value: unknown = JSON.parse(text);
    if (kind === 'q') queues.push(value as QueueSnapshot);
    else if (kind === 'a') agents.push(value as AgentSnapshot);
    else if (kind === 'c') contacts.push(value as ContactSnapshot);
    else if (kind === 't') timers.push(value as Timer);
    else if (kind === 'cb') callbacks.push({ ...(value as CallbackEntry), contactId: id });
    else if (kind === 'o') {
      const o = value as CallOwners;
      if (o.softacd !== undefined) owners.softacds.push([id, o.softacd]);
      if (o.ivr !== undefined) owners.ivrs.push([id, o.ivr]);
      if (o.agent !== undefined) owners.agents.push([id, o.agent]);
      if (o.caller !== undefined) owners.callers.push([id, o.caller]);
    }
  }
  // The order contacts arrived in (the domain's own order); queues, agents and timers as stored.
  contacts.sort((a, b) => a.seq - b.seq);
  return {
    version: meta.version,
    domain: { ...meta.domain, queues, agents, contacts, timers },
    owners,
    callbacks,
  };
}

/** What to write to go from the stored records to `next`: records new or changed, records gone. */
export function diffRecords(
  stored: StateRecords,
  next: StateRecords,
): { put: Array<[string, string]>; del: string[] } {
  const put: Array<[string, string]> = [];
  for (const [key, text] of next) if (stored.get(key) !== text) put.push([key, text]);
  const del = [...stored.keys()].filter((key) => !next.has(key));
  return { put, del };
}
