import winston from 'winston';
import { TokenError, type VerifiedToken } from '../../../lib/auth-token';
import type { AuditEntry } from '../../../cti/supervisor/audit';
import { SupervisorControl } from '../../../cti/supervisor/control';
import { WallboardFeed } from '../../../cti/supervisor/feed';
import {
  CLOSE_NOT_SUPERVISOR,
  SupervisorGateway,
  type SupervisorSocket,
} from '../../../cti/supervisor/gateway';
import type { SupervisorServerMessage } from '../../../cti/supervisor/protocol';
import type { SupervisePort } from '../../../cti/supervisor/supervise-port';
import { scopeOf } from '../../../cti/domain/wallboard-scope';
import { DailyStats } from '../../../cti/domain/wallboard-stats';
import { dayInZone } from '../../../cti/domain/wallboard';
import { LiveDirectory } from '../../../cti/app/live-directory';
import { createCtiDomain } from '../../../cti/domain';
import { makeMessage } from '../../../lib/messages';
import { expect } from '../../support/chai';
import { arrive, must, queue, readyAgent, world } from '../cti/helpers';

const log = winston.createLogger({ silent: true });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The supervisor socket on its gateway alone, over a real routing domain: tokens are `person:role`
 * (the real verifier has its own tests), the routing service applies the domain's outcomes at once.
 */
function setUp() {
  const w = world();
  w.clock.t = Date.now();
  queue(w, { id: 'sales', channel: 'voice', skills: [{ name: 'sales', minLevel: 1 }] });
  queue(w, { id: 'support', channel: 'voice', skills: [{ name: 'support', minLevel: 1 }] });
  readyAgent(w, { id: 'ann', skills: { sales: 3 } });
  readyAgent(w, { id: 'sam', skills: { support: 3 } });
  const audit: AuditEntry[] = [];
  const supervised: string[] = [];
  const announced: string[] = [];
  const feed = new WallboardFeed({
    snapshot: () => w.cti.snapshot(),
    stats: new DailyStats(dayInZone('UTC'), w.clock.now()),
    person: (id) => ({ login: id, name: id }),
    serviceLevelSec: () => 20,
    enqueuedAt: () => undefined,
    now: () => Date.now(),
    intervalMs: 200,
    log,
  });
  const routing = {
    agentStatus: (id: string) => {
      const v = w.cti.agentView(id);
      return v.ok
        ? {
            state: v.value.state,
            since: v.value.stateSince,
            ...(v.value.reason ? { reason: v.value.reason } : {}),
          }
        : undefined;
    },
    agentEvent: (kind: string, id: string, reason?: string) => {
      const r = kind === 'not-ready' ? w.cti.notReady(id, reason ?? '') : w.cti.logout(id);
      if (r.ok) feed.observe(r.value);
      return Promise.resolve();
    },
    announcePosition: (contactId: string) => {
      announced.push(contactId);
      return Promise.resolve();
    },
    applyResult: (r: { ok: boolean; value?: unknown }) => {
      if (r.ok) feed.observe(r.value as never);
      return Promise.resolve();
    },
  };
  const control = new SupervisorControl({
    routing,
    domain: w.cti,
    agentQueues: (id) => feed.agentQueues(id),
    reasons: { allows: (r) => r === 'meeting', list: () => ['meeting'] },
    serializeAgent: (_id, task) => task(),
    serializeContact: (_id, task) => task(),
    audit: {
      record: (e) => {
        audit.push(e);
        return Promise.resolve();
      },
    },
    log,
  });
  const port: SupervisePort = {
    start: (req) => {
      supervised.push(`${req.supervisorId} ${req.mode} ${req.agentId} ${req.device}`);
      return Promise.resolve({
        ok: true,
        sessionId: 's1',
        agentId: req.agentId,
        contactId: 'c9',
        mode: req.mode,
      });
    },
    change: () => Promise.resolve({ ok: false, reason: 'no such session' }),
    stop: () => Promise.resolve({ ok: false, reason: 'no such session' }),
  };
  const staff = new Map([['sup', { admin: false, supervises: ['sales'] }]]);
  const gateway = new SupervisorGateway({
    verifyToken: (token): VerifiedToken => {
      const [sub, role] = token.split(':');
      if (!sub || !role) throw new TokenError('invalid token');
      return { sub, roles: [role as 'agent'], ver: 0, exp: Date.now() / 1000 + 600 };
    },
    accounts: { check: () => Promise.resolve(null), checkMany: () => Promise.resolve([]) },
    scope: (id, admin) => (admin ? { all: true } : scopeOf(staff.get(id))),
    feed,
    control,
    supervise: port,
    reasons: () => ['meeting'],
    log,
  });
  const client = () => {
    const got: SupervisorServerMessage[] = [];
    const c: {
      got: SupervisorServerMessage[];
      closed?: { code: number; reason: string };
      socket: SupervisorSocket;
    } = {
      got,
      socket: {
        send: (m) => void got.push(m),
        close: (code, reason) => {
          c.closed = { code, reason };
          gateway.closed(c.socket);
        },
      },
    };
    const say = (m: unknown) => gateway.received(c.socket, JSON.stringify(m));
    const errors = () => got.flatMap((m) => (m.type === 'error' ? [m.code] : []));
    return Object.assign(c, { say, errors });
  };
  return { w, feed, gateway, client, audit, supervised, staff, announced };
}

