import type {
  AgentSnapshot,
  ContactSnapshot,
  CtiDomain,
  DomainSnapshot,
  Outcome,
  QueueSnapshot,
} from '../domain';
import { SNAPSHOT_VERSION } from '../domain';
import type { Timer, TimerKind } from '../domain/types';
import type { CallbackBook, CallbackEntry } from './callbacks';
import type { Device, DeviceChoices } from './devices';
import { type CallOwnersRecord, type ContactOwners, type OwnersSnapshot, callOwnersRecord } from './owners';
import type { StateCodec, StateRecords } from '../store/cti-state';
import type { CtiState } from './persistence';

/**
 * CTI's state as records: one JSON text per queue, agent, contact, timer, call owner and promised
 * callback, keyed by kind and id, plus one `meta` record. A change to one agent changes one record, so
 * the store writes what changed (a few hundred bytes) instead of the whole state (hundreds of KB with
 * a few hundred agents, 7.6 MB with 10,000).
 */
export type { StateRecords } from '../store/cti-state';

export type StateBody = Omit<CtiState, 'savedAt'>;

interface Meta {
  version: CtiState['version'];
  domain: Pick<DomainSnapshot, 'version' | 'contactSeq' | 'readySeq'>;
}

/** The `meta` record, the same from a whole snapshot and from the live domain's counters. */
function metaRecord(version: CtiState['version'], d: Meta['domain']): Meta {
  return { version, domain: { version: d.version, contactSeq: d.contactSeq, readySeq: d.readySeq } };
}

