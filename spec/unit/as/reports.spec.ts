import { expect } from '../../support/chai';
import { agentReport, bucketStarts, queueReport, ReportRangeError } from '../../../as/domain/reports';
import {
  contactsFor,
  expectedAgentRows1h,
  expectedQueueRow1h,
  expectedQueueRows15m,
  NOW,
  statesFor,
  T,
  WINDOW,
} from './report-fixture';

const contacts = Object.values(contactsFor('q1', 'q2', 'A', 'B'));
const thresholds = new Map([['q1', 20]]);

describe('as/domain/reports', () => {
  it('queue figures per 15 minutes match the hand-computed values', () => {
    const rows = queueReport(contacts, { ...WINDOW, interval: '15m' }, thresholds);
    expect(rows).to.deep.equal(expectedQueueRows15m.map((r) => ({ queueId: 'q1', ...r })));
  });

  it('queue figures per hour match the hand-computed values', () => {
    const rows = queueReport(contacts, { ...WINDOW, interval: '1h' }, thresholds);
    expect(rows).to.deep.equal([{ queueId: 'q1', ...expectedQueueRow1h }]);
  });

  it('a day interval aligns to UTC midnight', () => {
    const rows = queueReport(contacts, { ...WINDOW, interval: '1d' }, thresholds);
    expect(rows).to.have.length(1);
    expect(rows[0]?.intervalStart).to.deep.equal(T('00:00:00'));
    expect(rows[0]?.offered).to.equal(7);
  });

  it('agent figures per hour: handled, talk time, not-ready by reason', () => {
    const rows = agentReport(contacts, statesFor('A', 'B'), { ...WINDOW, interval: '1h' }, ['A', 'B'], NOW);
    expect(rows).to.deep.equal(expectedAgentRows1h('A', 'B'));
  });

  it('splits not-ready time exactly across 15-minute intervals', () => {
    const rows = agentReport(contacts, statesFor('A', 'B'), { ...WINDOW, interval: '15m' }, ['A', 'B'], NOW);
    const a = rows
      .filter((r) => r.agentId === 'A')
      .map((r) => [r.handled, r.talkTimeSec, r.notReadyByReason]);
    expect(a).to.deep.equal([
      [2, 420, { lunch: 600 }],
      [1, 60, {}],
      [0, 0, { training: 300 }],
      [0, 0, { training: 300 }],
    ]);
    const b = rows.filter((r) => r.agentId === 'B').map((r) => r.notReadySec);
    expect(b).to.deep.equal([0, 0, 900, 600]);
  });

  it('refuses empty and oversized ranges', () => {
    expect(() => bucketStarts({ from: T('10:00:00'), to: T('10:00:00'), interval: '1h' })).to.throw(
      ReportRangeError,
    );
    expect(() =>
      bucketStarts({
        from: new Date('2026-01-01T00:00:00Z'),
        to: new Date('2026-03-01T00:00:00Z'),
        interval: '15m',
      }),
    ).to.throw(ReportRangeError, /at most 3000/);
  });
});
