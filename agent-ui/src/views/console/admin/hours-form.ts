import { ApiError } from '../../../adapters/as-api';
import {
  type ClosedKind,
  type Interval,
  type Schedule,
  type ScheduleInput,
  WEEKDAYS,
  type Weekday,
} from '../../../adapters/hours-api';
import { type FormErrors, formErrors } from './form-errors';

/**
 * The hours page's form as plain data (no DOM): a day's or a holiday's hours are typed as text,
 * `09:00-12:00, 13:00-17:00` (empty: closed), which keeps several intervals a day in one field.
 */
export interface HolidayRow {
  date: string;
  name: string;
  hours: string;
}

export interface HoursForm {
  name: string;
  description: string;
  timeZone: string;
  days: Record<Weekday, string>;
  holidays: HolidayRow[];
  closedKind: ClosedKind;
  closedPrompt: string;
  closedQueue: string;
  queues: string[];
  numbers: string;
}

export const HOURS_FIELD_PATHS = [
  'name',
  'description',
  'timeZone',
  ...WEEKDAYS.map((d) => `weekly.${d}`),
  'holidays',
  'closedAction',
  'numbers',
] as const;

const INTERVAL = /^(\d\d:\d\d)\s*-\s*(\d\d:\d\d)$/;

export function emptyHoursForm(timeZone: string): HoursForm {
  const days = Object.fromEntries(WEEKDAYS.map((d) => [d, ''])) as Record<Weekday, string>;
  for (const d of ['mon', 'tue', 'wed', 'thu', 'fri'] as const) days[d] = '09:00-17:00';
  return {
    name: '',
    description: '',
    timeZone,
    days,
    holidays: [],
    closedKind: 'voicemail',
    closedPrompt: '',
    closedQueue: '',
    queues: [],
    numbers: '',
  };
}

export const intervalsText = (intervals: readonly Interval[]): string =>
  intervals.map((i) => `${i.open}-${i.close}`).join(', ');

/** `09:00-12:00, 13:00-17:00` as intervals; undefined when a part is not `HH:MM-HH:MM`. */
export function parseIntervals(text: string): Interval[] | undefined {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const out: Interval[] = [];
  for (const part of parts) {
    const m = INTERVAL.exec(part);
    if (m === null) return undefined;
    out.push({ open: m[1] as string, close: m[2] as string });
  }
  return out;
}

export function hoursFormOf(s: Schedule): HoursForm {
  const days = Object.fromEntries(
    WEEKDAYS.map((d) => [d, intervalsText(s.weekly.filter((w) => w.day === d))]),
  ) as Record<Weekday, string>;
  return {
    name: s.name,
    description: s.description ?? '',
    timeZone: s.timeZone,
    days,
    holidays: s.holidays.map((h) => ({
      date: h.date,
      name: h.name ?? '',
      hours: intervalsText(h.hours ?? []),
    })),
    closedKind: s.closedAction.kind,
    closedPrompt: s.closedAction.prompt ?? '',
    closedQueue: s.closedAction.queue ?? '',
    queues: [...s.queues],
    numbers: s.numbers.join(', '),
  };
}

/** Text the page could not read, by field path (`weekly.mon`, `holidays`): shown before anything is sent. */
export class FormTextError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** The API's input; throws FormTextError for hours text that is not `HH:MM-HH:MM, ...`. */
export function scheduleInputOf(form: HoursForm, badHours: (text: string) => string): ScheduleInput {
  const weekly = WEEKDAYS.flatMap((day) => {
    const intervals = parseIntervals(form.days[day]);
    if (intervals === undefined) throw new FormTextError(`weekly.${day}`, badHours(form.days[day]));
    return intervals.map((i) => ({ day, ...i }));
  });
  const holidays = form.holidays.map((h) => {
    const hours = parseIntervals(h.hours);
    if (hours === undefined) throw new FormTextError('holidays', badHours(h.hours));
    return {
      date: h.date,
      ...(h.name.trim() !== '' && { name: h.name.trim() }),
      ...(hours.length > 0 && { hours }),
    };
  });
  const closedAction: ScheduleInput['closedAction'] = { kind: form.closedKind };
  if (form.closedKind !== 'queue' && form.closedPrompt !== '') closedAction.prompt = form.closedPrompt;
  if (form.closedKind === 'queue') closedAction.queue = form.closedQueue;
  return {
    name: form.name.trim(),
    ...(form.description.trim() !== '' && { description: form.description.trim() }),
    timeZone: form.timeZone.trim(),
    weekly,
    holidays,
    closedAction,
    queues: form.queues,
    numbers: form.numbers
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== ''),
  };
}

/**
 * The AS's refusal beside the fields: `holidays.0.date` and `holidays[0].date` both go to `holidays`;
 * what has no field of its own (`weekly[3].open`, `queues[0]`) goes above the form.
 */
export function hoursErrors(err: unknown, fallback: string): FormErrors {
  if (err instanceof FormTextError) return { fields: new Map([[err.path, err.message]]) };
  if (err instanceof ApiError && err.details !== undefined) {
    const details = err.details.map((d) => ({ ...d, path: /^[A-Za-z]+/.exec(d.path)?.[0] ?? d.path }));
    return formErrors(
      new ApiError(err.status, err.message, err.retryAfter, details),
      HOURS_FIELD_PATHS,
      fallback,
    );
  }
  return formErrors(err, HOURS_FIELD_PATHS, fallback);
}
