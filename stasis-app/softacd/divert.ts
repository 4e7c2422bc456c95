import { contactLogger } from '../../lib/log';
import type { MessageOf } from '../../lib/messages';
import { AGENT_TAG } from '../ari/channels';
import { verdict } from './call-guards';
import type { Call } from './call-registry';
import { type CallContext, offeredLike, divertFailed, presentedCallerId } from './call-context';

/** An agent is offered a call (S224-S236): the phone rings, answers, and caller and agent share one bridge. */

/**
 * S224-S230: CTI chose an agent. The caller stays in the IVR hearing queue media while the agent's
 * phone rings; only an answered agent takes the caller out of the IVR, so a no-answer costs nothing.
 */
export function divertCall(ctx: CallContext, command: MessageOf<'DivertCall'>): Promise<void> {
  return ctx.serial.run(command.contactId, async () => {
    const call = ctx.calls.byContactId(command.contactId);
    const log = contactLogger(ctx.ports.log, command.contactId);
    const seen = verdict('DivertCall', call);
    if (call === undefined || seen === 'callerGone') {
      log.info('divert for a call already gone');
      await divertFailed(ctx, command.contactId, command.agentId, 'caller-gone');
      return;
    }
    if (seen === 'supersede' && call.agentChannelId !== undefined) {
      // CTI moved on (its ring timer fired first): the previous agent's phone stops ringing.
      const previous = call.agentChannelId;
      ctx.calls.detachAgentLeg(call);
      await ctx.ports.channels.hangup(previous);
    } else {
      // `illegal` cells throw IllegalCallTransition here.
      ctx.calls.apply(call, 'divert');
    }
    await ringAgent(ctx, call, command, {
      kind: 'agent',
      stamp: Date.now().toString(36),
      undo: (ringing) => {
        ctx.calls.detachAgentLeg(ringing);
        ctx.calls.apply(ringing, 'agentNoAnswer');
      },
      rung: 'diverted to agent',
    });
  });
}

/**
 * Rings the agent's phone for a call (a routed offer, or a callback's first leg) and reports
 * CallDiverted; an endpoint Asterisk cannot call is undone with `undo` and reported as DivertFailed.
 */
export async function ringAgent(
  ctx: CallContext,
  call: Call,
  command: MessageOf<'DivertCall'> | MessageOf<'DialCallback'>,
  o: { kind: 'agent' | 'callback'; stamp: string; undo: (call: Call) => void; rung: string },
): Promise<void> {
  const log = contactLogger(ctx.ports.log, call.contactId);
  const agentChannelId = `${call.contactId}-agent-${o.stamp}`;
  ctx.calls.attachAgentLeg(call, agentChannelId, command.agentId);
  const callerId = presentedCallerId(command);
  try {
    await ctx.ports.channels.originate({
      channelId: agentChannelId,
      endpoint: command.endpoint,
      app: ctx.ports.softacdApp,
      args: [o.kind, call.contactId],
      timeoutSec: command.ringTimeoutSec,
      variables: { [AGENT_TAG]: command.agentId },
      ...(callerId === undefined ? {} : { callerId }),
      // A callback's customer is called after the agent: there is no caller yet to offer formats like.
      ...(o.kind === 'agent' ? offeredLike(call) : {}),
    });
  } catch (err) {
    log.warn('agent endpoint unreachable', { endpoint: command.endpoint, error: (err as Error).message });
    o.undo(call);
    await divertFailed(ctx, call.contactId, command.agentId, 'unreachable');
    return;
  }
  log.info(o.rung, { agentId: command.agentId, endpoint: command.endpoint, agentChannelId });
  await ctx.ports.emit<'CallDiverted'>({
    type: 'CallDiverted',
    contactId: call.contactId,
    agentId: command.agentId,
  });
}

/**
 * S231: the agent's phone rings: a routed offer's agent, a transfer's target agent or a consulted agent
 * (CTI follows each one's agent state: ringing). Outside numbers are not agents: nothing to report.
 */
