import { loadTokenSecret } from '../../lib/auth-token';
import { Bus } from '../../lib/bus/bus';
import { defaults } from '../../lib/config';
import { createLogger, errorText } from '../../lib/log';
import { Readiness } from '../../lib/ops/readiness';
import { startOps } from '../../lib/ops/start';
import { connectAri, startApp, watchAriSocket } from '../ari/connection';
import type { Channel } from 'ari-client';
import { seg } from '../ari/rest';
import { eventEmitter } from '../bus-publisher';
import { runMain, stopOnSignal } from '../process';
import { renderSpeech } from '../media';
import { ariMedia } from './ari-media';
import { consumeCommands, consumeFlowChanges } from './bus-consume';
import { callerData } from './caller-data';
import { loadIvrConfig } from './config';
import { FlowSource, promptCatalog } from './flow-source';
import { HoursSource } from './hours-source';
import { closedActionNow } from './closed-number';
import { isOpen } from '../../lib/hours/schedule';
import { interfaceD } from './interface-d';
import { ServiceToken } from './service-token';
import { IvrService } from './service';
import { registerStasis } from './stasis';

/** Composition: builds every part of the IVR process and wires them; nothing else constructs its dependencies. */
const config = loadIvrConfig();
const log = createLogger('ivr', config.instanceId);

async function main(): Promise<void> {
  // Opened first: while the IVR waits for RabbitMQ or Asterisk, readiness says which.
  const readiness = new Readiness();
  const busUp = readiness.flag('bus');
  const ariUp = readiness.flag('ari');
  await startOps('ivr', readiness, log);
  const token = new ServiceToken(config.instanceId, loadTokenSecret());
  const asGet = interfaceD(config.asBaseUrl, token);
  const bus = new Bus(defaults.amqpUrl(), log);
  bus.watchConnection((up) => busUp.set(up));
  await bus.waitForConnect();
  const ariSettings = { url: defaults.ariUrl(), user: defaults.ariUser(), password: defaults.ariPassword() };
  const { rest, events } = await connectAri(ariSettings, log);
  watchAriSocket(events, (up) => ariUp.set(up));
  const flows = new FlowSource(asGet, promptCatalog(config.promptDir), config.flowCacheMs);
  const hours = new HoursSource(asGet, config.flowCacheMs);
  const svc = new IvrService({
    media: ariMedia(rest),
    emit: eventEmitter(bus, { service: 'ivr', instance: config.instanceId }),
    log,
    instanceId: config.instanceId,
    flows,
    callerData: callerData(asGet, async (text) => (await renderSpeech(text, { out: config.promptDir })).name),
    hoursOpen: async (name) => {
      const loaded = await hours.byName(name);
      if (loaded === null) throw new Error(`schedule "${name}" does not exist`);
      return isOpen(loaded.schedule, new Date());
    },
    numberClosed: async (calledNumber) => closedActionNow(await hours.forNumber(calledNumber), new Date()),
    machine: {
      queueMedia: config.queueMedia,
      prompts: { timeout: 'timeout', goodbye: 'goodbye', callbackConfirm: 'callback-confirm' },
    },
    fallback: { prompt: config.defaultPrompt, queue: config.defaultQueue },
    voicemailMaxSec: config.voicemailMaxSec,
  });
  registerStasis(events, svc, log);
  await consumeCommands(bus, config.instanceId, svc);
  await consumeFlowChanges(bus, config.instanceId, flows, hours);

  // Asterisk does not queue events for a disconnected app: after a (re)connect, forget channels that
  // left, and take back the callers still in the app that this process does not know (a restart).
  await startApp(events, config.app, log, async () => {
    // ari-client's typings name the ARI models; the answers are plain JSON.
    const channels = await rest.get<Channel[]>('channels');
    svc.forgetMissing(new Set(channels.map((ch) => ch.id)));
    const inApp = new Set(
      [
        (await rest.get<{ channel_ids: string[] | string }>(`applications/${seg(config.app)}`)).channel_ids,
      ].flat(),
    );
    const unknown = channels.filter((ch) => inApp.has(ch.id) && svc.sessions.get(ch.id) === undefined);
    await Promise.all(
      unknown.map((ch) =>
        svc.adopt(ch.id, { number: ch.caller.number, name: ch.caller.name }).then(
          (adopted) => {
            if (!adopted) log.warn('channel in the IVR app without a usable tag', { channelId: ch.id });
          },
          (err: unknown) =>
            log.error('taking a caller back failed', { channelId: ch.id, error: errorText(err) }),
        ),
      ),
    );
  });

  const sweep = setInterval(() => {
    for (const s of svc.sessions.sweep(Date.now(), config.sessionMaxAgeMs))
      log.warn('stale IVR session swept', { contactId: s.contactId });
    // A voicemail whose recording end never came: twice the longest message is long enough.
    for (const name of svc.voicemails.sweep(Date.now(), 2000 * config.voicemailMaxSec))
      log.warn('voicemail without a recording end swept', { recording: name });
    log.debug('IVR sessions', { sessions: svc.sessions.size });
  }, 60_000);
  sweep.unref();

  stopOnSignal(log, events, bus, sweep);
  log.info('IVR ready', { app: config.app, as: config.asBaseUrl, prompts: config.promptDir });
}

runMain(log, 'IVR', main);
