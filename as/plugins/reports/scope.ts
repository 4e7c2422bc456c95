import type { Caller } from '../../http/credentials';
import { ForbiddenError, NotFoundError } from '../../errors';
import { Agent, Queue } from '../../models';
import { findQueue } from '../admin/queues/identity';

/**
 * Which queues a caller's reports may cover: an administrator every queue (`null`), a supervisor the
 * queues its person record lists in `supervises` (none when the list is empty).
 */
export interface ReportScope {
  queues: ReadonlySet<string> | null;
}

export const EVERY_QUEUE: ReportScope = { queues: null };

/** Read from the store on each request, so a changed list applies at once, without a new token. */
export async function scopeOf(caller: Caller): Promise<ReportScope> {
  if (caller.roles.includes('admin')) return EVERY_QUEUE;
  const person = await Agent.findById(caller.id).select('supervises').lean();
  return { queues: new Set(person?.supervises ?? []) };
}

export type QueueRecord = NonNullable<Awaited<ReturnType<typeof findQueue>>>;

/**
 * The queues a report covers, sorted by name: the one asked for, or every queue in scope. A queue that
 * exists outside the caller's scope is refused (403) rather than reported missing: queue names are not
 * secret (agents and IVR flows see them), and the caller learns why it gets nothing.
 */
export async function queuesInScope(scope: ReportScope, ref?: string): Promise<QueueRecord[]> {
  if (ref !== undefined) {
    const queue = await findQueue(ref);
    if (queue === null) throw new NotFoundError('queue');
    if (scope.queues !== null && !scope.queues.has(queue.name)) {
      throw new ForbiddenError(`queue "${queue.name}" is not one of the queues you supervise`);
    }
    return [queue];
  }
  const filter = scope.queues === null ? {} : { name: { $in: [...scope.queues] } };
  const found = await Queue.find(filter).lean();
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
