import type {
  ChannelDestroyed,
  ChannelStateChange,
  PlaybackFinished,
  RecordingFailed,
  RecordingFinished,
  StasisEnd,
  StasisStart,
} from 'ari-client';
import { Bus } from '../../lib/bus/bus';
import { EXCHANGES, queues, routingKeys } from '../../lib/bus/topology';
import { defaults, env } from '../../lib/config';
import { createLogger, errorText } from '../../lib/log';
import { makeMessage } from '../../lib/messages';
import { Readiness } from '../../lib/ops/readiness';
import { startOps } from '../../lib/ops/start';
import { ariCallMedia } from '../ari/call-media';
import { ariChannels, arrivalMedia } from '../ari/channels';
import { ariIsSoftphone } from '../ari/endpoints';
import { connectAri, startApp, watchAriSocket } from '../ari/connection';
import { ariSnoop } from '../ari/snoop';
import { consumeAgentChanges } from '../provisioning/consume';
import { stasisArgs } from '../ari/events';
import { eventEmitter } from '../bus-publisher';
import { runMain, stopOnSignal } from '../process';
import { DeskFeatures } from './features';
import { GuestGate, guestArg } from './guest-gate';
import { Outbound } from './outbound';
import { listLive } from './recovery';
import { SoftAcdService, type SoftAcdPorts, callerText } from './service';
import { Supervision } from './supervise';
import { TakeBack } from './take-back';
import { FLOW_TEST_ARG, FlowTestCalls } from './test-call';

const instanceId = env('SOFTACD_ID', 'softacd-1');
const app = env('SOFTACD_APP', 'softacd');
const log = createLogger('softacd', instanceId);
const SWEEP_MS = 60_000;
const MAX_CALL_AGE_MS = 12 * 3600_000;

