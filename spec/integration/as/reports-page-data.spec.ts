import { randomUUID } from 'node:crypto';
import { expect } from '../../support/chai';
import { signToken } from '../../../lib/auth-token';
import { Agent, AgentState, Interaction, Queue } from '../../../as/models';
import { contactsFor, expectedQueueRow1h, NOW, statesFor, T } from '../../unit/as/report-fixture';
import { body, call, PASSWORD, SECRET, setUp, tearDown, type Fixture } from './fixture';

const range = 'from=2026-01-05T09:00:00Z&to=2026-01-05T10:00:00Z&interval=1h';
const json = <T>(x: T) => JSON.parse(JSON.stringify(x)) as T;
const { intervalStart: _start, ...sales } = expectedQueueRow1h;
const none = {
  offered: 0,
  answered: 0,
  abandoned: 0,
  abandonRate: null,
  answeredWithinThreshold: 0,
  serviceLevel: null,
  asaSec: null,
  ahtSec: null,
  longestWaitSec: null,
};

interface Summary {
  queues: string[];
  intervals: unknown[];
  total: Record<string, unknown>;
  byQueue: ({ queueId: string } & Record<string, unknown>)[];
  byChannel: ({ channel: string } & Record<string, unknown>)[];
}
interface AgentRow {
  login: string;
  handled: number;
  talkTimeSec: number;
  notReadySec: number;
}

/**
 * The reports page's data (as/plugins/reports): the queues' summary, the agents report by queue, and
 * the supervisor's scope (its `supervises` list) on every reports route, on the real store.
 */
