import { expect } from '../../support/chai';
import type { ContactStateChange, Outcome } from '../../../cti/domain';
import { buildWallboard, dayInZone, servesQueue, type WallboardView } from '../../../cti/domain/wallboard';
import { coversAgent, diffView, rowsOf, scopeOf, scopeView } from '../../../cti/domain/wallboard-scope';
import { DailyStats } from '../../../cti/domain/wallboard-stats';
import { arrive, must, mustFail, queue, readyAgent, world, type World } from './helpers';

const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);
const utcDay = dayInZone('UTC');
const threshold = { thresholdMs: () => 20_000 };

function change(
  c: Partial<ContactStateChange> & Pick<ContactStateChange, 'from' | 'to'>,
): ContactStateChange {
  return { contactId: 'c1', queueId: 'sales', at: T0, ...c };
}

/** The queue's figures a minute after T0 (20 s thresholds); zeros for a queue without any. */
function fig(stats: DailyStats, queueId: string, now = T0 + 60_000) {
  return (
    stats.figures(now, () => 20_000).get(queueId) ?? {
      offered: 0,
      answered: 0,
      abandoned: 0,
      serviceLevel: null,
      asaMs: null,
    }
  );
}

/** Feeds a world's outcomes to the stats, as the CTI feed does. */
function feed(w: World, stats: DailyStats, outcome: Outcome): void {
  for (const c of outcome.contactChanges) {
    const view = w.cti.contactView(c.contactId);
    stats.observe(c, { enqueuedAt: view.ok ? view.value.enqueuedAt : undefined, thresholdMs: () => 20_000 });
  }
}

function board(w: World, stats: DailyStats, names = new Map<string, string>()): WallboardView {
  const s = w.cti.snapshot();
  return buildWallboard({
    queues: s.queues,
    agents: s.agents,
    contacts: s.contacts,
    stats,
    now: w.clock.now(),
    person: (id) => ({ login: id, name: names.get(id) ?? id }),
    serviceLevelSec: () => 20,
  });
}

