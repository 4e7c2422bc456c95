import { expect } from '../../support/chai';
import { nativeConnections, projectConnections } from '../../../bench/full-path-calls';
import { highestClean, type RunResult } from '../../../bench/full-path-results';

/** The full-path benchmark's per-step figures, from plain logs and messages (no system). */
describe('bench full-path: connections and ring delays per path', () => {
  it('(a) app_queue: a caller counts once when an agent answered its X-Bench call; ring from its first INVITE', () => {
    const log = {
      invites: [
        { t: 10_250, agent: 'bench001', xb: 'X-Bench: call-1 10.000' },
        { t: 10_900, agent: 'bench002', xb: 'X-Bench: call-1 10.000' },
        { t: 11_400, agent: 'bench003', xb: 'call-2 11.100' },
        { t: 12_000, agent: 'bench004', xb: 'garbage' },
      ],
      answered: [
        { agent: 'bench002', xb: 'X-Bench: call-1 10.000' },
        { agent: 'bench002', xb: 'X-Bench: call-1 10.000' },
        { agent: 'bench003', xb: 'call-2 11.100' },
      ],
    };
    const c = nativeConnections(log);
    expect(c.connected).to.equal(2);
    expect(c.ring.map(Math.round)).to.deep.equal([250, 300]);
    expect(c.delivered).to.deep.equal([]);
    expect(c.hops).to.equal(undefined);
  });

  it('(b) the project: Established contacts connected; ring and delivery timed from the first AgentRequest', () => {
    const at = (ms: number) => new Date(ms).toISOString();
    const m = (body: Record<string, unknown>) => ({ body });
    const seen = [
      m({ type: 'CallDelivered', contactId: 'k1', deliveredTo: { kind: 'acd' }, at: at(1_000) }),
      m({ type: 'RouteSelect', contactId: 'k1', at: at(1_010) }),
      m({ type: 'RouteEnd', contactId: 'k1', at: at(1_030) }),
      m({ type: 'CallDelivered', contactId: 'k1', deliveredTo: { kind: 'ivr' }, at: at(1_100) }),
      m({ type: 'AgentRequest', contactId: 'k1', at: at(5_000) }),
      m({ type: 'AgentRequest', contactId: 'k1', at: at(6_000) }),
      m({ type: 'DivertCall', contactId: 'k1', endpoint: 'PJSIP/bench007', at: at(5_010) }),
      m({ type: 'CallDelivered', contactId: 'k1', deliveredTo: { kind: 'agent' }, at: at(5_040) }),
      m({ type: 'Established', contactId: 'k1', at: at(5_300) }),
      m({ type: 'AgentRequest', contactId: 'k2', at: at(7_000) }),
    ];
    const log = {
      invites: [
        { t: 4_000, agent: 'bench007', xb: '' },
        { t: 5_060, agent: 'bench007', xb: '' },
      ],
      answered: [],
    };
    const c = projectConnections(seen, log);
    expect(c.connected).to.equal(1);
    expect(c.ring).to.deep.equal([60]);
    expect(c.delivered).to.deep.equal([40]);
    expect(c.hops).to.deep.equal({
      'CallDelivered(acd)→RouteSelect': { p50: 10, p99: 10, n: 1 },
      'RouteSelect→RouteEnd': { p50: 20, p99: 20, n: 1 },
      'RouteEnd→CallDelivered(ivr)': { p50: 70, p99: 70, n: 1 },
    });
  });

  it('the highest clean rate stops at the first step with a failure', () => {
    const row = (mode: 'a' | 'b', rate: number, failureFree: number) =>
      ({ mode, rate, calls: 10, failureFree }) as RunResult;
    const rows = [row('b', 4, 10), row('b', 2, 10), row('b', 8, 9), row('b', 16, 10), row('a', 2, 3)];
    expect(highestClean(rows, 'b')).to.equal(4);
    expect(highestClean(rows, 'a')).to.equal(undefined);
  });
});
