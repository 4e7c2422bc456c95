import { type Schedule, isOpen } from './schedule';

/**
 * Where a caller asking for an agent of a queue goes, given the queues' business hours. Pure: the
 * schedules and the instant are passed in (CTI keeps the schedules, cti/app/closed-hours.ts).
 */
export type ClosedAction =
  | { kind: 'prompt'; prompt: string }
  | { kind: 'voicemail'; prompt?: string }
  | { kind: 'queue'; queue: string };

/** A queue's schedule and what its callers get while it is closed. */
export interface QueueGate {
  schedule: string;
  hours: Schedule;
  action: ClosedAction;
}

export type Admission =
  /** Queue the caller in `queue` (the one asked for, or where closed queues sent it). */
  | { kind: 'queue'; queue: string; passed: PassedQueue[] }
  /** `queue` is closed: play `prompt` and hang up. */
  | { kind: 'prompt'; queue: string; schedule: string; prompt: string; passed: PassedQueue[] }
  /** `queue` is closed: greeting (if any), then a voicemail for that queue. */
  | { kind: 'voicemail'; queue: string; schedule: string; prompt?: string; passed: PassedQueue[] };

/** A closed queue the caller was sent on from, and the schedule that closed it. */
export interface PassedQueue {
  queue: string;
  schedule: string;
}

/** A chain of closed queues longer than this is a configuration loop, not a route. */
export const MAX_HOPS = 5;

/**
 * Follows `queue` actions from closed queue to closed queue until a queue is open (or has no schedule)
 * or a closed queue's action is a prompt or voicemail. A chain that comes back to a queue it passed
 * (A closed to B, B closed to A), runs past MAX_HOPS or names a queue that does not exist (`exists`;
 * deleted since) ends in voicemail for the queue first asked for: a message is better than a caller
 * sent round in circles or into nothing.
 */
export function admit(
  queue: string,
  gates: ReadonlyMap<string, QueueGate>,
  at: Date,
  exists: (queue: string) => boolean = () => true,
): Admission {
  const passed: PassedQueue[] = [];
  let current = queue;
  for (;;) {
    const gate = gates.get(current);
    if (gate === undefined || isOpen(gate.hours, at)) return { kind: 'queue', queue: current, passed };
    const action = gate.action;
    if (action.kind === 'prompt')
      return { kind: 'prompt', queue: current, schedule: gate.schedule, prompt: action.prompt, passed };
    if (action.kind === 'voicemail')
      return {
        kind: 'voicemail',
        queue: current,
        schedule: gate.schedule,
        ...(action.prompt !== undefined && { prompt: action.prompt }),
        passed,
      };
    passed.push({ queue: current, schedule: gate.schedule });
    const loops =
      passed.some((p) => p.queue === action.queue) || passed.length >= MAX_HOPS || !exists(action.queue);
    if (loops) {
      const first = passed[0] as PassedQueue;
      return { kind: 'voicemail', queue: first.queue, schedule: first.schedule, passed };
    }
    current = action.queue;
  }
}