async function main(): Promise<void> {
  // Opened first: while SoftACD waits for RabbitMQ or Asterisk, readiness says which.
  const readiness = new Readiness();
  const busUp = readiness.flag('bus');
  const ariUp = readiness.flag('ari');
  await startOps('softacd', readiness, log);
  const bus = new Bus(defaults.amqpUrl(), log);
  bus.watchConnection((up) => busUp.set(up));
  await bus.waitForConnect();
  const ariSettings = { url: defaults.ariUrl(), user: defaults.ariUser(), password: defaults.ariPassword() };
  // ari-client's typings name the ARI models the events carry; the events are plain JSON (event-socket.ts).
  const { rest, events } = await connectAri(ariSettings, log);
  watchAriSocket(events, (up) => ariUp.set(up));
  const ports: SoftAcdPorts = {
    channels: ariChannels(rest),
    emit: eventEmitter(bus, { service: 'softacd', instance: instanceId }),
    log,
    instanceId,
    ivrApp: env('IVR_APP', 'ivr'),
    softacdApp: app,
    callMedia: ariCallMedia(rest),
    mohClass: env('SOFTACD_MOH_CLASS', 'default'),
    videoHoldMedia: env('SOFTACD_VIDEO_HOLD_MEDIA', 'sound:ipcc/hold'),
    recordingDir: env('SOFTACD_RECORDING_DIR', '/var/spool/asterisk/recording'),
    releaseIvr: async (draft) => {
      const message = makeMessage({ service: 'softacd', instance: instanceId }, draft);
      await bus.publish(EXCHANGES.commands, routingKeys.ivrHandover, message);
    },
  };
  const svc = new SoftAcdService(ports);
  const takeBack = new TakeBack(svc, { ...ports, isSoftphone: ariIsSoftphone(rest) });
  // Outbound speaks through the feature module, which hands granted dials to outbound: tied by a closure
  // (called only once a call is dialled, long after both exist).
  const outbound: Outbound = new Outbound(svc, {
    ...ports,
    speakThenHangUp: (channelId: string, prompt: string): Promise<void> =>
      desk.speakThenHangUp(channelId, prompt),
  });
  const desk: DeskFeatures = new DeskFeatures(ports, outbound);
  const guests = new GuestGate(process.env.GUEST_TOKEN_SECRET);
  const supervision = new Supervision(svc.calls, svc.serial, { ...ports, snoops: ariSnoop(rest) });
  const testCalls = new FlowTestCalls(svc, ports);

  const failed = (what: string, channelId: string) => (err: unknown) =>
    log.error(what, { channelId, error: errorText(err) });
  events.on('StasisStart', (event: StasisStart) => {
    const { channel } = event;
    const [kind] = stasisArgs(event);
    if (kind === 'snoop') return; // a recording's snoop channel: the recording reports, not the channel
    if (kind === 'supervise') {
      supervision
        .entered(channel.id, stasisArgs(event))
        .catch(failed('supervision channel failed', channel.id));
      return;
    }
    if (kind === 'consult') {
      svc.consultAnswered(channel.id).catch(failed('consult answer failed', channel.id));
      return;
    }
    if (kind === 'transfer') {
      svc.transferAnswered(channel.id).catch(failed('transfer answer failed', channel.id));
      return;
    }
    if (kind === 'callback') {
      svc.callbackAnswered(channel.id).catch(failed('callback answer failed', channel.id));
      return;
    }
    if (kind === 'agent') {
      svc.agentAnswered(channel.id).catch(failed('agent answer failed', channel.id));
      return;
    }
    if (kind === 'reconnect') {
      takeBack.answered(channel.id).catch(failed('take-back answer failed', channel.id));
      return;
    }
    if (kind === FLOW_TEST_ARG) {
      testCalls.answered(channel.id).catch((err: unknown) => {
        failed('flow test call failed', channel.id)(err);
        svc.releaseUnreported(channel.id).catch(failed('hang-up after a failed test call', channel.id));
      });
      return;
    }
    if (kind === 'outbound') {
      outbound.answered(channel.id).catch(failed('outbound answer failed', channel.id));
      return;
    }
    if (kind === 'feature') {
      const exten = stasisArgs(event)[1] ?? '';
      desk.arrived(channel.id, exten, channel.name).catch((err: unknown) => {
        failed('feature code failed', channel.id)(err);
        svc.releaseUnreported(channel.id).catch(failed('hang-up after a failed feature', channel.id));
      });
      return;
    }
    if (kind === 'return' || svc.calls.byChannelId(channel.id) !== undefined) {
      svc.callerReturned(channel.id).catch(failed('bridging failed', channel.id));
      return;
    }
    const args = stasisArgs(event);
    const media = arrivalMedia(args);
    const calledNumber = args[0] ?? channel.dialplan.exten;
    const guestToken = guestArg(args);
    if (guestToken !== undefined) {
      // A web guest (`[from-guests]`): admitted only with a valid, unused token for the number it dialled.
      const verdict = guests.admit(guestToken, calledNumber);
      if (!verdict.ok) {
        log.warn('guest call refused (cause 21)', {
          channelId: channel.id,
          calledNumber,
          reason: verdict.reason,
        });
        ports.channels.hangup(channel.id, 'rejected').catch(failed('guest refusal failed', channel.id));
        return;
      }
      log.info('guest call admitted', { channelId: channel.id, calledNumber, jti: verdict.jti });
    }
    svc
      .callArrived({
        channelId: channel.id,
        callingNumber: callerText(channel.caller.number),
        callingName: callerText(channel.caller.name),
        calledNumber,
        ...(media === undefined ? {} : { media }),
      })
      .catch((err: unknown) => {
        // A call that could not be reported would sit in Stasis with no one routing it: release it.
        log.error('call arrival failed; releasing the caller', {
          channelId: channel.id,
          error: errorText(err),
        });
        svc.releaseUnreported(channel.id).catch(failed('release after a failed arrival', channel.id));
      });
  });
  events.on('ChannelStateChange', ({ channel }: ChannelStateChange) => {
    if (channel.state === 'Ringing')
      svc.agentRinging(channel.id).catch(failed('ringing report failed', channel.id));
  });
  // A snoop channel leaves the app before it is destroyed, and the app no longer hears of it then: its
  // StasisEnd is its end (supervision channels never leave the app otherwise). Either comes first.
  events.on('StasisEnd', ({ channel }: StasisEnd) => {
    supervision.channelGone(channel.id, 16).catch(failed('supervision cleanup failed', channel.id));
  });
  events.on('ChannelDestroyed', (event: ChannelDestroyed) => {
    const { channel } = event;
    testCalls.gone(channel.id, event.cause);
    supervision.channelGone(channel.id, event.cause).catch(failed('supervision cleanup failed', channel.id));
    svc
      .channelDestroyed(channel.id, event.cause, event.cause_txt, channel.name)
      .catch((err: unknown) => log.error('release failed', { channelId: channel.id, error: errorText(err) }));
  });

  // Bridge recordings report here when the bridge goes with the call.
  const recordingEnded = ({ recording }: RecordingFinished | RecordingFailed, failed: boolean) => {
    svc
      .recordingEnded(recording.name, recording.duration, failed)
      .catch((err: unknown) =>
        log.error('recording report failed', { recording: recording.name, error: errorText(err) }),
      );
  };
  events.on('RecordingFinished', (event: RecordingFinished) => recordingEnded(event, false));
  events.on('PlaybackFinished', ({ playback }: PlaybackFinished) => desk.playbackFinished(playback.id));
  events.on('RecordingFailed', (event: RecordingFailed) => recordingEnded(event, true));

  await bus.consume({
    queue: queues.softacd(instanceId),
    bindings: [{ exchange: EXCHANGES.commands, pattern: routingKeys.softacd(instanceId) }],
    handle: async (message) => {
      switch (message.type) {
        case 'RouteSelect':
          return svc.routeSelect(message);
        case 'DivertCall':
          return svc.divertCall(message);
        case 'DialCallback':
          return svc.dialCallback(message);
        case 'ClearCall':
          return svc.clearCall(message);
        case 'HoldCall':
          return svc.holdCall(message);
        case 'RetrieveCall':
          return svc.retrieveCall(message);
        case 'TransferCall':
          return svc.transferCall(message);
        case 'RecordCall':
          return svc.recordCall(message);
        case 'ConsultCall':
          return svc.consultCall(message);
        case 'CompleteTransfer':
          return svc.completeTransfer(message);
        case 'CancelConsult':
          return svc.cancelConsult(message);
        case 'ConferenceCall':
          return svc.conferenceCall(message);
        case 'ReconnectAgent':
          return takeBack.reconnect(message);
        case 'SuperviseCall':
          return supervision.start(message);
        case 'SuperviseMode':
          return supervision.mode(message);
        case 'SuperviseStop':
          return supervision.stop(message);
        case 'AgentFeatureResult':
          desk.result(message);
          return;
        case 'CallListRequest':
          return svc.reportCalls('requested');
        case 'FlowTestCall':
          return testCalls.dial(message);
        default:
          throw new Error(`SoftACD does not handle ${message.type}`);
      }
    },
  });

  await consumeAgentChanges(bus, log);

  await startApp(events, app, log, async () => {
    const live = await listLive(rest);
    const recovered = await svc.recover(live.channels, live.bridges);
    await svc.resync(new Set(live.channels.map((ch) => ch.id)));
    const leftovers = await supervision.dropLeftovers(live.channels.map((ch) => ch.id));
    log.info('resynchronised with Asterisk', {
      channels: live.channels.length,
      recovered,
      calls: svc.calls.size,
      supervisorLegsEnded: leftovers,
    });
    // CTI may still route calls that ended while this SoftACD was away (or deaf): it clears what is not listed.
    await svc.reportCalls('resync');
  });

  const sweep = setInterval(() => {
    for (const stale of svc.calls.sweep(Date.now(), MAX_CALL_AGE_MS)) {
      log.warn('stale call swept', { contactId: stale.contactId, state: stale.state });
    }
    for (const name of svc.sweepRecordings(Date.now(), MAX_CALL_AGE_MS)) {
      log.warn('stale recording swept', { recording: name });
    }
    for (const contactId of testCalls.sweep(Date.now(), 10 * 60_000)) {
      log.warn('stale flow test call swept', { contactId });
    }
    supervision
      .sweep(Date.now(), MAX_CALL_AGE_MS)
      .then((stale) => {
        for (const sessionId of stale) log.warn('stale supervision swept', { sessionId });
      })
      .catch((err: unknown) => log.error('supervision sweep failed', { error: errorText(err) }));
    log.info('registry', {
      calls: svc.calls.size,
      recordings: svc.recordings.size,
      inFlight: svc.inFlight,
      featureWaits: desk.size,
      supervisions: supervision.size,
      flowTestCalls: testCalls.size,
      guestTokensUsed: guests.size,
    });
  }, SWEEP_MS);
  sweep.unref();

  stopOnSignal(log, events, bus, sweep);
  log.info('SoftACD ready', { app, ari: defaults.ariUrl() });
}

runMain(log, 'SoftACD', main);
