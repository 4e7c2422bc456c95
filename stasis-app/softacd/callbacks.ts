import { contactLogger } from '../../lib/log';
import type { MessageOf } from '../../lib/messages';
import { CALL_TAG } from '../ari/channels';
import type { Call } from './call-registry';
import { type CallContext, divertFailed, ringbackId, unansweredReason } from './call-context';
import { verdict } from './call-guards';
import { encodeTag } from './call-tag';
import { ringAgent } from './divert';

/** Callbacks: the agent is called first, the customer once the agent answered; a failure goes back to CTI. */

/**
 * A callback reached the head of its queue (CTI chose the agent): the agent's phone is called first;
 * the customer only when the agent answered (callbackAnswered). No caller channel exists yet: the
 * customer's leg id is chosen now, so a hang-up on either side finds the call like any other.
 */
export function dialCallback(ctx: CallContext, command: MessageOf<'DialCallback'>): Promise<void> {
  return ctx.serial.run(command.contactId, async () => {
    const log = contactLogger(ctx.ports.log, command.contactId);
    let call = ctx.calls.byContactId(command.contactId);
    if (call !== undefined && call.callback === undefined) {
      // CTI waits for the asking caller's hang-up before dialling; a live call here is a bug upstream.
      log.warn('callback refused: the contact still has a call', { state: call.state });
      await divertFailed(ctx, command.contactId, command.agentId, 'unreachable');
      return;
    }
    const seen = verdict('DialCallback', call);
    if (call !== undefined && seen === 'supersede' && call.agentChannelId !== undefined) {
      // CTI moved on (its ring timer fired first): the previous agent's phone stops ringing.
      const previous = call.agentChannelId;
      ctx.calls.detachAgentLeg(call);
      await ctx.ports.channels.hangup(previous);
    } else if (call !== undefined) {
      log.warn('callback refused: the callback is already being dialled', { state: call.state });
      return;
    }
    const stamp = Date.now().toString(36);
    if (call === undefined) {
      call = {
        contactId: command.contactId,
        channelId: `${command.contactId}-customer-${stamp}`,
        calledNumber: command.number,
        callingNumber: command.number,
        media: 'audio',
        state: 'callbackRinging',
        createdAt: Date.now(),
        callback: {
          number: command.number,
          endpoint: command.customerEndpoint,
          ringTimeoutSec: command.customerRingTimeoutSec,
        },
      };
      ctx.calls.add(call);
    }
    await ringAgent(ctx, call, command, {
      kind: 'callback',
      stamp,
      undo: (dialled) => {
        ctx.calls.apply(dialled, 'released');
        ctx.calls.remove(dialled);
      },
      rung: 'callback: calling the agent',
    });
  });
}

/**
 * A callback leg answered (entered Stasis with `callback`). The agent: into the call's bridge with
 * ringback, CallbackDialing, and the customer is called. The customer: into the bridge, Established.
 */
export function callbackAnswered(ctx: CallContext, channelId: string): Promise<void> {
  const call = ctx.calls.byChannelId(channelId);
  if (call?.callback === undefined) return ctx.ports.channels.hangup(channelId);
  return ctx.serial.run(call.contactId, async () => {
    const cb = call.callback;
    const log = contactLogger(ctx.ports.log, call.contactId);
    if (cb === undefined) return;
    const leg = channelId === call.agentChannelId ? 'CallbackAgentAnswered' : 'CallbackCustomerAnswered';
    if (channelId === call.agentChannelId && verdict(leg, call) === 'dialCustomer') {
      ctx.calls.apply(call, 'callbackAgentAnswered');
      const bridgeId = `${call.contactId}-bridge`;
      call.bridgeId = bridgeId;
      if (!(await ctx.ports.channels.bridge(bridgeId, [channelId]))) return; // its ChannelDestroyed ends it
      // The agent hears ringback while the customer's phone rings (silence would sound like a fault);
      // a comfort, so a refusal is logged and the customer dialled all the same.
      await ctx.ports.callMedia
        .play(channelId, ringbackId(call), ['tone:ring'])
        .catch((err: unknown) => log.warn('no ringback for the agent', { error: (err as Error).message }));
      log.info('callback: agent answered, dialling the customer', { agentId: call.agentId });
      await ctx.ports.emit<'CallbackDialing'>({
        type: 'CallbackDialing',
        contactId: call.contactId,
        agentId: call.agentId ?? '',
        number: cb.number,
      });
      try {
        await ctx.ports.channels.originate({
          channelId: call.channelId,
          endpoint: cb.endpoint,
          app: ctx.ports.softacdApp,
          args: ['callback', call.contactId],
          timeoutSec: cb.ringTimeoutSec,
          // Tagged like an incoming caller: a restarted SoftACD takes the call back from Asterisk.
          variables: {
            [CALL_TAG]: encodeTag(
              call.contactId,
              {
                channelId: call.channelId,
                callingNumber: cb.number,
                callingName: '',
                calledNumber: cb.number,
              },
              'audio',
            ),
          },
        });
      } catch (err) {
        log.warn('customer unreachable', { endpoint: cb.endpoint, error: (err as Error).message });
        await callbackFailed(ctx, call, 'unreachable');
      }
      return;
    }
    if (channelId === call.channelId && verdict(leg, call) === 'join' && call.bridgeId !== undefined) {
      if (call.agentChannelId !== undefined) await ctx.ports.callMedia.stopPlayback(ringbackId(call));
      if (!(await ctx.ports.callMedia.addToBridge(call.bridgeId, channelId))) return;
      ctx.calls.apply(call, 'customerAnswered');
      log.info('callback established', { agentId: call.agentId, bridgeId: call.bridgeId });
      await ctx.ports.emit<'Established'>({
        type: 'Established',
        contactId: call.contactId,
        agentId: call.agentId ?? '',
        agentChannelId: call.agentChannelId ?? '',
      });
    }
  });
}

/** The attempt is over before the customer answered: both legs and the bridge go; CTI retries or gives up. */
async function callbackFailed(
  ctx: CallContext,
  call: Call,
  reason: MessageOf<'CallbackFailed'>['reason'],
): Promise<void> {
  const agentId = call.agentId ?? '';
  ctx.calls.apply(call, 'released');
  ctx.calls.remove(call);
  for (const leg of [call.agentChannelId, call.channelId])
    if (leg !== undefined) await ctx.ports.channels.hangup(leg);
  if (call.bridgeId !== undefined) await ctx.ports.channels.destroyBridge(call.bridgeId);
  contactLogger(ctx.ports.log, call.contactId).info('callback attempt failed', { reason, agentId });
  await ctx.ports.emit<'CallbackFailed'>({
    type: 'CallbackFailed',
    contactId: call.contactId,
    agentId,
    number: call.callback?.number ?? call.calledNumber,
    reason,
  });
}

/** The agent did not answer a callback: like a ring-no-answer, it goes back to the head of its queue. */
export async function callbackNoAnswer(ctx: CallContext, call: Call, cause: number): Promise<void> {
  const agentId = call.agentId ?? '';
  ctx.calls.detachAgentLeg(call);
  ctx.calls.apply(call, 'released');
  ctx.calls.remove(call);
  await divertFailed(ctx, call.contactId, agentId, unansweredReason(cause));
}

/** A leg of a callback ended after its agent answered, before the customer did. */
export async function callbackLegGone(
  ctx: CallContext,
  call: Call,
  channelId: string,
  cause: number,
): Promise<void> {
  const byAgent = channelId === call.agentChannelId || call.releasedBy === 'agent';
  await callbackFailed(ctx, call, byAgent ? 'agent-hangup' : unansweredReason(cause));
}
