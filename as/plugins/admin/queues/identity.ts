import { ConflictError, InvalidError } from '../../../errors';
import { Queue } from '../../../models';

/**
 * A queue's name is its identity everywhere: IVR flows name it, bus messages and CTI carry it, contacts
 * store it (`queueId`) and reports select by it. So it never changes once the queue exists, and the API
 * takes it as `{id}`. The document's ObjectId is still accepted there for a transition (clients that kept
 * the `id` of a listing); a name that looks like an ObjectId would make that ambiguous, so it is refused.
 */
const OBJECT_ID = /^[0-9a-fA-F]{24}$/;

/** The queue a reference names: by name first, else by ObjectId. */
export async function findQueue(ref: string) {
  const byName = await Queue.findOne({ name: ref }).lean();
  if (byName !== null || !OBJECT_ID.test(ref)) return byName;
  return Queue.findById(ref).lean();
}

export function assertNewQueueName(name: string | undefined): void {
  if (name !== undefined && OBJECT_ID.test(name)) {
    throw new InvalidError(`queue name "${name}" looks like an id (24 hexadecimal digits); choose another`);
  }
}

export function assertSameQueueName(current: string, requested: string | undefined): void {
  if (requested !== undefined && requested !== current) {
    throw new ConflictError(
      `queue "${current}" cannot be renamed: a queue's name is its identity (IVR flows, bus messages, ` +
        'stored contacts and reports use it); create a new queue instead',
    );
  }
}
