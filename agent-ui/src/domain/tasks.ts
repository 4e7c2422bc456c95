import type { ServerMessage, SnapshotTask, TaskChannel, TaskMessage } from './interface-a';

/**
 * The agent's tasks (e-mail, SMS, fax) as the inbox shows them: offers waiting for Accept or Reject and
 * the tasks the agent holds. CTI is the source of truth: its `snapshot` replaces the list, its task
 * messages move each task through the table below; the agent's clicks only mark a task as waiting for
 * CTI's answer (a refusal puts it back).
 */
export type TaskPhase = 'offered' | 'accepting' | 'rejecting' | 'accepted' | 'completing';

export const TASK_CHANNELS: readonly TaskChannel[] = ['email', 'sms', 'fax'];

export interface Task {
  contactId: string;
  queueId: string;
  channel: TaskChannel;
  from: string;
  subject?: string;
  phase: TaskPhase;
  /** ms epoch: when the task entered its queue (offers: the waiting time counts from here). */
  enteredAt: number;
  /** ms epoch: when the offer goes back to the queue unanswered. */
  expiresAt?: number;
  /** ms epoch: when the task entered its phase. */
  since: number;
  /** Messages that joined the task (`task-message`) since the agent last opened it. */
  unread: number;
}

/** A task that left the inbox without the agent's Complete (timed out, reassigned...). */
export interface TaskNotice {
  code: 'ended';
  contactId: string;
  channel: TaskChannel;
  from: string;
  detail: string;
}

export interface TasksState {
  /** In the order they arrived. */
  tasks: readonly Task[];
  /** The task whose conversation is open. */
  selected?: string;
  notice?: TaskNotice;
}

export const initialTasks: TasksState = { tasks: [] };

/** What may happen to a task in each phase; `removed`: it leaves the inbox. */
export type TaskEvent =
  'offer' | 'accept' | 'reject' | 'accepted' | 'message' | 'complete' | 'refused' | 'ended';
type Next = TaskPhase | 'removed';

export const TASK_TRANSITIONS: Readonly<Record<TaskPhase, Readonly<Partial<Record<TaskEvent, Next>>>>> = {
  // A repeated offer (CTI re-sends after a reconnect) updates the card. A rejected offer leaves the
  // inbox's view at once (`offers` lists no `rejecting` task) and the list when CTI confirms.
  offered: {
    offer: 'offered',
    accept: 'accepting',
    reject: 'rejecting',
    accepted: 'accepted',
    ended: 'removed',
  },
  accepting: { offer: 'accepting', accepted: 'accepted', refused: 'offered', ended: 'removed' },
  rejecting: { offer: 'rejecting', refused: 'offered', ended: 'removed' },
  accepted: { accepted: 'accepted', message: 'accepted', complete: 'completing', ended: 'removed' },
  completing: { message: 'completing', refused: 'accepted', ended: 'removed' },
};

export interface TaskStep {
  state: TasksState;
  /** Set when the event is not allowed for the task (or the task is unknown): the caller logs it. */
  problem?: string;
}

/** The agent's own steps on a task (a click), besides CTI's messages. */
export type TaskUiEvent =
  | { type: 'accept'; contactId: string }
  | { type: 'reject'; contactId: string }
  | { type: 'complete'; contactId: string }
  | { type: 'select'; contactId: string }
  | { type: 'dismiss-task-notice' };

export type TasksInput = TaskUiEvent | TaskMessage | Extract<ServerMessage, { type: 'snapshot' | 'error' }>;

function time(iso: string | undefined, fallback: number): number {
  const t = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isFinite(t) ? t : fallback;
}

function fromSnapshot(t: SnapshotTask, old: Task | undefined, now: number): Task {
  const since = time(t.since, now);
  return {
    contactId: t.contactId,
    queueId: t.queueId,
    channel: t.channel,
    from: t.from,
    ...(t.subject === undefined ? {} : { subject: t.subject }),
    phase: t.state === 'accepted' ? 'accepted' : 'offered',
    // A snapshot has no queue entry time: an offer already shown keeps its own.
    enteredAt: old?.enteredAt ?? since,
    ...(old?.expiresAt === undefined ? {} : { expiresAt: old.expiresAt }),
    since: old?.phase === (t.state === 'accepted' ? 'accepted' : 'offered') ? old.since : since,
    unread: old?.unread ?? 0,
  };
}

/** A task the agent holds: its conversation can be open, it counts against the capacity. */
const isHeld = (t: Task) => t.phase === 'accepted' || t.phase === 'completing';

/** The open conversation after a change: kept while its task is held, else the first held task. */
function reselect(tasks: readonly Task[], selected: string | undefined): string | undefined {
  const held = tasks.filter(isHeld);
  if (selected !== undefined && held.some((t) => t.contactId === selected)) return selected;
  return held[0]?.contactId;
}

function withTasks(state: TasksState, tasks: readonly Task[], selected = state.selected): TasksState {
  const next = reselect(tasks, selected);
  const { selected: _old, ...rest } = state;
  return { ...rest, tasks, ...(next === undefined ? {} : { selected: next }) };
}

/** One event of one task through TASK_TRANSITIONS. */
function stepTask(
  state: TasksState,
  contactId: string,
  event: TaskEvent,
  now: number,
  change: Partial<Task> = {},
): TaskStep {
  const task = state.tasks.find((t) => t.contactId === contactId);
  if (task === undefined) return { state, problem: `${event}: no task ${contactId}` };
  const next = TASK_TRANSITIONS[task.phase][event];
  if (next === undefined) return { state, problem: `${event} not allowed for a task in phase ${task.phase}` };
  if (next === 'removed') {
    return {
      state: withTasks(
        state,
        state.tasks.filter((t) => t !== task),
      ),
    };
  }
  const updated: Task = { ...task, ...change, phase: next, since: next === task.phase ? task.since : now };
  return {
    state: withTasks(
      state,
      state.tasks.map((t) => (t === task ? updated : t)),
    ),
  };
}

