import { contactLogger } from '../../lib/log';
import type { MessageOf } from '../../lib/messages';
import type { Call } from './call-registry';
import type { CallState } from './call-state';
import { type CallContext, divertFailed, snoopId, unansweredReason } from './call-context';
import { callbackLegGone, callbackNoAnswer } from './callbacks';
import { conferencePartyLeft } from './conference';
import { verdict } from './call-guards';
import { endConsult } from './consult';
import { transferTargetGone } from './hold-transfer';
import { type FeatureLegGoneAction, type LegGoneAction, isFeatureAction, legGoneAction } from './leg-gone';

/** Release (S216/S241): a leg is gone or CTI cleared the call; every other leg goes, CTI is told once. */

type Stage = MessageOf<'ConnectionCleared'>['stage'];

/**
 * The stage ConnectionCleared reports for a call released in each state. The stages predate hold,
 * transfer and conference: such a call is still a call with an agent (talking); a desk phone's dial-out
 * is still ringing. Callback states never get here (CallbackFailed reports them).
 */
const CLEARED_STAGE: Readonly<Record<CallState, Stage | undefined>> = {
  routing: 'routing',
  ivr: 'ivr',
  queue: 'queue',
  ringing: 'ringing',
  talking: 'talking',
  held: 'talking',
  transferring: 'talking',
  consulting: 'talking',
  conferenced: 'talking',
  outboundDialling: 'ringing',
  callbackRinging: undefined,
  callbackDialling: undefined,
  cleared: undefined,
};

type Handler = (
  ctx: CallContext,
  call: Call,
  channelId: string,
  cause: number,
  channelName: string | undefined,
) => Promise<boolean>;
const handled = (done: Promise<void>): Promise<boolean> => done.then(() => true);

/**
 * The actions of LEG_GONE done here, every one (`release` below); the features kept in classes of their
 * own (take-back, desk-phone dial-out) register theirs in `ctx.legGone`. `false`: release after all.
 */
const HANDLERS: Readonly<Record<Exclude<LegGoneAction, FeatureLegGoneAction | 'release'>, Handler>> = {
  none: () => Promise.resolve(true),
  agentNoAnswer: (ctx, call, _channelId, cause) => {
    const agentId = call.agentId ?? '';
    ctx.calls.detachAgentLeg(call);
    ctx.calls.apply(call, 'agentNoAnswer');
    return handled(divertFailed(ctx, call.contactId, agentId, unansweredReason(cause)));
  },
  callbackNoAnswer: (ctx, call, _channelId, cause) => handled(callbackNoAnswer(ctx, call, cause)),
  callbackFailed: (ctx, call, channelId, cause) => handled(callbackLegGone(ctx, call, channelId, cause)),
  endConsult: (ctx, call) => handled(endConsult(ctx, call, 'failed')),
  partyLeft: (ctx, call, channelId) => conferencePartyLeft(ctx, call, channelId),
  partyLeftOrRelease: (ctx, call, channelId) => conferencePartyLeft(ctx, call, channelId),
  transferTargetGone: (ctx, call, _channelId, cause) => {
    ctx.calls.detachAgentLeg(call);
    return handled(transferTargetGone(ctx, call, unansweredReason(cause)));
  },
};

function handlerOf(ctx: CallContext, action: Exclude<LegGoneAction, 'release'>): Handler | undefined {
  if (!isFeatureAction(action)) return HANDLERS[action];
  const feature = ctx.legGone.get(action);
  return feature && ((_ctx, ...leg) => feature(...leg));
}

/** S216/S241: a leg of a call is gone; LEG_GONE says whether the call goes on or every leg goes. */
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
    const { leg, action } = legGoneAction(call, channelId);
    if (action !== 'release') {
      contactLogger(ctx.ports.log, call.contactId).debug('leg gone', { leg, action, channelId, cause });
      // A feature not wired into this SoftACD has no legs of its own to look after: the call is released.
      const handler = handlerOf(ctx, action);
      if (handler !== undefined && (await handler(ctx, call, channelId, cause, channelName))) return;
    }
    await release(ctx, call, channelId, cause, causeText);
  });
}

/** Every other leg is hung up, the bridges go, and CTI is told once (ConnectionCleared). */
async function release(
  ctx: CallContext,
  call: Call,
  channelId: string,
  cause: number,
  causeText: string,
): Promise<void> {
  const stage = CLEARED_STAGE[call.state];
  // Callback states never get here (LEG_GONE hands them to the callback's own failure path).
  if (stage === undefined) return;
  if (channelId === call.agentChannelId && call.releasedBy === undefined) call.releasedBy = 'agent';
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
  for (const other of [...legs, snoop]) {
    if (other !== undefined && other !== channelId) await ctx.ports.channels.hangup(other);
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
}

/** CTI released the call (the agent hung up from its client): every leg goes, ConnectionCleared follows. */
export function clearCall(ctx: CallContext, command: MessageOf<'ClearCall'>): Promise<void> {
  return ctx.serial.run(command.contactId, async () => {
    const call = ctx.calls.byContactId(command.contactId);
    const seen = verdict('ClearCall', call);
    if (call === undefined || seen === 'gone') return;
    const conference = call.conference;
    if (seen === 'leaveConference' && conference !== undefined && command.by === 'agent') {
      // In a conference an agent's hang-up is that agent leaving; the others stay (channelDestroyed).
      const third = conference.target.kind === 'agent' && conference.target.agentId === command.agentId;
      const leg = third ? conference.channelId : call.agentChannelId;
      if (leg !== undefined) await ctx.ports.channels.hangup(leg);
      return;
    }
    call.releasedBy = command.by === 'agent' ? 'agent' : 'system';
    // A callback still ringing its agent has no customer leg yet: the agent's leg is the one to end.
    const leg = seen === 'hangUpAgent' ? call.agentChannelId : call.channelId;
    if (leg !== undefined) await ctx.ports.channels.hangup(leg);
  });
}
