import { expect } from '../../support/chai';
import {
  agentCsvRows,
  agentTimeSeries,
  agentTotals,
  durationText,
  intervalCsvRows,
  intervalLabel,
  intervalSeries,
  percent,
  queueCsvRows,
  channelCsvRows,
  rangeWindow,
  spansDays,
  type AgentRow,
  type Figures,
  type QueueSummary,
} from '../../../agent-ui/src/domain/report-series';

const none: Figures = {
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
const busy: Figures = {
  offered: 7,
  answered: 5,
  abandoned: 1,
  abandonRate: 0.1429,
  answeredWithinThreshold: 3,
  serviceLevel: 0.4286,
  asaSec: 19,
  ahtSec: 135.25,
  longestWaitSec: 45,
};
const summary: QueueSummary = {
  queues: ['sales', 'support'],
  intervals: [
    { intervalStart: '2026-01-05T09:00:00.000Z', ...busy },
    { intervalStart: '2026-01-05T10:00:00.000Z', ...none },
  ],
  total: busy,
  byQueue: [
    { queueId: 'sales', ...busy },
    { queueId: 'support', ...none },
  ],
};

describe('agent-ui report series', () => {
  it('turns a range of UTC days into the window [from 00:00, day after to 00:00)', () => {
    expect(rangeWindow('2026-01-05', '2026-01-05')).to.deep.equal({
      from: new Date('2026-01-05T00:00:00Z'),
      to: new Date('2026-01-06T00:00:00Z'),
    });
    expect(rangeWindow('2026-01-31', '2026-02-01')).to.deep.equal({
      from: new Date('2026-01-31T00:00:00Z'),
      to: new Date('2026-02-02T00:00:00Z'),
    });
    expect(rangeWindow('2026-01-06', '2026-01-05')).to.equal('to-before-from');
    expect(rangeWindow('', '2026-01-05')).to.equal('bad-date');
    expect(rangeWindow('2026-13-45', '2026-01-05')).to.equal('bad-date');
  });

  it('formats percentages and durations, keeping missing figures missing', () => {
    expect(percent(0.4286)).to.equal(42.9);
    expect(percent(1)).to.equal(100);
    expect(percent(0)).to.equal(0);
    expect(percent(null)).to.equal(null);
    expect(durationText(135.25)).to.equal('2:15');
    expect(durationText(19.6)).to.equal('0:20');
    expect(durationText(3725)).to.equal('1:02:05');
    expect(durationText(null)).to.equal(null);
  });

  it('labels intervals in UTC, with the day when the range spans days', () => {
    expect(intervalLabel('2026-01-05T09:15:00.000Z', '15m', false)).to.equal('09:15');
    expect(intervalLabel('2026-01-05T09:00:00.000Z', '1h', true)).to.equal('01-05 09:00');
    expect(intervalLabel('2026-01-05T00:00:00.000Z', '1d', false)).to.equal('2026-01-05');
    expect(spansDays(summary.intervals)).to.equal(false);
    expect(
      spansDays([{ intervalStart: '2026-01-05T23:00:00Z' }, { intervalStart: '2026-01-06T00:00:00Z' }]),
    ).to.equal(true);
  });

  it('shapes the interval charts: one value per interval, null where there is no figure', () => {
    expect(intervalSeries(summary, '1h')).to.deep.equal({
      labels: ['09:00', '10:00'],
      offered: [7, 0],
      answered: [5, 0],
      abandoned: [1, 0],
      serviceLevelPct: [42.9, null],
      asaSec: [19, null],
      ahtSec: [135.25, null],
    });
  });

  it('writes the interval and queue tables as CSV rows, total last', () => {
    expect(intervalCsvRows(summary, 'Total')).to.deep.equal([
      ['2026-01-05T09:00:00.000Z', 7, 5, 1, 14.3, 42.9, 19, 135.25, 45],
      ['2026-01-05T10:00:00.000Z', 0, 0, 0, null, null, null, null, null],
      ['Total', 7, 5, 1, 14.3, 42.9, 19, 135.25, 45],
    ]);
    expect(queueCsvRows(summary)).to.deep.equal([
      ['sales', 7, 5, 1, 14.3, 42.9, 19, 135.25, 45],
      ['support', 0, 0, 0, null, null, null, null, null],
    ]);
  });

  it('writes the channel table as CSV rows by API name; an AS without channels gives none', () => {
    const sales = summary.byQueue[0]!;
    const { queueId: _q, ...figures } = sales;
    const withChannels: QueueSummary = {
      ...summary,
      byChannel: [
        { channel: 'voice', ...figures },
        { channel: 'sms', ...none },
      ],
    };
    expect(channelCsvRows(withChannels)).to.deep.equal([
      ['voice', 7, 5, 1, 14.3, 42.9, 19, 135.25, 45],
      ['sms', 0, 0, 0, null, null, null, null, null],
    ]);
    expect(channelCsvRows(summary)).to.deep.equal([]);
  });

  it('adds each agent over the intervals; reasons are free names, never inherited keys', () => {
    const reasons = (o: Record<string, number>) => Object.assign(Object.create(null) as object, o);
    const rows: AgentRow[] = [
      {
        agentId: 'a',
        login: '1001',
        intervalStart: '2026-01-05T09:00:00.000Z',
        handled: 2,
        talkTimeSec: 0.1,
        notReadySec: 600,
        notReadyByReason: reasons({ lunch: 600 }),
      },
      {
        agentId: 'a',
        login: '1001',
        intervalStart: '2026-01-05T10:00:00.000Z',
        handled: 1,
        talkTimeSec: 0.2,
        notReadySec: 90.5,
        notReadyByReason: reasons({ toString: 90.5 }),
      },
      {
        agentId: 'b',
        intervalStart: '2026-01-05T09:00:00.000Z',
        handled: 0,
        talkTimeSec: 0,
        notReadySec: 0,
        notReadyByReason: reasons({}),
      },
    ];
    const { agents, reasons: seen } = agentTotals(rows);
    expect(seen).to.deep.equal(['lunch', 'toString']);
    expect(agents.map((a) => [a.login, a.handled, a.talkTimeSec, a.notReadySec])).to.deep.equal([
      ['1001', 3, 0.3, 690.5],
      ['b', 0, 0, 0],
    ]);
    expect(agentCsvRows(agents, seen)).to.deep.equal([
      ['1001', 3, 0.3, 690.5, 600, 90.5],
      ['b', 0, 0, 0, 0, 0],
    ]);
    expect(agentTimeSeries(agents, seen)).to.deep.equal({
      labels: ['1001', 'b'],
      talkMin: [0, 0],
      notReadyMin: [
        { reason: 'lunch', values: [10, 0] },
        { reason: 'toString', values: [1.5, 0] },
      ],
    });
  });
});
