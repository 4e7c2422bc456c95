import { Logger, contactLogger } from '../../lib/log';
import type { Draft, MessageOf } from '../../lib/messages';
import type { CtiDomain } from '../domain';
import { CallControlRefused } from './call-control';
import type { AgentPhones, DeviceChoices } from './devices';
import type { OutboundCalls } from './outbound';
import type { RoutingService } from './routing';

type Result = Omit<Draft<'AgentFeatureResult'>, 'type' | 'contactId' | 'feature'>;
type FeatureError = NonNullable<Result['error']>;

export interface DeskFeaturePorts {
  domain: CtiDomain;
  routing: Pick<RoutingService, 'agentEvent'>;
  phones: AgentPhones;
  devices: DeviceChoices;
  outbound: OutboundCalls;
  /** The not-ready reasons in the AS's order (sorted by name): digit N is the N-th. */
  reasons: () => readonly string[];
  /** One action at a time per agent, shared with interface A (the gateway's serial). */
  serialize: (agentId: string, task: () => Promise<void>) => Promise<void>;
  /** The answer, to the SoftACD that asked (its commands queue). */
  reply: (softacd: string, draft: Draft<'AgentFeatureResult'>) => Promise<void>;
  /** The agent's pages learn where it stands (a snapshot), and see an outbound contact as an offer. */
  pushStatus?: (agentId: string) => void;
  offeredOutbound?: (contactId: string, agentId: string, queueId: string, number: string) => void;
  outsideDial: (number: string) => string;
  customerRingTimeoutSec: number;
  log: Logger;
}

/**
 * A desk phone's feature codes (SoftACD's AgentFeature): the phone names itself (`endpoint`), CTI finds
 * the agent whose desk phone it is, applies the feature as interface A would, and answers the SoftACD
 * that asked (AgentFeatureResult). Logging in from the desk phone chooses the desk device.
 */
export class DeskFeatures {
  constructor(private readonly ports: DeskFeaturePorts) {}

  async handle(m: MessageOf<'AgentFeature'>): Promise<void> {
    const agent = this.ports.phones.byDesk(m.endpoint);
    const log = contactLogger(this.ports.log, m.contactId);
    let result: Result;
    if (agent === undefined) result = { ok: false, error: 'unknown_phone' };
    else {
      const agentId = agent.id;
      let outcome: Result = { ok: false, error: 'refused' };
      await this.ports.serialize(agentId, async () => {
        outcome = await this.apply(m, agentId);
      });
      result = { agentId, ...outcome };
    }
    log.info('desk phone feature', {
      endpoint: m.endpoint,
      feature: m.feature,
      ok: result.ok,
      error: result.error,
    });
    await this.ports.reply(m.source.instance, {
      type: 'AgentFeatureResult',
      contactId: m.contactId,
      feature: m.feature,
      ...result,
    });
  }

  private async apply(m: MessageOf<'AgentFeature'>, agentId: string): Promise<Result> {
    const state = () => this.ports.domain.agentView(agentId);
    const before = state();
    if (!before.ok) return { ok: false, error: 'unknown_phone' };
    const onContact = before.value.realtimeContactId !== undefined;
    const answer = (okState: (s: string) => boolean, error: FeatureError = 'refused'): Result => {
      const now = state();
      const s = now.ok ? now.value.state : 'logged-out';
      return okState(s) ? { ok: true, state: s } : { ok: false, state: s, error };
    };
    switch (m.feature) {
      case 'login':
        if (onContact) return answer(() => false, 'busy');
        this.ports.devices.set(agentId, 'desk');
        if (before.value.state === 'logged-out') await this.ports.routing.agentEvent('login', agentId);
        this.ports.pushStatus?.(agentId);
        return answer((s) => s !== 'logged-out');
      case 'logout':
        if (onContact) return answer(() => false, 'busy');
        if (before.value.state !== 'logged-out') await this.ports.routing.agentEvent('logout', agentId);
        return answer((s) => s === 'logged-out');
      case 'ready':
        if (before.value.state !== 'ready') await this.ports.routing.agentEvent('ready', agentId);
        return answer((s) => s === 'ready' || s === 'reserved' || s === 'ringing');
      case 'not-ready': {
        const reason = m.reasonDigit === undefined ? undefined : this.ports.reasons()[m.reasonDigit - 1];
        if (reason === undefined) return answer(() => false, 'unknown_reason');
        await this.ports.routing.agentEvent('not-ready', agentId, reason);
        return answer((s) => s === 'not-ready' && state().ok);
      }
      case 'dial':
        return this.dial(m, agentId);
    }
  }

  /** `9<number>`: the phone's channel (answered already) becomes an outbound contact of the agent. */
  private async dial(m: MessageOf<'AgentFeature'>, agentId: string): Promise<Result> {
    if (m.number === undefined) return { ok: false, error: 'refused' };
    let queueId: string;
    try {
      queueId = this.ports.outbound.queueFor(agentId);
      await this.ports.outbound.start({
        agentId,
        contactId: m.contactId,
        number: m.number,
        queueId,
        softacd: m.source.instance,
        answered: true,
        via: 'desk-phone',
      });
    } catch (err) {
      if (!(err instanceof CallControlRefused)) throw err;
      const error: FeatureError =
        err.code === 'no_queue' || err.code === 'unknown_queue'
          ? 'no_queue'
          : err.code === 'logged_out'
            ? 'refused'
            : 'busy';
      const now = this.ports.domain.agentView(agentId);
      return { ok: false, error, ...(now.ok ? { state: now.value.state } : {}) };
    }
    // The call is on the desk phone: an agent signed in on its softphone now uses the desk (a page that
    // closes must not hold this call as a lost softphone's).
    this.ports.devices.set(agentId, 'desk');
    this.ports.offeredOutbound?.(m.contactId, agentId, queueId, m.number);
    const phone = this.ports.phones.get(agentId);
    return {
      ok: true,
      state: 'talking',
      dial: {
        queueId,
        number: m.number,
        customerEndpoint: this.ports.outsideDial(m.number),
        customerRingTimeoutSec: this.ports.customerRingTimeoutSec,
        ...(phone?.callerIdName === undefined ? {} : { callerIdName: phone.callerIdName }),
        ...(phone?.callerIdNumber === undefined ? {} : { callerIdNumber: phone.callerIdNumber }),
      },
    };
  }
}
