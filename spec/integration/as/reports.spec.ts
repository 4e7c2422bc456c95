import { randomUUID } from 'node:crypto';
import { expect } from '../../support/chai';
import { AgentState, Interaction } from '../../../as/models';
import {
  contactsFor,
  expectedAgentRows1h,
  expectedQueueRow1h,
  expectedQueueRows15m,
  NOW,
  statesFor,
} from '../../unit/as/report-fixture';
import { body, call, setUp, tearDown, type Fixture } from './fixture';

const range = 'from=2026-01-05T09:00:00Z&to=2026-01-05T10:00:00Z';
const json = <T>(x: T) => JSON.parse(JSON.stringify(x)) as T;

describe('AS reports (integration, hand-computed figures)', () => {
  let f: Fixture;
  before(async () => {
    f = await setUp({ now: () => NOW });
    const contacts = contactsFor('sales', 'support', f.ids.agentA, f.ids.agentB);
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
  });
  after(async () => tearDown(f));

  it('per queue and 15 minutes', async () => {
    const res = await call(f, 'GET', `/api/v1/reports/queues?${range}&interval=15m&queueId=sales`, {
      token: f.tokens.supervisor,
    });
    expect(res.statusCode).to.equal(200);
    expect(body<unknown[]>(res)).to.deep.equal(
      json(expectedQueueRows15m.map((r) => ({ queueId: 'sales', ...r }))),
    );
  });

  it('per queue and hour, every queue (the other queue has its own abandoned contact)', async () => {
    const res = await call(f, 'GET', `/api/v1/reports/queues?${range}&interval=1h`, {
      token: f.tokens.admin,
    });
    const rows = body<{ queueId: string; offered: number; abandoned: number }[]>(res);
    expect(rows).to.have.length(2);
    expect(rows[0]).to.deep.equal(json({ queueId: 'sales', ...expectedQueueRow1h }));
    expect(rows[1]).to.include({ queueId: 'support', offered: 1, abandoned: 1 });
  });

  it('per queue as CSV', async () => {
    const res = await call(f, 'GET', `/api/v1/reports/queues?${range}&interval=1h&queueId=sales&format=csv`, {
      token: f.tokens.supervisor,
    });
    expect(res.statusCode).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/csv/);
    expect(res.payload.trim().split('\n')).to.deep.equal([
      'queueId,intervalStart,offered,answered,abandoned,abandonRate,answeredWithinThreshold,serviceLevel,asaSec,ahtSec,longestWaitSec',
      'sales,2026-01-05T09:00:00.000Z,7,5,1,0.1429,3,0.4286,19,135.25,45',
    ]);
  });

  it('per agent: handled, talk time, not-ready by reason (JSON and CSV)', async () => {
    const res = await call(f, 'GET', `/api/v1/reports/agents?${range}&interval=1h`, {
      token: f.tokens.supervisor,
    });
    expect(res.statusCode).to.equal(200);
    const expected = expectedAgentRows1h(f.ids.agentA, f.ids.agentB);
    expect(body<unknown[]>(res)).to.deep.equal(
      json([
        { login: 'a1001', ...expected[0] },
        { login: 'b1002', ...expected[1] },
      ]),
    );
    const csv = await call(f, 'GET', `/api/v1/reports/agents?${range}&interval=1h&format=csv`, {
      token: f.tokens.supervisor,
    });
    expect(csv.payload.trim().split('\n')).to.deep.equal([
      'agentId,login,intervalStart,handled,talkTimeSec,notReadySec,notReady:lunch,notReady:training,notReady:unspecified',
      `${f.ids.agentA},a1001,2026-01-05T09:00:00.000Z,3,480,1200,600,600,0`,
      `${f.ids.agentB},b1002,2026-01-05T09:00:00.000Z,1,0,1500,0,0,1500`,
    ]);
  });

  it('refuses agents, bad intervals, inverted and oversized ranges, unknown queues', async () => {
    expect(
      (await call(f, 'GET', `/api/v1/reports/queues?${range}`, { token: f.tokens.agentA })).statusCode,
    ).to.equal(403);
    expect(
      (await call(f, 'GET', `/api/v1/reports/agents?${range}`, { token: f.tokens.ivr })).statusCode,
    ).to.equal(403);
    expect(
      (await call(f, 'GET', `/api/v1/reports/queues?${range}&interval=5m`, { token: f.tokens.supervisor }))
        .statusCode,
    ).to.equal(400);
    const inverted = await call(
      f,
      'GET',
      '/api/v1/reports/queues?from=2026-01-05T10:00:00Z&to=2026-01-05T09:00:00Z',
      {
        token: f.tokens.supervisor,
      },
    );
    expect(inverted.statusCode).to.equal(400);
    const huge = await call(
      f,
      'GET',
      '/api/v1/reports/queues?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&interval=15m',
      {
        token: f.tokens.supervisor,
      },
    );
    expect(huge.statusCode).to.equal(400);
    expect(body(huge).message).to.contain('at most 3000');
    const unknown = await call(f, 'GET', `/api/v1/reports/queues?${range}&queueId=0123456789abcdef01234567`, {
      token: f.tokens.supervisor,
    });
    expect(unknown.statusCode).to.equal(404);
    const unknownName = await call(f, 'GET', `/api/v1/reports/queues?${range}&queueId=billing`, {
      token: f.tokens.supervisor,
    });
    expect(unknownName.statusCode).to.equal(404);
  });

  it("still accepts the queue's ObjectId (transition) and answers by name", async () => {
    const res = await call(f, 'GET', `/api/v1/reports/queues?${range}&interval=1h&queueId=${f.ids.sales}`, {
      token: f.tokens.supervisor,
    });
    expect(res.statusCode).to.equal(200);
    expect(body<unknown[]>(res)).to.deep.equal([json({ queueId: 'sales', ...expectedQueueRow1h })]);
  });
});