describe('supervisor socket (gateway and wallboard feed)', () => {
  let stopAll: (() => void) | undefined;
  afterEach(() => stopAll?.());

  it('refuses an agent-only token with 4403 and a clear code', async () => {
    const s = setUp();
    stopAll = () => (s.gateway.stop(), s.feed.stop());
    const c = s.client();
    await c.say({ type: 'auth', token: 'ann:agent' });
    expect(c.errors()).to.deep.equal(['not_a_supervisor']);
    expect(c.closed?.code).to.equal(CLOSE_NOT_SUPERVISOR);
    expect(s.gateway.connections).to.equal(0);
  });

  it("welcomes a supervisor with a snapshot of its queues only; an admin's covers every queue", async () => {
    const s = setUp();
    stopAll = () => (s.gateway.stop(), s.feed.stop());
    const sup = s.client();
    await sup.say({ type: 'auth', token: 'sup:supervisor' });
    expect(sup.got.map((m) => m.type)).to.deep.equal(['welcome', 'wallboard']);
    const board = sup.got[1] as Extract<SupervisorServerMessage, { type: 'wallboard' }>;
    expect(board.queues.map((q) => q.id)).to.deep.equal(['sales']);
    expect(board.agents.map((a) => a.id)).to.deep.equal(['ann']);
    const admin = s.client();
    await admin.say({ type: 'auth', token: 'boss:admin' });
    const all = admin.got[1] as Extract<SupervisorServerMessage, { type: 'wallboard' }>;
    expect(all.queues.map((q) => q.id)).to.deep.equal(['sales', 'support']);
  });

  it('refuses to force an agent or move a contact outside its queues; audits what it does', async () => {
    const s = setUp();
    stopAll = () => (s.gateway.stop(), s.feed.stop());
    const sup = s.client();
    await sup.say({ type: 'auth', token: 'sup:supervisor' });
    await sup.say({ type: 'force-not-ready', agentId: 'sam', reason: 'meeting', ref: 'r1' });
    expect(sup.got.at(-1)).to.deep.include({ type: 'error', code: 'not_your_queue', ref: 'r1' });
    expect(must(s.w.cti.agentView('sam')).state).to.equal('ready');
    await sup.say({ type: 'force-not-ready', agentId: 'ann', reason: 'coffee' });
    expect(sup.errors().at(-1)).to.equal('unknown_reason');
    await sup.say({ type: 'force-not-ready', agentId: 'ann', reason: 'meeting', ref: 'r2' });
    expect(sup.got.at(-1)).to.deep.equal({
      type: 'done',
      action: 'force-not-ready',
      agentId: 'ann',
      ref: 'r2',
    });
    expect(must(s.w.cti.agentView('ann'))).to.include({ state: 'not-ready', reason: 'meeting' });
    arrive(s.w, 'c1', 'sales');
    await sup.say({ type: 'move-contact', contactId: 'c1', queueId: 'support' });
    expect(sup.errors().at(-1)).to.equal('not_your_queue');
    await sup.say({ type: 'raise-priority', contactId: 'c1' });
    await sup.say({ type: 'force-logout', agentId: 'ann', reason: 'end of shift' });
    expect(must(s.w.cti.agentView('ann')).state).to.equal('logged-out');
    expect(s.audit.map((e) => `${e.action} ${e.entityId}`)).to.deep.equal([
      'force-not-ready ann',
      'raise-priority c1',
      'force-logout ann',
    ]);
    expect(s.audit.every((e) => e.actor === 'sup')).to.equal(true);
    expect(s.announced, "the raised caller's IVR hears its new place").to.deep.equal(['c1']);
  });

  it('routes supervision to the port, checked against its queues, and answers with its result', async () => {
    const s = setUp();
    stopAll = () => (s.gateway.stop(), s.feed.stop());
    const sup = s.client();
    await sup.say({ type: 'auth', token: 'sup:supervisor' });
    await sup.say({ type: 'supervise', agentId: 'sam', mode: 'listen' });
    expect(sup.errors().at(-1)).to.equal('not_your_queue');
    await sup.say({ type: 'supervise', agentId: 'ann', mode: 'whisper', device: 'desk' });
    expect(sup.got.at(-1)).to.deep.equal({
      type: 'supervise-started',
      sessionId: 's1',
      agentId: 'ann',
      contactId: 'c9',
      mode: 'whisper',
    });
    await sup.say({ type: 'supervise-stop', sessionId: 'nope' });
    expect(sup.got.at(-1)).to.deep.include({
      type: 'error',
      code: 'supervise_refused',
      message: 'no such session',
    });
    expect(s.supervised).to.deep.equal(['sup whisper ann desk']);
  });

  it('pushes changes as deltas, at most one per 200 ms, and a reconnect gets a whole snapshot', async () => {
    const s = setUp();
    stopAll = () => (s.gateway.stop(), s.feed.stop());
    const sup = s.client();
    await sup.say({ type: 'auth', token: 'sup:supervisor' });
    const updates = () => sup.got.filter((m) => m.type === 'wallboard-update');
    for (let i = 0; i < 5; i++) s.feed.observe(arrive(s.w, `burst${i}`, 'sales'));
    await sleep(50);
    expect(updates()).to.have.length(1);
    const first = updates()[0] as Extract<SupervisorServerMessage, { type: 'wallboard-update' }>;
    expect(first.queues.map((q) => [q.id, q.waiting])).to.deep.equal([['sales', 4]]);
    s.feed.observe(arrive(s.w, 'late', 'sales'));
    await sleep(60);
    expect(updates()).to.have.length(1); // within the interval: held back
    await sleep(200);
    expect(updates()).to.have.length(2);
    // Support's contacts are none of this supervisor's business: no push at all.
    s.feed.observe(arrive(s.w, 'other', 'support'));
    await sleep(450);
    expect(updates()).to.have.length(2);
    sup.socket.close(1006, 'gone');
    const again = s.client();
    await again.say({ type: 'auth', token: 'sup:supervisor' });
    const board = again.got[1] as Extract<SupervisorServerMessage, { type: 'wallboard' }>;
    expect(board.queues[0]).to.include({ id: 'sales', waiting: 5 });
  });
});

