import { randomUUID } from 'node:crypto';
import { KeyedSerial } from '../../lib/keyed-serial';
import { Logger, contactLogger } from '../../lib/log';
import type { Draft, MessageOf, MessageType } from '../../lib/messages';
import type { ChannelControl } from '../ari/channels';
import { Call, CallRegistry } from './call-registry';

export interface SoftAcdPorts {
  channels: ChannelControl;
  /** Publishes an event to CTI; resolves once the broker confirmed it. */
  emit: <T extends MessageType>(draft: Draft<T>) => Promise<void>;
  log: Logger;
  instanceId: string;
  ivrApp: string;
  softacdApp: string;
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
    if (media === undefined || !followed) {
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

  /** S216/S241: a leg of a call is gone; the others are hung up and CTI told exactly once. */
  channelDestroyed(channelId: string, cause: number, causeText: string): Promise<void> {
    const call = this.calls.byChannelId(channelId);
    if (call === undefined) return Promise.resolve();
    return this.serial.run(call.contactId, async () => {
      if (call.state === 'cleared') return;
      const stage = call.state;
      this.calls.apply(call, 'released');
      this.calls.remove(call);
      const releasedBy = call.releasedBy ?? 'caller';
      if (call.agentChannelId !== undefined) await this.ports.channels.hangup(call.agentChannelId);
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

  get inFlight(): number {
    return this.serial.size;
  }
}
