/**
 * Business hours: whether a schedule is open at an instant. Pure (no store, no clock of its own): the
 * caller passes the instant. Wall-clock times are read in the schedule's IANA time zone with Intl, so
 * daylight-saving changes need no table here: 09:00 is 09:00 local on both sides of a change.
 *
 * Rules (docs/business-hours.md):
 * - an interval opens at `open` and closes at `close` (`HH:MM`, 24-hour; `24:00` is allowed as a close);
 * - a close at or before the open spans midnight: `22:00`-`02:00` on Friday is open Friday from 22:00
 *   and Saturday until 02:00; `00:00`-`00:00` is open all day;
 * - a holiday replaces its whole local date: its own `hours`, or closed when it has none. A holiday
 *   also cuts the part of the day before's interval that spans into it, and its own spanning interval
 *   spills into the next date unless that date is a holiday too;
 * - in the hour a spring-forward skips, nothing is open or closed (the time does not exist); in the
 *   hour a fall-back repeats, the same wall-clock rule answers both times.
 */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface Interval {
  /** `HH:MM`, 00:00-23:59. */
  open: string;
  /** `HH:MM`, 00:00-24:00; at or before `open`: the interval ends the next day. */
  close: string;
}

export interface WeeklyInterval extends Interval {
  day: Weekday;
}

export interface Holiday {
  /** The local calendar date in the schedule's time zone, `YYYY-MM-DD`. */
  date: string;
  name?: string;
  /** Special hours that day; none (or empty): closed all day. */
  hours?: Interval[];
}

export interface Schedule {
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  weekly: WeeklyInterval[];
  holidays: Holiday[];
}

export interface LocalTime {
  /** `YYYY-MM-DD` in the schedule's time zone. */
  date: string;
  weekday: Weekday;
  /** Minutes since local midnight, 0-1439. */
  minute: number;
}

export interface ScheduleStatus {
  open: boolean;
  local: LocalTime;
  /** The holiday the local date is, if any. */
  holiday?: string;
}

const TIME = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;
const DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
const DAY_MINUTES = 24 * 60;

/** Minutes since midnight of `HH:MM`; `24:00` only when `allowEnd`. Undefined when unreadable. */
export function parseTime(text: string, allowEnd = false): number | undefined {
  if (allowEnd && text === '24:00') return DAY_MINUTES;
  const m = TIME.exec(text);
  return m === null ? undefined : Number(m[1]) * 60 + Number(m[2]);
}

/** Whether a `YYYY-MM-DD` names a real calendar date (no 2026-02-30). */
export function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (m === null) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** Whether Intl knows the IANA zone (aliases such as `UTC` included). */
export function isTimeZone(zone: string): boolean {
  if (zone === '' || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface ScheduleProblem {
  path: string;
  message: string;
}

/** What a schema cannot say about a schedule: a known zone, readable times, real dates, no repeats. */
export function checkSchedule(s: Schedule): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  if (!isTimeZone(s.timeZone))
    problems.push({ path: 'timeZone', message: `"${s.timeZone}" is not an IANA time zone` });
  const checkInterval = (iv: Interval, path: string) => {
    if (parseTime(iv.open) === undefined)
      problems.push({ path: `${path}.open`, message: `"${iv.open}" is not a time (HH:MM, 00:00-23:59)` });
    if (parseTime(iv.close, true) === undefined)
      problems.push({ path: `${path}.close`, message: `"${iv.close}" is not a time (HH:MM, 00:00-24:00)` });
  };
  s.weekly.forEach((iv, i) => {
    if (!(WEEKDAYS as readonly string[]).includes(iv.day))
      problems.push({ path: `weekly[${i}].day`, message: `"${iv.day}" is not a weekday (sun..sat)` });
    checkInterval(iv, `weekly[${i}]`);
  });
  const dates = new Set<string>();
  s.holidays.forEach((h, i) => {
    if (!isDate(h.date)) problems.push({ path: `holidays[${i}].date`, message: `"${h.date}" is not a date` });
    else if (dates.has(h.date))
      problems.push({ path: `holidays[${i}].date`, message: `${h.date} is listed twice` });
    dates.add(h.date);
    (h.hours ?? []).forEach((iv, j) => checkInterval(iv, `holidays[${i}].hours[${j}]`));
  });
  return problems;
}

/** Intl formatters by zone: creating one costs far more than using it. Bounded: zones are a handful. */
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 64;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock date, weekday and minute of an instant in a zone. Throws on an unknown zone. */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = new Map(
    formatter(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.get('year')}-${parts.get('month')}-${parts.get('day')}`;
  const minute = Number(parts.get('hour')) * 60 + Number(parts.get('minute'));
  return { date, weekday: weekdayOf(date), minute };
}

function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()] as Weekday;
}

/** The calendar date before `date` (`YYYY-MM-DD`). */
export function previousDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

/** The intervals that belong to a date: its holiday's hours, or the weekly hours of its weekday. */
function ownIntervals(s: Schedule, date: string, holidays: Map<string, Holiday>): Interval[] {
  const holiday = holidays.get(date);
  if (holiday !== undefined) return holiday.hours ?? [];
  const day = weekdayOf(date);
  return s.weekly.filter((iv) => iv.day === day);
}

/** [start, end) minutes of an interval on its own date, and the minutes it spills into the next one. */
function span(iv: Interval): { start: number; end: number; spill: number } | undefined {
  const start = parseTime(iv.open);
  const close = parseTime(iv.close, true);
  if (start === undefined || close === undefined) return undefined;
  if (close > start) return { start, end: close, spill: 0 };
  return { start, end: DAY_MINUTES, spill: close };
}

/** Open or closed at `at`, with the local time it was judged by and the holiday, if any. */
export function scheduleStatus(s: Schedule, at: Date): ScheduleStatus {
  const local = localTime(at, s.timeZone);
  const holidays = new Map(s.holidays.map((h) => [h.date, h]));
  const holiday = holidays.get(local.date);
  const covers = (iv: Interval) => {
    const r = span(iv);
    return r !== undefined && local.minute >= r.start && local.minute < r.end;
  };
  let open = ownIntervals(s, local.date, holidays).some(covers);
  if (!open && holiday === undefined) {
    const before = previousDate(local.date);
    open = ownIntervals(s, before, holidays).some((iv) => {
      const r = span(iv);
      return r !== undefined && local.minute < r.spill;
    });
  }
  const status: ScheduleStatus = { open, local };
  if (holiday !== undefined) status.holiday = holiday.name ?? holiday.date;
  return status;
}

export function isOpen(s: Schedule, at: Date): boolean {
  return scheduleStatus(s, at).open;
}
