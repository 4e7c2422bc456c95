import { contactLogger } from '../../lib/log';
import type { MessageOf } from '../../lib/messages';
import type { Call } from './call-registry';
import { type CallContext, agentsCall, stopHoldMedia } from './call-context';

/** Three-way conference: a consultation merged into the call, and a party leaving it. */

/**
 * Three-way conference: the consultation is merged into the call. Agent and target leave the consult
 * bridge, the caller's hold media stops, and both join the call's bridge. With three members Asterisk
 * moves the mixing bridge from native forwarding to softmix: each party hears the mix of the other two
 * (audio is decoded and mixed); video follows the bridge's video mode (`talker` for ARI bridges: each
 * party sees the loudest other speaker, re-sent by Asterisk rather than passed through untouched).
 */
export function conferenceCall(ctx: CallContext, command: MessageOf<'ConferenceCall'>): Promise<void> {
  return ctx.serial.run(command.contactId, async () => {
    const call = agentsCall(ctx, 'ConferenceCall', command, 'conference')?.call;
    const consult = call?.consult;
    if (
      call === undefined ||
      consult === undefined ||
      !consult.answered ||
      call.bridgeId === undefined ||
      call.agentChannelId === undefined
    ) {
      if (call !== undefined)
        contactLogger(ctx.ports.log, call.contactId).warn('conference refused: target not answered');
      return;
    }
    delete call.consult;
    call.conference = { by: consult.by, target: consult.target, channelId: consult.channelId };
    ctx.calls.apply(call, 'conference');
    await ctx.ports.channels.destroyBridge(consult.bridgeId);
    await stopHoldMedia(ctx, call);
    // A leg that left meanwhile is handled by its ChannelDestroyed, queued behind this command.
    await ctx.ports.callMedia.addToBridge(call.bridgeId, call.agentChannelId);
    await ctx.ports.callMedia.addToBridge(call.bridgeId, consult.channelId);
    contactLogger(ctx.ports.log, call.contactId).info('conference', {
      agentId: consult.by,
      target: consult.target,
    });
    await ctx.ports.emit<'Conferenced'>({
      type: 'Conferenced',
      contactId: call.contactId,
      agentId: consult.by,
      target: consult.target,
    });
  });
}

/**
 * One of the agent or the third party left a conference. The third party leaving leaves the agent with
 * the caller. The agent leaving leaves an agent target with the caller (it now owns the call); with an
 * outside number as third party the call ends (no agent would own it): `false`, and the release path
 * hangs up every leg.
 */
export async function conferencePartyLeft(ctx: CallContext, call: Call, channelId: string): Promise<boolean> {
  const conf = call.conference;
  if (conf === undefined) return false;
  const log = contactLogger(ctx.ports.log, call.contactId);
  if (channelId === conf.channelId) {
    delete call.conference;
    ctx.calls.detachLeg(channelId);
    ctx.calls.apply(call, 'partyLeft');
    log.info('conference ended: third party left', { target: conf.target });
    await ctx.ports.emit<'ConferenceEnded'>({
      type: 'ConferenceEnded',
      contactId: call.contactId,
      agentId: conf.by,
      left: 'third-party',
      target: conf.target,
    });
    return true;
  }
  if (channelId !== call.agentChannelId || conf.target.kind !== 'agent') return false;
  delete call.conference;
  ctx.calls.detachAgentLeg(call);
  ctx.calls.detachLeg(conf.channelId);
  ctx.calls.attachAgentLeg(call, conf.channelId, conf.target.agentId);
  ctx.calls.apply(call, 'partyLeft');
  log.info('conference ended: agent left, the target agent keeps the caller', { target: conf.target });
  await ctx.ports.emit<'ConferenceEnded'>({
    type: 'ConferenceEnded',
    contactId: call.contactId,
    agentId: conf.by,
    left: 'agent',
    target: conf.target,
  });
  await ctx.ports.emit<'Established'>({
    type: 'Established',
    contactId: call.contactId,
    agentId: conf.target.agentId,
    agentChannelId: conf.channelId,
  });
  return true;
}
