import { MongoClient } from 'mongodb';
import { Bus } from '../lib/bus/bus';
import { EXCHANGES, queues, routingKeys } from '../lib/bus/topology';
import { defaults, env } from '../lib/config';
import { KeyedSerial } from '../lib/keyed-serial';
import { createLogger, errorText } from '../lib/log';
import { Draft, MessageType, makeMessage } from '../lib/messages';
import { CallEvents } from './app/call-events';
import { loadDirectory } from './app/directory';
import { ContactOwners } from './app/owners';
import { RoutingService } from './app/routing';
import { timerScheduler } from './app/scheduler';
import { createCtiDomain } from './domain';
import { AgentStateStore } from './store/agent-states';
import { InteractionStore } from './store/interactions';

const instanceId = env('CTI_ID', 'cti-1');
const log = createLogger('cti', instanceId);

/** `200=sales,201=support`: called numbers that go straight to a queue, without the IVR's menus. */
function directQueues(spec: string): Map<string, string> {
  return new Map(
    spec
      .split(',')
      .map((pair) => pair.split('=').map((x) => x.trim()))
      .filter((p): p is [string, string] => p.length === 2 && p[0] !== '' && p[1] !== ''),
  );
}

async function main(): Promise<void> {
  // Fail fast rather than buffer: a CTI that cannot store must not acknowledge events.
  const mongo = new MongoClient(defaults.mongoUri(), { serverSelectionTimeoutMS: 5_000 });
  await mongo.connect();
  const db = mongo.db();
  const bus = new Bus(defaults.amqpUrl(), log);
  await bus.waitForConnect();
  const source = { service: 'cti' as const, instance: instanceId };
  const send = async <T extends MessageType>(routingKey: string, draft: Draft<T>) => {
    await bus.publish(EXCHANGES.commands, routingKey, makeMessage(source, draft));
  };

  const directory = await loadDirectory(db);
  const domain = createCtiDomain({ clock: { now: () => Date.now() } });
  for (const q of directory.queues) {
    const r = domain.addQueue(q);
    if (!r.ok) log.error('queue refused', { queue: q.id, error: r.error.message });
  }
  for (const a of directory.agents) {
    const r = domain.addAgent(a);
    if (!r.ok) log.error('agent refused', { agentId: a.id, error: r.error.message });
  }
  log.info('directory loaded', { queues: directory.queues.length, agents: directory.agents.length });

  const owners = new ContactOwners();
  const routing = new RoutingService({
    domain,
    interactions: new InteractionStore(db),
    agentStates: new AgentStateStore(db),
    agents: directory.contacts,
    ringTimeoutSec: (queueId) => directory.ringTimeoutSec.get(queueId) ?? 20,
    owners,
    divert: (softacd, draft) => send(routingKeys.softacd(softacd), draft),
    toIvr: (ivr, draft) => send(routingKeys.ivr(ivr), draft),
    scheduler: timerScheduler(),
    log,
  });
  const callEvents = new CallEvents({
    routing,
    owners,
    store: new InteractionStore(db),
    commandSoftAcd: (instance, draft) => send(routingKeys.softacd(instance), draft),
    log,
    directQueues: directQueues(env('CTI_DIRECT_QUEUES', '200=sales,201=support')),
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
    handle: (message) => serial.run(message.contactId, () => callEvents.handle(message)),
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
