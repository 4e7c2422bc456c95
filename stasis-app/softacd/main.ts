import type {
  Channel,
  ChannelDestroyed,
  ChannelStateChange,
  LiveRecording,
  Playback,
  PlaybackFinished,
  RecordingFailed,
  RecordingFinished,
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
import { ariRest } from '../ari/rest';
import { consumeAgentChanges } from '../provisioning/consume';
import { stasisArgs } from '../ari/events';
import { eventEmitter } from '../bus-publisher';
import { runMain, stopOnSignal } from '../process';
import { DeskFeatures } from './features';
import { GuestGate, guestArg } from './guest-gate';
import { Outbound } from './outbound';
import { listLive } from './recovery';
import { SoftAcdService, type SoftAcdPorts, callerText } from './service';
import { TakeBack } from './take-back';

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
  const client = await connectAri(ariSettings, log);
  watchAriSocket(client, (up) => ariUp.set(up));
  const rest = ariRest(ariSettings);
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

  const failed = (what: string, channelId: string) => (err: unknown) =>
    log.error(what, { channelId, error: errorText(err) });
  client.on('StasisStart', (event: StasisStart, channel: Channel) => {
    const [kind] = stasisArgs(event);
    if (kind === 'snoop') return; // a recording's snoop channel: the recording reports, not the channel
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
  client.on('ChannelStateChange', (_event: ChannelStateChange, channel: Channel) => {
    if (channel.state === 'Ringing')
      svc.agentRinging(channel.id).catch(failed('ringing report failed', channel.id));
  });
  client.on('ChannelDestroyed', (event: ChannelDestroyed, channel: Channel) => {
    svc
      .channelDestroyed(channel.id, event.cause, event.cause_txt, channel.name)
      .catch((err: unknown) => log.error('release failed', { channelId: channel.id, error: errorText(err) }));
  });

  // Bridge recordings report here when the bridge goes with the call.
  const recordingEnded = (recording: LiveRecording, failed: boolean) => {
    svc
      .recordingEnded(recording.name, recording.duration, failed)
      .catch((err: unknown) =>
        log.error('recording report failed', { recording: recording.name, error: errorText(err) }),
      );
  };
  client.on('RecordingFinished', (_event: RecordingFinished, recording: LiveRecording) =>
    recordingEnded(recording, false),
  );
  client.on('PlaybackFinished', (_event: PlaybackFinished, playback: Playback) =>
    desk.playbackFinished(playback.id),
  );
  client.on('RecordingFailed', (_event: RecordingFailed, recording: LiveRecording) =>
    recordingEnded(recording, true),
  );

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
        case 'AgentFeatureResult':
          desk.result(message);
          return;
        case 'CallListRequest':
          return svc.reportCalls('requested');
        default:
          throw new Error(`SoftACD does not handle ${message.type}`);
      }
    },
  });

  await consumeAgentChanges(bus, log);

  await startApp(client, app, log, async () => {
    const live = await listLive(rest);
    const recovered = await svc.recover(live.channels, live.bridges);
    await svc.resync(new Set(live.channels.map((ch) => ch.id)));
    log.info('resynchronised with Asterisk', {
      channels: live.channels.length,
      recovered,
      calls: svc.calls.size,
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
    log.info('registry', {
      calls: svc.calls.size,
      recordings: svc.recordings.size,
      inFlight: svc.inFlight,
      featureWaits: desk.size,
      guestTokensUsed: guests.size,
    });
  }, SWEEP_MS);
  sweep.unref();

  stopOnSignal(log, client, bus, sweep);
  log.info('SoftACD ready', { app, ari: defaults.ariUrl() });
}

runMain(log, 'SoftACD', main);
