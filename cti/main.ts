import { MongoClient } from 'mongodb';
import { Bus } from '../lib/bus/bus';
import { EXCHANGES, queues, routingKeys } from '../lib/bus/topology';
import { defaults, env, envInt } from '../lib/config';
import { loadTokenSecret, verifyToken } from '../lib/auth-token';
import { KeyedSerial } from '../lib/keyed-serial';
import { createLogger, errorText } from '../lib/log';
import { Draft, MessageType, makeMessage } from '../lib/messages';
import { AgentGateway } from './agent-gateway/gateway';
import { startAgentWebSocket } from './agent-gateway/ws-server';
import { CallControl } from './app/call-control';
import { CallEvents } from './app/call-events';
import { CallbackBook } from './app/callbacks';
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

  const directory = await loadDirectory(db, {
    callbackRetryMs: envInt('CTI_CALLBACK_RETRY_SEC', 300) * 1000,
    callbackAttempts: envInt('CTI_CALLBACK_ATTEMPTS', 3),
  });
  const outsideDial = env('CTI_OUTSIDE_DIAL', 'PJSIP/{number}@outside');
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
  const interactions = new InteractionStore(db, { log });
  const secret = loadTokenSecret();
  // The gateway and the routing service notify each other; the gateway is given the routing service
  // once both exist, through this holder.
  const notifier: { gateway?: AgentGateway } = {};
  const routing = new RoutingService({
    notify: {
      agentChanged: (c) => notifier.gateway?.agentChanged(c),
      offered: (contactId, agentId, queueId, callback) =>
        notifier.gateway?.offered(contactId, agentId, queueId, callback),
    },
    domain,
    interactions,
    agentStates: new AgentStateStore(db, { log }),
    agents: directory.contacts,
    ringTimeoutSec: (queueId) => directory.ringTimeoutSec.get(queueId) ?? 20,
    owners,
    divert: (softacd, draft) => send(routingKeys.softacd(softacd), draft),
    callbacks: {
      book: new CallbackBook(),
      outsideDial: (number) => outsideDial.replace('{number}', number),
      ringTimeoutSec: envInt('CTI_CALLBACK_RING_SEC', 30),
    },
    toIvr: (ivr, draft) => send(routingKeys.ivr(ivr), draft),
    scheduler: timerScheduler(),
    log,
  });
  const callControl = new CallControl({
    owners,
    routing,
    agents: directory.contacts,
    queues: new Set(directory.queues.map((q) => q.id)),
    command: (softacd, draft) => send(routingKeys.softacd(softacd), draft),
    outsideDial,
    ringTimeoutSec: envInt('CTI_TRANSFER_RING_SEC', 20),
    log,
  });
  const gateway = new AgentGateway({
    routing,
    owners,
    authenticate: (token) => {
      const claims = verifyToken(token, secret);
      if (!claims.roles.includes('agent')) throw new Error('not an agent token');
      return claims.sub;
    },
    clearCall: async (contactId, agentId) => {
      const softacd = owners.softacd(contactId);
      if (softacd === undefined) return;
      await send<'ClearCall'>(routingKeys.softacd(softacd), {
        type: 'ClearCall',
        contactId,
        by: 'agent',
        agentId,
      });
    },
    control: (contactId, agentId, action) => callControl.act(contactId, agentId, action),
    recordAnswer: (contactId, agentId) =>
      interactions.record(contactId, { at: new Date(), type: 'Answer', data: { agentId } }),
    log,
  });
  notifier.gateway = gateway;
  const wsHost = env('CTI_WS_HOST', '127.0.0.1');
  const wsPort = envInt('CTI_WS_PORT', 8091);
  const wss = await startAgentWebSocket(gateway, wsHost, wsPort, log);

  const callEvents = new CallEvents({
    routing,
    owners,
    clients: gateway,
    store: interactions,
    commandSoftAcd: (instance, draft) => send(routingKeys.softacd(instance), draft),
    log,
    directQueues: directQueues(env('CTI_DIRECT_QUEUES', '200=sales,201=support,202=callbacks')),
    recordingQueues: directory.recordingQueues,
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
    wss.close();
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
  log.info('CTI ready', {
    agentWebSocket: `ws://${wsHost}:${wsPort}`,
    mongo: defaults.mongoUri().replace(/\/\/[^@]*@/, '//***@'),
  });
}

process.on('unhandledRejection', (err) => log.error('unhandled rejection', { error: errorText(err) }));
main().catch((err: unknown) => {
  log.error('CTI failed to start', { error: errorText(err) });
  process.exit(1);
});
