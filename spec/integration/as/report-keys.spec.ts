import { expect } from '../../support/chai';
import { AgentState } from '../../../as/models';
import { T } from '../../unit/as/report-fixture';
import { body, call, setUp, tearDown, type Fixture } from './fixture';

/**
 * Security 3 of issue 10 through the routes: stored not-ready reasons named like Object properties (the
 * CTI stores whatever reason an agent's client sent) made GET /reports/agents?format=csv answer 500.
 */
describe('AS agent report with not-ready reasons named like Object properties (integration)', () => {
  let f: Fixture;
  const range = 'from=2026-01-05T09:00:00Z&to=2026-01-05T10:00:00Z&interval=1h';
  before(async () => {
    f = await setUp({ now: () => T('12:00:00') });
    await AgentState.insertMany([
      { agentId: f.ids.agentA, state: 'not-ready', reason: 'toString', at: T('09:00:00') },
      { agentId: f.ids.agentA, state: 'not-ready', reason: 'constructor', at: T('09:10:00') },
      { agentId: f.ids.agentA, state: 'not-ready', reason: '__proto__', at: T('09:20:00') },
      { agentId: f.ids.agentA, state: 'ready', at: T('09:30:00') },
    ]);
  });
  after(async () => tearDown(f));

  it('answers the CSV (200) with a column per reason', async () => {
    const res = await call(f, 'GET', `/api/v1/reports/agents?${range}&format=csv`, {
      token: f.tokens.supervisor,
    });
    expect(res.statusCode).to.equal(200);
    expect(res.payload.trim().split('\n')).to.deep.equal([
      'agentId,login,intervalStart,handled,talkTimeSec,notReadySec,notReady:__proto__,notReady:constructor,notReady:toString',
      `${f.ids.agentA},a1001,2026-01-05T09:00:00.000Z,0,0,1800,600,600,600`,
      `${f.ids.agentB},b1002,2026-01-05T09:00:00.000Z,0,0,0,0,0,0`,
    ]);
  });

  it('answers the JSON (200) with each reason as an own key', async () => {
    const res = await call(f, 'GET', `/api/v1/reports/agents?${range}`, { token: f.tokens.supervisor });
    expect(res.statusCode).to.equal(200);
    const rows = body<{ notReadyByReason: Record<string, number> }[]>(res);
    expect(Object.entries(rows[0]?.notReadyByReason ?? {}).sort()).to.deep.equal([
      ['__proto__', 600],
      ['constructor', 600],
      ['toString', 600],
    ]);
    expect(Object.keys(rows[1]?.notReadyByReason ?? { x: 1 })).to.deep.equal([]);
  });
});
