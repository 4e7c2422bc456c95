import type { Bridge, Channel } from 'ari-client';
import { AGENT_TAG, CALL_TAG } from '../ari/channels';
import { ifPresent } from '../ari/gone';
import { type AriRest, seg } from '../ari/rest';
import type { LiveBridge, LiveChannel } from './call-tag';

/**
 * What Asterisk has now, for SoftACD's recovery: every channel with SoftACD's tags (one variable read
 * per channel, done only after a (re)connect) and every bridge with its members.
 */
export async function listLive(ari: AriRest): Promise<{ channels: LiveChannel[]; bridges: LiveBridge[] }> {
  const [channels, bridges] = await Promise.all([
    ari.get<Channel[]>('channels'),
    ari.get<Bridge[]>('bridges'),
  ]);
  const read = async (channelId: string, variable: string) =>
    (await ifPresent(ari.get<{ value: string }>(`channels/${seg(channelId)}/variable`, { variable })))
      ?.value || undefined;
  const live = await Promise.all(
    channels.map(async (ch): Promise<LiveChannel> => {
      const [tag, agentId] = await Promise.all([read(ch.id, CALL_TAG), read(ch.id, AGENT_TAG)]);
      return {
        id: ch.id,
        callingNumber: ch.caller.number,
        ...(tag === undefined ? {} : { tag }),
        ...(agentId === undefined ? {} : { agentId }),
      };
    }),
  );
  // The typings allow a lone string where ARI sends a list.
  const members = (c: string | string[]) => (Array.isArray(c) ? c : [c]);
  return { channels: live, bridges: bridges.map((b) => ({ id: b.id, channels: members(b.channels) })) };
}
