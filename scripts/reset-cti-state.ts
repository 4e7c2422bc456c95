/**
 * Forgets CTI's recovery state before a test run. CTI restores its queues (waiting callbacks included)
 * from `ctistate` and `ctistatelog` when it starts; on a machine that ran the tests before, a contact left over from an
 * aborted run would otherwise be offered to the agents of this run's specs.
 */
import { MongoClient } from 'mongodb';

async function main(): Promise<void> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI not set (run through scripts/lib.sh load_env)');
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    for (const name of ['ctistate', 'ctistatelog']) {
      const { deletedCount } = await client.db().collection(name).deleteMany({});
      console.log(`${name}: ${deletedCount} document(s) removed`);
    }
  } finally {
    await client.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
