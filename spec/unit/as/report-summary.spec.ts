import { expect } from '../../support/chai';
import { queueSummary, servesQueue } from '../../../as/domain/report-summary';
import { contactsFor, expectedQueueRow1h, expectedQueueRows15m, T, WINDOW } from './report-fixture';

const { intervalStart: _start, ...sales1h } = expectedQueueRow1h;
const thresholds = new Map([
  ['sales', 20],
  ['support', 30],
]);

describe('AS report summary (the reports page: queues taken together)', () => {
  const contacts = Object.values(contactsFor('sales', 'support', 'agent-a', 'agent-b'));

  it('one queue: the intervals are its rows, the total its hour', () => {
    const one = queueSummary(contacts, { ...WINDOW, interval: '15m' }, new Map([['sales', 20]]));
    expect(one.queues).to.deep.equal(['sales']);
    expect(one.intervals).to.deep.equal(expectedQueueRows15m);
    expect(one.total).to.deep.equal(sales1h);
    expect(one.byQueue).to.deep.equal([{ queueId: 'sales', ...sales1h }]);
  });

  it('several queues: figures from the contacts themselves, not averaged rows', () => {
    const both = queueSummary(contacts, { ...WINDOW, interval: '1h' }, thresholds);
    // sales' 7 contacts and support's c10 (abandoned after 60 s, at 09:10).
    const together = {
      offered: 8,
      answered: 5,
      abandoned: 2,
      abandonRate: 0.25,
      answeredWithinThreshold: 3,
      serviceLevel: 0.375,
      asaSec: 19,
      ahtSec: 135.25,
      longestWaitSec: 60,
    };
    expect(both.total).to.deep.equal(together);
    expect(both.intervals).to.deep.equal([{ intervalStart: T('09:00:00'), ...together }]);
    expect(both.byQueue).to.deep.equal([
      { queueId: 'sales', ...sales1h },
      {
        queueId: 'support',
        offered: 1,
        answered: 0,
        abandoned: 1,
        abandonRate: 1,
        answeredWithinThreshold: 0,
        serviceLevel: 0,
        asaSec: null,
        ahtSec: null,
        longestWaitSec: 60,
      },
    ]);
  });

  it('per channel: the queues of one channel taken together, each channel once, calls as voice', () => {
    const at = (queueId: string, minute: string, answered: boolean) => ({
      queueId,
      queuedAt: T(`09:${minute}:00`),
      ...(answered ? { answeredAt: T(`09:${minute}:10`), endedAt: T(`09:${minute}:40`) } : {}),
    });
    const contacts = [
      at('email', '01', true),
      at('sms', '02', true),
      at('sms-vip', '03', true),
      at('sms', '04', false),
      at('fax', '05', true),
      at('sales', '06', true),
    ];
    const channels = new Map([
      ['email', 'email'],
      ['fax', 'fax'],
      ['sms', 'sms'],
      ['sms-vip', 'sms'],
    ]);
    const s = queueSummary(
      contacts,
      { ...WINDOW, interval: '1h' },
      new Map(['email', 'fax', 'sales', 'sms', 'sms-vip'].map((q) => [q, 14_400])),
      channels,
    );
    expect(s.byChannel.map((c) => [c.channel, c.offered, c.answered, c.abandoned])).to.deep.equal([
      ['email', 1, 1, 0],
      ['fax', 1, 1, 0],
      ['voice', 1, 1, 0],
      ['sms', 3, 2, 0],
    ]);
    expect(s.byChannel.find((c) => c.channel === 'sms')).to.include({ asaSec: 10, ahtSec: 30 });
    // Without channels every queue is a call queue.
    const plain = queueSummary(contacts, { ...WINDOW, interval: '1h' }, new Map([['sms', 14_400]]));
    expect(plain.byChannel.map((c) => [c.channel, c.offered])).to.deep.equal([['voice', 2]]);
  });

  it("holds each contact to its own queue's threshold", () => {
    const answeredIn25s = (queueId: string) => ({
      queueId,
      queuedAt: T('09:05:00'),
      answeredAt: T('09:05:25'),
      endedAt: T('09:06:25'),
    });
    const s = queueSummary(
      [answeredIn25s('sales'), answeredIn25s('support')],
      { ...WINDOW, interval: '1h' },
      thresholds,
    );
    expect(s.total).to.include({ offered: 2, answeredWithinThreshold: 1, serviceLevel: 0.5 });
    expect(s.byQueue.map((q) => [q.queueId, q.serviceLevel])).to.deep.equal([
      ['sales', 0],
      ['support', 1],
    ]);
  });

  it('leaves out contacts of queues not covered, and outside the window', () => {
    const s = queueSummary(contacts, { ...WINDOW, interval: '1h' }, new Map([['support', 30]]));
    expect(s.total).to.include({ offered: 1, abandoned: 1 });
    expect(queueSummary([], { ...WINDOW, interval: '1h' }, new Map()).byQueue).to.deep.equal([]);
  });

  it('an agent serves a queue when it holds every skill asked for at the level asked', () => {
    const needs = [
      { name: 'sales', minLevel: 3 },
      { name: 'french', minLevel: 1 },
    ];
    expect(
      servesQueue(
        [
          { name: 'sales', level: 3 },
          { name: 'french', level: 1 },
        ],
        needs,
      ),
    ).to.equal(true);
    expect(
      servesQueue(
        [
          { name: 'sales', level: 2 },
          { name: 'french', level: 5 },
        ],
        needs,
      ),
    ).to.equal(false);
    expect(servesQueue([{ name: 'sales', level: 9 }], needs)).to.equal(false);
    expect(servesQueue([], [])).to.equal(true);
  });
});