export function toRecords(state: StateBody): Map<string, string> {
  const records = new Map<string, string>();
  const put = (key: string, value: unknown) => records.set(key, JSON.stringify(value));
  const { domain } = state;
  put('meta', metaRecord(state.version, domain));
  for (const q of domain.queues) put(`q:${q.config.id}`, q);
  for (const a of domain.agents) put(`a:${a.config.id}`, a);
  for (const c of domain.contacts) put(`c:${c.id}`, c);
  for (const t of domain.timers) put(`t:${t.id}`, t);
  const softacds = new Map(state.owners.softacds);
  const ivrs = new Map(state.owners.ivrs);
  const agents = new Map(state.owners.agents);
  const callers = new Map(state.owners.callers);
  const answered = new Set(state.owners.answered ?? []);
  const ids = new Set([...softacds.keys(), ...ivrs.keys(), ...agents.keys(), ...callers.keys(), ...answered]);
  for (const id of ids)
    put(
      `o:${id}`,
      callOwnersRecord(softacds.get(id), ivrs.get(id), agents.get(id), callers.get(id), answered.has(id)),
    );
  for (const { contactId, ...entry } of state.callbacks ?? []) put(`cb:${contactId}`, entry);
  for (const [agentId, device] of state.devices ?? []) put(`d:${agentId}`, device);
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
  const owners: Required<OwnersSnapshot> = { softacds: [], ivrs: [], agents: [], callers: [], answered: [] };
  const callbacks: Array<CallbackEntry & { contactId: string }> = [];
  const devices: Array<[string, Device]> = [];
  for (const [key, text] of records) {
    const colon = key.indexOf(':');
    const [kind, id] = [key.slice(0, colon), key.slice(colon + 1)];
    const value: unknown = JSON.parse(text);
    if (kind === 'q') queues.push(value as QueueSnapshot);
    else if (kind === 'a') agents.push(value as AgentSnapshot);
    else if (kind === 'c') contacts.push(value as ContactSnapshot);
    else if (kind === 't') timers.push(value as Timer);
    else if (kind === 'cb') callbacks.push({ ...(value as CallbackEntry), contactId: id });
    else if (kind === 'd') devices.push([id, value as Device]);
    else if (kind === 'o') {
      const o = value as CallOwnersRecord;
      if (o.softacd !== undefined) owners.softacds.push([id, o.softacd]);
      if (o.ivr !== undefined) owners.ivrs.push([id, o.ivr]);
      if (o.agent !== undefined) owners.agents.push([id, o.agent]);
      if (o.caller !== undefined) owners.callers.push([id, o.caller]);
      if (o.answered === true) owners.answered.push(id);
    }
  }
  // The order contacts arrived in (the domain's own order); queues, agents and timers as stored.
  contacts.sort((a, b) => a.seq - b.seq);
  return {
    version: meta.version,
    domain: { ...meta.domain, queues, agents, contacts, timers },
    owners,
    callbacks,
    devices,
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

/** Where one record's value comes from now: the domain, the call owners, the callback book. */
export interface RecordSources {
  domain: CtiDomain;
  owners: ContactOwners;
  book?: CallbackBook;
  devices?: DeviceChoices;
  version: CtiState['version'];
}

/** Per record kind (the key's prefix), how to read that record from what CTI holds now. */
const READERS = new Map<string, (id: string, s: RecordSources) => unknown>([
  ['meta', (_id, s) => metaRecord(s.version, { version: SNAPSHOT_VERSION, ...s.domain.counters() })],
  ['q', (id, s) => s.domain.queueSnapshot(id)],
  ['a', (id, s) => s.domain.agentSnapshot(id)],
  ['c', (id, s) => s.domain.contactSnapshot(id)],
  ['t', (id, s) => s.domain.timer(id)],
  ['o', (id, s) => s.owners.callRecord(id)],
  ['cb', (id, s) => s.book?.get(id)],
  ['d', (id, s) => s.devices?.get(id)],
]);

/** One record's JSON text as `toRecords` would write it now; undefined when it is gone. */
export function recordText(key: string, s: RecordSources): string | undefined {
  const colon = key.indexOf(':');
  const [kind, id] = colon < 0 ? [key, ''] : [key.slice(0, colon), key.slice(colon + 1)];
  const value = READERS.get(kind)?.(id, s);
  return value === undefined ? undefined : JSON.stringify(value);
}

/** A contact's records (its routing entry, owners, callback, timers) and an agent's (its state, wrap-up). */
const CONTACT_KEYS = (id: string) => [
  `c:${id}`,
  `o:${id}`,
  `cb:${id}`,
  ...CONTACT_TIMERS.map((k) => `t:${k}:${id}`),
];
const AGENT_KEYS = (id: string) => [`a:${id}`, `t:wrap-up:${id}`];
const CONTACT_TIMERS: readonly TimerKind[] = ['ring', 'queue', 'retry'];

/** Whose record a key is: a contact's, an agent's, or neither (a queue, `meta`). */
function recordOwner(key: string): { contact: string } | { agent: string } | undefined {
  const colon = key.indexOf(':');
  if (colon < 0) return undefined;
  const [kind, id] = [key.slice(0, colon), key.slice(colon + 1)];
  if (kind === 'c' || kind === 'o' || kind === 'cb') return { contact: id };
  if (kind === 'a') return { agent: id };
  if (kind !== 't') return undefined;
  const sep = id.indexOf(':');
  const [timer, owner] = [id.slice(0, sep), id.slice(sep + 1)];
  if (timer === 'wrap-up') return { agent: owner };
  return (CONTACT_TIMERS as readonly string[]).includes(timer) ? { contact: owner } : undefined;
}

/**
 * The marked keys with every other record of the same contact or agent: a write then carries all of a
 * contact's records that differ from what is stored, so the stored state is never half a contact (its
 * entry without its owners, a timer without its contact) whatever mark a change forgot. The domain drops
 * a timer when it fires without naming it in the outcome: this is what writes that deletion.
 */
export function withRelated(keys: Iterable<string>): Set<string> {
  const all = new Set<string>();
  for (const key of keys) {
    all.add(key);
    const owner = recordOwner(key);
    if (owner === undefined) continue;
    for (const k of 'contact' in owner ? CONTACT_KEYS(owner.contact) : AGENT_KEYS(owner.agent)) all.add(k);
  }
  return all;
}

/** The records a domain outcome changed (the domain reports every agent, contact and timer it touched). */
export function outcomeKeys(o: Outcome): string[] {
  const keys = ['meta'];
  for (const c of o.agentChanges) keys.push(`a:${c.agentId}`);
  for (const c of o.contactChanges) keys.push(`c:${c.contactId}`, `q:${c.queueId}`);
  for (const offer of o.offers) keys.push(`a:${offer.agentId}`, `c:${offer.contactId}`);
  for (const t of o.timers) keys.push(`t:${t.type === 'cancel' ? t.timerId : t.timer.id}`);
  return keys;
}

/** How CTI's state store reads and writes this state (cti/store/cti-state.ts knows only records). */
export const STATE_CODEC: StateCodec<StateBody> = { fromRecords, toRecords };
