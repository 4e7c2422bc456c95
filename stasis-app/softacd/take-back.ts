import { randomUUID } from 'node:crypto';
import { contactLogger } from '../../lib/log';
import type { MessageOf } from '../../lib/messages';
import { AGENT_TAG } from '../ari/channels';
import { verdict } from './call-guards';
import type { Call } from './call-registry';
import { endpointOfChannel } from './feature-codes';
import type { SoftAcdPorts } from './call-context';
import type { SoftAcdService } from './service';

export interface TakeBackPorts extends Pick<SoftAcdPorts, 'channels' | 'emit' | 'log' | 'softacdApp'> {
  /**
   * Whether a `PJSIP/<name>` endpoint is a browser softphone (webrtc=yes). Only a softphone's leg can
   * vanish because its page reloaded or its network went; a desk phone's BYE is the agent hanging up.
   */
  isSoftphone: (endpoint: string) => Promise<boolean>;
}

/** Q.850 cause of a leg that never answered, as ReconnectFailed names it. */
function reason(cause: number): 'busy' | 'no-answer' | 'unreachable' {
  return cause === 17 ? 'busy' : cause === 19 || cause === 16 ? 'no-answer' : 'unreachable';
}

/**
 * Taking a held call back after the agent's page reloaded (ReconnectAgent) and keeping the caller on hold
 * while the agent's softphone leg is lost. The call stays held throughout: the new leg only becomes the
 * call's agent leg; the agent retrieves the caller as after any hold.
 */
export class TakeBack {
  constructor(
    private readonly svc: SoftAcdService,
    private readonly ports: TakeBackPorts,
  ) {
    svc.legGone.set('takeBackFailed', (call, channelId, cause) =>
      this.ringingLegGone(call, channelId, cause),
    );
    svc.legGone.set('softphoneLostOrRelease', (call, channelId, cause, name) =>
      this.heldLegGone(call, channelId, cause, name),
    );
  }

  /** CTI asks to ring the agent's (new) endpoint for its held call. */
  reconnect(command: MessageOf<'ReconnectAgent'>): Promise<void> {
    return this.svc.serial.run(command.contactId, async () => {
      const call = this.svc.calls.byContactId(command.contactId);
      const log = contactLogger(this.ports.log, command.contactId);
      const seen = verdict('ReconnectAgent', call);
      if (call === undefined || seen === 'gone') {
        log.warn('take-back refused: the call is gone', { agentId: command.agentId });
        await this.failed(command.contactId, command.agentId, 'gone');
        return;
      }
      if (seen !== 'reconnect' || call.bridgeId === undefined) {
        log.warn('take-back refused: the call is not held', { state: call.state, agentId: command.agentId });
        await this.failed(command.contactId, command.agentId, 'not-held');
        return;
      }
      if (call.reconnect !== undefined) {
        // A second request (a second reload) supersedes the first: its phone stops ringing.
        const previous = call.reconnect.channelId;
        delete call.reconnect;
        this.svc.calls.detachLeg(previous);
        await this.ports.channels.hangup(previous);
      }
      const leg = `${call.contactId}-agent-${Date.now().toString(36)}r${randomUUID().slice(0, 6)}`;
      call.reconnect = { channelId: leg, agentId: command.agentId };
      this.svc.calls.attachLeg(call, leg);
      try {
        await this.ports.channels.originate({
          channelId: leg,
          endpoint: command.endpoint,
          app: this.ports.softacdApp,
          args: ['reconnect', call.contactId],
          timeoutSec: command.ringTimeoutSec,
          variables: { [AGENT_TAG]: command.agentId },
          // A video caller's formats are offered at once, as for the agent's first leg.
          ...(call.media === 'audio+video' ? { originator: call.channelId } : {}),
        });
      } catch (err) {
        log.warn('take-back: endpoint unreachable', {
          endpoint: command.endpoint,
          error: (err as Error).message,
        });
        delete call.reconnect;
        this.svc.calls.detachLeg(leg);
        await this.failed(call.contactId, command.agentId, 'unreachable');
        return;
      }
      log.info('take-back: ringing the agent', { agentId: command.agentId, endpoint: command.endpoint });
    });
  }

  /**
   * The new leg answered: the old agent leg leaves the call without releasing it (it is detached before
   * it is hung up, so its ChannelDestroyed finds no call), and the new one becomes the agent leg.
   */
  answered(channelId: string): Promise<void> {
    const call = this.svc.calls.byChannelId(channelId);
    if (call?.reconnect?.channelId !== channelId) return this.ports.channels.hangup(channelId);
    return this.svc.serial.run(call.contactId, async () => {
      const pending = call.reconnect;
      if (pending?.channelId !== channelId) return;
      if (verdict('ReconnectAnswered', call) !== 'takeBack') {
        // Released or moved on while the phone rang (its leg was hung up with the call, or is now).
        delete call.reconnect;
        this.svc.calls.detachLeg(channelId);
        await this.ports.channels.hangup(channelId);
        await this.failed(call.contactId, pending.agentId, 'not-held');
        return;
      }
      delete call.reconnect;
      this.svc.calls.detachLeg(channelId);
      const old = call.agentChannelId;
      if (old !== undefined) this.svc.calls.detachLeg(old);
      this.svc.calls.attachAgentLeg(call, channelId, pending.agentId);
      if (old !== undefined) await this.ports.channels.hangup(old);
      contactLogger(this.ports.log, call.contactId).info('take-back: agent reconnected, caller still held', {
        agentId: pending.agentId,
        agentChannelId: channelId,
        oldAgentChannelId: old,
      });
      await this.ports.emit<'AgentReconnected'>({
        type: 'AgentReconnected',
        contactId: call.contactId,
        agentId: pending.agentId,
        agentChannelId: channelId,
      });
    });
  }

  /** The agent's phone did not answer the take-back: the caller stays held, CTI may ask again. */
  private async ringingLegGone(call: Call, channelId: string, cause: number): Promise<boolean> {
    const pending = call.reconnect;
    if (pending === undefined) return false;
    delete call.reconnect;
    this.svc.calls.detachLeg(channelId);
    contactLogger(this.ports.log, call.contactId).info('take-back failed', {
      cause,
      agentId: pending.agentId,
    });
    await this.failed(call.contactId, pending.agentId, reason(cause));
    return true;
  }

  /** The agent's leg of a held call went: a softphone's keeps the call held, any other releases it. */
  private async heldLegGone(
    call: Call,
    channelId: string,
    cause: number,
    channelName: string | undefined,
  ): Promise<boolean> {
    if (call.releasedBy !== undefined) return false;
    const endpoint = channelName === undefined ? undefined : endpointOfChannel(channelName);
    if (endpoint === undefined || !(await this.ports.isSoftphone(endpoint))) return false;
    // The softphone's page or network went while the caller was on hold (CTI holds the call when the
    // agent's last connection closes): the caller keeps hold media and the call keeps its agent, whose
    // reloaded page takes it back (ReconnectAgent). An agent who hangs up does so through CTI (ClearCall).
    this.svc.calls.detachLeg(channelId);
    delete call.agentChannelId;
    contactLogger(this.ports.log, call.contactId).warn(
      'agent softphone leg lost while held: caller stays on hold',
      {
        agentId: call.agentId,
        channelId,
        cause,
      },
    );
    return true;
  }

  private failed(
    contactId: string,
    agentId: string,
    why: MessageOf<'ReconnectFailed'>['reason'],
  ): Promise<void> {
    return this.ports.emit<'ReconnectFailed'>({ type: 'ReconnectFailed', contactId, agentId, reason: why });
  }
}
