import type {
  ChannelDtmfReceived,
  PlaybackFinished,
  RecordingFailed,
  RecordingFinished,
  StasisEnd,
  StasisStart,
} from 'ari-client';
import { Logger, errorText } from '../../lib/log';
import type { AriEventSocket } from '../ari/event-socket';
import { stasisArgs } from '../ari/events';
import { parsePlaybackId } from './ari-media';
import type { IvrEvent } from './flow-machine';
import type { IvrService } from './service';

/** ARI events of the `ivr` app, turned into calls on the service; every promise ends in a log. */
export function registerStasis(client: AriEventSocket, svc: IvrService, log: Logger): void {
  const feed = (channelId: string, event: IvrEvent) =>
    svc
      .feed(channelId, event)
      .catch((err: unknown) => log.error('IVR event failed', { channelId, event, error: errorText(err) }));

  client.on('StasisStart', (event: StasisStart) => {
    const { channel } = event;
    svc
      .callEntered(channel.id, stasisArgs(event), {
        number: channel.caller.number,
        name: channel.caller.name,
      })
      .catch((err: unknown) =>
        log.error('IVR call failed', { channelId: channel.id, error: errorText(err) }),
      );
  });
  client.on('StasisEnd', ({ channel }: StasisEnd) => svc.callLeft(channel.id));
  client.on('ChannelDtmfReceived', (event: ChannelDtmfReceived) => {
    void feed(event.channel.id, { type: 'dtmf', digit: event.digit });
  });
  client.on('PlaybackFinished', (event: PlaybackFinished) => {
    const ref = parsePlaybackId(event.playback.id);
    if (ref !== undefined) void feed(ref.channelId, { type: 'playbackFinished', playbackId: ref.playbackId });
  });
  // A failed recording ends the voicemail step the same way: the call must not stay in silence.
  const recordingEnded = (event: RecordingFinished | RecordingFailed, failed: boolean) => {
    const m = /^channel:(.+)$/.exec(event.recording.target_uri);
    const { name, duration } = event.recording;
    svc
      .recordingEnded(name, m?.[1], typeof duration === 'number' ? duration : undefined, failed)
      .catch((err: unknown) => log.error('recording end failed', { recording: name, error: errorText(err) }));
  };
  client.on('RecordingFinished', (event: RecordingFinished) => recordingEnded(event, false));
  client.on('RecordingFailed', (event: RecordingFailed) => {
    log.warn('voicemail recording failed', { recording: event.recording.name, cause: event.recording.cause });
    recordingEnded(event, true);
  });
}
