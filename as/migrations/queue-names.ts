import { Interaction, Queue } from '../models';

/**
 * Contacts stored with their queue's ObjectId (the AS's old convention; CTI always stored the name) get the
 * queue's name, which is a queue's identity everywhere. Idempotent: a contact that already carries a name
 * matches no ObjectId, so a second run changes nothing. Contacts of a queue deleted since keep what they
 * have (no name is known for them). Run at every AS start (as/main.ts): one indexed update per queue.
 */
export async function migrateQueueIdsToNames(): Promise<{ rewritten: number }> {
  const queues = await Queue.find().select('name').lean();
  let rewritten = 0;
  for (const q of queues) {
    const result = await Interaction.updateMany(
      { queueId: q._id.toHexString() },
      { $set: { queueId: q.name } },
    );
    rewritten += result.modifiedCount;
  }
  return { rewritten };
}
