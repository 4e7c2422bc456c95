import { MongoClient } from 'mongodb';
import { Bus } from '../lib/bus/bus';
import { EXCHANGES, queues, routingKeys } from '../lib/bus/topology';
import { defaults, env } from '../lib/config';
import { KeyedSerial } from '../lib/keyed-serial';
import { createLogger, errorText } from '../lib/log';
import { makeMessage } from '../lib/messages';
import { CallEvents } from './app/call-events';
import { InteractionStore } from './store/interactions';

const instanceId = env('CTI_ID', 'cti-1');
const log = createLogger('cti', instanceId);

async function main(): Promise<void> {
  // Fail fast rather than buffer: a CTI that cannot store must not acknowledge events.
  const mongo = new MongoClient(defaults.mongoUri(), { serverSelectionTimeoutMS: 5_000 });
  await mongo.connect();
  const bus = new Bus(defaults.amqpUrl(), log);
  await bus.waitForConnect();
  const source = { service: 'cti' as const, instance: instanceId };
  const calls = new CallEvents({
    store: new InteractionStore(mongo.db()),
    commandSoftAcd: async (instance, draft) => {
      const message = makeMessage(source, draft);
      await bus.publish(EXCHANGES.commands, routingKeys.softacd(instance), message);
    },
    log,
    directQueues: new Map(),
  });
  const serial = new KeyedSerial();
  await bus.consume({
    queue: queues.cti,
    bindings: [
      { exchange: EXCHANGES.events, pattern: 'call.#' },
      { exchange: EXCHANGES.events, pattern: 'agent.#' },
      { exchange: EXCHANGES.tasks, pattern: '#' },
    ],
    // In delivery order, one at a time per contact: a contact's RouteRequest never overtakes its CallDelivered.
    handle: (message) => serial.run(message.contactId, () => calls.handle(message)),
  });

  const stop = () => {
    bus
      .close()
      .then(() => mongo.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  log.info('CTI ready', { mongo: defaults.mongoUri().replace(/\/\/[^@]*@/, '//***@') });
}

process.on('unhandledRejection', (err) => log.error('unhandled rejection', { error: errorText(err) }));
main().catch((err: unknown) => {
  log.error('CTI failed to start', { error: errorText(err) });
  process.exit(1);
});
