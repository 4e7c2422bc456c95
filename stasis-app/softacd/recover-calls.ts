import { contactLogger } from '../../lib/log';
import type { Call } from './call-registry';
import type { CallContext } from './call-context';
import { type LiveBridge, type LiveChannel, decodeTag } from './call-tag';
import { channelDestroyed } from './release';

/** After a restart or reconnect: calls taken back from what Asterisk lists, and reported to CTI. */

/** After a reconnect: calls whose channel vanished while events could not arrive are cleared now. */
export async function resync(ctx: CallContext, liveChannelIds: Set<string>): Promise<void> {
  for (const call of ctx.calls.all()) {
    if (!liveChannelIds.has(call.channelId))
      await channelDestroyed(ctx, call.channelId, 0, 'gone during ARI outage');
  }
}

/**
 * After a restart: the calls Asterisk still has are taken back from what it lists (channels with their
 * tag, bridges), so a call in progress is never dropped because SoftACD restarted.
 */
export async function recover(ctx: CallContext, live: LiveChannel[], bridges: LiveBridge[]): Promise<number> {
  let recovered = 0;
  for (const ch of live) {
    const tag = ch.tag === undefined ? undefined : decodeTag(ch.tag);
    if (tag === undefined || ctx.calls.byContactId(tag.contactId) !== undefined) continue;
    const bridge = bridges.find((b) => b.id === `${tag.contactId}-bridge` && b.channels.includes(ch.id));
    const agentLeg =
      bridge?.channels.find((id) => id !== ch.id) ??
      live.find((c) => c.id.startsWith(`${tag.contactId}-agent-`))?.id;
    const call: Call = {
      contactId: tag.contactId,
      channelId: ch.id,
      calledNumber: tag.calledNumber,
      callingNumber: ch.callingNumber,
      media: tag.media,
      state: bridge !== undefined ? 'talking' : agentLeg !== undefined ? 'ringing' : 'ivr',
      createdAt: Date.now(),
      ...(bridge === undefined ? {} : { bridgeId: bridge.id }),
    };
    ctx.calls.add(call);
    if (agentLeg !== undefined)
      ctx.calls.attachAgentLeg(call, agentLeg, live.find((c) => c.id === agentLeg)?.agentId ?? '');
    await ctx.ports.channels.follow(ctx.ports.softacdApp, ch.id);
    if (agentLeg !== undefined) await ctx.ports.channels.follow(ctx.ports.softacdApp, agentLeg);
    contactLogger(ctx.ports.log, call.contactId).info('call recovered after restart', {
      state: call.state,
    });
    recovered++;
  }
  await dropOrphans(ctx, live, bridges);
  return recovered;
}

/**
 * Legs and bridges of calls whose caller left while SoftACD was away (an agent leg, a recording's
 * snoop channel, the call's bridge) have nobody to talk to: they are ended, not left in Asterisk.
 */
async function dropOrphans(ctx: CallContext, live: LiveChannel[], bridges: LiveBridge[]): Promise<void> {
  const owner = (id: string) => /^(.+)-(agent-[0-9a-z]+|snoop|bridge|consult)$/.exec(id)?.[1];
  for (const ch of live) {
    const contactId = owner(ch.id);
    if (contactId === undefined || ctx.calls.byContactId(contactId) !== undefined) continue;
    ctx.ports.log.warn('orphan leg ended', { contactId, channelId: ch.id });
    await ctx.ports.channels.hangup(ch.id);
  }
  for (const b of bridges) {
    const contactId = owner(b.id);
    if (contactId === undefined || ctx.calls.byContactId(contactId) !== undefined) continue;
    ctx.ports.log.warn('orphan bridge destroyed', { contactId, bridgeId: b.id });
    await ctx.ports.channels.destroyBridge(b.id);
  }
}

/**
 * The calls this SoftACD holds now, for CTI's reconciliation (CallList): emitted through the same
 * publisher as every call event, so CTI has each earlier event of these calls queued before it.
 */
export async function reportCalls(ctx: CallContext, reason: 'requested' | 'resync'): Promise<void> {
  const calls = ctx.calls
    .all()
    .filter((c) => c.state !== 'cleared')
    .map((c) => ({
      contactId: c.contactId,
      state: c.state,
      ...(c.agentId === undefined || c.agentId === '' ? {} : { agentId: c.agentId }),
    }));
  await ctx.ports.emit<'CallList'>({
    type: 'CallList',
    contactId: `calls:${ctx.ports.instanceId}`,
    instance: ctx.ports.instanceId,
    reason,
    calls,
  });
}
