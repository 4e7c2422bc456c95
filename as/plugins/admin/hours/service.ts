import { checkSchedule, scheduleStatus } from '../../../../lib/hours/schedule';
import { ConflictError, InvalidError, NotFoundError } from '../../../errors';
import type { Caller } from '../../../http/credentials';
import { BusinessHours, type BusinessHoursData, Prompt, Queue, scheduleOf } from '../../../models';
import type { ChangeOutbox } from '../../../outbox/outbox';
import { recordChange } from '../audit/service';
import { flowsUsing } from '../flows/references';
import { present } from '../present';

export type ScheduleInput = Omit<BusinessHoursData, 'createdAt' | 'updatedAt'>;

type Stored = BusinessHoursData & { _id: { toString(): string } };

/** What the page shows beside a schedule: open or closed now, the local time judged, the holiday. */
function withStatus(doc: Stored, now: Date) {
  const status = scheduleStatus(scheduleOf(doc), now);
  const hh = String(Math.floor(status.local.minute / 60)).padStart(2, '0');
  const mm = String(status.local.minute % 60).padStart(2, '0');
  return {
    ...present(doc),
    status: {
      open: status.open,
      localTime: `${status.local.date} ${hh}:${mm}`,
      ...(status.holiday !== undefined && { holiday: status.holiday }),
    },
  };
}

/**
 * Business-hours schedules (docs/business-hours.md): administrators change them, every change audited
 * and announced through the outbox (ConfigChanged `hours`), so CTI and the IVR apply it on the next call.
 */
export class HoursService {
  constructor(
    private readonly changes: ChangeOutbox,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list() {
    const now = this.now();
    return (await BusinessHours.find().sort({ name: 1 }).lean()).map((d) => withStatus(d, now));
  }

  async get(name: string) {
    const doc = await BusinessHours.findOne({ name }).lean();
    if (!doc) throw new NotFoundError(`schedule ${name}`);
    return withStatus(doc, this.now());
  }

  async create(input: ScheduleInput, caller: Caller) {
    if (await BusinessHours.exists({ name: input.name }))
      throw new ConflictError(`schedule "${input.name}" already exists`);
    await this.assertValid(input);
    const created = await this.changes.record(
      { entity: 'hours', entityId: input.name, action: 'create' },
      () => BusinessHours.create(input),
    );
    const after = present(created.toObject());
    await recordChange(caller, 'create', 'hours', input.name, null, after);
    return withStatus(created.toObject(), this.now());
  }

  /** Whole replacement: a week and its holidays are edited as one. The name is the identity. */
  async replace(name: string, input: ScheduleInput, caller: Caller) {
    if (input.name !== name)
      throw new ConflictError(`schedule "${name}" cannot be renamed: flows and events name it`);
    const before = await BusinessHours.findOne({ name }).lean();
    if (!before) throw new NotFoundError(`schedule ${name}`);
    await this.assertValid(input);
    const updated = await this.changes.record({ entity: 'hours', entityId: name, action: 'update' }, () =>
      BusinessHours.findOneAndReplace(
        { name },
        { ...input, createdAt: before.createdAt, updatedAt: new Date() },
        { returnDocument: 'after', runValidators: true },
      ).lean(),
    );
    if (!updated) throw new NotFoundError(`schedule ${name}`);
    await recordChange(caller, 'update', 'hours', name, present(before), present(updated));
    return withStatus(updated, this.now());
  }

  async remove(name: string, caller: Caller) {
    // Looked up first: a delete of nothing leaves no outbox record (no event for a change not made).
    if (!(await BusinessHours.exists({ name }))) throw new NotFoundError(`schedule ${name}`);
    const flows = await flowsUsing('schedule', name);
    if (flows.length > 0)
      throw new ConflictError(`schedule "${name}" cannot be deleted: IVR flows use it`, { flows });
    const before = await this.changes.record({ entity: 'hours', entityId: name, action: 'delete' }, () =>
      BusinessHours.findOneAndDelete({ name }).lean(),
    );
    if (!before) throw new NotFoundError(`schedule ${name}`);
    await recordChange(caller, 'delete', 'hours', name, present(before), null);
  }

  /** Interface D: a schedule as the IVR evaluates it (flows' `hours` nodes). */
  async forIvr(name: string) {
    const doc = await BusinessHours.findOne({ name }).lean();
    if (!doc) throw new NotFoundError(`schedule ${name}`);
    return ivrView(doc);
  }

  /** Interface D: the schedule gating a called number. */
  async forNumber(calledNumber: string) {
    const doc = await BusinessHours.findOne({ numbers: calledNumber }).lean();
    if (!doc) throw new NotFoundError(`schedule for ${calledNumber}`);
    return ivrView(doc);
  }

  /** What a schema cannot check: the zone, times and dates; the prompts and queues; one schedule each. */
  private async assertValid(input: ScheduleInput) {
    const problems = checkSchedule(scheduleOf(input));
    const action = input.closedAction;
    if (action.prompt != null && !(await Prompt.exists({ name: action.prompt })))
      problems.push({ path: 'closedAction.prompt', message: `prompt "${action.prompt}" does not exist` });
    if (action.queue != null) {
      if (input.queues.includes(action.queue))
        problems.push({
          path: 'closedAction.queue',
          message: `queue "${action.queue}" is gated by this schedule: it would be closed too`,
        });
      else if (!(await Queue.exists({ name: action.queue })))
        problems.push({ path: 'closedAction.queue', message: `queue "${action.queue}" does not exist` });
    }
    const known = new Set((await Queue.find().select('name').lean()).map((q) => q.name));
    input.queues.forEach((q, i) => {
      if (!known.has(q)) problems.push({ path: `queues[${i}]`, message: `queue "${q}" does not exist` });
    });
    if (problems.length > 0) {
      const first = problems[0] as { path: string; message: string };
      const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
      throw new InvalidError(`invalid schedule: ${first.path}: ${first.message}${more}`, problems);
    }
    await this.assertUnshared(input);
  }

  /** A queue or a number answers to one schedule, or which one applies would be a guess. */
  private async assertUnshared(input: ScheduleInput) {
    const others = await BusinessHours.find({ name: { $ne: input.name } })
      .select('name queues numbers')
      .lean();
    for (const other of others) {
      const queues = input.queues.filter((q) => other.queues.includes(q));
      const numbers = input.numbers.filter((n) => other.numbers.includes(n));
      if (queues.length > 0 || numbers.length > 0)
        throw new ConflictError(
          `schedule "${other.name}" already gates ${[...queues, ...numbers].join(', ')}`,
          {
            schedule: other.name,
            queues,
            numbers,
          },
        );
    }
  }
}

function ivrView(doc: BusinessHoursData) {
  return { name: doc.name, ...scheduleOf(doc), closedAction: doc.closedAction };
}
