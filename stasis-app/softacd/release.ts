import { contactLogger } from '../../lib/log';
import type { MessageOf } from '../../lib/messages';
import type { Call } from './call-registry';
import type { CallState } from './call-state';
import { type CallContext, divertFailed, snoopId, unansweredReason } from './call-context';
import { callbackLegGone } from './callbacks';
import { conferencePartyLeft } from './conference';
import { endConsult } from './consult';
import { transferTargetGone } from './hold-transfer';

/** Release (S216/S241): a leg is gone or CTI cleared the call; every other leg goes, CTI is told once. */

type Stage = MessageOf<'ConnectionCleared'>['stage'];

/**
 * The stage ConnectionCleared reports for a call released in each state. The stages predate hold,
 * transfer and conference: such a call is still a call with an agent (talking); a desk phone's dial-out
 * is still ringing. Callback states never get here (CallbackFailed reports them).
 */
const CLEARED_STAGE: Readonly<
  Record<Exclude<CallState, 'cleared' | 'callbackRinging' | 'callbackDialling'>, Stage>
> = {
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
};

/**
 * A leg that went without ending the whole call, by the state the call is in and which leg it was; the
 * first rule that matches and handles it wins. `handle` answers false when the call must be released
 * after all (a conference whose last agent left an outside number with the caller).
 */
interface LegGoneRule {
  leg: string;
  matches: (call: Call, channelId: string) => boolean;
  handle: (ctx: CallContext, call: Call, channelId: string, cause: number) => Promise<boolean>;
}

const handled = (done: Promise<void>): Promise<boolean> => done.then(() => true);

const LEG_GONE: readonly LegGoneRule[] = [
  {
    leg: 'a callback leg before the customer answered',
    matches: (call) => call.state === 'callbackRinging' || call.state === 'callbackDialling',
    handle: (ctx, call, channelId, cause) => handled(callbackLegGone(ctx, call, channelId, cause)),
  },
  {
    // The agent did not answer (or refused): the caller is still in the queue, in the IVR.
    leg: 'the ringing agent',
    matches: (call, channelId) => channelId === call.agentChannelId && call.state === 'ringing',
    handle: (ctx, call, _channelId, cause) => {
      const agentId = call.agentId ?? '';
      ctx.calls.detachAgentLeg(call);
      ctx.calls.apply(call, 'agentNoAnswer');
      return handled(divertFailed(ctx, call.contactId, agentId, unansweredReason(cause)));
    },
  },
  {
    // The consulted target never answered or hung up: the agent is back with the caller.
    leg: 'the consulted target',
    matches: (call, channelId) => channelId === call.consult?.channelId,
    handle: (ctx, call) => handled(endConsult(ctx, call, 'failed')),
  },
  {
    leg: 'a conference party',
    matches: (call) => call.state === 'conferenced',
    handle: (ctx, call, channelId) => conferencePartyLeft(ctx, call, channelId),
  },
  {
    leg: 'the transfer target',
    matches: (call, channelId) => channelId === call.agentChannelId && call.state === 'transferring',
    handle: (ctx, call, _channelId, cause) => {
      ctx.calls.detachAgentLeg(call);
      return handled(transferTargetGone(ctx, call, unansweredReason(cause)));
    },
  },
];

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
    for (const rule of LEG_GONE) {
      if (!rule.matches(call, channelId)) continue;
      contactLogger(ctx.ports.log, call.contactId).debug('leg gone', { leg: rule.leg, channelId, cause });
      if (await rule.handle(ctx, call, channelId, cause)) return;
    }
    // Never true (the first rule takes callback legs); tells the type checker a stage exists.
    if (call.state === 'callbackRinging' || call.state === 'callbackDialling') return;
    if (channelId === call.agentChannelId && call.releasedBy === undefined) call.releasedBy = 'agent';
    const stage = CLEARED_STAGE[call.state];
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
