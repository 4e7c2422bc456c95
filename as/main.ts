import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { loadTokenSecret } from '../lib/auth-token';
import { Bus } from '../lib/bus/bus';
import { EXCHANGES, routingKeys, sharedQueues } from '../lib/bus/topology';
import { defaults, env, envInt } from '../lib/config';
import { createLogger, errorText } from '../lib/log';
import { makeMessage } from '../lib/messages';
import { Readiness } from '../lib/ops/readiness';
import { startOps } from '../lib/ops/start';
import { monitorStore, pingStore } from '../lib/ops/store-metrics';
import { connectStore, disconnectStore } from './db';
import { isCountryCode } from './domain/phone';
import { migrateQueueIdsToNames } from './migrations/queue-names';
import { ChangeOutbox, type OutboxRecord } from './outbox/outbox';
import { CommandOutbox } from './outbox/commands';
import { documentCommandStore } from './outbox/command-store';
import { listEndpoints, type EndpointListing } from './outbox/endpoints';
import { documentOutboxStore } from './outbox/store';
import { DEFAULT_TEST_CALL } from './plugins/admin/flows/test-calls';
import { createServer } from './server';
import { desktopSettingsFrom } from './settings';

const instance = env('AS_INSTANCE_ID', randomUUID().slice(0, 8));
const log = createLogger('as', instance);

async function main(): Promise<void> {
  // Opened first: while the AS waits for the store, readiness says so. The bus counts too: the REST side
  // works without it, but directory changes stay in the outbox until it is back.
  const readiness = new Readiness();
  const busUp = readiness.flag('bus');
  readiness.probe('store', () => pingStore(mongoose.connection.getClient()));
  await startOps('as', readiness, log);
  const tokenSecret = loadTokenSecret();
  const country = env('AS_DEFAULT_COUNTRY', 'FR');
  if (!isCountryCode(country))
    throw new Error(`AS_DEFAULT_COUNTRY must be an ISO country code, got ${country}`);
  await connectStore(defaults.mongoUri(), log);
  monitorStore(mongoose.connection.getClient(), 'as');
  // Contacts stored with a queue's ObjectId get its name (idempotent; as/migrations/queue-names.ts).
  const migrated = await migrateQueueIdsToNames();
  if (migrated.rewritten > 0) log.info('contacts moved to queue names', migrated);
  // Directory changes reach CTI, the IVR and Asterisk's endpoints over the bus, through the outbox. The
  // AS does not wait for RabbitMQ to start: pending changes go out when it connects (the sweep).
  const bus = new Bus(defaults.amqpUrl(), log);
  bus.watchConnection((up) => busUp.set(up));
  // ISAG's reply queue, declared here too: a SendReply published before ISAG ever started waits in it.
  await bus.declareQueue(sharedQueues.isagReplies);
  // Agent changes carry the endpoint list read at publish time; one at a time, so a list read earlier
  // never goes out after one read later (SoftACD applies them in order).
  let agentPublishes: Promise<unknown> = Promise.resolve();
  const publish = (r: OutboxRecord): Promise<void> => {
    if (r.entity !== 'agent') return publishChange(r, undefined);
    const next = agentPublishes.then(async () => publishChange(r, await listEndpoints()));
    agentPublishes = next.catch(() => undefined);
    return next;
  };
  const publishChange = (r: OutboxRecord, endpoints: EndpointListing[] | undefined) =>
    bus.publish(
      EXCHANGES.events,
      routingKeys.config(r.entity),
      makeMessage<'ConfigChanged'>(
        { service: 'as', instance },
        {
          type: 'ConfigChanged',
          contactId: `config:${r.entity}:${r.entityId}`,
          entity: r.entity,
          entityId: r.entityId,
          action: r.action,
          ...(endpoints === undefined ? {} : { endpoints }),
        },
      ),
    );
  const changes = new ChangeOutbox(documentOutboxStore, log, publish, {
    graceMs: envInt('AS_OUTBOX_GRACE_MS', 5_000),
    sweepMs: envInt('AS_OUTBOX_SWEEP_MS', 2_000),
  });
  changes.start();
  // Agents' replies reach ISAG as commands (SendReply), through an outbox of their own.
  const commands = new CommandOutbox(
    documentCommandStore,
    log,
    (c) => bus.publish(c.exchange, c.routingKey, c.message),
    { service: 'as', instance },
    { graceMs: envInt('AS_OUTBOX_GRACE_MS', 5_000), sweepMs: envInt('AS_OUTBOX_SWEEP_MS', 2_000) },
  );
  commands.start();
  // Read once and shown (without the secrets), so a wrong URL in the desktop is found in the log.
  const desktop = desktopSettingsFrom(process.env);
  log.info('agent pages and desktop', {
    ctiUrl: desktop.ctiUrl,
    sipWsUrl: desktop.sipWsUrl,
    sipHost: desktop.sipHost,
    publicNumbers: desktop.publicNumbers,
    pagesDir: desktop.pagesDir,
    softphoneCredentials: desktop.agentSipSecret !== undefined,
    guestCalls: desktop.guestSecret !== undefined,
  });
  const server = await createServer({
    log,
    tokenSecret,
    host: env('AS_HOST', '127.0.0.1'),
    port: envInt('AS_PORT', 8090),
    defaultCountry: country,
    changes,
    commands,
    desktop,
    // The flow editor's test call: the SoftACD of this node (SOFTACD_ID) rings the administrator.
    testCalls: {
      send: (draft) =>
        bus.publish(
          EXCHANGES.commands,
          routingKeys.softacd(env('SOFTACD_ID', 'softacd-1')),
          makeMessage<'FlowTestCall'>({ service: 'as', instance }, draft),
        ),
      ringTimeoutSec: DEFAULT_TEST_CALL.ringTimeoutSec,
      ttlMs: DEFAULT_TEST_CALL.ttlMs,
    },
  });
  await server.start();
  log.info('application server listening', { uri: server.info.uri });

  const stop = (signal: string) => {
    log.info('stopping', { signal });
    server
      .stop({ timeout: 5000 })
      .then(() => changes.stop())
      .then(() => commands.stop())
      .then(() => bus.close())
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
