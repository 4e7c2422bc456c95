import { done, isGone } from './gone';
import { AriError, type AriRest, seg } from './rest';

const SNOOP_RECORD_ATTEMPTS = 25;
const SNOOP_RECORD_RETRY_MS = 20;

/**
 * What agent-initiated call control asks of Asterisk beyond moving and bridging channels: hold media,
 * taking a leg out of a bridge and back, and bridge recording. `false` means the channel, bridge or
 * playback is gone (ARI 404/409): an ordinary outcome, see gone.ts.
 */
export interface CallMediaControl {
  startMoh(channelId: string, mohClass: string): Promise<boolean>;
  stopMoh(channelId: string): Promise<boolean>;
  /** Plays a list of media (`sound:...`) to a channel, one after the other, as one playback. */
  play(channelId: string, playbackId: string, media: string[]): Promise<boolean>;
  stopPlayback(playbackId: string): Promise<boolean>;
  removeFromBridge(bridgeId: string, channelId: string): Promise<boolean>;
  addToBridge(bridgeId: string, channelId: string): Promise<boolean>;
  /**
   * Records both directions of a channel into astspooldir/recording/<name>.<format> through a snoop
   * channel (spy both) put in `app`: the call's bridge keeps two parties, so media stays natively
   * bridged (video untranscoded). The recording ends when the snooped channel goes.
   */
  recordChannel(o: {
    channelId: string;
    snoopId: string;
    app: string;
    appArgs: string[];
    name: string;
    format: string;
  }): Promise<boolean>;
}

export function ariCallMedia(ari: AriRest): CallMediaControl {
  return {
    startMoh: (channelId, mohClass) => done(ari.post(`channels/${seg(channelId)}/moh`, { mohClass })),
    stopMoh: (channelId) => done(ari.delete(`channels/${seg(channelId)}/moh`)),
    play: (channelId, playbackId, media) =>
      done(ari.post(`channels/${seg(channelId)}/play/${seg(playbackId)}`, { media: media.join(',') })),
    stopPlayback: (playbackId) => done(ari.delete(`playbacks/${seg(playbackId)}`)),
    removeFromBridge: (bridgeId, channelId) =>
      done(ari.post(`bridges/${seg(bridgeId)}/removeChannel`, { channel: channelId })),
    addToBridge: (bridgeId, channelId) =>
      done(ari.post(`bridges/${seg(bridgeId)}/addChannel`, { channel: channelId })),
    async recordChannel(o) {
      const snooped = await done(
        ari.post(`channels/${seg(o.channelId)}/snoop/${seg(o.snoopId)}`, {
          spy: 'both',
          app: o.app,
          appArgs: o.appArgs.join(','),
        }),
      );
      if (!snooped) return false;
      const record = () =>
        ari.post(`channels/${seg(o.snoopId)}/record`, {
          name: o.name,
          format: o.format,
          ifExists: 'overwrite',
          beep: false,
        });
      // The snoop channel enters the Stasis app on a thread of its own, after the snoop request has
      // answered: a record sent at once can meet 409 "not in a Stasis application" (seen in CI on the
      // first call after a start). 409 is asked again for a while; 404 means the caller is gone.
      for (let attempt = 1; ; attempt += 1) {
        try {
          await record();
          return true;
        } catch (err) {
          if (!(err instanceof AriError) || err.status !== 409 || attempt >= SNOOP_RECORD_ATTEMPTS) {
            if (isGone(err)) return false;
            throw err;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, SNOOP_RECORD_RETRY_MS));
      }
    },
  };
}
