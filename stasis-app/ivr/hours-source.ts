import { z } from 'zod';
import { type Schedule, WEEKDAYS, checkSchedule } from '../../lib/hours/schedule';
import type { InterfaceD } from './interface-d';

/**
 * Business-hours schedules from the AS (interface D), for flows' `hours` nodes and for called numbers
 * with a schedule. Cached like flows: for a TTL, dropped on the AS's change event (ConfigChanged of
 * entity `hours`), and kept while the AS cannot be reached, so an AS restart does not flip the branch.
 */
const interval = { open: z.string().max(5), close: z.string().max(5) };
const closedAction = z.object({
  kind: z.enum(['prompt', 'voicemail', 'queue']),
  prompt: z.string().min(1).max(64).optional(),
  queue: z.string().min(1).max(64).optional(),
});
const scheduleAnswer = z.object({
  name: z.string().min(1).max(64),
  timeZone: z.string().min(1).max(64),
  weekly: z.array(z.object({ day: z.enum(WEEKDAYS), ...interval })).max(200),
  holidays: z
    .array(
      z.object({
        date: z.string().max(10),
        name: z.string().max(80).optional(),
        hours: z.array(z.object(interval)).max(20).optional(),
      }),
    )
    .max(1000),
  closedAction,
});

export type ClosedActionSpec = z.infer<typeof closedAction>;
export interface LoadedSchedule {
  name: string;
  schedule: Schedule;
  closedAction: ClosedActionSpec;
}

export class ScheduleInvalid extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleInvalid';
  }
}

/** A schedule answer, checked (shape, then zone, times and dates); throws ScheduleInvalid. */
export function validateSchedule(raw: unknown): LoadedSchedule {
  const parsed = scheduleAnswer.safeParse(raw);
  if (!parsed.success) throw new ScheduleInvalid(z.prettifyError(parsed.error).replace(/\n/g, '; '));
  const { name, timeZone, weekly, holidays, closedAction: action } = parsed.data;
  const schedule: Schedule = { timeZone, weekly, holidays };
  const problems = checkSchedule(schedule);
  if (problems.length > 0)
    throw new ScheduleInvalid(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return { name, schedule, closedAction: action };
}

export class HoursSource {
  private readonly cache = new Map<string, { at: number; value: Promise<LoadedSchedule | null> }>();
  /** Only schedules the AS answered with: bounded by the configured schedules and numbers. */
  private readonly lastGood = new Map<string, LoadedSchedule>();

  constructor(
    private readonly get: InterfaceD,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The schedule of that name; null when the AS has none. */
  byName(name: string): Promise<LoadedSchedule | null> {
    return this.load(`name:${name}`, `/ivr/hours/${encodeURIComponent(name)}`);
  }

  /** The schedule gating a called number; null when the number has none. */
  forNumber(calledNumber: string): Promise<LoadedSchedule | null> {
    return this.load(`number:${calledNumber}`, `/ivr/numbers/${encodeURIComponent(calledNumber)}/hours`);
  }

  get size(): number {
    return this.cache.size;
  }

  /** An administrator changed a schedule: the next call reads it again. */
  clear(): void {
    this.cache.clear();
  }

  private load(key: string, path: string): Promise<LoadedSchedule | null> {
    const at = this.now();
    for (const [k, v] of this.cache) if (at - v.at >= this.ttlMs) this.cache.delete(k);
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit.value;
    const value = this.fetch(key, path);
    this.cache.set(key, { at, value });
    value.catch(() => this.cache.delete(key));
    return value;
  }

  private async fetch(key: string, path: string): Promise<LoadedSchedule | null> {
    let raw: unknown;
    try {
      raw = await this.get(path);
    } catch (err) {
      const stale = this.lastGood.get(key);
      if (stale !== undefined) return stale;
      throw err;
    }
    if (raw === undefined) {
      this.lastGood.delete(key);
      return null;
    }
    const loaded = validateSchedule(raw);
    this.lastGood.set(key, loaded);
    return loaded;
  }
}
