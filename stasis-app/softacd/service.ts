import { randomUUID } from 'node:crypto';
import { KeyedSerial } from '../../lib/keyed-serial';
import { Logger, contactLogger } from '../../lib/log';
import type { Draft, Media, MessageOf, MessageType } from '../../lib/messages';
import { AGENT_TAG, ChannelControl } from '../ari/channels';
import { Call, CallRegistry } from './call-registry';

export interface SoftAcdPorts {
  channels: ChannelControl;
  /** Publishes an event to CTI; resolves once the broker confirmed it. */
  emit: <T extends MessageType>(draft: Draft<T>) => Promise<void>;
  log: Logger;
  instanceId: string;
  ivrApp: string;
  softacdApp: string;
  /** Asks the IVR holding a channel to hand it over (ReleaseIvr on the IVRs' handover key). */
  releaseIvr: (draft: Draft<'ReleaseIvr'>) => Promise<void>;
  /** How long the IVR may take to hand a caller over before SoftACD moves the channel itself. */
  handoverTimeoutMs?: number;
}

export interface LiveChannel {
  id: string;
  callingNumber: string;
  /** The IPCC_CALL variable: set on callers by callArrived. */
  tag?: string;
  /** The IPCC_AGENT variable: set on agent legs at originate. */
  agentId?: string;
}

export interface LiveBridge {
  id: string;
  channels: string[];
}

/** contactId|media|calledNumber: the called number last, since it is the only free-form part. */
export function encodeTag(contactId: string, incoming: IncomingChannel, media: Media): string {
  return `${contactId}|${media}|${incoming.calledNumber}`;
}

export function decodeTag(
  tag: string,
): { contactId: string; media: Media; calledNumber: string } | undefined {
  const [contactId, media, ...rest] = tag.split('|');
  if (contactId === undefined || contactId === '' || (media !== 'audio' && media !== 'audio+video'))
    return undefined;
  return { contactId, media, calledNumber: rest.join('|') };
}

export interface IncomingChannel {
  channelId: string;
  callingNumber: string;
  callingName: string;
  calledNumber: string;
}

/**
 * SoftACD's call control (patent steps S201-S241): reports calls to CTI and carries out its routing
 * commands. Knows ARI and RabbitMQ only through the ports it is given.
 */
export class SoftAcdService {
  readonly calls = new CallRegistry();
  private readonly serial = new KeyedSerial();

  constructor(private readonly ports: SoftAcdPorts) {}

  /** S201-S204: a new call entered Stasis(softacd). */
  async callArrived(incoming: IncomingChannel): Promise<void> {
    const contactId = randomUUID();
    const log = contactLogger(this.ports.log, contactId);
    const { channels } = this.ports;
    const [media, followed] = await Promise.all([
      channels.media(incoming.channelId),
      channels.follow(this.ports.softacdApp, incoming.channelId),
    ]);
    const tagged =
      media !== undefined && (await channels.tag(incoming.channelId, encodeTag(contactId, incoming, media)));
    if (media === undefined || !followed || !tagged) {
      log.info('caller left before the call was reported', { channelId: incoming.channelId });
      return;
    }
    const call: Call = {
      contactId,
      channelId: incoming.channelId,
      calledNumber: incoming.calledNumber,
      callingNumber: incoming.callingNumber,
      media,
      state: 'routing',
      createdAt: Date.now(),
    };
    this.calls.add(call);
    log.info('call delivered', { channelId: call.channelId, calledNumber: call.calledNumber, media });
    await this.serial.run(contactId, async () => {
      await this.ports.emit<'CallDelivered'>({
        type: 'CallDelivered',
        contactId,
        callingNumber: incoming.callingNumber,
        callingName: incoming.callingName,
        calledNumber: incoming.calledNumber,
        media,
        channelId: incoming.channelId,
        deliveredTo: { kind: 'acd', instance: this.ports.instanceId },
      });
      await this.ports.emit<'RouteRequest'>({
        type: 'RouteRequest',
        contactId,
        calledNumber: incoming.calledNumber,
        callingNumber: incoming.callingNumber,
        media,
      });
    });
  }

