import mongoose from 'mongoose';
import { register } from 'prom-client';
import { Bus } from '../lib/bus/bus';
import { EXCHANGES, queues, routingKeys } from '../lib/bus/topology';
import { defaults, env, envInt } from '../lib/config';
import { loadTokenSecret, verifyToken } from '../lib/auth-token';
import { KeyedSerial } from '../lib/keyed-serial';
import { DeferredWrites } from '../lib/deferred-writes';
import { createLogger, errorText } from '../lib/log';
import { Draft, MessageType, makeMessage } from '../lib/messages';
import { Readiness } from '../lib/ops/readiness';
import { startOps } from '../lib/ops/start';
import { monitorStore } from '../lib/ops/store-metrics';
import { AccountGuard } from '../as/domain/account-access';
import { accountReader } from '../as/models';
import { AgentGateway } from './agent-gateway/gateway';
import { startAgentWebSocket } from './agent-gateway/ws-server';
import { observer, restoreToday, wallboardFeed } from './supervisor/compose';
import { callSupervision } from './supervisor/supervision-wiring';
import { supervisorGauges } from './supervisor/metrics';
import { CallControl } from './app/call-control';
import { CallEvents } from './app/call-events';
import { CallbackBook } from './app/callbacks';
import { ContactPhases } from './app/agent-status';
import { DeskFeatures } from './app/desk-features';
import { DesktopService } from './app/desktop';
import { AgentPhones, DeviceChoices } from './app/devices';
import { LostCalls } from './app/lost-calls';
import { OutboundCalls } from './app/outbound';
import { directQueues, storeDirectory } from './app/directory';
import { LiveDirectory } from './app/live-directory';
import { ClosedHours } from './app/closed-hours';
import { storeSchedules } from './app/closed-hours-store';
import { StatePersister } from './app/persistence';
import { STATE_CODEC, recordText } from './app/state-records';
import { restoreState } from './app/recovery';
import { Reconciler } from './app/reconciler';
import { RoutingService } from './app/routing';
import { timerScheduler } from './app/scheduler';
import { AgentStateStore } from './store/agent-states';
import { CtiStateStore, UnreadableState } from './store/cti-state';
import { InteractionStore } from './store/interactions';
import { connectStores } from './store/clients';
import { DecisionTiming, TimedRoutingService } from './ops/decision-timing';
import { ctiMetrics } from './ops/metrics';
import { taskRouting } from './tasks/compose';

const instanceId = env('CTI_ID', 'cti-1');
const log = createLogger('cti', instanceId);

