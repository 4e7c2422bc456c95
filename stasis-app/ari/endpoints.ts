import { ifPresent } from './gone';
import { type AriRest, seg } from './rest';

/**
 * Whether `PJSIP/<name>` is a WebRTC endpoint (`webrtc=yes`: the agent-webrtc template), read from
 * Asterisk's own configuration of it (ARI's dynamic configuration view of res_pjsip also lists objects
 * that come from pjsip.conf). `PJSIP_ENDPOINT()` cannot be read without a channel over ARI (it answers
 * an empty value), hence this. An unknown endpoint or another technology is not a softphone.
 */
export function ariIsSoftphone(ari: AriRest): (endpoint: string) => Promise<boolean> {
  return async (endpoint) => {
    const name = /^PJSIP\/([A-Za-z0-9_.-]{1,64})$/.exec(endpoint)?.[1];
    if (name === undefined) return false;
    const fields = await ifPresent(
      ari.get<Array<{ attribute: string; value: string }>>(
        `asterisk/config/dynamic/res_pjsip/endpoint/${seg(name)}`,
      ),
    );
    const webrtc = fields?.find((f) => f.attribute === 'webrtc')?.value;
    return webrtc === 'yes' || webrtc === 'true';
  };
}