/** The inbox's state table: CTI's task messages, its snapshot and refusals, and the agent's clicks. */
export function reduceTasks(state: TasksState, input: TasksInput, now: number): TaskStep {
  switch (input.type) {
    case 'snapshot': {
      if (input.tasks === undefined) return { state };
      const old = new Map(state.tasks.map((t) => [t.contactId, t]));
      return {
        state: withTasks(
          state,
          input.tasks.map((t) => fromSnapshot(t, old.get(t.contactId), now)),
        ),
      };
    }
    case 'task-offer': {
      const offer: Task = {
        contactId: input.contactId,
        queueId: input.queueId,
        channel: input.channel,
        from: input.from,
        ...(input.subject === undefined ? {} : { subject: input.subject }),
        phase: 'offered',
        enteredAt: time(input.enteredAt, now),
        ...(input.expiresAt === undefined ? {} : { expiresAt: time(input.expiresAt, now) }),
        since: now,
        unread: 0,
      };
      if (!state.tasks.some((t) => t.contactId === input.contactId)) {
        return { state: withTasks(state, [...state.tasks, offer]) };
      }
      const { phase: _p, since: _s, unread: _u, ...change } = offer;
      return stepTask(state, input.contactId, 'offer', now, change);
    }
    case 'task-accepted': {
      const step = stepTask(state, input.contactId, 'accepted', now);
      // The task the agent just accepted is the one it wants to read.
      if (step.problem !== undefined) return step;
      return { state: withTasks(step.state, step.state.tasks, input.contactId) };
    }
    case 'task-message': {
      const task = state.tasks.find((t) => t.contactId === input.contactId);
      const seen = state.selected === input.contactId;
      return stepTask(state, input.contactId, 'message', now, { unread: seen ? 0 : (task?.unread ?? 0) + 1 });
    }
    case 'task-ended': {
      const task = state.tasks.find((t) => t.contactId === input.contactId);
      const step = stepTask(state, input.contactId, 'ended', now);
      if (task === undefined || step.problem !== undefined) return step;
      // The agent's own Complete or Reject needs no notice; anything else (timed out, ended) is told.
      if (task.phase === 'completing' || task.phase === 'rejecting' || input.reason === 'completed')
        return step;
      const notice: TaskNotice = {
        code: 'ended',
        contactId: task.contactId,
        channel: task.channel,
        from: task.from,
        detail: input.reason,
      };
      return { state: { ...step.state, notice } };
    }
    case 'error': {
      // CTI answers a refused task command with an `error` (the banner shows it): the task waits no longer.
      const pending = state.tasks.find(
        (t) => t.phase === 'accepting' || t.phase === 'rejecting' || t.phase === 'completing',
      );
      if (pending === undefined) return { state };
      return stepTask(state, pending.contactId, 'refused', now);
    }
    case 'select': {
      const task = state.tasks.find((t) => t.contactId === input.contactId);
      if (task === undefined || !isHeld(task)) {
        return { state, problem: `select: task ${input.contactId} is not held` };
      }
      const tasks = state.tasks.map((t) => (t === task ? { ...t, unread: 0 } : t));
      return { state: { ...state, tasks, selected: input.contactId } };
    }
    case 'dismiss-task-notice': {
      const { notice: _n, ...rest } = state;
      return { state: rest };
    }
    default:
      return stepTask(state, input.contactId, input.type, now);
  }
}

export interface ChannelLoad {
  channel: TaskChannel;
  /** Tasks held on the channel (accepted, and accepted ones being completed). */
  held: number;
  /** The agent's capacity on the channel; undefined when unknown. */
  max?: number;
}

export interface Capacity {
  /** Per channel (AS agent `maxTasks`). */
  maxTasks: Partial<Record<TaskChannel, number>>;
  /** Across channels (AS agent `maxTotal`). */
  maxTotal?: number;
}

/** Held tasks against capacity, channel by channel; a channel appears when the agent may take it or holds one. */
export function channelLoads(tasks: readonly Task[], capacity: Capacity): ChannelLoad[] {
  return TASK_CHANNELS.flatMap((channel) => {
    const held = tasks.filter((t) => t.channel === channel && isHeld(t)).length;
    const max = capacity.maxTasks[channel];
    if (held === 0 && max !== undefined && max <= 0) return [];
    return [{ channel, held, ...(max === undefined ? {} : { max }) }];
  });
}

export function heldTasks(tasks: readonly Task[], channel?: TaskChannel): Task[] {
  return tasks.filter((t) => isHeld(t) && (channel === undefined || t.channel === channel));
}

export function offers(tasks: readonly Task[]): Task[] {
  return tasks.filter((t) => t.phase === 'offered' || t.phase === 'accepting');
}

/** The capacity in the AS's agent profile (GET /api/v1/me), read leniently: unknown fields are ignored. */
export function parseCapacity(raw: unknown): Capacity {
  const r = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const max =
    typeof r.maxTasks === 'object' && r.maxTasks !== null ? (r.maxTasks as Record<string, unknown>) : {};
  const maxTasks: Partial<Record<TaskChannel, number>> = {};
  for (const channel of TASK_CHANNELS) {
    const n = max[channel];
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0) maxTasks[channel] = n;
  }
  const total = r.maxTotal;
  return {
    maxTasks,
    ...(typeof total === 'number' && Number.isInteger(total) && total >= 0 ? { maxTotal: total } : {}),
  };
}
