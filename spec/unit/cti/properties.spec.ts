import { expect } from '../../support/chai';
import fc from 'fast-check';
import {
  REALTIME_CHANNELS,
  type CtiDomain,
  type DomainSnapshot,
  type Outcome,
  type Result,
} from '../../../cti/domain';
import { must, world } from './helpers';

const QUEUES = [
  { id: 'q0', channel: 'voice', skills: [] },
  { id: 'q1', channel: 'voice', priority: 2, policy: 'highest-skill', skills: [{ name: 's1', minLevel: 3 }] },
  { id: 'q2', channel: 'video', policy: 'least-calls', skills: [{ name: 's2', minLevel: 2 }] },
  {
    id: 'q3',
    channel: 'email',
    skills: [
      { name: 's1', minLevel: 1 },
      { name: 's2', minLevel: 1 },
    ],
  },
] as const;
const AGENTS = ['a0', 'a1', 'a2', 'a3'];

type Cmd =
  | { kind: 'arrive'; queue: number }
  | { kind: 'agent'; op: 'login' | 'logout' | 'ready' | 'notReady'; agent: number }
  | {
      kind: 'contact';
      op: 'ringing' | 'answered' | 'ringNoAnswer' | 'released' | 'abandon' | 'callback';
      contact: number;
    }
  | { kind: 'time'; ms: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ kind: fc.constant('arrive' as const), queue: fc.nat(QUEUES.length - 1) }),
  fc.record({
    kind: fc.constant('agent' as const),
    op: fc.constantFrom('login' as const, 'logout' as const, 'ready' as const, 'notReady' as const),
    agent: fc.nat(AGENTS.length - 1),
  }),
  fc.record({
    kind: fc.constant('contact' as const),
    op: fc.constantFrom(
      'ringing' as const,
      'answered' as const,
      'ringNoAnswer' as const,
      'released' as const,
      'abandon' as const,
      'callback' as const,
    ),
    contact: fc.nat(40),
  }),
  fc.record({ kind: fc.constant('time' as const), ms: fc.integer({ min: 1, max: 30_000 }) }),
);

const levels = fc.record({ s1: fc.integer({ min: 1, max: 10 }), s2: fc.integer({ min: 1, max: 10 }) });

function setUp(agentLevels: { s1: number; s2: number }[]) {
  const w = world();
  for (const q of QUEUES) {
    must(
      w.cti.addQueue({
        ringTimeoutMs: 20_000,
        wrapUpMs: 5_000,
        queueTimeoutMs: 60_000,
        ...q,
        skills: [...q.skills],
      }),
    );
  }
  AGENTS.forEach((id, i) =>
    must(w.cti.addAgent({ id, skills: agentLevels[i] ?? {}, maxTasks: { email: 2 } })),
  );
  return w;
}

/** Applies one command; fires due timers on time steps. Returns every outcome produced. */
function apply(cti: CtiDomain, clock: { t: number }, c: Cmd, arrived: string[]): Result<Outcome>[] {
  switch (c.kind) {
    case 'arrive': {
      const id = `c${arrived.length}`;
      arrived.push(id);
      return [cti.contactArrived({ contactId: id, queueId: QUEUES[c.queue]!.id })];
    }
    case 'agent': {
      const id = AGENTS[c.agent]!;
      return [c.op === 'notReady' ? cti.notReady(id, 'break') : cti[c.op](id)];
    }
    case 'contact': {
      const id = arrived[c.contact % Math.max(1, arrived.length)] ?? 'none';
      const op = c.op === 'abandon' ? 'contactAbandoned' : c.op === 'callback' ? 'callbackRequested' : c.op;
      return [cti[op](id)];
    }
    case 'time': {
      clock.t += c.ms;
      const due = cti.armedTimers().filter((t) => t.dueAt <= clock.t);
      due.sort((a, b) => a.dueAt - b.dueAt);
      return due.map((t) => cti.timerFired(t.id));
    }
  }
}

