import { ConflictError } from '../../../errors';
import { BusinessHours } from '../../../models';

/** Names of the schedules that gate a queue or send closed-hours callers to it, sorted. */
export async function schedulesNamingQueue(queue: string): Promise<string[]> {
  const rows = await BusinessHours.find({ $or: [{ queues: queue }, { 'closedAction.queue': queue }] })
    .select('name')
    .lean();
  return rows.map((r) => r.name).sort();
}

/**
 * The queue hook (as/plugins/admin/queues/service.ts): a queue a schedule names cannot go or change
 * its name, or the schedule would gate nothing, or send closed-hours callers nowhere. 409 naming them.
 */
export async function refuseIfScheduled(queue: string, verb: string): Promise<void> {
  const schedules = await schedulesNamingQueue(queue);
  if (schedules.length > 0) {
    throw new ConflictError(
      `queue "${queue}" cannot be ${verb}: business hours ${schedules.map((s) => `"${s}"`).join(', ')} name it`,
      { schedules },
    );
  }
}
