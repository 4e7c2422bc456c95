import { expect } from '../../support/chai';
import { closedActionNow, closedFlow } from '../../../stasis-app/ivr/closed-number';
import { HoursSource, ScheduleInvalid, validateSchedule } from '../../../stasis-app/ivr/hours-source';
import { VoicemailBook } from '../../../stasis-app/ivr/voicemail';
import { checkFlow } from '../../../lib/flow/flow';

const answer = {
  name: 'office',
  timeZone: 'Europe/Berlin',
  weekly: [{ day: 'mon', open: '09:00', close: '17:00' }],
  holidays: [{ date: '2026-12-25', name: 'Christmas' }],
  closedAction: { kind: 'voicemail', prompt: 'leave-message' },
};
const monday10 = new Date('2026-12-07T09:00:00Z');
const monday20 = new Date('2026-12-07T19:00:00Z');

describe('IVR business hours: schedules from the AS', () => {
  it('accepts a schedule answer and keeps the pure schedule', () => {
    const loaded = validateSchedule(answer);
    expect(loaded.name).to.equal('office');
    expect(loaded.schedule.timeZone).to.equal('Europe/Berlin');
    expect(loaded.closedAction).to.deep.equal({ kind: 'voicemail', prompt: 'leave-message' });
  });

  it('refuses an unknown zone or an unreadable time, naming the field', () => {
    expect(() => validateSchedule({ ...answer, timeZone: 'Nowhere/City' })).to.throw(
      ScheduleInvalid,
      'timeZone: "Nowhere/City" is not an IANA time zone',
    );
    expect(() =>
      validateSchedule({ ...answer, weekly: [{ day: 'mon', open: '9', close: '17:00' }] }),
    ).to.throw(ScheduleInvalid, 'weekly[0].open');
  });

  it('caches by name and number, shares nothing between them, and keeps the last good one while the AS is down', async () => {
    const asked: string[] = [];
    let down = false;
    const source = new HoursSource((path) => {
      asked.push(path);
      if (down) return Promise.reject(new Error('AS down'));
      return Promise.resolve(path.includes('/numbers/') ? undefined : answer);
    }, 60_000);
    expect((await source.byName('office'))?.name).to.equal('office');
    expect(await source.byName('office')).to.not.equal(null);
    expect(await source.forNumber('100')).to.equal(null);
    expect(asked).to.deep.equal(['/ivr/hours/office', '/ivr/numbers/100/hours']);
    source.clear();
    down = true;
    expect((await source.byName('office'))?.name).to.equal('office');
    await source.forNumber('100').then(
      () => expect.fail('no schedule was ever known for the number'),
      (err: Error) => expect(err.message).to.equal('AS down'),
    );
  });
});

describe('IVR business hours: a called number closed now', () => {
  it('is open (null) without a schedule or while it is open', () => {
    expect(closedActionNow(null, monday20)).to.equal(null);
    expect(closedActionNow(validateSchedule(answer), monday10)).to.equal(null);
  });

  it("gives the schedule's closed action while closed", () => {
    expect(closedActionNow(validateSchedule(answer), monday20)).to.deep.equal({
      kind: 'voicemail',
      prompt: 'leave-message',
    });
    const prompt = validateSchedule({ ...answer, closedAction: { kind: 'prompt', prompt: 'closed' } });
    expect(closedActionNow(prompt, monday20)).to.deep.equal({ kind: 'prompt', prompt: 'closed' });
    const queue = validateSchedule({ ...answer, closedAction: { kind: 'queue', queue: 'night' } });
    expect(closedActionNow(queue, monday20)).to.deep.equal({ kind: 'queue', queue: 'night' });
  });

  it('turns each closed action into a one-node flow that passes the graph check', () => {
    const refs = { prompts: new Set(['closed']), queues: new Set(['night']), schedules: new Set<string>() };
    const prompt = closedFlow({ kind: 'prompt', prompt: 'closed' });
    expect(prompt.nodes).to.deep.equal([{ id: 'closed', type: 'hangup', prompt: 'closed' }]);
    expect(closedFlow({ kind: 'voicemail' }).nodes).to.deep.equal([{ id: 'closed', type: 'voicemail' }]);
    const queue = closedFlow({ kind: 'queue', queue: 'night' });
    expect(queue.nodes).to.deep.equal([{ id: 'queue', type: 'queue', queue: 'night' }]);
    for (const flow of [prompt, closedFlow({ kind: 'voicemail' }), queue])
      expect(checkFlow(flow, refs).errors).to.deep.equal([]);
  });
});

describe('IVR voicemail book', () => {
  it('turns a finished voicemail into a RecordingStored for the contact and queue, once', () => {
    const book = new VoicemailBook();
    book.started('voicemail-c1', 'c1', 'sales', 1_000);
    expect(book.size).to.equal(1);
    expect(book.ended('voicemail-c1', 7, false)).to.deep.equal({
      type: 'RecordingStored',
      contactId: 'c1',
      kind: 'voicemail',
      name: 'voicemail-c1',
      format: 'wav',
      durationSec: 7,
      path: '/var/spool/asterisk/recording/voicemail-c1.wav',
      queueId: 'sales',
    });
    expect(book.ended('voicemail-c1', 7, false)).to.equal(undefined);
    expect(book.size).to.equal(0);
  });

  it('stores nothing for a failed recording or one it did not start, and sweeps lost ends', () => {
    const book = new VoicemailBook();
    book.started('voicemail-c2', 'c2', undefined, 1_000);
    expect(book.ended('voicemail-c2', undefined, true)).to.equal(undefined);
    expect(book.ended('someone-else', 3, false)).to.equal(undefined);
    book.started('voicemail-c3', 'c3', undefined, 1_000);
    const noDuration = new VoicemailBook();
    noDuration.started('voicemail-c4', 'c4', undefined, 1_000);
    expect(noDuration.ended('voicemail-c4', undefined, false, 9_400)?.durationSec).to.equal(8);
    expect(book.sweep(5_000, 10_000)).to.deep.equal([]);
    expect(book.sweep(20_000, 10_000)).to.deep.equal(['voicemail-c3']);
    expect(book.size).to.equal(0);
  });
});
