import { done, ifPresent } from '../ari/gone';
import { type AriRest, seg } from '../ari/rest';
import { IVR_TAG } from './call-tag';

/** What the IVR asks of Asterisk; `false` means the channel or playback was already gone (404). */
export interface IvrMedia {
  answer(channelId: string): Promise<boolean>;
  hangup(channelId: string): Promise<boolean>;
  play(channelId: string, playbackId: string, media: string[]): Promise<boolean>;
  stopPlayback(playbackId: string): Promise<boolean>;
  record(channelId: string, name: string, maxSec: number): Promise<boolean>;
  move(channelId: string, app: string, appArgs: string[]): Promise<boolean>;
  /** The channel's negotiated video formats, e.g. `(h264)`; undefined when the caller is gone. */
  videoFormat(channelId: string): Promise<string | undefined>;
  /** Writes the IVR's tag on the caller's channel (`IPCC_IVR`, call-tag.ts); '' clears it. */
  setTag(channelId: string, value: string): Promise<boolean>;
  /** The tag, undefined when the channel is gone or untagged. */
  readTag(channelId: string): Promise<string | undefined>;
}

export function ariMedia(ari: AriRest): IvrMedia {
  const channel = (id: string) => `channels/${seg(id)}`;
  const variable = async (channelId: string, name: string) =>
    (await ifPresent(ari.get<{ value: string }>(`${channel(channelId)}/variable`, { variable: name })))
      ?.value;
  return {
    answer: (channelId) => done(ari.post(`${channel(channelId)}/answer`)),
    hangup: (channelId) => done(ari.delete(channel(channelId), { reason: 'normal' })),
    play: (channelId, playbackId, media) =>
      done(ari.post(`${channel(channelId)}/play/${seg(playbackId)}`, { media: media.join(',') })),
    // DELETE /playbacks/{id}: the prompt stops at once (barge-in); the next play is not queued behind it.
    stopPlayback: (playbackId) => done(ari.delete(`playbacks/${seg(playbackId)}`)),
    videoFormat: (channelId) => variable(channelId, 'CHANNEL(videonativeformat)'),
    setTag: (channelId, value) =>
      done(ari.post(`${channel(channelId)}/variable`, { variable: IVR_TAG, value })),
    readTag: (channelId) => variable(channelId, IVR_TAG),
    move: (channelId, app, appArgs) =>
      done(ari.post(`${channel(channelId)}/move`, { app, appArgs: appArgs.join(',') })),
    record: (channelId, name, maxSec) =>
      done(
        ari.post(`${channel(channelId)}/record`, {
          name,
          format: 'wav',
          maxDurationSeconds: maxSec,
          maxSilenceSeconds: 5,
          beep: true,
          ifExists: 'overwrite',
          terminateOn: '#',
        }),
      ),
  };
}

/** ARI playback ids carry the channel, so a PlaybackFinished finds its call without another map. */
export function ariPlaybackId(channelId: string, playbackId: string): string {
  return `ivr-${playbackId}-${channelId}`;
}

export function parsePlaybackId(id: string): { channelId: string; playbackId: string } | undefined {
  const m = /^ivr-(p\d+)-(.+)$/.exec(id);
  return m === null ? undefined : { playbackId: m[1] as string, channelId: m[2] as string };
}

/** Voicemail recordings are named after the contact, so the message is found from the interaction. */
export const voicemailName = (contactId: string): string => `voicemail-${contactId}`;
