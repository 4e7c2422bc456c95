import { expect } from '../../support/chai';
import { ApiError } from '../../../agent-ui/src/adapters/as-api';
import type { Schedule } from '../../../agent-ui/src/adapters/hours-api';
import {
  FormTextError,
  emptyHoursForm,
  hoursErrors,
  hoursFormOf,
  parseIntervals,
  scheduleInputOf,
} from '../../../agent-ui/src/views/console/admin/hours-form';

const bad = (text: string) => `bad: ${text}`;

const stored: Schedule = {
  id: 'x',
  name: 'office',
  timeZone: 'Europe/Berlin',
  weekly: [
    { day: 'mon', open: '09:00', close: '12:00' },
    { day: 'mon', open: '13:00', close: '17:00' },
    { day: 'fri', open: '22:00', close: '02:00' },
  ],
  holidays: [
    { date: '2026-12-24', name: 'Christmas Eve', hours: [{ open: '09:00', close: '12:00' }] },
    { date: '2026-12-25' },
  ],
  closedAction: { kind: 'voicemail', prompt: 'leave-message' },
  queues: ['sales'],
  numbers: ['100', '7301'],
  status: { open: false, localTime: '2026-12-07 20:00' },
};

describe('agent-ui hours form', () => {
  it('reads interval text, several a day, and refuses anything else', () => {
    expect(parseIntervals('09:00-12:00, 13:00 - 17:00')).to.deep.equal([
      { open: '09:00', close: '12:00' },
      { open: '13:00', close: '17:00' },
    ]);
    expect(parseIntervals('  ')).to.deep.equal([]);
    expect(parseIntervals('9-5')).to.equal(undefined);
  });

  it('round-trips a stored schedule through the form to the same API input', () => {
    const form = hoursFormOf(stored);
    expect(form.days.mon).to.equal('09:00-12:00, 13:00-17:00');
    expect(form.days.fri).to.equal('22:00-02:00');
    expect(form.days.sun).to.equal('');
    expect(form.numbers).to.equal('100, 7301');
    const { id: _id, status: _status, ...input } = stored;
    expect(scheduleInputOf(form, bad)).to.deep.equal(input);
  });

  it('starts a new schedule open Monday to Friday 09:00-17:00 in the given zone', () => {
    const input = scheduleInputOf({ ...emptyHoursForm('UTC'), name: 'new' }, bad);
    expect(input.timeZone).to.equal('UTC');
    expect(input.weekly.map((w) => w.day)).to.deep.equal(['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(input.closedAction).to.deep.equal({ kind: 'voicemail' });
  });

  it('sends the queue, not a prompt, for a queue action', () => {
    const form = { ...hoursFormOf(stored), closedKind: 'queue' as const, closedQueue: 'night' };
    expect(scheduleInputOf(form, bad).closedAction).to.deep.equal({ kind: 'queue', queue: 'night' });
  });

  it('names the day whose text is unreadable, before anything is sent', () => {
    const form = hoursFormOf(stored);
    form.days.tue = 'all day';
    expect(() => scheduleInputOf(form, bad)).to.throw(FormTextError, 'bad: all day');
    try {
      scheduleInputOf(form, bad);
    } catch (err) {
      expect(hoursErrors(err, 'failed').fields.get('weekly.tue')).to.equal('bad: all day');
    }
  });

  it("puts the AS's refusals beside their group", () => {
    const err = new ApiError(400, 'invalid schedule', undefined, [
      { path: 'timeZone', message: '"Mars/Base" is not an IANA time zone' },
      { path: 'weekly[0].open', message: 'not a time' },
      { path: 'closedAction.queue', message: 'queue "x" does not exist' },
    ]);
    const errors = hoursErrors(err, 'failed');
    expect([...errors.fields]).to.deep.equal([
      ['timeZone', '"Mars/Base" is not an IANA time zone'],
      ['closedAction', 'queue "x" does not exist'],
    ]);
    expect(errors.form).to.equal('not a time');
  });
});
