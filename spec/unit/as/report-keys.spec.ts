import { expect } from '../../support/chai';
import { agentReport, type AgentStateEvent } from '../../../as/domain/reports';
import { agentCsv } from '../../../as/plugins/reports/service';
import { T, WINDOW } from './report-fixture';

/**
 * Security 3 of issue 10: once an agent used a not-ready reason named like an Object property, the agent
 * report's CSV answered 500 for everyone (`toString` read Object.prototype's function; `__proto__` set
 * the row's prototype). Reasons are keys that come from input: they must be plain own keys.
 */
const REASONS = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

describe('as reports: not-ready reasons named like Object properties', () => {
  // Agent A: 10 minutes in each hostile reason from 09:00, then ready; agent B: never not-ready.
  const states: AgentStateEvent[] = [
    ...REASONS.map((reason, i) => ({
      agentId: 'A',
      state: 'not-ready',
      reason,
      at: new Date(T('09:00:00').getTime() + i * 600_000),
    })),
    { agentId: 'A', state: 'ready', at: T('09:50:00') },
  ];
  const rows = () => agentReport([], states, { ...WINDOW, interval: '1h' }, ['A', 'B'], T('12:00:00'));

  it('counts each reason as its own key, with no prototype involved', () => {
    const [a, b] = rows();
    expect(Object.keys(a?.notReadyByReason ?? {}).sort()).to.deep.equal([...REASONS].sort());
    for (const reason of REASONS) {
      expect(Object.prototype.hasOwnProperty.call(a?.notReadyByReason, reason), reason).to.equal(true);
      expect(a?.notReadyByReason[reason], reason).to.equal(600);
    }
    expect(a?.notReadySec).to.equal(3000);
    expect(Object.getPrototypeOf(a?.notReadyByReason)).to.equal(null);
    // B has none of them: `toString` must not be found on B's row through a prototype.
    expect(Object.keys(b?.notReadyByReason ?? { x: 1 })).to.deep.equal([]);
    expect('toString' in (b?.notReadyByReason ?? { toString: 1 })).to.equal(false);
    // JSON keeps every reason, `__proto__` included.
    const json = JSON.parse(JSON.stringify(a)) as { notReadyByReason: Record<string, number> };
    expect(Object.entries(json.notReadyByReason).length).to.equal(REASONS.length);
  });

  it('writes the CSV with a column per reason and 0 where an agent has none', () => {
    const lines = agentCsv(rows()).trim().split('\n');
    const sorted = [...REASONS].sort();
    expect(lines).to.deep.equal([
      `agentId,login,intervalStart,handled,talkTimeSec,notReadySec,${sorted.map((r) => `notReady:${r}`).join(',')}`,
      `A,,2026-01-05T09:00:00.000Z,0,0,3000,${sorted.map(() => 600).join(',')}`,
      `B,,2026-01-05T09:00:00.000Z,0,0,0,${sorted.map(() => 0).join(',')}`,
    ]);
  });
});
