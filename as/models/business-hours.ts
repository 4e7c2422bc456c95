import { Schema, model, type InferSchemaType } from 'mongoose';
import type { Schedule } from '../../lib/hours/schedule';
import { baseOptions, NAME_PATTERN } from './options';

/** `HH:MM`; a close may also be `24:00`. lib/hours/schedule.ts reads them. */
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const CLOSE = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;

export const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export const CLOSED_ACTIONS = ['prompt', 'voicemail', 'queue'] as const;
export type ClosedActionKind = (typeof CLOSED_ACTIONS)[number];

const interval = {
  open: { type: String, required: true, match: TIME },
  close: { type: String, required: true, match: CLOSE },
};

/**
 * A business-hours schedule (docs/business-hours.md): weekly opening intervals and holidays in an IANA
 * time zone, and what happens to a call that arrives while it is closed. It applies to the queues and
 * the called numbers it lists; a queue or a number is in at most one schedule (the AS refuses a second).
 * Its name is its identity: flows' `hours` nodes and the change events name it.
 */
const businessHoursSchema = new Schema(
  {
    name: { type: String, required: true, unique: true, match: NAME_PATTERN },
    description: { type: String, maxlength: 200 },
    timeZone: { type: String, required: true, maxlength: 64 },
    weekly: {
      type: [
        new Schema(
          { day: { type: String, required: true, enum: WEEKDAY_NAMES }, ...interval },
          { _id: false },
        ),
      ],
      default: [],
    },
    holidays: {
      type: [
        new Schema(
          {
            date: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
            name: { type: String, maxlength: 80 },
            hours: { type: [new Schema(interval, { _id: false })], default: undefined },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    /**
     * For a call that reaches a listed queue or number while closed: `prompt` plays `prompt` and hangs
     * up; `voicemail` plays `prompt` if set and records a message; `queue` sends the call to `queue`
     * (whose own schedule is applied in turn).
     */
    closedAction: {
      type: new Schema(
        {
          kind: { type: String, required: true, enum: CLOSED_ACTIONS },
          prompt: { type: String, match: NAME_PATTERN },
          queue: { type: String, match: NAME_PATTERN },
        },
        { _id: false },
      ),
      required: true,
    },
    /** Queue names this schedule gates (CTI checks it when a caller asks for an agent of the queue). */
    queues: { type: [{ type: String, match: NAME_PATTERN }], default: [] },
    /** Called numbers this schedule gates (the IVR checks it before it runs the number's flow). */
    numbers: { type: [{ type: String, match: /^\+?[0-9*#]{1,32}$/ }], default: [] },
    createdAt: { type: Date, default: () => new Date() },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { ...baseOptions, collection: 'businesshours' },
);

export type BusinessHoursData = InferSchemaType<typeof businessHoursSchema>;
export const BusinessHours = model('BusinessHours', businessHoursSchema);

/** The pure-domain view of a stored schedule (lib/hours), for the AS and CTI alike. */
export function scheduleOf(doc: Pick<BusinessHoursData, 'timeZone' | 'weekly' | 'holidays'>): Schedule {
  return {
    timeZone: doc.timeZone,
    weekly: doc.weekly.map(({ day, open, close }) => ({ day, open, close })),
    holidays: doc.holidays.map((h) => ({
      date: h.date,
      ...(h.name != null && { name: h.name }),
      ...(h.hours != null && { hours: h.hours.map(({ open, close }) => ({ open, close })) }),
    })),
  };
}