export function agentRinging(ctx: CallContext, channelId: string): Promise<void> {
  const call = ctx.calls.byChannelId(channelId);
  if (call === undefined) return Promise.resolve();
  const consulted = call.consult?.channelId === channelId ? call.consult.target : undefined;
  const agentId =
    consulted !== undefined
      ? consulted.kind === 'agent'
        ? consulted.agentId
        : undefined
      : call.agentChannelId === channelId && call.agentId !== ''
        ? call.agentId
        : undefined;
  if (agentId === undefined) return Promise.resolve();
  return ctx.serial.run(call.contactId, () =>
    ctx.ports.emit<'CallDelivered'>({
      type: 'CallDelivered',
      contactId: call.contactId,
      callingNumber: call.callingNumber,
      callingName: '',
      calledNumber: call.calledNumber,
      media: call.media,
      channelId,
      deliveredTo: { kind: 'agent', agentId },
    }),
  );
}

/** S234-S236: the agent answered (its channel entered Stasis); the caller leaves the IVR for the bridge. */
export function agentAnswered(ctx: CallContext, channelId: string): Promise<void> {
  const call = ctx.calls.byChannelId(channelId);
  if (call === undefined || call.agentChannelId !== channelId) {
    // An agent leg this SoftACD no longer wants (superseded or the caller left): end it.
    return ctx.ports.channels.hangup(channelId);
  }
  return ctx.serial.run(call.contactId, async () => {
    if (verdict('AgentAnswered', call) !== 'answer') return;
    ctx.calls.apply(call, 'agentAnswered');
    const log = contactLogger(ctx.ports.log, call.contactId);
    log.info('agent answered', { agentId: call.agentId, agentChannelId: channelId });
    const appArgs = ['return', call.contactId];
    await ctx.ports.releaseIvr({
      type: 'ReleaseIvr',
      contactId: call.contactId,
      channelId: call.channelId,
      app: ctx.ports.softacdApp,
      appArgs,
    });
    // If no IVR answers (one crashed), take the caller directly; a prompt may delay it, never lose it.
    const timer = setTimeout(() => {
      void ctx.serial
        .run(call.contactId, async () => {
          if (verdict('HandoverTimedOut', call) !== 'moveCaller' || call.bridgeId !== undefined) return;
          log.warn('IVR did not hand the caller over; moving it directly');
          if (!(await ctx.ports.channels.move(call.channelId, ctx.ports.softacdApp, appArgs))) {
            await ctx.ports.channels.hangup(channelId);
          }
        })
        .catch((err: unknown) => log.error('direct move failed', { error: (err as Error).message }));
    }, ctx.ports.handoverTimeoutMs ?? 3000);
    timer.unref();
  });
}

/** The caller arrived back in SoftACD's app after an agent answered: one bridge, media both ways. */
export function callerReturned(ctx: CallContext, channelId: string): Promise<void> {
  const call = ctx.calls.byChannelId(channelId);
  if (call === undefined || call.channelId !== channelId) return Promise.resolve();
  return ctx.serial.run(call.contactId, async () => {
    if (verdict('CallerReturned', call) !== 'bridge') return;
    if (call.agentChannelId === undefined || call.bridgeId !== undefined) return;
    const bridgeId = `${call.contactId}-bridge`;
    call.bridgeId = bridgeId;
    const bridged = await ctx.ports.channels.bridge(bridgeId, [call.channelId, call.agentChannelId]);
    if (!bridged) return; // a leg left meanwhile; its ChannelDestroyed releases the call
    contactLogger(ctx.ports.log, call.contactId).info('established', { agentId: call.agentId, bridgeId });
    await ctx.ports.emit<'Established'>({
      type: 'Established',
      contactId: call.contactId,
      agentId: call.agentId ?? '',
      agentChannelId: call.agentChannelId,
    });
  });
}