  /** S205/S208: CTI chose a route. */
  routeSelect(command: MessageOf<'RouteSelect'>): Promise<void> {
    return this.serial.run(command.contactId, async () => {
      const call = this.calls.byContactId(command.contactId);
      const log = contactLogger(this.ports.log, command.contactId);
      if (call === undefined || call.state === 'cleared') {
        log.info('route select for a call already gone');
        return;
      }
      const dest = command.destination;
      if (dest.kind === 'release') {
        call.releasedBy = 'system';
        await this.ports.channels.hangup(call.channelId);
        await this.routeEnd(call, 'routed');
        return;
      }
      if (dest.kind === 'queue') {
        // Queueing is done by the IVR (queue media, announcements); the call goes there with its queue.
        await this.toIvr(call, log, ['queue', dest.queueId]);
        return;
      }
      await this.toIvr(call, log, dest.flow === undefined ? [] : ['flow', dest.flow]);
    });
  }

  private async toIvr(call: Call, log: Logger, extra: string[]): Promise<void> {
    const moved = await this.ports.channels.move(call.channelId, this.ports.ivrApp, [
      call.contactId,
      call.calledNumber,
      call.media,
      ...extra,
    ]);
    if (!moved) {
      log.info('caller left before the move to the IVR');
      await this.routeEnd(call, 'failed', 'caller gone');
      return;
    }
    this.calls.apply(call, 'routedToIvr');
    await this.routeEnd(call, 'routed');
  }

  private routeEnd(call: Call, outcome: 'routed' | 'failed', reason?: string): Promise<void> {
    return this.ports.emit<'RouteEnd'>({
      type: 'RouteEnd',
      contactId: call.contactId,
      outcome,
      ...(reason === undefined ? {} : { reason }),
    });
  }

  /**
   * S224-S230: CTI chose an agent. The caller stays in the IVR hearing queue media while the agent's
   * phone rings; only an answered agent takes the caller out of the IVR, so a no-answer costs nothing.
   */
  divertCall(command: MessageOf<'DivertCall'>): Promise<void> {
    return this.serial.run(command.contactId, async () => {
      const call = this.calls.byContactId(command.contactId);
      const log = contactLogger(this.ports.log, command.contactId);
      if (call === undefined || call.state === 'cleared') {
        log.info('divert for a call already gone');
        await this.divertFailed(command.contactId, command.agentId, 'caller-gone');
        return;
      }
      if (call.state === 'ringing' && call.agentChannelId !== undefined) {
        // CTI moved on (its ring timer fired first): the previous agent's phone stops ringing.
        const previous = call.agentChannelId;
        this.calls.detachAgentLeg(call);
        await this.ports.channels.hangup(previous);
      } else {
        this.calls.apply(call, 'divert');
      }
      const agentChannelId = `${call.contactId}-agent-${Date.now().toString(36)}`;
      this.calls.attachAgentLeg(call, agentChannelId, command.agentId);
      const callerId =
        command.callerIdNumber === undefined
          ? undefined
          : `"${(command.callerIdName ?? '').replace(/["\\]/g, '')}" <${command.callerIdNumber}>`;
      try {
        await this.ports.channels.originate({
          channelId: agentChannelId,
          endpoint: command.endpoint,
          app: this.ports.softacdApp,
          args: ['agent', call.contactId],
          timeoutSec: command.ringTimeoutSec,
          variables: { [AGENT_TAG]: command.agentId },
          ...(callerId === undefined ? {} : { callerId }),
        });
      } catch (err) {
        log.warn('agent endpoint unreachable', { endpoint: command.endpoint, error: (err as Error).message });
        this.calls.detachAgentLeg(call);
        this.calls.apply(call, 'agentNoAnswer');
        await this.divertFailed(call.contactId, command.agentId, 'unreachable');
        return;
      }
      log.info('diverted to agent', { agentId: command.agentId, endpoint: command.endpoint, agentChannelId });
      await this.ports.emit<'CallDiverted'>({
        type: 'CallDiverted',
        contactId: call.contactId,
        agentId: command.agentId,
      });
    });
  }

