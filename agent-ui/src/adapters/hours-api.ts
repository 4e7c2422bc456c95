import type { AsApi } from './as-api';

/** Business-hours schedules (as/plugins/admin/hours/), as the console's hours page uses them. */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const CLOSED_KINDS = ['prompt', 'voicemail', 'queue'] as const;
export type ClosedKind = (typeof CLOSED_KINDS)[number];

export interface Interval {
  open: string;
  close: string;
}

export interface ScheduleInput {
  name: string;
  description?: string;
  timeZone: string;
  weekly: (Interval & { day: Weekday })[];
  holidays: { date: string; name?: string; hours?: Interval[] }[];
  closedAction: { kind: ClosedKind; prompt?: string; queue?: string };
  queues: string[];
  numbers: string[];
}

export interface Schedule extends ScheduleInput {
  id: string;
  /** Judged by the AS when it answered. */
  status: { open: boolean; localTime: string; holiday?: string };
}

const path = (name: string) => `/api/v1/business-hours/${encodeURIComponent(name)}`;

export class HoursApi {
  constructor(private readonly api: AsApi) {}

  list = () => this.api.request<Schedule[]>('GET', '/api/v1/business-hours');
  create = (input: ScheduleInput) => this.api.request<Schedule>('POST', '/api/v1/business-hours', input);
  /** A schedule is replaced whole; its name is its identity. */
  replace = (input: ScheduleInput) => this.api.request<Schedule>('PUT', path(input.name), input);
  remove = (name: string) => this.api.request<void>('DELETE', path(name));
}
