import { randomUUID } from 'node:crypto';
import { type Logger, contactLogger } from '../../lib/log';
import type { MessageOf } from '../../lib/messages';
import { AGENT_TAG } from '../ari/channels';
import { verdict } from './call-guards';
import type { Call } from './call-registry';
import { type CallContext, agentsCall, offeredLike, startHoldMedia, stopHoldMedia } from './call-context';

/** Hold, retrieve and blind transfer (to a queue, an agent or an outside number). */

/**
 * The agent holds the caller: the agent leg leaves the bridge (it hears nothing and is not heard), the
 * caller hears music on hold or, with video, a looped prompt whose video is a still card ("on hold").
 * ARI suspends MOH while a channel plays media, so a video caller gets the prompt instead of MOH.
 */
export function holdCall(ctx: CallContext, command: MessageOf<'HoldCall'>): Promise<void> {
  return ctx.serial.run(command.contactId, async () => {
    const call = agentsCall(ctx, 'HoldCall', command, 'hold')?.call;
    if (call === undefined || call.bridgeId === undefined || call.agentChannelId === undefined) return;
    ctx.calls.apply(call, 'hold');
    await ctx.ports.callMedia.removeFromBridge(call.bridgeId, call.agentChannelId);
    const audible = await startHoldMedia(ctx, call);
    if (!audible) return; // the caller left meanwhile: its ChannelDestroyed releases the call
    contactLogger(ctx.ports.log, call.contactId).info('held', { agentId: command.agentId });
    await ctx.ports.emit<'Held'>({ type: 'Held', contactId: call.contactId, agentId: command.agentId });
  });
}

/** The agent takes the caller back: hold media stops and the agent leg rejoins the bridge. */
export function retrieveCall(ctx: CallContext, command: MessageOf<'RetrieveCall'>): Promise<void> {
  return ctx.serial.run(command.contactId, async () => {
    const call = agentsCall(ctx, 'RetrieveCall', command, 'retrieve')?.call;
    if (call === undefined || call.bridgeId === undefined || call.agentChannelId === undefined) return;
    await stopHoldMedia(ctx, call);
    const back = await ctx.ports.callMedia.addToBridge(call.bridgeId, call.agentChannelId);
    if (!back) return; // a leg left meanwhile: its ChannelDestroyed releases the call
    ctx.calls.apply(call, 'retrieve');
    contactLogger(ctx.ports.log, call.contactId).info('retrieved', { agentId: command.agentId });
    await ctx.ports.emit<'Retrieved'>({
      type: 'Retrieved',
      contactId: call.contactId,
      agentId: command.agentId,
    });
  });
}

/**
 * Blind transfer. To a queue: the agent leg is hung up, the bridge goes, and the caller moves back to
 * the IVR with the new queue (queue media, position announcements), where it asks CTI for an agent
 * like any caller. To an agent or a number: see transferOut.
 */
export function transferCall(ctx: CallContext, command: MessageOf<'TransferCall'>): Promise<void> {
  return ctx.serial.run(command.contactId, async () => {
    const allowed = agentsCall(ctx, 'TransferCall', command, 'transfer');
    if (allowed === undefined) return;
    const { call, outcome } = allowed;
    const wasHeld = outcome === 'transferHeld';
    const log = contactLogger(ctx.ports.log, call.contactId);
    const target = command.target;
    if (target.kind !== 'queue') {
      await transferOut(ctx, call, command, target, wasHeld, log);
      return;
    }
    if (wasHeld) await stopHoldMedia(ctx, call);
    const agentLeg = call.agentChannelId;
    ctx.calls.detachAgentLeg(call);
    if (call.bridgeId !== undefined) await ctx.ports.channels.destroyBridge(call.bridgeId);
    delete call.bridgeId;
    if (agentLeg !== undefined) await ctx.ports.channels.hangup(agentLeg);
    ctx.calls.apply(call, 'transferToQueue');
    // Reported before the move: CTI must release the first agent before the IVR's AgentRequest for
    // the new queue arrives, or routing would see the contact still connected and refuse it.
    log.info('transferred to queue', { agentId: command.agentId, queueId: target.queueId });
    await ctx.ports.emit<'Transferred'>({
      type: 'Transferred',
      contactId: call.contactId,
      agentId: command.agentId,
      target,
    });
    const moved = await ctx.ports.channels.move(call.channelId, ctx.ports.ivrApp, [
      call.contactId,
      call.calledNumber,
      call.media,
      'queue',
      target.queueId,
    ]);
    if (!moved) log.info('caller left during the transfer'); // its ChannelDestroyed releases the call
  });
}

