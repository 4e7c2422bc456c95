import { contactLogger } from '../../lib/log';
import type { MessageOf } from '../../lib/messages';
import { type CallContext, divertFailed, snoopId, unansweredReason } from './call-context';
import { callbackLegGone } from './callbacks';
import { conferencePartyLeft } from './conference';
import { endConsult } from './consult';
import { transferTargetGone } from './hold-transfer';

/** Release (S216/S241): a leg is gone or CTI cleared the call; every other leg goes, CTI is told once. */

/** S216/S241: a leg of a call is gone; the others are hung up and CTI told exactly once. */
export function channelDestroyed(
  ctx: CallContext,
  channelId: string,
  cause: number,
  causeText: string,
  channelName?: string,
): Promise<void> {
  const call = ctx.calls.byChannelId(channelId);
  if (call === undefined) return Promise.resolve();
  return ctx.serial.run(call.contactId, async () => {
    if (call.state === 'cleared') return;
    for (const hook of ctx.legGoneHooks) if (await hook(call, channelId, cause, channelName)) return;
    if (call.state === 'callbackRinging' || call.state === 'callbackDialling') {
      await callbackLegGone(ctx, call, channelId, cause);
      return;
    }
    if (channelId === call.agentChannelId && call.state === 'ringing') {
      // The agent did not answer (or refused): the caller is still in the queue, in the IVR.
      const agentId = call.agentId ?? '';
      ctx.calls.detachAgentLeg(call);
      ctx.calls.apply(call, 'agentNoAnswer');
      await divertFailed(ctx, call.contactId, agentId, unansweredReason(cause));
      return;
    }
    if (channelId === call.consult?.channelId) {
      // The consulted target never answered or hung up: the agent is back with the caller.
      await endConsult(ctx, call, 'failed');
      return;
    }
    if (call.state === 'conferenced' && (await conferencePartyLeft(ctx, call, channelId))) return;
    if (channelId === call.agentChannelId && call.state === 'transferring') {
      ctx.calls.detachAgentLeg(call);
      await transferTargetGone(ctx, call, unansweredReason(cause));
      return;
    }
    if (channelId === call.agentChannelId && call.releasedBy === undefined) call.releasedBy = 'agent';
    // ConnectionCleared's stages predate hold: a held call is still a call with an agent (talking).
    const stage =
      call.state === 'held' ||
      call.state === 'transferring' ||
      call.state === 'consulting' ||
      call.state === 'conferenced'
        ? 'talking'
        : call.state === 'outboundDialling'
          ? 'ringing'
          : call.state;
    ctx.calls.apply(call, 'released');
    ctx.calls.remove(call);
    const releasedBy = call.releasedBy ?? 'caller';
    const snoop = call.recording === undefined ? undefined : snoopId(call);
    const legs = [
      call.channelId,
      call.agentChannelId,
      call.consult?.channelId,
      call.conference?.channelId,
      call.reconnect?.channelId,
    ];
    for (const leg of [...legs, snoop]) {
      if (leg !== undefined && leg !== channelId) await ctx.ports.channels.hangup(leg);
    }
    if (call.bridgeId !== undefined) await ctx.ports.channels.destroyBridge(call.bridgeId);
    if (call.consult !== undefined) await ctx.ports.channels.destroyBridge(call.consult.bridgeId);
    contactLogger(ctx.ports.log, call.contactId).info('connection cleared', { stage, releasedBy, cause });
    await ctx.ports.emit<'ConnectionCleared'>({
      type: 'ConnectionCleared',
      contactId: call.contactId,
      releasedBy,
      stage,
      cause,
      causeText,
    });
  });
}

/** CTI released the call (the agent hung up from its client): every leg goes, ConnectionCleared follows. */
export function clearCall(ctx: CallContext, command: MessageOf<'ClearCall'>): Promise<void> {
  return ctx.serial.run(command.contactId, async () => {
    const call = ctx.calls.byContactId(command.contactId);
    if (call === undefined || call.state === 'cleared') return;
    const conference = call.conference;
    if (call.state === 'conferenced' && conference !== undefined && command.by === 'agent') {
      // In a conference an agent's hang-up is that agent leaving; the others stay (channelDestroyed).
      const third = conference.target.kind === 'agent' && conference.target.agentId === command.agentId;
      const leg = third ? conference.channelId : call.agentChannelId;
      if (leg !== undefined) await ctx.ports.channels.hangup(leg);
      return;
    }
    call.releasedBy = command.by === 'agent' ? 'agent' : 'system';
    // A callback still ringing its agent has no customer leg yet: the agent's leg is the one to end.
    const leg = call.state === 'callbackRinging' ? call.agentChannelId : call.channelId;
    if (leg !== undefined) await ctx.ports.channels.hangup(leg);
  });
}
