import { randomUUID } from 'node:crypto';
import { loadTokenSecret } from '../lib/auth-token';
import { defaults, env, envInt } from '../lib/config';
import { createLogger, errorText } from '../lib/log';
import { connectStore, disconnectStore } from './db';
import { isCountryCode } from './domain/phone';
import { migrateQueueIdsToNames } from './migrations/queue-names';
import { createServer } from './server';

const log = createLogger('as', env('AS_INSTANCE_ID', randomUUID().slice(0, 8)));

async function main(): Promise<void> {
  const tokenSecret = loadTokenSecret();
  const country = env('AS_DEFAULT_COUNTRY', 'FR');
  if (!isCountryCode(country))
    throw new Error(`AS_DEFAULT_COUNTRY must be an ISO country code, got ${country}`);
  await connectStore(defaults.mongoUri(), log);
  // Contacts stored with a queue's ObjectId get its name (idempotent; as/migrations/queue-names.ts).
  const migrated = await migrateQueueIdsToNames();
  if (migrated.rewritten > 0) log.info('contacts moved to queue names', migrated);
  const server = await createServer({
    log,
    tokenSecret,
    host: env('AS_HOST', '127.0.0.1'),
    port: envInt('AS_PORT', 8090),
    defaultCountry: country,
  });
  await server.start();
  log.info('application server listening', { uri: server.info.uri });

  const stop = (signal: string) => {
    log.info('stopping', { signal });
    server
      .stop({ timeout: 5000 })
      .then(() => disconnectStore())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error('stop failed', { err: errorText(err) });
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

process.on('unhandledRejection', (err) => {
  log.error('unhandled rejection', { err: errorText(err) });
  process.exit(1);
});

main().catch((err: unknown) => {
  log.error('start failed', { err: errorText(err) });
  process.exit(1);
});