describe("wallboard: today's figures (DailyStats)", () => {
  it('counts offered, answered within the threshold, abandoned; service level and ASA', () => {
    const stats = new DailyStats(utcDay, T0);
    for (const id of ['a', 'b', 'c', 'd'])
      stats.observe(change({ contactId: id, from: 'new', to: 'waiting' }), threshold);
    // a: answered after 5 s (within 20 s); b: after 30 s (outside); c: caller hung up; d: queue timeout.
    stats.observe(change({ contactId: 'a', from: 'offered', to: 'connected', at: T0 + 5_000 }), {
      ...threshold,
      enqueuedAt: T0,
    });
    stats.observe(change({ contactId: 'b', from: 'ringing', to: 'connected', at: T0 + 30_000 }), {
      ...threshold,
      enqueuedAt: T0,
    });
    stats.observe(change({ contactId: 'c', from: 'waiting', to: 'ended', at: T0 + 8_000 }), threshold);
    stats.observe(
      change({ contactId: 'd', from: 'waiting', to: 'ended', reason: 'queue-timeout' }),
      threshold,
    );
    const f = fig(stats, 'sales');
    expect(f).to.include({ offered: 4, answered: 2, answeredInThreshold: 1, abandoned: 1, left: 1 });
    expect(f.serviceLevel).to.equal(0.25);
    expect(f.asaMs).to.equal(17_500);
    // Two callers still waiting: one for 10 s (it may yet be answered in time: left out), one for 60 s.
    stats.observe(change({ contactId: 'e', from: 'new', to: 'waiting', at: T0 + 50_000 }), threshold);
    stats.observe(change({ contactId: 'f', from: 'new', to: 'waiting' }), threshold);
    expect(fig(stats, 'sales')).to.include({ offered: 6, serviceLevel: 0.2 });
    expect(stats.pendingWithin(T0 + 60_000, () => 20_000)).to.equal(true);
    expect(fig(stats, 'sales', T0 + 71_000).serviceLevel).to.equal(1 / 6);
    expect(stats.pendingWithin(T0 + 71_000, () => 20_000)).to.equal(false);
  });

  it('a retrieve, a second answer after a missed offer and the end of a call count nothing more', () => {
    const stats = new DailyStats(utcDay, T0);
    stats.observe(change({ from: 'new', to: 'waiting' }), threshold);
    stats.observe(change({ from: 'offered', to: 'connected', at: T0 + 1_000 }), {
      ...threshold,
      enqueuedAt: T0,
    });
    stats.observe(change({ from: 'held', to: 'connected', at: T0 + 9_000 }), {
      ...threshold,
      enqueuedAt: T0,
    });
    stats.observe(change({ from: 'offered', to: 'connected', at: T0 + 9_500 }), {
      ...threshold,
      enqueuedAt: T0,
    });
    stats.observe(change({ from: 'connected', to: 'ended', at: T0 + 60_000 }), threshold);
    expect(fig(stats, 'sales')).to.include({ offered: 1, answered: 1, abandoned: 0, asaMs: 1_000 });
    expect(stats.following).to.equal(0);
  });

  it('a contact moved to another queue takes its offer with it', () => {
    const stats = new DailyStats(utcDay, T0);
    stats.observe(change({ from: 'new', to: 'waiting' }), threshold);
    stats.observe(change({ from: 'waiting', to: 'waiting', queueId: 'support', reason: 'moved' }), threshold);
    stats.observe(change({ from: 'waiting', to: 'ended', queueId: 'support' }), threshold);
    expect(fig(stats, 'sales')).to.include({ offered: 0, abandoned: 0 });
    expect(fig(stats, 'support')).to.include({ offered: 1, abandoned: 1 });
  });

  it('outbound contacts are not offered by a queue; nothing offered gives no service level', () => {
    const stats = new DailyStats(utcDay, T0);
    expect(stats.observe(change({ from: 'new', to: 'offered' }), threshold)).to.equal(false);
    stats.observe(change({ from: 'offered', to: 'connected' }), threshold);
    expect(fig(stats, 'sales')).to.include({ offered: 0, answered: 0, serviceLevel: null, asaMs: null });
  });

  it('resets at midnight of its time zone; a contact offered yesterday counts in no figure today', () => {
    const paris = dayInZone('Europe/Paris');
    // 22:30 UTC on 7 December is 23:30 in Paris; 23:10 UTC is 00:10 on the 8th there.
    const evening = Date.UTC(2026, 11, 7, 22, 30);
    const stats = new DailyStats(paris, evening);
    stats.observe(change({ from: 'new', to: 'waiting', at: evening }), threshold);
    expect(fig(stats, 'sales', evening).offered).to.equal(1);
    const after = Date.UTC(2026, 11, 7, 23, 10);
    stats.observe(change({ from: 'offered', to: 'connected', at: after }), {
      ...threshold,
      enqueuedAt: evening,
    });
    expect(stats.today).to.equal('2026-12-08');
    expect(fig(stats, 'sales', after)).to.include({ offered: 0, answered: 0 });
    expect(utcDay(after)).to.equal('2026-12-07');
    expect(stats.rollover(Date.UTC(2026, 11, 8, 23, 30))).to.equal(true); // 00:30 on the 9th in Paris
  });

  it("a restarted CTI starts from today's stored contacts and follows those not ended", () => {
    const stats = new DailyStats(utcDay, T0);
    const yesterday = T0 - 24 * 3600_000;
    const restored = stats.restore(
      [
        {
          contactId: 'a',
          queueId: 'sales',
          queuedAt: T0,
          answeredAt: T0 + 4_000,
          ended: true,
          abandoned: false,
        },
        { contactId: 'b', queueId: 'sales', queuedAt: T0, ended: true, abandoned: true },
        { contactId: 'c', queueId: 'sales', queuedAt: T0, ended: true, abandoned: false },
        { contactId: 'd', queueId: 'sales', queuedAt: T0 + 1_000, ended: false, abandoned: false },
        { contactId: 'old', queueId: 'sales', queuedAt: yesterday, ended: true, abandoned: true },
      ],
      () => 20_000,
    );
    expect(restored).to.equal(4);
    expect(fig(stats, 'sales')).to.include({ offered: 4, answered: 1, abandoned: 1, left: 1, asaMs: 4_000 });
    expect(stats.following).to.equal(1);
    stats.observe(change({ contactId: 'd', from: 'ringing', to: 'connected', at: T0 + 6_000 }), {
      ...threshold,
      enqueuedAt: T0 + 1_000,
    });
    expect(fig(stats, 'sales')).to.include({ answered: 2, answeredInThreshold: 2, serviceLevel: 0.5 });
  });

  it('sweep drops contacts the domain no longer holds', () => {
    const stats = new DailyStats(utcDay, T0);
    stats.observe(change({ contactId: 'kept', from: 'new', to: 'waiting' }), threshold);
    stats.observe(change({ contactId: 'lost', from: 'new', to: 'waiting' }), threshold);
    expect(stats.sweep((id) => id === 'kept')).to.equal(1);
    expect(stats.following).to.equal(1);
  });
});