/**
 * Blind transfer to an agent or a number: the first agent's leg goes at once (it is reported released),
 * the caller stays in the bridge on hold media while the target rings, and the target joins the bridge
 * when it answers. A target that does not answer sends the caller back to its queue.
 */
async function transferOut(
  ctx: CallContext,
  call: Call,
  command: MessageOf<'TransferCall'>,
  target: Exclude<MessageOf<'TransferCall'>['target'], { kind: 'queue' }>,
  wasHeld: boolean,
  log: Logger,
): Promise<void> {
  const first = call.agentChannelId;
  ctx.calls.detachAgentLeg(call);
  if (first !== undefined) await ctx.ports.channels.hangup(first);
  if (!wasHeld) await startHoldMedia(ctx, call);
  ctx.calls.apply(call, 'transferOut');
  call.transfer = {
    by: command.agentId,
    target,
    ...(command.fallbackQueueId === undefined ? {} : { fallbackQueueId: command.fallbackQueueId }),
  };
  await ctx.ports.emit<'Transferred'>({
    type: 'Transferred',
    contactId: call.contactId,
    agentId: command.agentId,
    target,
  });
  // Unique even within the millisecond of the first agent's leg (the recovery pattern: agent-<base36>).
  const leg = `${call.contactId}-agent-${Date.now().toString(36)}t${randomUUID().slice(0, 6)}`;
  ctx.calls.attachAgentLeg(call, leg, target.kind === 'agent' ? target.agentId : '');
  try {
    await ctx.ports.channels.originate({
      channelId: leg,
      endpoint: target.endpoint,
      app: ctx.ports.softacdApp,
      args: ['transfer', call.contactId],
      timeoutSec: target.ringTimeoutSec,
      ...offeredLike(call),
      ...(target.kind === 'agent' ? { variables: { [AGENT_TAG]: target.agentId } } : {}),
    });
  } catch (err) {
    log.warn('transfer target unreachable', { endpoint: target.endpoint, error: (err as Error).message });
    ctx.calls.detachAgentLeg(call);
    await transferTargetGone(ctx, call, 'unreachable');
    return;
  }
  log.info('transferring', { from: command.agentId, kind: target.kind, endpoint: target.endpoint });
}

/** The transfer target answered (its channel entered Stasis): hold media stops, it joins the bridge. */
export function transferAnswered(ctx: CallContext, channelId: string): Promise<void> {
  const call = ctx.calls.byChannelId(channelId);
  if (call === undefined || call.agentChannelId !== channelId) return ctx.ports.channels.hangup(channelId);
  return ctx.serial.run(call.contactId, async () => {
    if (verdict('TransferTargetAnswered', call) !== 'join' || call.bridgeId === undefined) return;
    await stopHoldMedia(ctx, call);
    if (!(await ctx.ports.callMedia.addToBridge(call.bridgeId, channelId))) return;
    ctx.calls.apply(call, 'transferAnswered');
    const target = call.transfer?.target;
    delete call.transfer;
    contactLogger(ctx.ports.log, call.contactId).info('transfer answered', { target });
    if (target?.kind === 'agent') {
      await ctx.ports.emit<'Established'>({
        type: 'Established',
        contactId: call.contactId,
        agentId: target.agentId,
        agentChannelId: channelId,
      });
    }
  });
}

/** The target did not answer: the caller goes back to its queue (or is released without one). */
export async function transferTargetGone(
  ctx: CallContext,
  call: Call,
  reason: MessageOf<'TransferFailed'>['reason'],
): Promise<void> {
  const t = call.transfer;
  delete call.transfer;
  await stopHoldMedia(ctx, call);
  if (call.bridgeId !== undefined) await ctx.ports.channels.destroyBridge(call.bridgeId);
  delete call.bridgeId;
  const fallback = t?.fallbackQueueId;
  await ctx.ports.emit<'TransferFailed'>({
    type: 'TransferFailed',
    contactId: call.contactId,
    agentId: t?.by ?? '',
    reason,
    ...(fallback === undefined ? {} : { fallbackQueueId: fallback }),
    ...(t === undefined ? {} : { target: t.target }),
  });
  if (fallback === undefined) {
    call.releasedBy = 'system';
    await ctx.ports.channels.hangup(call.channelId);
    return;
  }
  ctx.calls.apply(call, 'transferToQueue');
  await ctx.ports.channels.move(call.channelId, ctx.ports.ivrApp, [
    call.contactId,
    call.calledNumber,
    call.media,
    'queue',
    fallback,
  ]);
}
