import { MongoClient } from 'mongodb';
import { EXCHANGES } from '../../lib/bus/topology';
import { eventually } from './bus-observer';
import type { DurableBusObserver, Observed } from './fault-bus';
import type { Call } from './fault-load-parts';
import { mongoUri } from './servers';

/**
 * Every call's events on the bus and in its stored timeline: the once-per-call events exactly once
 * (`only`: just these, for calls that did not get that far), no message id twice, and the timeline
 * holding each recorded event as often as the bus carried it.
 */
export async function eventAccounting(
  bus: DurableBusObserver,
  calls: Call[],
  answered: Call[],
  only?: ReadonlySet<string>,
): Promise<{ lost: string[]; duplicated: string[] }> {
  const lost: string[] = [];
  const duplicated: string[] = [];
  const ids = new Map<string, number>();
  for (const c of calls)
    for (const s of bus.forContact(c.contactId)) {
      const id = String(s.body.id);
      ids.set(id, (ids.get(id) ?? 0) + 1);
    }
  for (const [id, n] of ids) if (n > 1) duplicated.push(`message ${id} seen ${n} times`);

  const kind = (s: Observed) => (s.body.deliveredTo as { kind?: string } | undefined)?.kind;
  for (const c of calls) {
    const seen = bus.forContact(c.contactId).filter((s) => s.exchange === EXCHANGES.events);
    const once: Array<[string, (s: Observed) => boolean]> = [
      ['CallDelivered(acd)', (s) => s.body.type === 'CallDelivered' && kind(s) === 'acd'],
      ['RouteRequest', (s) => s.body.type === 'RouteRequest'],
      ['RouteEnd', (s) => s.body.type === 'RouteEnd'],
      ['AgentRequest', (s) => s.body.type === 'AgentRequest'],
      ['ConnectionCleared', (s) => s.body.type === 'ConnectionCleared'],
    ];
    if (answered.includes(c)) once.push(['Established', (s) => s.body.type === 'Established']);
    for (const [name, match] of once.filter(([n]) => only === undefined || only.has(n))) {
      const n = seen.filter(match).length;
      if (n === 0) lost.push(`${c.label} ${c.contactId}: no ${name}`);
      if (n > 1) duplicated.push(`${c.label} ${c.contactId}: ${name} ${n} times`);
    }
  }

  // The store: CTI appends each of these events to the contact's timeline once.
  const recorded = [
    'CallDelivered',
    'RouteRequest',
    'AgentRequest',
    'Established',
    'ConnectionCleared',
    'DivertFailed',
  ];
  const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  try {
    const coll = mongo.db().collection('interactions');
    for (const c of calls) {
      const doc = await eventually(
        `${c.label} stored as cleared`,
        async () => {
          const d = await coll.findOne({ _id: c.contactId as never });
          return d?.state === 'cleared' ? d : undefined;
        },
        5_000,
      ).catch(() => undefined);
      if (doc === undefined) {
        lost.push(`${c.label} ${c.contactId}: not stored as cleared`);
        continue;
      }
      const timeline = (doc.timeline as Array<{ type: string }> | undefined) ?? [];
      const distinct = new Map<string, Observed>();
      for (const s of bus.forContact(c.contactId))
        if (s.exchange === EXCHANGES.events) distinct.set(String(s.body.id), s);
      for (const type of recorded) {
        const onBus = [...distinct.values()].filter((s) => s.body.type === type).length;
        const stored = timeline.filter((t) => t.type === type).length;
        if (stored < onBus)
          lost.push(`${c.label} ${c.contactId}: ${type} ${onBus} on the bus, ${stored} stored`);
        if (stored > onBus)
          duplicated.push(`${c.label} ${c.contactId}: ${type} stored ${stored} times, ${onBus} on the bus`);
      }
    }
  } finally {
    await mongo.close();
  }
  return { lost, duplicated };
}
