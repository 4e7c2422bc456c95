import type { ClosedAction } from '../../lib/hours/closed-route';
import { BusinessHours, scheduleOf } from '../../as/models';
import type { StoredSchedule } from './closed-hours';

/** The AS's business-hours schedules, through its own model (as/models/business-hours.ts). */
export async function storeSchedules(): Promise<StoredSchedule[]> {
  const docs = await BusinessHours.find().lean();
  return docs.map((d) => ({
    name: d.name,
    hours: scheduleOf(d),
    action: actionOf(d.closedAction),
    queues: d.queues,
  }));
}

function actionOf(a: { kind: string; prompt?: string | null; queue?: string | null }): ClosedAction {
  if (a.kind === 'queue' && a.queue != null) return { kind: 'queue', queue: a.queue };
  if (a.kind === 'prompt' && a.prompt != null) return { kind: 'prompt', prompt: a.prompt };
  return a.prompt != null ? { kind: 'voicemail', prompt: a.prompt } : { kind: 'voicemail' };
}