describe('wallboard: the board from the domain', () => {
  function setUp() {
    const w = world();
    w.clock.t = T0;
    queue(w, { id: 'sales', channel: 'voice', skills: [{ name: 'sales', minLevel: 2 }] });
    queue(w, { id: 'support', channel: 'voice', skills: [{ name: 'support', minLevel: 1 }] });
    const stats = new DailyStats(utcDay, T0);
    return { w, stats };
  }

  it('waiting contacts, the oldest enqueue time and agents per state for each queue', () => {
    const { w, stats } = setUp();
    feed(w, stats, readyAgent(w, { id: 'ann', skills: { sales: 5 } }));
    must(w.cti.addAgent({ id: 'bob', skills: { sales: 2, support: 3 } }));
    must(w.cti.login('bob'));
    must(w.cti.notReady('bob', 'lunch'));
    must(w.cti.addAgent({ id: 'cy', skills: { sales: 1 } })); // below sales' minimum: serves nothing
    feed(w, stats, arrive(w, 'c1', 'sales')); // offered to ann at once
    w.clock.advance(3_000);
    feed(w, stats, arrive(w, 'c2', 'sales'));
    w.clock.advance(2_000);
    feed(w, stats, arrive(w, 'c3', 'sales'));
    const view = board(w, stats, new Map([['ann', 'Ann A']]));
    const sales = view.queues.find((q) => q.id === 'sales');
    expect(sales).to.include({
      waiting: 2,
      oldestEnqueuedAt: T0 + 3_000,
      busy: 1,
      notReady: 1,
      ready: 0,
      offered: 3,
    });
    expect(sales?.contacts.map((c) => c.id)).to.deep.equal(['c2', 'c3']);
    const ann = view.agents.find((a) => a.id === 'ann');
    expect(ann).to.deep.include({ name: 'Ann A', state: 'reserved', contactId: 'c1', contactQueue: 'sales' });
    expect(view.agents.find((a) => a.id === 'bob')).to.deep.include({
      state: 'not-ready',
      reason: 'lunch',
      queues: ['sales', 'support'],
    });
    expect(view.agents.find((a) => a.id === 'cy')?.queues).to.deep.equal([]);
  });

  it('a task queue is on the board with its channel, waiting count and longest wait', () => {
    const { w, stats } = setUp();
    queue(w, { id: 'email', channel: 'email' });
    feed(w, stats, arrive(w, 'm1', 'email'));
    w.clock.advance(4_000);
    feed(w, stats, arrive(w, 'm2', 'email'));
    const mail = board(w, stats).queues.find((q) => q.id === 'email');
    expect(mail).to.include({ channel: 'email', waiting: 2, oldestEnqueuedAt: T0 });
    expect(mail?.contacts.map((c) => c.id)).to.deep.equal(['m1', 'm2']);
    expect(board(w, stats).queues.find((q) => q.id === 'sales')?.channel).to.equal('voice');
  });

  it('servesQueue follows routing: every required skill at its level, and the channel taken', () => {
    const q = { id: 'q', channel: 'voice' as const, skills: [{ name: 'en', minLevel: 2 }] };
    const voice = { voice: 1, video: 1, email: 3, sms: 3, fax: 1 };
    const config = (skills: Record<string, number>, maxTasks = voice) => ({
      ...{ id: 'a', skills, maxTasks },
      ...{ maxTotal: 5, callBlocksTasks: true },
    });
    expect(servesQueue(config({ en: 2 }), q as never)).to.equal(true);
    expect(servesQueue(config({ en: 1 }), q as never)).to.equal(false);
    expect(servesQueue(config({ en: 5 }, { ...voice, voice: 0 }), q as never)).to.equal(false);
    expect(servesQueue(config({}), { ...q, skills: [] } as never)).to.equal(true);
  });

  it('moves a waiting contact to another queue (keeping its wait) and raises one to the front', () => {
    const { w, stats } = setUp();
    feed(w, stats, arrive(w, 'c1', 'sales'));
    w.clock.advance(1_000);
    feed(w, stats, arrive(w, 'c2', 'sales'));
    w.clock.advance(1_000);
    const raised = must(w.cti.raiseWaiting('c2'));
    expect(raised.contactChanges).to.deep.equal([
      { contactId: 'c2', queueId: 'sales', from: 'waiting', to: 'waiting', reason: 'raised', at: T0 + 2_000 },
    ]);
    expect(board(w, stats).queues[0]?.contacts.map((c) => [c.id, c.raised])).to.deep.equal([
      ['c2', true],
      ['c1', false],
    ]);
    mustFail(w.cti.raiseWaiting('c2'), 'ILLEGAL_CONTACT_TRANSITION');
    feed(w, stats, must(w.cti.moveWaiting('c1', 'support')));
    const view = board(w, stats);
    expect(view.queues.map((q) => [q.id, q.waiting, q.offered])).to.deep.equal([
      ['sales', 1, 1],
      ['support', 1, 1],
    ]);
    expect(view.queues[1]?.oldestEnqueuedAt).to.equal(T0);
    mustFail(w.cti.moveWaiting('c1', 'support'), 'ILLEGAL_CONTACT_TRANSITION');
    mustFail(w.cti.moveWaiting('c1', 'nowhere'), 'UNKNOWN_QUEUE');
    // An agent that serves support takes the moved contact.
    const ready = readyAgent(w, { id: 'sue', skills: { support: 1 } });
    expect(ready.offers.map((o) => o.contactId)).to.deep.equal(['c1']);
    mustFail(w.cti.moveWaiting('c1', 'sales'), 'CONTACT_NOT_WAITING');
  });
});

