import type { Client } from 'ari-client';
import type { Media } from '../../lib/messages';
import { done, ifPresent } from './gone';

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

export const CALL_TAG = 'IPCC_CALL';
export const AGENT_TAG = 'IPCC_AGENT';

export function ariChannels(client: Client): ChannelControl {
  return {
    // The video decision comes from what the channel negotiated, not from a guess about the caller.
    async media(channelId) {
      // Both read at once: the INVITE's body type and the video formats the channel has.
      const [contentType, video] = await Promise.all([
        // Asterisk answers an error, not an empty value, for a header the INVITE does not have.
        ifPresent(
          client.channels.getChannelVar({ channelId, variable: 'PJSIP_HEADER(read,Content-Type)' }),
        ).catch((err: unknown) => {
          if (err instanceof Error && /Unable to read provided function/.test(err.message))
            return { value: '' };
          throw err;
        }),
        ifPresent(client.channels.getChannelVar({ channelId, variable: 'CHANNEL(videonativeformat)' })),
      ]);
      if (contentType === undefined || video === undefined) return undefined;
      return mediaOf(contentType.value, video.value);
    },
    async move(channelId, app, args) {
      return done(client.channels.move({ channelId, app, appArgs: args.join(',') }));
    },
    async hangup(channelId, reason = 'normal') {
      await done(client.channels.hangup({ channelId, reason }));
    },
    async answer(channelId) {
      return done(client.channels.answer({ channelId }));
    },
    async originate(o) {
      await client.channels.originate({
        endpoint: o.endpoint,
        app: o.app,
        appArgs: o.args.join(','),
        channelId: o.channelId,
        timeout: o.timeoutSec,
        ...(o.callerId === undefined ? {} : { callerId: o.callerId }),
        ...(o.variables === undefined ? {} : { variables: o.variables }),
        ...(o.originator === undefined ? {} : { originator: o.originator }),
      });
    },
    async tag(channelId, value) {
      return done(client.channels.setChannelVar({ channelId, variable: CALL_TAG, value }));
    },
    // A mixing bridge with two parties forwards media natively: video passes through untranscoded.
    async bridge(bridgeId, channelIds) {
      await client.bridges.create({ bridgeId, type: 'mixing', name: bridgeId });
      return done(client.bridges.addChannel({ bridgeId, channel: channelIds }));
    },
    async destroyBridge(bridgeId) {
      await done(client.bridges.destroy({ bridgeId }));
    },
    // Keeps this app receiving the channel's events after it moves to another app (the IVR).
    async follow(app, channelId) {
      return done(
        client.applications.subscribe({ applicationName: app, eventSource: `channel:${channelId}` }),
      );
    },
  };
}
