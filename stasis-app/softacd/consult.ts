import { randomUUID } from 'node:crypto';
import { contactLogger } from '../../lib/log';
import type { MessageOf } from '../../lib/messages';
import { AGENT_TAG } from '../ari/channels';
import { verdict } from './call-guards';
import type { Call } from './call-registry';
import { type CallContext, agentsCall, startHoldMedia, stopHoldMedia } from './call-context';

/** Attended transfer: the agent consults a target, then completes the transfer or cancels it. */

/**
 * Attended transfer, step 1: the caller is held (agent out of the bridge, hold media) and the target is
 * called; when it answers, agent and target talk in a bridge of their own (`<contactId>-consult`).
 */
export function consultCall(ctx: CallContext, command: MessageOf<'ConsultCall'>): Promise<void> {
  return ctx.serial.run(command.contactId, async () => {
    const allowed = agentsCall(ctx, 'ConsultCall', command, 'consult');
    const call = allowed?.call;
    const target = command.target;
    const log = contactLogger(ctx.ports.log, command.contactId);
    if (call === undefined || call.bridgeId === undefined || call.agentChannelId === undefined) return;
    if (target.kind === 'queue') {
      log.warn('consult refused: a queue cannot be consulted');
      return;
    }
    if (allowed?.outcome === 'holdAndConsult') {
      await ctx.ports.callMedia.removeFromBridge(call.bridgeId, call.agentChannelId);
      await startHoldMedia(ctx, call);
      await ctx.ports.emit<'Held'>({ type: 'Held', contactId: call.contactId, agentId: command.agentId });
    }
    ctx.calls.apply(call, 'consult');
    const leg = `${call.contactId}-agent-${Date.now().toString(36)}c${randomUUID().slice(0, 6)}`;
    call.consult = {
      by: command.agentId,
      target,
      channelId: leg,
      bridgeId: `${call.contactId}-consult`,
      answered: false,
    };
    ctx.calls.attachLeg(call, leg);
    try {
      await ctx.ports.channels.originate({
        channelId: leg,
        endpoint: target.endpoint,
        app: ctx.ports.softacdApp,
        args: ['consult', call.contactId],
        timeoutSec: target.ringTimeoutSec,
        ...(target.kind === 'agent' ? { variables: { [AGENT_TAG]: target.agentId } } : {}),
      });
    } catch (err) {
      log.warn('consult target unreachable', { endpoint: target.endpoint, error: (err as Error).message });
      await endConsult(ctx, call, 'failed');
      return;
    }
    log.info('consulting', { agentId: command.agentId, kind: target.kind, endpoint: target.endpoint });
  });
}

/** The consulted target answered: it and the agent talk in the consult bridge. */
export function consultAnswered(ctx: CallContext, channelId: string): Promise<void> {
  const call = ctx.calls.byChannelId(channelId);
  if (call?.consult?.channelId !== channelId) return ctx.ports.channels.hangup(channelId);
  return ctx.serial.run(call.contactId, async () => {
    const consult = call.consult;
    if (verdict('ConsultTargetAnswered', call) !== 'bridge' || consult === undefined) return;
    if (call.agentChannelId === undefined) return;
    if (!(await ctx.ports.channels.bridge(consult.bridgeId, [call.agentChannelId, channelId]))) return;
    consult.answered = true;
    contactLogger(ctx.ports.log, call.contactId).info('consulted', { target: consult.target });
    await ctx.ports.emit<'Consulted'>({
      type: 'Consulted',
      contactId: call.contactId,
      agentId: consult.by,
      target: consult.target,
    });
  });
}

/** Attended transfer, step 2: the caller goes to the target, the agent is released. */
export function completeTransfer(ctx: CallContext, command: MessageOf<'CompleteTransfer'>): Promise<void> {
  return ctx.serial.run(command.contactId, async () => {
    const call = agentsCall(ctx, 'CompleteTransfer', command, 'complete transfer')?.call;
    const consult = call?.consult;
    if (call === undefined || consult === undefined || !consult.answered || call.bridgeId === undefined) {
      if (call !== undefined)
        contactLogger(ctx.ports.log, call.contactId).warn('complete refused: target not answered');
      return;
    }
    const first = call.agentChannelId;
    await ctx.ports.channels.destroyBridge(consult.bridgeId);
    ctx.calls.detachAgentLeg(call);
    ctx.calls.detachLeg(consult.channelId);
    delete call.consult;
    ctx.calls.attachAgentLeg(
      call,
      consult.channelId,
      consult.target.kind === 'agent' ? consult.target.agentId : '',
    );
    if (first !== undefined) await ctx.ports.channels.hangup(first);
    await stopHoldMedia(ctx, call);
    await ctx.ports.callMedia.addToBridge(call.bridgeId, consult.channelId);
    ctx.calls.apply(call, 'consultCompleted');
    contactLogger(ctx.ports.log, call.contactId).info('attended transfer completed', {
      target: consult.target,
    });
    await ctx.ports.emit<'Transferred'>({
      type: 'Transferred',
      contactId: call.contactId,
      agentId: consult.by,
      target: consult.target,
    });
    if (consult.target.kind === 'agent') {
      await ctx.ports.emit<'Established'>({
        type: 'Established',
        contactId: call.contactId,
        agentId: consult.target.agentId,
        agentChannelId: consult.channelId,
      });
    }
  });
}

/** Attended transfer cancelled: the target is hung up and the agent is back with the caller. */
export function cancelConsult(ctx: CallContext, command: MessageOf<'CancelConsult'>): Promise<void> {
  return ctx.serial.run(command.contactId, async () => {
    const call = agentsCall(ctx, 'CancelConsult', command, 'cancel consult')?.call;
    if (call === undefined) return;
    await endConsult(ctx, call, 'cancelled');
  });
}

/** The consultation is over without a transfer: target leg and consult bridge go, agent back with the caller. */
export async function endConsult(
  ctx: CallContext,
  call: Call,
  outcome: 'cancelled' | 'failed',
): Promise<void> {
  const consult = call.consult;
  if (consult === undefined) return;
  delete call.consult;
  ctx.calls.detachLeg(consult.channelId);
  await ctx.ports.channels.hangup(consult.channelId);
  await ctx.ports.channels.destroyBridge(consult.bridgeId);
  await stopHoldMedia(ctx, call);
  if (call.bridgeId !== undefined && call.agentChannelId !== undefined)
    await ctx.ports.callMedia.addToBridge(call.bridgeId, call.agentChannelId);
  ctx.calls.apply(call, 'consultEnded');
  contactLogger(ctx.ports.log, call.contactId).info('consultation ended', { outcome });
  await ctx.ports.emit<'ConsultEnded'>({
    type: 'ConsultEnded',
    contactId: call.contactId,
    agentId: consult.by,
    outcome,
    target: consult.target,
  });
  await ctx.ports.emit<'Retrieved'>({ type: 'Retrieved', contactId: call.contactId, agentId: consult.by });
}
