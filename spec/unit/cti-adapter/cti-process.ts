import winston from 'winston';
import { makeMessage, type Draft, type MessageType } from '../../../lib/messages';
import { Message } from '../../../lib/messages/schemas';
import { CallEvents } from '../../../cti/app/call-events';
import { StatePersister, type CtiState } from '../../../cti/app/persistence';
import { Reconciler } from '../../../cti/app/reconciler';
import { applyDirectory, restoreState } from '../../../cti/app/recovery';
import { fromRecords, recordText } from '../../../cti/app/state-records';
import { RoutingService, type Scheduler } from '../../../cti/app/routing';
import type { CtiDomain, QueueInput } from '../../../cti/domain';
import type { AgentStateStore } from '../../../cti/store/agent-states';
import type { InteractionStore } from '../../../cti/store/interactions';

export const log = winston.createLogger({ silent: true });

export const QUEUES: QueueInput[] = [
  {
    id: 'sales',
    channel: 'voice',
    skills: [{ name: 'sales', minLevel: 1 }],
    ringTimeoutMs: 15_000,
    wrapUpMs: 5_000,
    queueTimeoutMs: 120_000,
  },
];
export const AGENTS = ['a1', 'a2', 'a3'].map((id) => ({ id, skills: { sales: 5 } }));

/**
 * One CTI "process" (recovery.spec.ts, reconcile.spec.ts): the real domain, routing service, call
 * events and reconciler over in-memory stores, a bus stand-in and a scheduler driven by a fake clock.
 * `store` is the document the persister writes, shared across processes the way the document store
 * outlives a kill -9. `noPhone`: agents without an endpoint.
 */
export function cti(
  clock: { now: number },
  store: { state: CtiState | null },
  saves = { count: 0 },
  noPhone: readonly string[] = [],
) {
  const { domain, owners, restored, lost } = restoreState(store.state, { now: () => clock.now }, log);
  const directory = applyDirectory(domain, { queues: QUEUES, agents: AGENTS });
  const diverts: Array<{ softacd: string; contactId: string; agentId: string }> = [];
  const states: string[] = [];
  const timeline: Array<{ contactId: string; type: string; data?: Record<string, unknown> }> = [];
  const docs = new Map<
    string,
    { state?: string; answeredAt?: Date; abandoned?: boolean; clearedBy?: string; queueId?: string }
  >();
  const reads: string[] = [];
  const timers = new Map<string, { dueAt: number; fire: () => void }>();
  const commands: string[] = [];
  const scheduler: Scheduler = {
    schedule: (id, dueAt, fire) => void timers.set(id, { dueAt, fire }),
    cancel: (id) => void timers.delete(id),
  };
  // Writes read only the records marked changed (as in cti/main.ts): a missing mark would leave the
  // stored state behind, and the restores below would show it.
  const persister = new StatePersister({
    capture: () => ({ version: 1, domain: domain.snapshot(), owners: owners.snapshot() }),
    record: (key) => recordText(key, { domain, owners, version: 1 }),
    takeChanged: () => owners.takeChanged().map((id) => `o:${id}`),
    fullEveryMs: Number.POSITIVE_INFINITY,
    save: (change, savedAt) => {
      saves.count++;
      store.state = { ...fromRecords(change.records()), savedAt };
      return Promise.resolve();
    },
    now: () => clock.now,
    delayMs: 0,
    log,
  });
  const interactions = {
    record: (
      contactId: string,
      e: { type: string; data?: Record<string, unknown> },
      set: Record<string, unknown> = {},
    ) => {
      timeline.push({ contactId, type: e.type, ...(e.data === undefined ? {} : { data: e.data }) });
      docs.set(contactId, { ...docs.get(contactId), ...set });
      return Promise.resolve();
    },
    find: (contactId: string) => {
      reads.push(contactId);
      return Promise.resolve(docs.get(contactId) ?? null);
    },
    create: (doc: { _id: string; state: string }) => {
      if (!docs.has(doc._id)) docs.set(doc._id, { state: doc.state });
      return Promise.resolve();
    },
  } as unknown as InteractionStore;
  const routing = new RoutingService({
    domain,
    interactions,
    agentStates: {
      append: (changes: Array<{ agentId: string; to: string }>) => {
        for (const c of changes) states.push(`${c.agentId}:${c.to}`);
        return Promise.resolve();
      },
    } as unknown as AgentStateStore,
    agents: new Map(
      AGENTS.map((a) => [
        a.id,
        { id: a.id, login: a.id, ...(noPhone.includes(a.id) ? {} : { endpoint: `PJSIP/${a.id}` }) },
      ]),
    ),
    ringTimeoutSec: () => 15,
    owners,
    divert: (softacd, draft) => {
      diverts.push({ softacd, contactId: draft.contactId, agentId: draft.agentId });
      return Promise.resolve();
    },
    toIvr: () => Promise.resolve(),
    scheduler,
    persist: (keys, whole) => persister.durable(keys, whole),
    callGone: (contactId) => {
      gone.push(events.clearBySystem(contactId, { why: 'undeliverable' }));
    },
    log,
  });
  /** The system clears of dead offers, run after the offer's own handling (as in its turn in main.ts). */
  const gone: Array<Promise<void>> = [];
  const reconciler: Reconciler = new Reconciler({
    owners,
    routing,
    clear: (contactId, data, at) => events.clearBySystem(contactId, data, at),
    command: (softacd, draft) => {
      commands.push(`${softacd}:${draft.type}:${draft.contactId}`);
      return Promise.resolve();
    },
    log,
  });
  const events: CallEvents = new CallEvents({
    routing,
    owners,
    store: interactions,
    commandSoftAcd: (softacd, draft) => {
      commands.push(`${softacd}:${draft.type}:${draft.contactId}`);
      return Promise.resolve();
    },
    log,
    directQueues: new Map(),
    callLists: reconciler,
  });
  const event = async (
    draft: { type: MessageType; contactId: string } & Record<string, unknown>,
    delivery = { redelivered: false },
  ) => {
    await events.handle(
      Message.parse(makeMessage({ service: 'softacd', instance: 'softacd-1' }, draft as Draft<'Held'>)),
      delivery,
    );
    await settle();
  };
  /** Waits for the dead offers' clears (each may free an agent that is offered the next) and the write. */
  const settle = async () => {
    while (gone.length > 0) await Promise.all(gone.splice(0));
    await persister.durable();
  };
  const advance = async (ms: number) => {
    clock.now += ms;
    for (const [id, t] of [...timers].sort((a, b) => a[1].dueAt - b[1].dueAt)) {
      if (t.dueAt <= clock.now) {
        timers.delete(id);
        t.fire();
      }
    }
    await new Promise((r) => setTimeout(r, 5));
  };
  /** A caller delivered by softacd-1 and queued in sales (AgentRequest from the IVR). */
  const caller = async (contactId: string) => {
    owners.setSoftacd(contactId, 'softacd-1');
    owners.setIvr(contactId, 'ivr-1');
    await event({ type: 'AgentRequest', contactId, queueId: 'sales' });
  };
  return {
    domain,
    owners,
    restored,
    lost,
    reconciler,
    events,
    settle,
    directory,
    routing,
    diverts,
    states,
    timeline,
    timers,
    commands,
    event,
    advance,
    caller,
    persister,
    docs,
    reads,
  };
}

export const agentStates = (d: CtiDomain) =>
  Object.fromEntries(
    AGENTS.map((a) => {
      const v = d.agentView(a.id);
      return [a.id, v.ok ? `${v.value.state}${v.value.reason ? `:${v.value.reason}` : ''}` : 'unknown'];
    }),
  );
