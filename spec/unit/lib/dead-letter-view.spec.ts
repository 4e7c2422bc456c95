import { describeDeadLetter, replayHeaders } from '../../../lib/bus/dead-letter-view';
import { REASON_HEADER } from '../../../lib/bus/topology';
import { expect } from '../../support/chai';

describe('dead letters as the operator reads them (lib/bus/dead-letter-view.ts)', () => {
  it("reads the bus's own form: reason and exchange in headers, the time it was refused", () => {
    const content = Buffer.from(
      JSON.stringify({ id: 'm1', type: 'RouteRequest', at: '2026-01-01T00:00:00.000Z' }),
    );
    const d = describeDeadLetter({
      routingKey: 'task.RouteRequest',
      content,
      headers: { [REASON_HEADER]: 'handler failed: boom', 'x-ipcc-exchange': 'cc.tasks' },
      messageId: undefined,
      timestamp: 1_800_000_000,
    });
    expect(d).to.deep.equal({
      id: 'm1',
      type: 'RouteRequest',
      exchange: 'cc.tasks',
      routingKey: 'task.RouteRequest',
      reason: 'handler failed: boom',
      time: '2027-01-15T08:00:00.000Z',
      bytes: content.length,
    });
  });

  it("reads the broker's form (x-death) and names a message without an id by its content hash", () => {
    const d = describeDeadLetter({
      routingKey: 'softacd.node1',
      content: Buffer.from('not json'),
      headers: {
        'x-death': [
          {
            reason: 'rejected',
            queue: 'cc.softacd.node1',
            exchange: 'cc.commands',
            'routing-keys': ['softacd.node1'],
            time: { '!': 'timestamp', value: 1_800_000_000 },
          },
        ],
      },
      messageId: undefined,
      timestamp: undefined,
    });
    expect(d).to.deep.equal({
      id: 'sha256-7ccfa1fbf3940e6f',
      type: undefined,
      exchange: 'cc.commands',
      routingKey: 'softacd.node1',
      reason: 'rejected in cc.softacd.node1',
      time: '2027-01-15T08:00:00.000Z',
      bytes: 8,
    });
  });

  it('drops the dead-letter bookkeeping from a replay and keeps the rest', () => {
    expect(
      replayHeaders({
        [REASON_HEADER]: 'x',
        'x-ipcc-exchange': 'cc.events',
        'x-death': [],
        traceparent: 't',
      }),
    ).to.deep.equal({ traceparent: 't' });
  });
});
