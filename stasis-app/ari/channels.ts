import type { Media } from '../../lib/messages';
import { done, ifPresent } from './gone';
import { type AriRest, seg } from './rest';

/** What SoftACD and the IVR ask of Asterisk about channels; `false`/`undefined` means the channel is gone. */
export interface ChannelControl {
  media(channelId: string): Promise<Media | undefined>;
  move(channelId: string, app: string, args: string[]): Promise<boolean>;
  hangup(channelId: string, reason?: string): Promise<void>;
  answer(channelId: string): Promise<boolean>;
  follow(app: string, channelId: string): Promise<boolean>;
  /** Calls an endpoint into a Stasis app; resolves once Asterisk accepted the request (it rings later). */
  originate(o: {
    channelId: string;
    endpoint: string;
    app: string;
    args: string[];
    callerId?: string;
    timeoutSec: number;
    /** Channel variables set on the new channel (the agent id, for recovery after a restart). */
    variables?: Record<string, string>;
    /**
     * The channel this one is made for (the caller): Asterisk offers the new leg the originator's formats,
     * so an agent of a video caller is offered video in its first INVITE, and links both for CDR/CEL.
     */
    originator?: string;
  }): Promise<void>;
  bridge(bridgeId: string, channelIds: string[]): Promise<boolean>;
  /** Stores the call's identity on the channel, so a restarted SoftACD can re-attach to it. */
  tag(channelId: string, value: string): Promise<boolean>;
  destroyBridge(bridgeId: string): Promise<void>;
}

/**
 * S201: a call is a video call when the caller's offer negotiated a video format. An INVITE without SDP
 * (late offer) is an audio call: until the ACK nothing is negotiated, and the channel's video formats
 * then only echo what this endpoint allows.
 */
export function mediaOf(inviteContentType: string, videoNativeFormat: string): Media {
  if (!/application\/sdp|multipart/i.test(inviteContentType)) return 'audio';
  const formats = videoNativeFormat.replace(/[()]/g, '').trim();
  return formats === '' || formats === 'nothing' ? 'audio' : 'audio+video';
}

/**
 * The media decision from the dialplan's Stasis() arguments (`sdp=<base64 Content-Type>`,
 * `video=<CHANNEL(videonativeformat)>`), read there so that SoftACD need not ask Asterisk for them
 * over two ARI requests per call. The Content-Type comes base64-encoded because it is the caller's text
 * and Stasis() splits its arguments on commas. `undefined` when the arguments do not carry both.
 */
export function arrivalMedia(args: readonly string[]): Media | undefined {
  const value = (key: string) => args.find((a) => a.startsWith(`${key}=`))?.slice(key.length + 1);
  const sdp = value('sdp');
  const video = value('video');
  if (sdp === undefined || video === undefined || !/^[A-Za-z0-9+/]*={0,2}$/.test(sdp)) return undefined;
  return mediaOf(Buffer.from(sdp, 'base64').toString('latin1'), video);
}

export const CALL_TAG = 'IPCC_CALL';
export const AGENT_TAG = 'IPCC_AGENT';

export function ariChannels(ari: AriRest): ChannelControl {
  const variable = (channelId: string, name: string) =>
    ari.get<{ value: string }>(`channels/${seg(channelId)}/variable`, { variable: name });
  return {
    // The video decision comes from what the channel negotiated, not from a guess about the caller.
    async media(channelId) {
      // Both read at once: the INVITE's body type and the video formats the channel has.
      const [contentType, video] = await Promise.all([
        // Asterisk answers an error, not an empty value, for a header the INVITE does not have.
        ifPresent(variable(channelId, 'PJSIP_HEADER(read,Content-Type)')).catch((err: unknown) => {
          if (err instanceof Error && /Unable to read provided function/.test(err.message))
            return { value: '' };
          throw err;
        }),
        ifPresent(variable(channelId, 'CHANNEL(videonativeformat)')),
      ]);
      if (contentType === undefined || video === undefined) return undefined;
      return mediaOf(contentType.value, video.value);
    },
    move: (channelId, app, args) =>
      done(ari.post(`channels/${seg(channelId)}/move`, { app, appArgs: args.join(',') })),
    async hangup(channelId, reason = 'normal') {
      await done(ari.delete(`channels/${seg(channelId)}`, { reason }));
    },
    answer: (channelId) => done(ari.post(`channels/${seg(channelId)}/answer`)),
    async originate(o) {
      await ari.post(
        'channels',
        {
          endpoint: o.endpoint,
          app: o.app,
          appArgs: o.args.join(','),
          channelId: o.channelId,
          timeout: o.timeoutSec,
          callerId: o.callerId,
          originator: o.originator,
        },
        o.variables === undefined ? undefined : { variables: o.variables },
      );
    },
    tag: (channelId, value) =>
      done(ari.post(`channels/${seg(channelId)}/variable`, { variable: CALL_TAG, value })),
    // A mixing bridge with two parties forwards media natively: video passes through untranscoded.
    async bridge(bridgeId, channelIds) {
      await ari.post(`bridges/${seg(bridgeId)}`, { type: 'mixing', name: bridgeId });
      return done(ari.post(`bridges/${seg(bridgeId)}/addChannel`, { channel: channelIds.join(',') }));
    },
    async destroyBridge(bridgeId) {
      await done(ari.delete(`bridges/${seg(bridgeId)}`));
    },
    // Keeps this app receiving the channel's events after it moves to another app (the IVR).
    follow: (app, channelId) =>
      done(ari.post(`applications/${seg(app)}/subscription`, { eventSource: `channel:${channelId}` })),
  };
}
