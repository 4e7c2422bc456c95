import { MongoClient } from 'mongodb';
import { Bus } from '../lib/bus/bus';
import { EXCHANGES, routingKeys, sharedQueues } from '../lib/bus/topology';
import { defaults, isagSettings } from '../lib/config';
import { createLogger, errorText } from '../lib/log';
import type { Message } from '../lib/messages';
import { Readiness, type ReadinessFlag } from '../lib/ops/readiness';
import { startOps } from '../lib/ops/start';
import { monitorStore, pingStore } from '../lib/ops/store-metrics';
import { IsagHttp } from './core/http';
import { Intake } from './core/intake';
import { OrphanSweeper } from './core/orphans';
import { TaskOutbox } from './core/outbox';
import type { IsagContext, IsagPart } from './core/part';
import { QueueDirectory } from './core/queue-directory';
import { IsagStore } from './core/store';
import { emailInbound } from './email';
import { emailReplyPart } from './email/outbound';
import { faxInbound } from './fax';
import { ReplySenders, repliesPart } from './core/replies';
import { smsPart } from './sms';

/**
 * The parts of ISAG, started in this order: each is one line (isag/core/part.ts says what a part gets).
 * E-mail in is here; SMS, fax and the replies add themselves below.
 */
// The reply senders by path: the parts that send register theirs, the replies part (last) uses them.
const senders = new ReplySenders();
const PARTS: IsagPart[] = [
  emailInbound,
  // one line per part below
  emailReplyPart(senders),
  faxInbound,
  smsPart(senders),
  // the replies part last: every sender is registered before the first SendReply is taken
  repliesPart(senders),
];

/** Composition: builds the core (store, outbox, address book, intake, HTTP) and starts every part. */
const settings = isagSettings();
const log = createLogger('isag', settings.instanceId);

async function main(): Promise<void> {
  // Opened first: while ISAG waits for RabbitMQ or the store, readiness says which.
  const readiness = new Readiness();
  const busUp = readiness.flag('bus');
  const flags = new Map<string, ReadinessFlag>();
  for (const part of PARTS) for (const name of part.checks ?? []) flags.set(name, readiness.flag(name));
  await startOps('isag', readiness, log);

  const mongo = new MongoClient(defaults.mongoUri(), {
    serverSelectionTimeoutMS: 5_000,
    maxPoolSize: 10,
    monitorCommands: true,
  });
  monitorStore(mongo, 'isag');
  readiness.probe('store', () => pingStore(mongo));
  await mongo.connect();
  const store = new IsagStore(mongo.db());
  await store.ensureIndexes();

  const bus = new Bus(defaults.amqpUrl(), log);
  bus.watchConnection((up) => busUp.set(up));
  await bus.waitForConnect();
  // CTI's task queue, declared here too: a task announced before CTI ever started waits in it.
  await bus.declareQueue(sharedQueues.ctiTasks);

  const outbox = new TaskOutbox(
    store,
    (kind, message) =>
      bus.publish(
        EXCHANGES.tasks,
        routingKeys.task(kind === 'TaskCreated' ? 'created' : 'updated'),
        // Built by isag/core/outbox.ts to the schema of lib/messages; CTI validates it on receipt.
        message as unknown as Message,
      ),
    log,
  );
  const queues = new QueueDirectory(() => store.queueAddressing(), log);
  await queues.follow(bus, settings.instanceId);
  await queues.reload();
  // Changes announced while the bus was away never reach the exclusive queue: read again on reconnect.
  bus.watchConnection((up) => {
    if (up)
      queues
        .reload()
        .catch((err: unknown) => log.warn('queue addresses reload failed', { error: errorText(err) }));
  });
  const intake = new Intake({
    store,
    directory: () => queues.get(),
    outbox,
    limits: settings.limits,
    instanceId: settings.instanceId,
    log,
  });
  const http = new IsagHttp({ host: settings.http.host, port: settings.http.port, log });

  const stops: Array<() => Promise<void>> = [];
  const ctx: IsagContext = {
    settings,
    instanceId: settings.instanceId,
    log,
    bus,
    db: mongo.db(),
    store,
    intake,
    outbox,
    queues,
    http,
    flag: (name) => {
      const f = flags.get(name);
      if (f === undefined) throw new Error(`readiness check ${name} was not declared by any part`);
      return f;
    },
    onStop: (stop) => stops.push(stop),
  };
  for (const part of PARTS) {
    await part.start(ctx);
    log.info('isag part started', { part: part.name });
  }
  const httpUrl = await http.start();
  outbox.start();
  const orphans = new OrphanSweeper(store, log);
  orphans.start();

  const stop = () => {
    log.info('stopping');
    const steps = [...stops].reverse();
    (async () => {
      for (const s of steps)
        await s().catch((err: unknown) => log.warn('stop step failed', { error: errorText(err) }));
      await http.stop();
      await orphans.stop();
      await outbox.stop();
      await bus.close();
      await mongo.close();
    })().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  log.info('ISAG ready', { http: httpUrl, parts: PARTS.map((p) => p.name) });
}

process.on('unhandledRejection', (err) => log.error('unhandled rejection', { error: errorText(err) }));
main().catch((err: unknown) => {
  log.error('ISAG failed to start', { error: errorText(err) });
  process.exit(1);
});