  /** S231: the agent's phone rings. */
  agentRinging(channelId: string): Promise<void> {
    const call = this.calls.byChannelId(channelId);
    if (call === undefined || call.agentChannelId !== channelId || call.agentId === undefined)
      return Promise.resolve();
    const agentId = call.agentId;
    return this.serial.run(call.contactId, () =>
      this.ports.emit<'CallDelivered'>({
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
  agentAnswered(channelId: string): Promise<void> {
    const call = this.calls.byChannelId(channelId);
    if (call === undefined || call.agentChannelId !== channelId) {
      // An agent leg this SoftACD no longer wants (superseded or the caller left): end it.
      return this.ports.channels.hangup(channelId);
    }
    return this.serial.run(call.contactId, async () => {
      if (call.state !== 'ringing') return;
      this.calls.apply(call, 'agentAnswered');
      const log = contactLogger(this.ports.log, call.contactId);
      log.info('agent answered', { agentId: call.agentId, agentChannelId: channelId });
      const appArgs = ['return', call.contactId];
      await this.ports.releaseIvr({
        type: 'ReleaseIvr',
        contactId: call.contactId,
        channelId: call.channelId,
        app: this.ports.softacdApp,
        appArgs,
      });
      // If no IVR answers (one crashed), take the caller directly; a prompt may delay it, never lose it.
      const timer = setTimeout(() => {
        void this.serial
          .run(call.contactId, async () => {
            if (call.state !== 'talking' || call.bridgeId !== undefined) return;
            log.warn('IVR did not hand the caller over; moving it directly');
            if (!(await this.ports.channels.move(call.channelId, this.ports.softacdApp, appArgs))) {
              await this.ports.channels.hangup(channelId);
            }
          })
          .catch((err: unknown) => log.error('direct move failed', { error: (err as Error).message }));
      }, this.ports.handoverTimeoutMs ?? 3000);
      timer.unref();
    });
  }

  /** The caller arrived back in SoftACD's app after an agent answered: one bridge, media both ways. */
  callerReturned(channelId: string): Promise<void> {
    const call = this.calls.byChannelId(channelId);
    if (call === undefined || call.channelId !== channelId) return Promise.resolve();
    return this.serial.run(call.contactId, async () => {
      if (call.state !== 'talking' || call.agentChannelId === undefined || call.bridgeId !== undefined)
        return;
      const bridgeId = `${call.contactId}-bridge`;
      call.bridgeId = bridgeId;
      const bridged = await this.ports.channels.bridge(bridgeId, [call.channelId, call.agentChannelId]);
      if (!bridged) return; // a leg left meanwhile; its ChannelDestroyed releases the call
      contactLogger(this.ports.log, call.contactId).info('established', { agentId: call.agentId, bridgeId });
      await this.ports.emit<'Established'>({
        type: 'Established',
        contactId: call.contactId,
        agentId: call.agentId ?? '',
        agentChannelId: call.agentChannelId,
      });
    });
  }

  /** CTI released the call (the agent hung up from its client): every leg goes, ConnectionCleared follows. */
  clearCall(command: MessageOf<'ClearCall'>): Promise<void> {
    return this.serial.run(command.contactId, async () => {
      const call = this.calls.byContactId(command.contactId);
      if (call === undefined || call.state === 'cleared') return;
      call.releasedBy = command.by === 'agent' ? 'agent' : 'system';
      await this.ports.channels.hangup(call.channelId);
    });
  }

  private divertFailed(
    contactId: string,
    agentId: string,
    reason: MessageOf<'DivertFailed'>['reason'],
  ): Promise<void> {
    return this.ports.emit<'DivertFailed'>({ type: 'DivertFailed', contactId, agentId, reason });
  }

  /** S216/S241: a leg of a call is gone; the others are hung up and CTI told exactly once. */
  channelDestroyed(channelId: string, cause: number, causeText: string): Promise<void> {
    const call = this.calls.byChannelId(channelId);
    if (call === undefined) return Promise.resolve();
    return this.serial.run(call.contactId, async () => {
      if (call.state === 'cleared') return;
      if (channelId === call.agentChannelId && call.state === 'ringing') {
        // The agent did not answer (or refused): the caller is still in the queue, in the IVR.
        const agentId = call.agentId ?? '';
        this.calls.detachAgentLeg(call);
        this.calls.apply(call, 'agentNoAnswer');
        await this.divertFailed(
          call.contactId,
          agentId,
          cause === 17 ? 'busy' : cause === 19 || cause === 16 ? 'no-answer' : 'unreachable',
        );
        return;
      }
      if (channelId === call.agentChannelId && call.releasedBy === undefined) call.releasedBy = 'agent';
      const stage = call.state;
      this.calls.apply(call, 'released');
      this.calls.remove(call);
      const releasedBy = call.releasedBy ?? 'caller';
      for (const leg of [call.channelId, call.agentChannelId]) {
        if (leg !== undefined && leg !== channelId) await this.ports.channels.hangup(leg);
      }
      if (call.bridgeId !== undefined) await this.ports.channels.destroyBridge(call.bridgeId);
      contactLogger(this.ports.log, call.contactId).info('connection cleared', { stage, releasedBy, cause });
      await this.ports.emit<'ConnectionCleared'>({
        type: 'ConnectionCleared',
        contactId: call.contactId,
        releasedBy,
        stage,
        cause,
        causeText,
      });
    });
  }

  /** After a reconnect: calls whose channel vanished while events could not arrive are cleared now. */
  async resync(liveChannelIds: Set<string>): Promise<void> {
    for (const call of this.calls.all()) {
      if (!liveChannelIds.has(call.channelId))
        await this.channelDestroyed(call.channelId, 0, 'gone during ARI outage');
    }
  }

  /**
   * After a restart: the calls Asterisk still has are taken back from what it lists (channels with their
   * tag, bridges), so a call in progress is never dropped because SoftACD restarted.
   */
  async recover(live: LiveChannel[], bridges: LiveBridge[]): Promise<number> {
    let recovered = 0;
    for (const ch of live) {
      const tag = ch.tag === undefined ? undefined : decodeTag(ch.tag);
      if (tag === undefined || this.calls.byContactId(tag.contactId) !== undefined) continue;
      const bridge = bridges.find((b) => b.id === `${tag.contactId}-bridge` && b.channels.includes(ch.id));
      const agentLeg =
        bridge?.channels.find((id) => id !== ch.id) ??
        live.find((c) => c.id.startsWith(`${tag.contactId}-agent-`))?.id;
      const call: Call = {
        contactId: tag.contactId,
        channelId: ch.id,
        calledNumber: tag.calledNumber,
        callingNumber: ch.callingNumber,
        media: tag.media,
        state: bridge !== undefined ? 'talking' : agentLeg !== undefined ? 'ringing' : 'ivr',
        createdAt: Date.now(),
        ...(bridge === undefined ? {} : { bridgeId: bridge.id }),
      };
      this.calls.add(call);
      if (agentLeg !== undefined)
        this.calls.attachAgentLeg(call, agentLeg, live.find((c) => c.id === agentLeg)?.agentId ?? '');
      await this.ports.channels.follow(this.ports.softacdApp, ch.id);
      if (agentLeg !== undefined) await this.ports.channels.follow(this.ports.softacdApp, agentLeg);
      contactLogger(this.ports.log, call.contactId).info('call recovered after restart', {
        state: call.state,
      });
      recovered++;
    }
    return recovered;
  }

  get inFlight(): number {
    return this.serial.size;
  }
}