/** The matching invariant: nothing waits in a queue that a ready agent with room could take. */
function idleMatches(snap: DomainSnapshot, cti: CtiDomain): string[] {
  const found: string[] = [];
  const waitingQueues = new Set(snap.contacts.filter((c) => c.state === 'waiting').map((c) => c.queueId));
  for (const q of snap.queues.filter((q) => waitingQueues.has(q.config.id))) {
    for (const a of snap.agents.filter((a) => a.state === 'ready')) {
      const view = must(cti.agentView(a.config.id));
      const room = view.activeTasks[q.config.channel] < a.config.maxTasks[q.config.channel];
      const skilled = q.config.skills.every((s) => (a.config.skills[s.name] ?? 0) >= s.minLevel);
      if (room && skilled) found.push(`${a.config.id} idle while ${q.config.id} waits`);
    }
  }
  return found;
}

describe('cti/domain properties (fast-check)', () => {
  it('never gives an agent two real-time contacts or more tasks than its maximum; never leaves a match idle', () => {
    fc.assert(
      fc.property(
        fc.array(levels, { minLength: 4, maxLength: 4 }),
        fc.array(cmd, { maxLength: 120 }),
        (lv, cmds) => {
          const w = setUp(lv);
          const arrived: string[] = [];
          for (const c of cmds) {
            for (const result of apply(w.cti, w.clock, c, arrived)) {
              if (!result.ok) expect(result.error.code).to.be.a('string');
            }
            const snap = w.cti.snapshot();
            for (const a of snap.agents) {
              const mine = snap.contacts.filter((x) => x.agentId === a.config.id);
              const realtime = mine.filter((x) =>
                REALTIME_CHANNELS.has(QUEUES.find((q) => q.id === x.queueId)!.channel),
              );
              expect(realtime.length, `${a.config.id} real-time contacts`).to.be.at.most(1);
              expect(mine.filter((x) => x.queueId === 'q3').length).to.be.at.most(2);
              if (realtime.length === 1) expect(['reserved', 'ringing', 'talking']).to.include(a.state);
            }
            expect(idleMatches(snap, w.cti)).to.deep.equal([]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('serves each queue in order: no contact is offered while one ahead of it keeps waiting', () => {
    fc.assert(
      fc.property(
        fc.array(levels, { minLength: 4, maxLength: 4 }),
        fc.array(cmd, { maxLength: 120 }),
        (lv, cmds) => {
          const w = setUp(lv);
          const arrived: string[] = [];
          for (const c of cmds) {
            const before = new Map<string, { queueId: string; position: number }>();
            for (const x of w.cti.snapshot().contacts.filter((x) => x.state === 'waiting')) {
              before.set(x.id, { queueId: x.queueId, position: must(w.cti.queuePosition(x.id)) });
            }
            const outcomes = apply(w.cti, w.clock, c, arrived);
            const after = w.cti.snapshot().contacts;
            for (const x of after.filter((x) => x.state === 'waiting' && x.returned)) {
              // Returned contacts sit ahead of every contact that never reached an agent.
              const returnedHere = after.filter(
                (y) => y.queueId === x.queueId && y.state === 'waiting' && y.returned,
              );
              expect(must(w.cti.queuePosition(x.id))).to.be.at.most(returnedHere.length);
            }
            const stillWaiting = new Set(
              w.cti
                .snapshot()
                .contacts.filter((x) => x.state === 'waiting')
                .map((x) => x.id),
            );
            for (const result of outcomes) {
              for (const offer of result.ok ? result.value.offers : []) {
                const mine = before.get(offer.contactId);
                if (!mine) continue;
                for (const [id, other] of before) {
                  if (other.queueId === mine.queueId && other.position < mine.position) {
                    expect(stillWaiting.has(id), `${id} was ahead of ${offer.contactId}`).to.equal(false);
                  }
                }
              }
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a refused command changes nothing', () => {
    fc.assert(
      fc.property(
        fc.array(levels, { minLength: 4, maxLength: 4 }),
        fc.array(cmd, { maxLength: 80 }),
        (lv, cmds) => {
          const w = setUp(lv);
          const arrived: string[] = [];
          for (const c of cmds) {
            if (c.kind === 'time') {
              apply(w.cti, w.clock, c, arrived);
              continue;
            }
            const before = JSON.stringify(w.cti.snapshot());
            const [result] = apply(w.cti, w.clock, c, arrived);
            if (result && !result.ok) expect(JSON.stringify(w.cti.snapshot())).to.equal(before);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