describe('supervisor scope from the live directory', () => {
  it("loads supervisors' queues with the directory and follows each person's change event", async () => {
    const staff = new Map([
      ['sup', { id: 'sup', admin: false, supervises: ['sales'] }],
      ['boss', { id: 'boss', admin: true, supervises: [] }],
    ]);
    const data = {
      queues: [
        {
          input: { id: 'sales', channel: 'voice' as const },
          ringTimeoutSec: 20,
          recording: false,
          serviceLevelSec: 15,
        },
      ],
      agents: [],
      reasons: [],
      staff: [...staff.values()],
    };
    const live = new LiveDirectory({
      source: {
        all: () => Promise.resolve(data),
        agent: () => Promise.resolve(undefined),
        queues: () => Promise.resolve(data.queues),
        reasons: () => Promise.resolve([]),
        staff: (id) => Promise.resolve(staff.get(id)),
      },
      domain: createCtiDomain({ clock: { now: () => 1 } }),
      log,
    });
    live.reconcile(data);
    expect(scopeOf(live.staff.get('sup'))).to.deep.equal({ all: false, queues: new Set(['sales']) });
    expect(scopeOf(live.staff.get('boss'))).to.deep.equal({ all: true });
    expect(live.serviceLevelSec.get('sales')).to.equal(15);
    staff.set('sup', { id: 'sup', admin: false, supervises: ['sales', 'support'] });
    const event = (entityId: string) =>
      makeMessage<'ConfigChanged'>(
        { service: 'as', instance: 'test' },
        {
          type: 'ConfigChanged',
          contactId: `config:agent:${entityId}`,
          entity: 'agent',
          entityId,
          action: 'update',
        },
      );
    await live.changed(event('sup'), () => Promise.resolve());
    expect(live.staff.get('sup')?.supervises).to.deep.equal(['sales', 'support']);
    staff.delete('sup'); // demoted or deleted: no scope at all
    await live.changed(event('sup'), () => Promise.resolve());
    expect(scopeOf(live.staff.get('sup'))).to.deep.equal({ all: false, queues: new Set() });
  });
});
