import { Logger, contactLogger, errorText } from '../../lib/log';
import type { Draft, MessageOf } from '../../lib/messages';
import type { CtiDomain } from '../domain';
import { CallControlRefused } from './call-control';
import type { DeviceChoices } from './devices';
import type { AgentContact } from './directory';
import type { ContactOwners } from './owners';

export type LostCallDraft =
  | Draft<'HoldCall'>
  | Draft<'RetrieveCall'>
  | Draft<'ReconnectAgent'>
  | Draft<'TransferCall'>
  | Draft<'ClearCall'>;

/** What the page is told about a take-back (interface A `taken-back` / `take-back-failed`). */
export interface TakeBackNotifier {
  takenBack(agentId: string, contactId: string): void;
  takeBackFailed(agentId: string, contactId: string, reason: string): void;
}

export interface LostCallPorts {
  domain: CtiDomain;
  owners: ContactOwners;
  phones: ReadonlyMap<string, AgentContact>;
  devices: DeviceChoices;
  command: (softacd: string, draft: LostCallDraft) => Promise<void>;
  notify?: TakeBackNotifier;
  /** How long a lost agent has to take its call back before the caller goes back to its queue. */
  timeoutMs: number;
  ringTimeoutSec: number;
  log: Logger;
}

interface Lost {
  agentId: string;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Calls whose agent lost its softphone client mid-call (a page reload, the network). The agent's last
 * connection closed while it talked on the softphone: CTI holds the call (the caller hears hold media,
 * as for the agent's own `hold`) and marks it recoverable. The reloaded page asks for it back
 * (`take-back`): the owning SoftACD rings the agent's device again (ReconnectAgent); the call stays held
 * until the page retrieves it. An agent that does not come back within `timeoutMs`: an inbound caller is
 * transferred back to its queue (blind transfer, from hold), an outbound call is cleared.
 * In memory: a CTI restart forgets the marks (the call stays held; its agent can still retrieve it).
 */
export class LostCalls {
  private readonly lost = new Map<string, Lost>();

  constructor(private readonly ports: LostCallPorts) {}

  recoverable(contactId: string): boolean {
    return this.lost.has(contactId);
  }

  /** The agent's last connection closed. Never throws (a failed hold is logged). */
  async connectionLost(agentId: string): Promise<void> {
    const { domain } = this.ports;
    const agent = domain.agentView(agentId);
    const contactId = agent.ok ? agent.value.realtimeContactId : undefined;
    if (contactId === undefined || this.lost.has(contactId)) return;
    if (this.ports.devices.current(this.ports.phones.get(agentId)) !== 'softphone') return;
    const contact = domain.contactView(contactId);
    const softacd = this.ports.owners.softacd(contactId);
    if (!contact.ok || contact.value.agentId !== agentId || softacd === undefined) return;
    if (contact.value.state !== 'connected' && contact.value.state !== 'held') return;
    const log = contactLogger(this.ports.log, contactId);
    try {
      if (contact.value.state === 'connected')
        await this.ports.command(softacd, { type: 'HoldCall', contactId, agentId });
    } catch (err) {
      log.error('lost agent: call not held', { agentId, error: errorText(err) });
      return;
    }
    log.warn('agent client lost mid-call: call held, recoverable', {
      agentId,
      timeoutMs: this.ports.timeoutMs,
    });
    const timer = setTimeout(() => {
      this.expired(contactId).catch((err: unknown) =>
        log.error('lost call not handed back', { agentId, error: errorText(err) }),
      );
    }, this.ports.timeoutMs);
    timer.unref();
    this.lost.set(contactId, { agentId, timer });
  }

  /**
   * The agent asks for its held call back: its current device is rung again. Any held call of the
   * agent may be taken back (a page that reloaded after putting the call on hold itself).
   */
  async takeBack(agentId: string, contactId: string): Promise<void> {
    const contact = this.ports.domain.contactView(contactId);
    const softacd = this.ports.owners.softacd(contactId);
    if (!contact.ok || softacd === undefined) throw new CallControlRefused('gone', 'the call is gone');
    if (contact.value.agentId !== agentId) throw new CallControlRefused('illegal_state', 'not your call');
    if (contact.value.state !== 'held')
      throw new CallControlRefused(
        'illegal_state',
        `take-back needs a held call (it is ${contact.value.state})`,
      );
    const phone = this.ports.phones.get(agentId);
    if (phone?.endpoint === undefined) throw new CallControlRefused('no_device', 'no phone to ring');
    contactLogger(this.ports.log, contactId).info('take-back: ringing the agent again', {
      agentId,
      endpoint: phone.endpoint,
    });
    await this.ports.command(softacd, {
      type: 'ReconnectAgent',
      contactId,
      agentId,
      endpoint: phone.endpoint,
      ringTimeoutSec: this.ports.ringTimeoutSec,
    });
  }

  /**
   * The agent's phone answered the take-back: the agent asked for the call, so the caller is retrieved
   * from hold at once (the page shows it held until SoftACD reports Retrieved).
   */
  async reconnected(m: MessageOf<'AgentReconnected'>): Promise<void> {
    this.forget(m.contactId);
    contactLogger(this.ports.log, m.contactId).info('agent took its call back', { agentId: m.agentId });
    this.ports.notify?.takenBack(m.agentId, m.contactId);
    const softacd = this.ports.owners.softacd(m.contactId);
    if (softacd === undefined) return;
    await this.ports.command(softacd, { type: 'RetrieveCall', contactId: m.contactId, agentId: m.agentId });
  }

  reconnectFailed(m: MessageOf<'ReconnectFailed'>): void {
    contactLogger(this.ports.log, m.contactId).warn('take-back failed', {
      agentId: m.agentId,
      reason: m.reason,
    });
    this.ports.notify?.takeBackFailed(m.agentId, m.contactId, m.reason);
  }

  /** The call ended or left the agent: nothing to take back. */
  forget(contactId: string): void {
    const entry = this.lost.get(contactId);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    this.lost.delete(contactId);
  }

  get size(): number {
    return this.lost.size;
  }

  stop(): void {
    for (const contactId of [...this.lost.keys()]) this.forget(contactId);
  }

  /** The agent never came back: the caller is not left on hold for ever. */
  private async expired(contactId: string): Promise<void> {
    const entry = this.lost.get(contactId);
    if (entry === undefined) return;
    this.lost.delete(contactId);
    const contact = this.ports.domain.contactView(contactId);
    const softacd = this.ports.owners.softacd(contactId);
    if (!contact.ok || softacd === undefined || contact.value.agentId !== entry.agentId) return;
    const log = contactLogger(this.ports.log, contactId);
    const agentId = entry.agentId;
    if (contact.value.outbound === true) {
      log.warn('lost agent did not come back: outbound call cleared', { agentId });
      await this.ports.command(softacd, { type: 'ClearCall', contactId, by: 'system', agentId });
      return;
    }
    const queueId = contact.value.queueId;
    log.warn('lost agent did not come back: caller back to its queue', { agentId, queueId });
    await this.ports.command(softacd, {
      type: 'TransferCall',
      contactId,
      agentId,
      target: { kind: 'queue', queueId },
    });
  }
}