describe("wallboard: a supervisor's scope", () => {
  const view: WallboardView = {
    day: '2026-12-07',
    queues: ['sales', 'support'].map((id) => ({ id }) as WallboardView['queues'][number]),
    agents: [
      { id: 'a1', login: '1001', name: 'A', state: 'ready', since: 0, queues: ['sales'] },
      { id: 'a2', login: '1002', name: 'B', state: 'ready', since: 0, queues: ['sales', 'support'] },
      { id: 'a3', login: '1003', name: 'C', state: 'ready', since: 0, queues: ['support'] },
    ],
  };

  it('a supervisor sees its queues and the agents serving them; an admin everything; nobody nothing', () => {
    const sales = scopeOf({ admin: false, supervises: ['sales', 'gone'] });
    const scoped = scopeView(view, sales);
    expect(scoped.queues.map((q) => q.id)).to.deep.equal(['sales']);
    expect(scoped.agents.map((a) => [a.id, a.queues])).to.deep.equal([
      ['a1', ['sales']],
      ['a2', ['sales']],
    ]);
    expect(coversAgent(sales, view.agents[2]!)).to.equal(false);
    expect(scopeView(view, scopeOf({ admin: true, supervises: [] }))).to.equal(view);
    expect(scopeView(view, scopeOf(undefined)).agents).to.deep.equal([]);
  });

  it('a delta carries only the rows that changed, the rows removed, and nothing when nothing did', () => {
    const sent = rowsOf(view);
    expect(diffView(sent, view.day, view)).to.equal(undefined);
    const next: WallboardView = {
      ...view,
      agents: [{ ...view.agents[0]!, state: 'talking', since: 5 }, view.agents[1]!],
    };
    const delta = diffView(sent, view.day, next);
    expect(delta?.agents.map((a) => a.id)).to.deep.equal(['a1']);
    expect(delta?.removedAgents).to.deep.equal(['a3']);
    expect(delta?.queues).to.deep.equal([]);
  });
});