describe('AS reports: the page’s summary and the supervisor’s scope (integration)', () => {
  let f: Fixture;
  /** Supervises sales only; `idle` supervises nothing. */
  const tokens = { salesOnly: '', idle: '' };
  before(async () => {
    f = await setUp({ now: () => NOW });
    const contacts = {
      ...contactsFor('sales', 'support', f.ids.agentA, f.ids.agentB),
      // A support call answered by agent B in 25 s: within support's 30 s, the sales figures unchanged.
      c11: {
        queueId: 'support',
        agentId: f.ids.agentB,
        queuedAt: T('09:20:00'),
        answeredAt: T('09:20:25'),
        endedAt: T('09:21:25'),
      },
    };
    await Interaction.insertMany(
      Object.values(contacts).map((c) => ({
        _id: randomUUID(),
        channel: 'voice',
        direction: 'inbound',
        from: '+33199000001',
        to: '100',
        state: 'endedAt' in c ? 'Cleared' : 'Established',
        createdAt: c.queuedAt,
        ...c,
      })),
    );
    await AgentState.insertMany(statesFor(f.ids.agentA, f.ids.agentB));
    // support asks for a skill only agent B holds: its team is B alone; sales asks for none.
    await Queue.updateOne({ name: 'support' }, { $set: { skills: [{ name: 'support', minLevel: 2 }] } });
    await Agent.updateOne({ _id: f.ids.agentB }, { $set: { skills: [{ name: 'support', level: 2 }] } });
    const [salesOnly, idle] = await Agent.insertMany([
      {
        login: 'super-sales',
        displayName: 'Sales supervisor',
        roles: ['supervisor'],
        passwordHash: PASSWORD,
        supervises: ['sales'],
      },
      { login: 'super-idle', displayName: 'Idle supervisor', roles: ['supervisor'], passwordHash: PASSWORD },
    ]);
    tokens.salesOnly = signToken(
      { sub: (salesOnly as { id: string }).id, roles: ['supervisor'] },
      SECRET,
    ).token;
    tokens.idle = signToken({ sub: (idle as { id: string }).id, roles: ['supervisor'] }, SECRET).token;
  });
  after(async () => tearDown(f));

  const get = (url: string, token: string) => call(f, 'GET', url, { token });

  it('summary of every queue the supervisor has: contacts taken together, each queue over the range', async () => {
    const res = await get(`/api/v1/reports/queues/summary?${range}`, f.tokens.supervisor);
    expect(res.statusCode).to.equal(200);
    const together = {
      offered: 9, // sales 7, support c10 and c11
      answered: 6,
      abandoned: 2,
      abandonRate: 0.2222,
      answeredWithinThreshold: 4, // c1, c4, c5 within 20 s; c11 within support's 30 s
      serviceLevel: 0.4444,
      asaSec: 20, // (10 + 30 + 20 + 5 + 30.001 + 25) / 6
      ahtSec: 120.2, // (300 + 120 + 60 + 60.999 + 60) / 5
      longestWaitSec: 60,
    };
    expect(body<Summary>(res)).to.deep.equal(
      json({
        queues: ['sales', 'support'],
        intervals: [{ intervalStart: T('09:00:00'), ...together }],
        total: together,
        byQueue: [
          { queueId: 'sales', ...sales },
          {
            queueId: 'support',
            offered: 2,
            answered: 1,
            abandoned: 1,
            abandonRate: 0.5,
            answeredWithinThreshold: 1,
            serviceLevel: 0.5,
            asaSec: 25,
            ahtSec: 60,
            longestWaitSec: 60,
          },
        ],
        // Both are call queues: the channel is the selection.
        byChannel: [{ channel: 'voice', ...together }],
      }),
    );
  });

  it('summary of one queue, by name', async () => {
    const res = await get(`/api/v1/reports/queues/summary?${range}&queueId=sales`, f.tokens.supervisor);
    expect(res.statusCode).to.equal(200);
    expect(body<Summary>(res)).to.deep.equal(
      json({
        queues: ['sales'],
        intervals: [{ intervalStart: T('09:00:00'), ...sales }],
        total: sales,
        byQueue: [{ queueId: 'sales', ...sales }],
        byChannel: [{ channel: 'voice', ...sales }],
      }),
    );
  });

  it("a supervisor's reports cover its queues alone; another queue by name is 403", async () => {
    const summary = await get(`/api/v1/reports/queues/summary?${range}`, tokens.salesOnly);
    expect(body<Summary>(summary).queues).to.deep.equal(['sales']);
    expect(body<Summary>(summary).total).to.deep.equal(json(sales));
    const rows = await get(`/api/v1/reports/queues?${range}`, tokens.salesOnly);
    expect(body<{ queueId: string }[]>(rows).map((r) => r.queueId)).to.deep.equal(['sales']);
    for (const url of [
      `/api/v1/reports/queues?${range}&queueId=support`,
      `/api/v1/reports/queues?${range}&queueId=${f.ids.support}`,
      `/api/v1/reports/queues/summary?${range}&queueId=support`,
      `/api/v1/reports/agents?${range}&queueId=support`,
    ]) {
      const res = await get(url, tokens.salesOnly);
      expect(res.statusCode, url).to.equal(403);
      expect(body(res).message, url).to.equal('queue "support" is not one of the queues you supervise');
    }
    // An unknown queue is still 404, for every caller.
    expect(
      (await get(`/api/v1/reports/queues/summary?${range}&queueId=billing`, tokens.salesOnly)).statusCode,
    ).to.equal(404);
  });

  it('a supervisor with no queue gets empty reports, an administrator every queue', async () => {
    const summary = body<Summary>(await get(`/api/v1/reports/queues/summary?${range}`, tokens.idle));
    expect(summary).to.deep.equal(
      json({
        queues: [],
        intervals: [{ intervalStart: T('09:00:00'), ...none }],
        total: none,
        byQueue: [],
        byChannel: [],
      }),
    );
    expect(body<unknown[]>(await get(`/api/v1/reports/queues?${range}`, tokens.idle))).to.deep.equal([]);
    expect(body<unknown[]>(await get(`/api/v1/reports/agents?${range}`, tokens.idle))).to.deep.equal([]);
    const admin = body<Summary>(await get(`/api/v1/reports/queues/summary?${range}`, f.tokens.admin));
    expect(admin.queues).to.deep.equal(['sales', 'support']);
  });

  it("agents by queue: the queue's team and that queue's contacts; not-ready time is the agent's own", async () => {
    const pick = (rows: AgentRow[]) => rows.map((r) => [r.login, r.handled, r.talkTimeSec, r.notReadySec]);
    // Administrator, no queue: every agent, every contact (B: c5 of sales and c11 of support).
    const all = await get(`/api/v1/reports/agents?${range}`, f.tokens.admin);
    expect(pick(body<AgentRow[]>(all))).to.deep.equal([
      ['a1001', 3, 480, 1200],
      ['b1002', 2, 60, 1500],
    ]);
    // The sales supervisor: sales' team (everyone: sales asks for no skill), sales contacts only.
    const ofSales = await get(`/api/v1/reports/agents?${range}`, tokens.salesOnly);
    expect(pick(body<AgentRow[]>(ofSales))).to.deep.equal([
      ['a1001', 3, 480, 1200],
      ['b1002', 1, 0, 1500],
    ]);
    // support's team is B alone, with its support call.
    const ofSupport = await get(`/api/v1/reports/agents?${range}&queueId=support`, f.tokens.supervisor);
    expect(pick(body<AgentRow[]>(ofSupport))).to.deep.equal([['b1002', 1, 60, 1500]]);
    // An agent outside the queue's team is 403; an unknown agent 404.
    const outside = await get(
      `/api/v1/reports/agents?${range}&queueId=support&agentId=${f.ids.agentA}`,
      f.tokens.admin,
    );
    expect(outside.statusCode).to.equal(403);
    expect(body(outside).message).to.equal('this agent serves none of the queues this report covers');
    const unknown = await get(
      `/api/v1/reports/agents?${range}&agentId=0123456789abcdef01234567`,
      tokens.salesOnly,
    );
    expect(unknown.statusCode).to.equal(404);
  });

  it('the summary keeps the window rules: 400 on an inverted range, agents and the IVR refused', async () => {
    const inverted = await get(
      '/api/v1/reports/queues/summary?from=2026-01-05T10:00:00Z&to=2026-01-05T09:00:00Z',
      f.tokens.supervisor,
    );
    expect(inverted.statusCode).to.equal(400);
    expect((await get(`/api/v1/reports/queues/summary?${range}`, f.tokens.agentA)).statusCode).to.equal(403);
    expect((await get(`/api/v1/reports/queues/summary?${range}`, f.tokens.ivr)).statusCode).to.equal(403);
  });
});
