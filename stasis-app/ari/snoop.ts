import { done } from './gone';
import { type AriRest, seg } from './rest';

export type SnoopDirection = 'none' | 'in' | 'out' | 'both';

/** Snoop channels for call supervision (res_stasis_snoop): `false` means the snooped channel is gone. */
export interface SnoopControl {
  /**
   * Makes a snoop channel `snoopId` on `channelId` that enters `app` with `appArgs` (its StasisStart
   * comes later, from a thread of its own): `spy` is what it hears of the channel, `whisper` where what
   * it is sent goes (ARI's directions: `in` is the channel's own voice, `out` what the channel hears).
   */
  snoop(o: {
    channelId: string;
    snoopId: string;
    spy: SnoopDirection;
    whisper: SnoopDirection;
    app: string;
    appArgs: string[];
  }): Promise<boolean>;
}

export function ariSnoop(ari: AriRest): SnoopControl {
  return {
    snoop: (o) =>
      done(
        ari.post(`channels/${seg(o.channelId)}/snoop/${seg(o.snoopId)}`, {
          spy: o.spy,
          whisper: o.whisper,
          app: o.app,
          appArgs: o.appArgs.join(','),
        }),
      ),
  };
}
