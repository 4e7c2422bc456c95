import amqplib from 'amqplib';
import { MongoClient } from 'mongodb';
import { queues } from '../../lib/bus/topology';
import { ari } from './ari';

/** The operator's credentials from the environment (`source scripts/lib.sh && load_env`); no defaults. */
function fromEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run the tests after \`source scripts/lib.sh && load_env\``);
  return value;
}
export const amqpUrl = () => fromEnv('AMQP_URL');
export const mongoUri = () => fromEnv('MONGODB_URI');

/**
 * Checks every real part the integration tests need and fails naming each one that is missing, so a
 * run without a server fails loudly instead of skipping.
 */
export async function requireSystem(
  parts: Array<'rabbitmq' | 'asterisk' | 'docstore' | 'softacd' | 'ivr' | 'cti'>,
): Promise<void> {
  const problems: string[] = [];
  const check = async (name: string, probe: () => Promise<void>) => {
    if (!parts.includes(name as never)) return;
    try {
      await probe();
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
    }
  };
  await check('rabbitmq', async () => {
    const c = await amqplib.connect(amqpUrl());
    await c.close();
  });
  await check('asterisk', async () => {
    await ari.get('/asterisk/info');
  });
  await check('docstore', async () => {
    const m = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    try {
      await m.db().command({ ping: 1 });
    } finally {
      await m.close();
    }
  });
  const apps = parts.some((p) => p === 'softacd' || p === 'ivr')
    ? await ari.applicationNames().catch((): string[] => [])
    : [];
  await check('softacd', () =>
    apps.includes('softacd')
      ? Promise.resolve()
      : Promise.reject(new Error('Stasis app softacd is not registered')),
  );
  await check('ivr', () =>
    apps.includes('ivr') ? Promise.resolve() : Promise.reject(new Error('Stasis app ivr is not registered')),
  );
  await check('cti', async () => {
    const c = await amqplib.connect(amqpUrl());
    try {
      const ch = await c.createChannel();
      const q = await ch.checkQueue(queues.cti);
      if (q.consumerCount === 0) throw new Error(`no consumer on ${queues.cti}`);
    } finally {
      await c.close();
    }
  });
  if (problems.length > 0) throw new Error(`required servers missing:\n  ${problems.join('\n  ')}`);
}
