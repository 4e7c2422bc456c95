import { expect } from '../../support/chai';
import {
  type Schedule,
  type WeeklyInterval,
  checkSchedule,
  isDate,
  isOpen,
  isTimeZone,
  localTime,
  previousDate,
  scheduleStatus,
} from '../../../lib/hours/schedule';

const weekdays = (open: string, close: string): WeeklyInterval[] =>
  (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, open, close }));

const berlin: Schedule = { timeZone: 'Europe/Berlin', weekly: weekdays('09:00', '17:00'), holidays: [] };
const at = (iso: string) => new Date(iso);

describe('lib/hours/schedule', () => {
  describe('local time in the schedule zone', () => {
    it('reads date, weekday and minute in the zone, not UTC', () => {
      // 2026-12-07 is a Monday; 23:30 UTC is already Tuesday 00:30 in Berlin (UTC+1 in winter).
      expect(localTime(at('2026-12-07T23:30:00Z'), 'Europe/Berlin')).to.deep.equal({
        date: '2026-12-08',
        weekday: 'tue',
        minute: 30,
      });
      expect(localTime(at('2026-12-07T23:30:00Z'), 'America/New_York')).to.deep.equal({
        date: '2026-12-07',
        weekday: 'mon',
        minute: 18 * 60 + 30,
      });
    });

    it('gives midnight as minute 0, never hour 24', () => {
      expect(localTime(at('2026-12-06T23:00:00Z'), 'Europe/Berlin')).to.deep.equal({
        date: '2026-12-07',
        weekday: 'mon',
        minute: 0,
      });
    });

    it('steps back over month and year ends', () => {
      expect(previousDate('2027-01-01')).to.equal('2026-12-31');
      expect(previousDate('2028-03-01')).to.equal('2028-02-29');
    });
  });

  describe('weekly hours', () => {
    it('is open from the open minute and closed from the close minute (Monday, Berlin winter)', () => {
      expect(isOpen(berlin, at('2026-12-07T07:59:00Z'))).to.equal(false); // 08:59
      expect(isOpen(berlin, at('2026-12-07T08:00:00Z'))).to.equal(true); // 09:00
      expect(isOpen(berlin, at('2026-12-07T15:59:00Z'))).to.equal(true); // 16:59
      expect(isOpen(berlin, at('2026-12-07T16:00:00Z'))).to.equal(false); // 17:00
    });

    it('is closed on a day without intervals (Sunday)', () => {
      expect(isOpen(berlin, at('2026-12-06T10:00:00Z'))).to.equal(false);
    });

    it('takes several intervals a day (a lunch break)', () => {
      const s: Schedule = {
        timeZone: 'UTC',
        weekly: [
          { day: 'mon', open: '08:00', close: '12:00' },
          { day: 'mon', open: '13:00', close: '18:00' },
        ],
        holidays: [],
      };
      expect(isOpen(s, at('2026-12-07T11:59:00Z'))).to.equal(true);
      expect(isOpen(s, at('2026-12-07T12:30:00Z'))).to.equal(false);
      expect(isOpen(s, at('2026-12-07T13:00:00Z'))).to.equal(true);
    });

    it('closes at 24:00 and opens all day with 00:00-00:00', () => {
      const s: Schedule = {
        timeZone: 'UTC',
        weekly: [
          { day: 'mon', open: '20:00', close: '24:00' },
          { day: 'sat', open: '00:00', close: '00:00' },
        ],
        holidays: [],
      };
      expect(isOpen(s, at('2026-12-07T23:59:00Z'))).to.equal(true);
      expect(isOpen(s, at('2026-12-08T00:00:00Z'))).to.equal(false); // no spill from a 24:00 close
      expect(isOpen(s, at('2026-12-12T00:00:00Z'))).to.equal(true);
      expect(isOpen(s, at('2026-12-12T23:59:00Z'))).to.equal(true);
      expect(isOpen(s, at('2026-12-13T00:00:00Z'))).to.equal(false);
    });
  });

  describe('intervals spanning midnight', () => {
    const night: Schedule = {
      timeZone: 'UTC',
      weekly: [{ day: 'fri', open: '22:00', close: '02:00' }],
      holidays: [],
    };

    it('opens on its day and ends the next morning (Friday 22:00 to Saturday 02:00)', () => {
      expect(isOpen(night, at('2026-12-11T21:59:00Z'))).to.equal(false);
      expect(isOpen(night, at('2026-12-11T22:00:00Z'))).to.equal(true);
      expect(isOpen(night, at('2026-12-12T01:59:00Z'))).to.equal(true);
      expect(isOpen(night, at('2026-12-12T02:00:00Z'))).to.equal(false);
    });

    it('does not open the morning before its own day', () => {
      expect(isOpen(night, at('2026-12-11T01:00:00Z'))).to.equal(false); // Friday 01:00
    });

    it('is cut at midnight by a holiday on the next date, which closes it', () => {
      const s = { ...night, holidays: [{ date: '2026-12-12', name: 'Closing day' }] };
      expect(isOpen(s, at('2026-12-11T23:30:00Z'))).to.equal(true);
      expect(isOpen(s, at('2026-12-12T00:30:00Z'))).to.equal(false);
    });

    it('wraps from Saturday into Sunday across the week end', () => {
      const s: Schedule = {
        timeZone: 'UTC',
        weekly: [{ day: 'sat', open: '23:00', close: '01:00' }],
        holidays: [],
      };
      expect(isOpen(s, at('2026-12-13T00:30:00Z'))).to.equal(true); // Sunday 00:30
      expect(isOpen(s, at('2026-12-14T00:30:00Z'))).to.equal(false); // Monday 00:30
    });
  });

  describe('holidays', () => {
    const withHolidays: Schedule = {
      ...berlin,
      holidays: [
        { date: '2026-12-24', name: 'Christmas Eve', hours: [{ open: '09:00', close: '12:00' }] },
        { date: '2026-12-25', name: 'Christmas Day' },
        { date: '2026-12-27', name: 'Sunday opening', hours: [{ open: '10:00', close: '14:00' }] },
      ],
    };

    it('closes the whole local date of a holiday without hours', () => {
      const status = scheduleStatus(withHolidays, at('2026-12-25T10:00:00Z')); // Friday 11:00
      expect(status).to.deep.include({ open: false, holiday: 'Christmas Day' });
    });

    it('uses the special hours of a holiday instead of the weekly ones', () => {
      expect(isOpen(withHolidays, at('2026-12-24T10:00:00Z'))).to.equal(true); // 11:00
      expect(isOpen(withHolidays, at('2026-12-24T11:00:00Z'))).to.equal(false); // 12:00, weekly says open
    });

    it('opens a day the week closes (a Sunday opening)', () => {
      expect(isOpen(withHolidays, at('2026-12-27T10:00:00Z'))).to.equal(true); // Sunday 11:00
    });

    it("judges the holiday by the zone's date, not UTC's", () => {
      const tokyo: Schedule = {
        timeZone: 'Asia/Tokyo',
        weekly: weekdays('00:00', '00:00'),
        holidays: [{ date: '2026-12-25' }],
      };
      // 2026-12-24T16:00Z is 01:00 on the 25th in Tokyo.
      expect(scheduleStatus(tokyo, at('2026-12-24T16:00:00Z'))).to.deep.include({
        open: false,
        holiday: '2026-12-25',
      });
      expect(isOpen(tokyo, at('2026-12-24T14:00:00Z'))).to.equal(true); // 23:00 on the 24th
    });
  });

  describe('daylight-saving changes', () => {
    it('keeps 09:00 local after spring forward (Berlin, 29 March 2026: UTC+1 becomes UTC+2)', () => {
      const s: Schedule = {
        timeZone: 'Europe/Berlin',
        weekly: [{ day: 'mon', open: '09:00', close: '17:00' }],
        holidays: [],
      };
      // Monday 30 March: 09:00 local is 07:00 UTC (a fixed +1 offset would say 08:00 UTC).
      expect(isOpen(s, at('2026-03-30T06:59:00Z'))).to.equal(false);
      expect(isOpen(s, at('2026-03-30T07:00:00Z'))).to.equal(true);
      expect(isOpen(s, at('2026-03-30T14:59:00Z'))).to.equal(true);
      expect(isOpen(s, at('2026-03-30T15:00:00Z'))).to.equal(false);
    });

    it('skips the hour that does not exist on the night of spring forward', () => {
      const s: Schedule = {
        timeZone: 'Europe/Berlin',
        weekly: [{ day: 'sun', open: '02:00', close: '03:00' }],
        holidays: [],
      };
      // 00:59 UTC is 01:59 CET; one minute later it is 03:00 CEST: 02:xx never happens.
      expect(localTime(at('2026-03-29T00:59:00Z'), 'Europe/Berlin').minute).to.equal(1 * 60 + 59);
      expect(localTime(at('2026-03-29T01:00:00Z'), 'Europe/Berlin').minute).to.equal(3 * 60);
      expect(isOpen(s, at('2026-03-29T00:59:00Z'))).to.equal(false);
      expect(isOpen(s, at('2026-03-29T01:00:00Z'))).to.equal(false);
    });

    it('is open both times the repeated hour happens at fall back (New York, 1 November 2026)', () => {
      const s: Schedule = {
        timeZone: 'America/New_York',
        weekly: [{ day: 'sun', open: '01:00', close: '02:00' }],
        holidays: [],
      };
      // 05:30 UTC is 01:30 EDT; 06:30 UTC is 01:30 EST: the same wall-clock time twice.
      expect(isOpen(s, at('2026-11-01T05:30:00Z'))).to.equal(true);
      expect(isOpen(s, at('2026-11-01T06:30:00Z'))).to.equal(true);
      expect(isOpen(s, at('2026-11-01T07:00:00Z'))).to.equal(false); // 02:00 EST
    });

    it('keeps a night interval across the change (Saturday 22:00 to Sunday 06:00, Berlin, October)', () => {
      const s: Schedule = {
        timeZone: 'Europe/Berlin',
        weekly: [{ day: 'sat', open: '22:00', close: '06:00' }],
        holidays: [],
      };
      // Night of 24 to 25 October 2026: CEST ends at 03:00 local (01:00 UTC). 06:00 CET is 05:00 UTC.
      expect(isOpen(s, at('2026-10-24T20:00:00Z'))).to.equal(true); // 22:00 CEST
      expect(isOpen(s, at('2026-10-25T04:59:00Z'))).to.equal(true); // 05:59 CET
      expect(isOpen(s, at('2026-10-25T05:00:00Z'))).to.equal(false); // 06:00 CET
    });
  });

  describe('checkSchedule', () => {
    it('accepts a sound schedule', () => {
      expect(checkSchedule({ ...berlin, holidays: [{ date: '2026-12-25' }] })).to.deep.equal([]);
    });

    it('names every problem with its path', () => {
      const problems = checkSchedule({
        timeZone: 'Mars/Olympus',
        weekly: [{ day: 'mon', open: '9:00', close: '24:01' }],
        holidays: [
          { date: '2026-02-30' },
          { date: '2026-12-25', hours: [{ open: '24:00', close: '12:00' }] },
          { date: '2026-12-25' },
        ],
      });
      expect(problems).to.deep.equal([
        { path: 'timeZone', message: '"Mars/Olympus" is not an IANA time zone' },
        { path: 'weekly[0].open', message: '"9:00" is not a time (HH:MM, 00:00-23:59)' },
        { path: 'weekly[0].close', message: '"24:01" is not a time (HH:MM, 00:00-24:00)' },
        { path: 'holidays[0].date', message: '"2026-02-30" is not a date' },
        { path: 'holidays[1].hours[0].open', message: '"24:00" is not a time (HH:MM, 00:00-23:59)' },
        { path: 'holidays[2].date', message: '2026-12-25 is listed twice' },
      ]);
    });

    it('knows zones and dates', () => {
      expect(isTimeZone('UTC')).to.equal(true);
      expect(isTimeZone('Asia/Kolkata')).to.equal(true);
      expect(isTimeZone('')).to.equal(false);
      expect(isDate('2028-02-29')).to.equal(true);
      expect(isDate('2027-02-29')).to.equal(false);
    });
  });
});
