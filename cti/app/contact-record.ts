import type { ContactStateChange } from '../domain';
import type { InteractionDoc, TimelineEntry } from '../store/interactions';

const TIMELINE: ReadonlyMap<string, string> = new Map([
  ['waiting', 'Queued'],
  ['offered', 'Offered'],
  ['ringing', 'Ringing'],
  ['connected', 'Connected'],
  ['held', 'Held'],
  ['scheduled', 'CallbackScheduled'],
  ['ended', 'Ended'],
]);

/**
 * What a contact's state change writes to its interaction: the timeline entry, the summary fields, and
 * whether it is the contact's answer (a retrieve from hold or a transfer target taking over is not).
 */
export function contactRecord(change: ContactStateChange): {
  entry: TimelineEntry;
  set: Partial<InteractionDoc>;
  answered: boolean;
} {
  const at = new Date(change.at);
  const set: Partial<InteractionDoc> = { queueId: change.queueId };
  if (change.to === 'waiting' && change.from === 'new') set.queuedAt = at;
  if (change.to === 'offered' && change.agentId !== undefined) {
    set.offeredAt = at;
    set.agentId = change.agentId;
  }
  // A transfer's target taking over a call it already talks in is not a new answer either.
  const takeOver = change.to === 'connected' && change.reason === 'transfer';
  if (takeOver && change.agentId !== undefined) set.agentId = change.agentId;
  // Retrieved from hold is not a second answer.
  const answered = change.to === 'connected' && change.from !== 'held' && !takeOver;
  if (answered) set.answeredAt = at;
  const type = takeOver
    ? 'TakenOver'
    : change.to === 'waiting' && change.from === 'scheduled'
      ? 'CallbackDue'
      : (change.reason === 'queue-deleted' || change.reason === 'moved') && change.to === change.from
        ? 'QueueChanged' // its queue was deleted (it waits in the fallback queue) or a supervisor moved it
        : change.reason === 'raised' && change.to === change.from
          ? 'PriorityRaised' // a supervisor put it ahead of the others waiting
          : change.to === 'waiting' && change.from === 'waiting'
            ? 'CallbackQueued' // the entry became a callback in its place
            : change.to === 'waiting' && change.from !== 'new'
              ? 'Requeued'
              : change.to === 'connected' && change.from === 'held'
                ? 'Retrieved'
                : (TIMELINE.get(change.to) ?? change.to);
  const entry: TimelineEntry = {
    at,
    type,
    data: {
      queueId: change.queueId,
      ...(change.agentId === undefined ? {} : { agentId: change.agentId }),
      ...(change.reason === undefined ? {} : { reason: change.reason }),
    },
  };
  return { entry, set, answered };
}

/** A task's interaction state for each contact state (ISAG wrote `received` before routing). */
const TASK_STATES: ReadonlyMap<string, string> = new Map([
  ['waiting', 'queued'],
  ['offered', 'offered'],
  ['connected', 'accepted'],
  ['held', 'accepted'],
]);

/**
 * What a task's state change adds to its interaction: the state (queued, offered, accepted, then
 * completed, timed-out or ended) and when it ended; its timeline says Accepted and Completed where a
 * call's says Connected and Ended. Mutates `entry`'s type.
 */
export function taskFields(change: ContactStateChange, entry: TimelineEntry): Partial<InteractionDoc> {
  if (change.to !== 'ended') {
    if (change.to === 'connected' && change.from === 'offered') entry.type = 'Accepted';
    return { state: TASK_STATES.get(change.to) ?? change.to };
  }
  const completed = change.from === 'connected' || change.from === 'held';
  if (completed) entry.type = 'Completed';
  const state = completed ? 'completed' : change.reason === 'queue-timeout' ? 'timed-out' : 'ended';
  return { state, endedAt: new Date(change.at) };
}
