import { expect } from '../../support/chai';
import { ClosedHours, type StoredSchedule } from '../../../cti/app/closed-hours';
import type { Draft } from '../../../lib/messages';
import winston from 'winston';
import type { TimelineEntry } from '../../../cti/store/interactions';

const neverOpen = { timeZone: 'UTC', weekly: [], holidays: [] };
const alwaysOpen = {
  timeZone: 'UTC',
  weekly: (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const).map((day) => ({
    day,
    open: '00:00',
    close: '00:00',
  })),
  holidays: [],
};

function harness(schedules: StoredSchedule[], ivr: string | undefined = 'ivr-1') {
  const sent: Array<{ ivr: string; draft: Draft<'QueueClosed'> }> = [];
  const records: Array<{ contactId: string; entry: TimelineEntry; set?: object }> = [];
  let current: StoredSchedule[] | Error = schedules;
  const hours = new ClosedHours({
    load: () => (current instanceof Error ? Promise.reject(current) : Promise.resolve(current)),
    ivrOf: () => ivr,
    toIvr: (to, draft) => {
      sent.push({ ivr: to, draft });
      return Promise.resolve();
    },
    record: (contactId, entry, set) => {
      records.push({ contactId, entry, ...(set !== undefined && { set }) });
      return Promise.resolve();
    },
    log: winston.createLogger({ silent: true }),
  });
  return { hours, sent, records, replace: (s: StoredSchedule[] | Error) => (current = s) };
}

describe('CTI closed hours', () => {
  it('queues as asked for a queue without a schedule, and before any load', async () => {
    const h = harness([]);
    expect(await h.hours.route('c1', 'sales')).to.equal('sales');
    expect(h.sent).to.deep.equal([]);
    expect(h.records).to.deep.equal([]);
  });

  it('closed to another queue: queues there and notes the closed queue on the timeline', async () => {
    const h = harness([
      { name: 'office', hours: neverOpen, action: { kind: 'queue', queue: 'support' }, queues: ['sales'] },
    ]);
    await h.hours.reload();
    expect(await h.hours.route('c1', 'sales')).to.equal('support');
    expect(h.sent).to.deep.equal([]);
    expect(h.records.map((r) => [r.entry.type, r.entry.data])).to.deep.equal([
      ['QueueClosed', { queueId: 'sales', schedule: 'office', action: 'queue' }],
    ]);
  });

  it('closed with a prompt: tells the IVR holding the call, and does not queue', async () => {
    const h = harness([
      { name: 'office', hours: neverOpen, action: { kind: 'prompt', prompt: 'closed' }, queues: ['sales'] },
    ]);
    await h.hours.reload();
    expect(await h.hours.route('c1', 'sales')).to.equal(null);
    expect(h.sent).to.deep.equal([
      {
        ivr: 'ivr-1',
        draft: {
          type: 'QueueClosed',
          contactId: 'c1',
          queueId: 'sales',
          schedule: 'office',
          action: 'prompt',
          prompt: 'closed',
        },
      },
    ]);
    expect(h.records[0]?.set).to.deep.equal({ queueId: 'sales' });
  });

  it('closed with voicemail: the IVR records for that queue', async () => {
    const h = harness([
      { name: 'office', hours: neverOpen, action: { kind: 'voicemail' }, queues: ['sales'] },
    ]);
    await h.hours.reload();
    expect(await h.hours.route('c1', 'sales')).to.equal(null);
    expect(h.sent.map((s) => s.draft)).to.deep.equal([
      { type: 'QueueClosed', contactId: 'c1', queueId: 'sales', schedule: 'office', action: 'voicemail' },
    ]);
  });

  it('applies a reloaded schedule to the next request (a change without restart)', async () => {
    const h = harness([
      { name: 'office', hours: neverOpen, action: { kind: 'prompt', prompt: 'closed' }, queues: ['sales'] },
    ]);
    await h.hours.reload();
    expect(await h.hours.route('c1', 'sales')).to.equal(null);
    h.replace([
      { name: 'office', hours: alwaysOpen, action: { kind: 'prompt', prompt: 'closed' }, queues: ['sales'] },
    ]);
    await h.hours.reload();
    expect(await h.hours.route('c2', 'sales')).to.equal('sales');
    expect(h.hours.size).to.equal(1);
  });

  it('keeps the schedules it has when a reload fails', async () => {
    const h = harness([
      { name: 'office', hours: neverOpen, action: { kind: 'voicemail' }, queues: ['sales'] },
    ]);
    await h.hours.reload();
    h.replace(new Error('store down'));
    await h.hours.reload().then(
      () => expect.fail('the reload should fail'),
      (err: Error) => expect(err.message).to.equal('store down'),
    );
    expect(h.hours.size).to.equal(1);
    expect(await h.hours.route('c1', 'sales')).to.equal(null);
  });

  it('queues as asked when telling the IVR fails: the caller is never lost', async () => {
    const failing = new ClosedHours({
      load: () =>
        Promise.resolve([
          { name: 'office', hours: neverOpen, action: { kind: 'voicemail' }, queues: ['sales'] },
        ]),
      ivrOf: () => 'ivr-1',
      toIvr: () => Promise.reject(new Error('bus down')),
      record: () => Promise.resolve(),
      log: winston.createLogger({ silent: true }),
    });
    await failing.reload();
    expect(await failing.route('c1', 'sales')).to.equal('sales');
  });
});
