import { contactLogger, errorText } from '../../lib/log';
import type { MessageOf } from '../../lib/messages';
import { CALL_TAG } from '../ari/channels';
import { verdict } from './call-guards';
import type { Call } from './call-registry';
import { type SoftAcdPorts, presentedCallerId } from './call-context';
import { encodeTag } from './call-tag';
import type { SoftAcdService } from './service';

export type OutboundPorts = Pick<SoftAcdPorts, 'channels' | 'emit' | 'log' | 'softacdApp' | 'callMedia'> & {
  /** Speaks a prompt to the phone, then hangs it up (features.ts). */
  speakThenHangUp: (channelId: string, prompt: string) => Promise<void>;
};

const ringbackId = (call: Call) => `${call.contactId}-ringback`;

/**
 * A desk phone's granted dial-out (`9<number>`): an outbound contact whose id is the phone's channel id.
 * The phone waits in the call's bridge hearing ringback while the number rings through the trunk; the
 * customer's answer joins the bridge (Established, the phone as agent leg). From then on it is an
 * ordinary call of SoftACD's registry: hold, transfer, recording and release work as for any other.
 */
export class Outbound {
  constructor(
    private readonly svc: SoftAcdService,
    private readonly ports: OutboundPorts,
  ) {
    svc.legGone.set('notReached', (call, _channelId, cause) => this.customerGone(call, cause));
  }

  /** `false` when the grant lacks what a call needs (the agent, the number): the caller speaks "refused". */
  dial(phoneChannelId: string, result: MessageOf<'AgentFeatureResult'>): Promise<boolean> {
    const dial = result.dial;
    const agentId = result.agentId;
    if (dial === undefined || agentId === undefined || dial.number === '') return Promise.resolve(false);
    const contactId = phoneChannelId;
    return this.svc.serial.run(contactId, async () => {
      const log = contactLogger(this.ports.log, contactId);
      const customerLeg = `${contactId}-customer-${Date.now().toString(36)}`;
      const call: Call = {
        contactId,
        channelId: customerLeg,
        calledNumber: dial.number,
        callingNumber: dial.callerIdNumber ?? '',
        media: 'audio',
        state: 'outboundDialling',
        createdAt: Date.now(),
        bridgeId: `${contactId}-bridge`,
      };
      this.svc.calls.add(call);
      this.svc.calls.attachAgentLeg(call, phoneChannelId, agentId);
      if (!(await this.ports.channels.bridge(`${contactId}-bridge`, [phoneChannelId]))) {
        // The phone hung up while CTI answered: nothing was dialled.
        await this.release(call, 'agent', 'phone gone before dialling');
        return true;
      }
      await this.ports.callMedia
        .play(phoneChannelId, ringbackId(call), ['tone:ring'])
        .catch((err: unknown) => log.warn('no ringback for the phone', { error: errorText(err) }));
      const callerId = presentedCallerId(dial);
      try {
        await this.ports.channels.originate({
          channelId: customerLeg,
          endpoint: dial.customerEndpoint,
          app: this.ports.softacdApp,
          args: ['outbound', contactId],
          timeoutSec: dial.customerRingTimeoutSec,
          ...(callerId === undefined ? {} : { callerId }),
          // Tagged like an incoming caller: a restarted SoftACD takes the call back from Asterisk.
          variables: {
            [CALL_TAG]: encodeTag(
              contactId,
              {
                channelId: customerLeg,
                callingNumber: call.callingNumber,
                callingName: '',
                calledNumber: dial.number,
              },
              'audio',
            ),
          },
        });
      } catch (err) {
        log.warn('outbound: number unreachable', { endpoint: dial.customerEndpoint, error: errorText(err) });
        await this.release(call, 'system', 'unreachable');
        this.speak(call);
        return true;
      }
      log.info('outbound: dialling', { agentId, number: dial.number, queueId: dial.queueId });
      return true;
    });
  }

  /** The customer answered (its leg entered Stasis with `outbound`): into the bridge, Established. */
  answered(channelId: string): Promise<void> {
    const call = this.svc.calls.byChannelId(channelId);
    if (call === undefined || call.channelId !== channelId) return this.ports.channels.hangup(channelId);
    return this.svc.serial.run(call.contactId, async () => {
      const seen = verdict('OutboundAnswered', call);
      if (seen !== 'join' || call.bridgeId === undefined || call.agentChannelId === undefined) return;
      await this.ports.callMedia.stopPlayback(ringbackId(call));
      // A leg that left meanwhile is released by its ChannelDestroyed, queued behind this.
      if (!(await this.ports.callMedia.addToBridge(call.bridgeId, channelId))) return;
      this.svc.calls.apply(call, 'customerAnswered');
      contactLogger(this.ports.log, call.contactId).info('outbound established', { agentId: call.agentId });
      await this.ports.emit<'Established'>({
        type: 'Established',
        contactId: call.contactId,
        agentId: call.agentId ?? '',
        agentChannelId: call.agentChannelId,
      });
    });
  }

  /** The number never answered (no answer, busy, unreachable): the phone hears so and is hung up. */
  private async customerGone(call: Call, cause: number): Promise<boolean> {
    await this.release(
      call,
      'caller',
      cause === 17 ? 'busy' : cause === 19 ? 'no answer' : 'not reached',
      cause,
    );
    this.speak(call);
    return true;
  }

  private speak(call: Call): void {
    const phone = call.agentChannelId;
    if (phone === undefined) return;
    this.ports
      .speakThenHangUp(phone, 'feature-dial-failed')
      .catch((err: unknown) =>
        contactLogger(this.ports.log, call.contactId).warn('dial failure prompt', { error: errorText(err) }),
      );
  }

  /**
   * Ends an outbound call that never connected. The phone leaves the registry first, so its own hang-up
   * (after the prompt) finds no call; CTI gets one ConnectionCleared.
   */
  private async release(
    call: Call,
    releasedBy: 'caller' | 'agent' | 'system',
    causeText: string,
    cause?: number,
  ): Promise<void> {
    this.svc.calls.apply(call, 'released');
    this.svc.calls.remove(call);
    await this.ports.callMedia.stopPlayback(ringbackId(call));
    await this.ports.channels.hangup(call.channelId);
    if (call.bridgeId !== undefined) await this.ports.channels.destroyBridge(call.bridgeId);
    contactLogger(this.ports.log, call.contactId).info('outbound not connected', { releasedBy, causeText });
    await this.ports.emit<'ConnectionCleared'>({
      type: 'ConnectionCleared',
      contactId: call.contactId,
      releasedBy,
      stage: 'ringing',
      ...(cause === undefined ? {} : { cause }),
      causeText,
    });
  }
}