async function main(): Promise<void> {
  // Opened first: while CTI waits for the store or RabbitMQ, readiness says which.
  const readiness = new Readiness();
  const busUp = readiness.flag('bus');
  await startOps('cti', readiness, log);
  const { mongo, historyMongo } = await connectStores(readiness);
  const db = mongo.db();
  const historyDb = historyMongo.db();
  const bus = new Bus(defaults.amqpUrl(), log);
  bus.watchConnection((up) => busUp.set(up));
  await bus.waitForConnect();
  const source = { service: 'cti' as const, instance: instanceId };
  const send = async <T extends MessageType>(routingKey: string, draft: Draft<T>) => {
    await bus.publish(EXCHANGES.commands, routingKey, makeMessage(source, draft));
  };

  const startedAt = Date.now();
  // The AS's directory through the AS's own models (one schema), on mongoose's default connection.
  await mongoose.connect(defaults.mongoUri(), {
    bufferCommands: false,
    serverSelectionTimeoutMS: 5_000,
    maxPoolSize: envInt('CTI_DIRECTORY_CONNECTIONS', 2),
    monitorCommands: true,
  });
  monitorStore(mongoose.connection.getClient(), 'directory');
  const directorySource = storeDirectory({
    callbackRetryMs: envInt('CTI_CALLBACK_RETRY_SEC', 300) * 1000,
    callbackAttempts: envInt('CTI_CALLBACK_ATTEMPTS', 3),
  });
  const directoryData = await directorySource.all();
  const outsideDial = env('CTI_OUTSIDE_DIAL', 'PJSIP/{number}@outside');
  // Restart recovery (docs/cti-recovery.md): agents' states, queued and connected contacts and who owns
  // each call come back from the last stored state; the directory and SoftACD's call lists update it.
  const stateStore = new CtiStateStore(db, instanceId, STATE_CODEC);
  // A store that cannot be read fails the start (the state is there, CTI must not forget it); a
  // document this version cannot parse is logged and CTI starts empty, as for a refused snapshot.
  const saved = await stateStore.load().catch((err: unknown) => {
    if (!(err instanceof UnreadableState)) throw err;
    log.error('stored CTI state unreadable; starting empty', { error: err.message });
    return null;
  });
  const { domain, owners, restored, lost } = restoreState(saved, { now: () => Date.now() }, log);
  const book = CallbackBook.restore(restored ? (saved?.callbacks ?? []) : []);
  // Each agent's chosen device (softphone or desk) survives a restart with the rest of the state.
  const devices = DeviceChoices.restore(restored ? (saved?.devices ?? []) : []);
  // Applied now, and kept current by the AS's change events (ConfigChanged, handled below).
  const directory = new LiveDirectory({ source: directorySource, domain, log });
  // The agents as routing and call control ring them: on the device each chose.
  const phones = new AgentPhones(directory.contacts, devices);
  const directoryResults = directory.reconcile(directoryData);
  for (const { what, result } of directoryResults) {
    if (!result.ok) log.error('directory entry refused', { what, error: result.error.message });
  }
  log.info('directory loaded', {
    queues: directoryData.queues.length,
    agents: directoryData.agents.length,
    reasons: directoryData.reasons.length,
  });
  const persister = new StatePersister({
    capture: () => ({
      version: 1,
      domain: domain.snapshot(),
      owners: owners.snapshot(),
      callbacks: book.snapshot(),
      devices: devices.snapshot(),
    }),
    record: (key) => recordText(key, { domain, owners, book, devices, version: 1 }),
    takeChanged: () => [
      ...owners.takeChanged().map((id) => `o:${id}`),
      ...book.takeChanged().map((id) => `cb:${id}`),
      ...devices.takeChanged().map((id) => `d:${id}`),
    ],
    save: (change, savedAt) => stateStore.save(change, savedAt),
    delayMs: envInt('CTI_PERSIST_DELAY_MS', 5),
    fullEveryMs: envInt('CTI_PERSIST_FULL_SEC', 30) * 1000,
    log,
  });
  // Restored: the next writes carry what changes from here. Started empty: they replace what is stored.
  if (restored && saved !== null) persister.stored(saved);
  else stateStore.startOver();
  // History (timelines, agent-state records) is written behind the call path: commands wait only for
  // CTI's state, a message's ack waits for its history too (lib/deferred-writes.ts). A contact's timeline
  // entries are held until it is quiet for CTI_HISTORY_QUIET_MS (at most CTI_HISTORY_HOLD_MS), so each
  // burst of a call is one store write; agent-state records are inserted every CTI_HISTORY_WRITE_MS.
  const deferred = new DeferredWrites((err) =>
    log.error('history write failed (no message waits for it)', { error: errorText(err) }),
  );
  const defer = (write: Promise<unknown>) => deferred.defer(write);
  const historyMs = envInt('CTI_HISTORY_WRITE_MS', 100);
  const interactions = new InteractionStore(
    historyDb,
    { log },
    {
      hold: {
        quietMs: envInt('CTI_HISTORY_QUIET_MS', 300),
        maxMs: envInt('CTI_HISTORY_HOLD_MS', 1_000),
      },
    },
  );
  const secret = loadTokenSecret();
  // The gateway and the routing service notify each other; the gateway is given the routing service
  // once both exist, through this holder.
  const notifier: { gateway?: AgentGateway } = {};
  // Gauges read CTI's memory at scrape time; decisions are timed from their trigger to the offer.
  const timing = new DecisionTiming(
    ctiMetrics(register, { snapshot: () => domain.snapshot(), calls: () => owners.size, now: Date.now }),
  );
  // The supervisors' wallboard (docs/supervisor.md): fed by every routing outcome, from CTI's memory.
  const wallboard = wallboardFeed({ domain, directory, owners, timeZone: process.env.CTI_TIMEZONE, log });
  await restoreToday(wallboard, log);
  // Tasks (e-mail, SMS, fax from ISAG; docs/tasks.md): routed by the same domain, offered over interface A.
  const tasks = taskRouting({
    ...{ domain, owners, interactions, historyDb, bus, source, defer, log },
    ...{ routing: () => routing, gateway: () => notifier.gateway },
  });
  const routing: RoutingService = new TimedRoutingService(timing, {
    observe: observer(wallboard, log),
    notify: {
      agentChanged: (c) => {
        // The device is chosen again at the next login.
        if (c.to === 'logged-out') devices.clear(c.agentId);
        notifier.gateway?.agentChanged(c);
      },
      offered: (contactId, agentId, queueId, callback) =>
        notifier.gateway?.offered(contactId, agentId, queueId, callback),
    },
    domain,
    interactions,
    historyStored: (contactId) => interactions.written(contactId),
    agentStates: new AgentStateStore(historyDb, { log }, historyMs),
    agents: phones,
    ringTimeoutSec: (queueId) => directory.ringTimeoutSec.get(queueId) ?? 20,
    owners,
    divert: (softacd, draft) => {
      timing.decided();
      return send(routingKeys.softacd(softacd), draft);
    },
    callbacks: {
      book,
      outsideDial: (number) => outsideDial.replace('{number}', number),
      ringTimeoutSec: envInt('CTI_CALLBACK_RING_SEC', 30),
    },
    toIvr: (ivr, draft) => send(routingKeys.ivr(ivr), draft),
    scheduler: timerScheduler(),
    persist: (keys, whole) => persister.durable(keys, whole),
    defer,
    tasks: tasks.service,
    callGone: (contactId) => {
      serial
        .run(contactId, () => callEvents.clearBySystem(contactId, { why: 'undeliverable' }))
        .catch((err: unknown) => log.error('dead contact not cleared', { contactId, error: errorText(err) }));
    },
    log,
  });
  // Restored tasks get their details (from their interactions) before an agent can connect or be offered one.
  if (restored) log.info('tasks restored', { tasks: await tasks.restore() });
  const callControl = new CallControl({
    owners,
    routing,
    agents: phones,
    queues: directory.queueNames,
    command: (softacd, draft) => send(routingKeys.softacd(softacd), draft),
    outsideDial,
    ringTimeoutSec: envInt('CTI_TRANSFER_RING_SEC', 20),
    log,
  });
  // The agent desktop (docs/agent-desktop.md): snapshot, devices, lost clients, click-to-dial.
  const phases = new ContactPhases();
  const lostCalls = new LostCalls({
    domain,
    owners,
    phones,
    devices,
    command: (softacd, draft) => send(routingKeys.softacd(softacd), draft),
    notify: {
      takenBack: (agentId, contactId) => notifier.gateway?.takenBack(agentId, contactId),
      takeBackFailed: (agentId, contactId, reason) =>
        notifier.gateway?.takeBackFailed(agentId, contactId, reason),
    },
    timeoutMs: envInt('CTI_AGENT_LOST_TIMEOUT_MS', 120_000),
    ringTimeoutSec: envInt('CTI_TAKE_BACK_RING_SEC', 30),
    log,
  });
  const outbound = new OutboundCalls({
    domain,
    routing,
    owners,
    phones,
    queues: directory.queueNames,
    interactions,
    phases,
    persist: () => persister.durable(),
    defer,
    command: (softacd, draft) => send(routingKeys.softacd(softacd), draft),
    softacd: () => owners.latestSoftacd ?? env('CTI_DIAL_SOFTACD', 'softacd-1'),
    outsideDial: (number) => outsideDial.replace('{number}', number),
    customerRingTimeoutSec: envInt('CTI_CALLBACK_RING_SEC', 30),
    ringTimeoutSec: (queueId) => directory.ringTimeoutSec.get(queueId) ?? 20,
    notify: {
      offeredOutbound: (contactId, agentId, queueId, number) =>
        notifier.gateway?.offeredOutbound(contactId, agentId, queueId, number),
      callbackFailed: (agentId, contactId, reason, retry) =>
        notifier.gateway?.callbackFailed(agentId, contactId, reason, retry),
    },
    log,
  });
  const desk = new DeskFeatures({
    domain,
    routing,
    phones,
    devices,
    outbound,
    reasons: () => directory.reasonList,
    serialize: (agentId, task) => notifier.gateway?.serialized(agentId, task) ?? task(),
    reply: (softacd, draft) => send(routingKeys.softacd(softacd), draft),
    pushStatus: (agentId) => notifier.gateway?.pushStatus(agentId),
    offeredOutbound: (contactId, agentId, queueId, number) =>
      notifier.gateway?.offeredOutbound(contactId, agentId, queueId, number),
    outsideDial: (number) => outsideDial.replace('{number}', number),
    customerRingTimeoutSec: envInt('CTI_CALLBACK_RING_SEC', 30),
    log,
  });
  const desktop = new DesktopService({
    domain,
    routing,
    phones,
    devices,
    status: { domain, owners, book, phones, devices, phases, recoverable: (id) => lostCalls.recoverable(id) },
    tasksOf: (id) => tasks.service.tasksOf(id),
    lost: lostCalls,
    outbound,
    persist: () => persister.durable(),
    log,
  });
  const gateway = new AgentGateway({
    routing,
    owners,
    verifyToken: (token) => verifyToken(token, secret),
    // The AS's own account check (as/domain/account-access.ts) over the shared model.
    accounts: new AccountGuard(accountReader, { cacheMs: envInt('CTI_ACCOUNT_CACHE_MS', 2_000) }),
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
    // The agent's client is not kept waiting for a history write.
    recordAnswer: (contactId, agentId) => {
      defer(interactions.record(contactId, { at: new Date(), type: 'Answer', data: { agentId } }));
      return Promise.resolve();
    },
    reasons: { allows: (r) => directory.allowsReason(r), list: () => directory.reasonList },
    desktop,
    tasks: tasks.service,
    log,
  });
  notifier.gateway = gateway;
  // Call supervision and the supervisor socket (cti/supervisor/, docs/supervisor.md, docs/supervise.md).
  const {
    supervision,
    supervisors,
    stop: stopSupervision,
  } = callSupervision({
    feed: wallboard,
    domain,
    routing,
    owners,
    directory,
    command: (softacd, draft) => send(routingKeys.softacd(softacd), draft),
    verifyToken: (token) => verifyToken(token, secret),
    accounts: new AccountGuard(accountReader, { cacheMs: envInt('CTI_ACCOUNT_CACHE_MS', 2_000) }),
    serializeAgent: (agentId, task) => gateway.serialized(agentId, task),
    // The call events' order per contact (`serial`, below): a move never overtakes a hang-up.
    serializeContact: (contactId, task) => serial.run(contactId, task),
    log,
  });
  supervisorGauges(register, {
    connections: () => supervisors.connections,
    followed: () => wallboard.following,
  });
  // ----------------------------------------------------------------------------------------------------
  const wsHost = env('CTI_WS_HOST', '127.0.0.1');
  const wsPort = envInt('CTI_WS_PORT', 8091);
  const wss = await startAgentWebSocket(
    gateway,
    wsHost,
    wsPort,
    log,
    { perSec: envInt('CTI_WS_MESSAGES_PER_SEC', 20), burst: envInt('CTI_WS_MESSAGE_BURST', 40) },
    undefined,
    [{ suffix: '/supervisor', gateway: supervisors }],
  );
  // Open connections of deactivated, deleted, demoted or logged-out accounts are closed within this.
  gateway.startAccountChecks(envInt('CTI_ACCOUNT_RECHECK_MS', 5_000));
  supervisors.startAccountChecks(envInt('CTI_ACCOUNT_RECHECK_MS', 5_000));

  const serial = new KeyedSerial();
  // Restored contacts are confirmed by the SoftACDs' call lists or cleared (docs/cti-recovery.md).
  const reconciler: Reconciler = new Reconciler({
    owners,
    routing,
    clear: (contactId, data, at): Promise<void> => callEvents.clearBySystem(contactId, data, at),
    command: (instance, draft) => send(routingKeys.softacd(instance), draft),
    serialize: (contactId, task) => serial.run(contactId, task),
    log,
  });
  // Business hours in routing: read now, and again on each ConfigChanged of entity `hours`.
  const closedHours = new ClosedHours({
    load: storeSchedules,
    ivrOf: (contactId) => owners.ivr(contactId),
    toIvr: (ivr, draft) => send(routingKeys.ivr(ivr), draft),
    queueExists: (queue) => directory.queueNames.has(queue),
    record: (contactId, entry, set) => {
      defer(interactions.record(contactId, entry, set));
      return Promise.resolve();
    },
    log,
  });
  await closedHours.reload();
  const callEvents: CallEvents = new CallEvents({
    routing,
    closedHours,
    owners,
    clients: gateway,
    store: interactions,
    commandSoftAcd: (instance, draft) => send(routingKeys.softacd(instance), draft),
    log,
    directQueues: directQueues(env('CTI_DIRECT_QUEUES', '200=sales,201=support,202=callbacks')),
    recordingQueues: directory.recordingQueues,
    callLists: reconciler,
    defer,
  });

  // The restored state's timers run again, and the directory's changes take effect, before any message.
  const rearmed = routing.rearmTimers(Date.now() + envInt('CTI_RESTORE_GRACE_MS', 3_000));
  for (const { what, result } of directoryResults) if (result.ok) await routing.applyResult(result, what);
  await persister.durable();
  if (restored) {
    const snapshot = domain.snapshot();
    log.info('CTI state restored', {
      savedAt: saved === null ? undefined : new Date(saved.savedAt).toISOString(),
      agentsLoggedIn: snapshot.agents.filter((a) => a.state !== 'logged-out').length,
      contacts: snapshot.contacts.length,
      calls: owners.size,
      timers: rearmed,
      ms: Date.now() - startedAt,
    });
    // Calls that ended while CTI was down and whose end CTI missed, and offers never sent: each SoftACD
    // that owns a restored call lists what it holds (CallList); what no SoftACD lists within the window
    // is cleared (reconciler.ts), and what the restore could not place is cleared now. Before consuming,
    // so that a list already waiting in the queue finds every restored contact awaiting it.
    await reconciler.dropLost(lost);
    await reconciler.begin(
      snapshot.contacts.map((c) => c.id),
      envInt('CTI_RECONCILE_WINDOW_MS', 10_000),
      (id) => tasks.book.has(id),
    );
  }
  await bus.consume({
    queue: queues.cti,
    // Each message waits for its store writes before its ack, its history up to CTI_HISTORY_HOLD_MS: the
    // window must cover the messages of that long (50 held 24 calls/s back by seconds; see bench/README.md).
    // The store's own concurrency is bounded by the two pools, not by this.
    prefetch: envInt('CTI_PREFETCH', 2000),
    bindings: [
      { exchange: EXCHANGES.events, pattern: 'call.#' },
      { exchange: EXCHANGES.events, pattern: 'agent.#' },
      { exchange: EXCHANGES.events, pattern: routingKeys.config('#') },
    ],
    // Tasks come on CTI's own queue (below); this one took every task message once.
    unbind: [{ exchange: EXCHANGES.tasks, pattern: '#' }],
    // In delivery order, one at a time per contact: a contact's RouteRequest never overtakes its CallDelivered.
    // Acknowledged only once CTI's state after the message is stored: a crash redelivers the rest.
    // The contact's next message waits for this one's handling, not for its history writes.
    handle: async (message, raw) => {
      if (message.type === 'ConfigChanged') {
        if (message.entity === 'hours') await closedHours.reload();
        // A directory change: one at a time (LiveDirectory), stored before the ack like any command.
        const applied = await deferred.collect(() =>
          directory.changed(message, async (result, what) => {
            await routing.applyResult(result, what);
            // A callback ended with its deleted queue is owed no more.
            if (result.ok)
              for (const c of result.value.contactChanges)
                if (c.to === 'ended') routing.callbackDone(c.contactId);
          }),
        );
        await Promise.all([applied.written, persister.durable()]);
        wallboard.changed(); // names, thresholds and supervisors' queues may have changed
        return;
      }
      const { written } = await serial.run(message.contactId, () =>
        deferred.collect(async () => {
          // The desktop's messages first (docs/agent-desktop.md); the rest is the call path's.
          if (message.type === 'AgentFeature') return desk.handle(message);
          // SoftACD's supervision answers: audited here, then on the call's timeline like any event.
          if (supervision.handles(message)) await supervision.event(message);
          if (message.type === 'AgentReconnected') await lostCalls.reconnected(message);
          if (message.type === 'ReconnectFailed') lostCalls.reconnectFailed(message);
          if (outbound.handles(message)) await outbound.failed(message);
          else await callEvents.handle(message, { redelivered: raw.fields.redelivered });
          phases.observe(message);
          // The call ended, left the agent, or the agent is on it again: nothing to take back.
          if (['ConnectionCleared', 'Transferred', 'Retrieved'].includes(message.type))
            lostCalls.forget(message.contactId);
        }),
      );
      await Promise.all([written, persister.durable()]);
    },
  });
  await tasks.consume({ serial, deferred, durable: () => persister.durable() });
  const stop = () => {
    gateway.stopAccountChecks();
    stopSupervision();
    wallboard.stop();
    lostCalls.stop();
    wss.close();
    reconciler.stop();
    Promise.all([persister.durable(), interactions.flush()])
      .then(() => bus.close())
      .then(() => Promise.all([mongo.close(), historyMongo.close(), mongoose.disconnect()]))
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  log.info('CTI ready', {
    agentWebSocket: `ws://${wsHost}:${wsPort}`,
    supervisorWebSocket: `ws://${wsHost}:${wsPort}/supervisor`,
    mongo: defaults.mongoUri().replace(/\/\/[^@]*@/, '//***@'),
  });
}

process.on('unhandledRejection', (err) => log.error('unhandled rejection', { error: errorText(err) }));
main().catch((err: unknown) => {
  log.error('CTI failed to start', { error: errorText(err) });
  process.exit(1);
});
