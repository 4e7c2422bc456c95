import { Logger, contactLogger } from '../../lib/log';
import type { Draft, Message, MessageOf } from '../../lib/messages';
import type { InteractionStore } from '../store/interactions';
import { firstRoute } from './route-policy';

export interface CallEventPorts {
  store: InteractionStore;
  /** Sends a command to the SoftACD instance that owns the call's channel. */
  commandSoftAcd: (instance: string, draft: Draft<'RouteSelect'>) => Promise<void>;
  log: Logger;
  directQueues: ReadonlyMap<string, string>;
}

/**
 * CTI's handling of call events (S203-S208, S216, S241). Each handler stores its effect before it
 * resolves, so the bus acknowledges a message only once its effect is durable.
 */
export class CallEvents {
  /** Which SoftACD owns each live call; also stored on the interaction for a restarted CTI. */
  private readonly owners = new Map<string, string>();

  constructor(private readonly ports: CallEventPorts) {}

  async handle(message: Message): Promise<void> {
    switch (message.type) {
      case 'CallDelivered':
        return this.callDelivered(message);
      case 'RouteRequest':
        return this.routeRequest(message);
      case 'ConnectionCleared':
        return this.connectionCleared(message);
      default:
        return this.ports.store.record(message.contactId, entry(message));
    }
  }

  private async callDelivered(m: MessageOf<'CallDelivered'>): Promise<void> {
    if (m.deliveredTo.kind !== 'acd') {
      await this.ports.store.record(m.contactId, entry(m, { deliveredTo: m.deliveredTo }));
      return;
    }
    this.owners.set(m.contactId, m.deliveredTo.instance);
    await this.ports.store.create(
      {
        _id: m.contactId,
        channel: m.media === 'audio+video' ? 'video' : 'voice',
        direction: 'inbound',
        from: m.callingNumber,
        to: m.calledNumber,
        state: 'delivered',
        createdAt: new Date(m.at),
        softacd: m.deliveredTo.instance,
      },
      entry(m, { callingName: m.callingName, media: m.media }),
    );
  }

  private async routeRequest(m: MessageOf<'RouteRequest'>): Promise<void> {
    const log = contactLogger(this.ports.log, m.contactId);
    const owner = this.owners.get(m.contactId) ?? (await this.ports.store.find(m.contactId))?.softacd;
    if (owner === undefined) throw new Error(`RouteRequest for unknown contact ${m.contactId}`);
    const destination = firstRoute(m.calledNumber, this.ports.directQueues);
    await this.ports.store.record(m.contactId, entry(m), { state: 'routing' });
    await this.ports.commandSoftAcd(owner, { type: 'RouteSelect', contactId: m.contactId, destination });
    await this.ports.store.record(m.contactId, {
      at: new Date(),
      type: 'RouteSelect',
      data: { destination },
    });
    log.info('route selected', { destination });
  }

  private async connectionCleared(m: MessageOf<'ConnectionCleared'>): Promise<void> {
    this.owners.delete(m.contactId);
    const doc = await this.ports.store.find(m.contactId);
    const abandoned = doc !== null && doc.answeredAt === undefined && m.releasedBy === 'caller';
    await this.ports.store.record(
      m.contactId,
      entry(m, { releasedBy: m.releasedBy, stage: m.stage, cause: m.cause }),
      {
        state: 'cleared',
        endedAt: new Date(m.at),
        abandoned,
      },
    );
  }

  get liveCalls(): number {
    return this.owners.size;
  }
}

function entry(m: Message, data?: Record<string, unknown>) {
  return { at: new Date(m.at), type: m.type, ...(data === undefined ? {} : { data }) };
}
