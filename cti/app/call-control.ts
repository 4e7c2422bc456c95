import { Logger, contactLogger } from '../../lib/log';
import type { Draft } from '../../lib/messages';
import type { TransferTo } from '../agent-gateway/protocol';
import type { AgentContact } from './directory';
import type { ContactOwners } from './owners';
import type { RoutingService } from './routing';

/** What an agent asks of its call besides answering and hanging up. */
export type CallAction =
  | { type: 'hold' }
  | { type: 'retrieve' }
  | { type: 'transfer'; to: TransferTo }
  | { type: 'consult'; to: TransferTo }
  | { type: 'complete-transfer' }
  | { type: 'cancel-consult' }
  | { type: 'conference' };

export type CallControlDraft =
  | Draft<'HoldCall'>
  | Draft<'RetrieveCall'>
  | Draft<'TransferCall'>
  | Draft<'ConsultCall'>
  | Draft<'CompleteTransfer'>
  | Draft<'CancelConsult'>
  | Draft<'ConferenceCall'>;

export interface CallControlPorts {
  owners: ContactOwners;
  routing: RoutingService;
  agents: ReadonlyMap<string, AgentContact>;
  /** Queue ids CTI routes to (a transfer to an unknown queue is refused before anything moves). */
  queues: ReadonlySet<string>;
  /** Sends a command to the SoftACD instance that owns the call. */
  command: (softacd: string, draft: CallControlDraft) => Promise<void>;
  /** The dial string for an outside number, e.g. `PJSIP/{number}@trunk` (CTI_OUTSIDE_DIAL). */
  outsideDial: string;
  ringTimeoutSec: number;
  log: Logger;
}

/** A refused agent action: its code goes back to the agent's client as is. */
export class CallControlRefused extends Error {
  constructor(
    readonly code:
      | 'illegal_state'
      | 'unknown_queue'
      | 'unknown_agent'
      | 'agent_unavailable'
      | 'gone'
      | 'busy'
      | 'logged_out'
      | 'no_device'
      | 'no_queue'
      | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

function directed(owners: ContactOwners, contactId: string, agentId: string) {
  if (owners.agent(contactId) !== agentId) return undefined;
  return { queueId: undefined, state: 'directed', agentId };
}

/** The state the contact must be in (CTI's view) for each action. */
const ALLOWED: Record<CallAction['type'], readonly string[]> = {
  hold: ['connected', 'directed'],
  retrieve: ['held', 'directed'],
  transfer: ['connected', 'held', 'directed'],
  consult: ['connected', 'held', 'directed'],
  // During a consultation the caller is held (SoftACD reported Held when it started).
  'complete-transfer': ['held', 'directed'],
  'cancel-consult': ['held', 'directed'],
  // A conference merges a consultation: the caller is held until then.
  conference: ['held', 'directed'],
};

/**
 * Interface A's call control (hold, retrieve, blind transfer): checked against the routing domain,
 * then sent to the SoftACD that owns the call. What happened comes back as events (Held, Retrieved,
 * Transferred, TransferFailed), handled in call-events.ts.
 */
export class CallControl {
  constructor(private readonly ports: CallControlPorts) {}

  async act(contactId: string, agentId: string, action: CallAction): Promise<void> {
    const log = contactLogger(this.ports.log, contactId);
    const softacd = this.ports.owners.softacd(contactId);
    // A call transferred to this agent by name is not in the routing domain: SoftACD checks its state.
    const contact = this.ports.routing.contact(contactId) ?? directed(this.ports.owners, contactId, agentId);
    if (softacd === undefined || contact === undefined)
      throw new CallControlRefused('gone', 'the call is gone');
    if (contact.agentId !== agentId || !ALLOWED[action.type].includes(contact.state)) {
      throw new CallControlRefused('illegal_state', `${action.type} is not allowed while ${contact.state}`);
    }
    log.info('agent call control', { agentId, action: action.type });
    if (action.type === 'hold' || action.type === 'retrieve') {
      await this.ports.command(softacd, {
        type: action.type === 'hold' ? 'HoldCall' : 'RetrieveCall',
        contactId,
        agentId,
      });
      return;
    }
    if (action.type === 'complete-transfer' || action.type === 'cancel-consult') {
      await this.ports.command(softacd, {
        type: action.type === 'complete-transfer' ? 'CompleteTransfer' : 'CancelConsult',
        contactId,
        agentId,
      });
      return;
    }
    if (action.type === 'conference') {
      await this.ports.command(softacd, { type: 'ConferenceCall', contactId, agentId });
      return;
    }
    const target = this.target(action.to, agentId);
    if (action.type === 'consult') {
      if (target.kind === 'queue')
        throw new CallControlRefused('illegal_state', 'a queue cannot be consulted: transfer to it');
      if (target.kind === 'agent') await this.offerDirectly(contactId, target.agentId);
      await this.ports.command(softacd, { type: 'ConsultCall', contactId, agentId, target });
      return;
    }
    // The target agent is reserved for this contact at once (a directed offer), so routing cannot give
    // it another call while its phone rings; it then follows a routed offer's states (call-events.ts).
    if (target.kind === 'agent') await this.offerDirectly(contactId, target.agentId);
    await this.ports.command(softacd, {
      type: 'TransferCall',
      contactId,
      agentId,
      target,
      ...(target.kind === 'queue' || contact.queueId === undefined
        ? {}
        : { fallbackQueueId: contact.queueId }),
    });
  }

  private async offerDirectly(contactId: string, target: string): Promise<void> {
    if (!(await this.ports.routing.directOffer(contactId, target)))
      throw new CallControlRefused('agent_unavailable', `agent ${target} cannot be offered the call`);
  }

  private target(to: TransferTo, agentId: string) {
    if (to.kind === 'queue') {
      if (!this.ports.queues.has(to.queueId))
        throw new CallControlRefused('unknown_queue', `no queue ${to.queueId}`);
      return { kind: 'queue' as const, queueId: to.queueId };
    }
    if (to.kind === 'number') {
      return {
        kind: 'number' as const,
        number: to.number,
        endpoint: this.ports.outsideDial.replace('{number}', to.number),
        ringTimeoutSec: this.ports.ringTimeoutSec,
      };
    }
    const target =
      this.ports.agents.get(to.agent) ?? [...this.ports.agents.values()].find((a) => a.login === to.agent);
    if (target?.endpoint === undefined || target.id === agentId)
      throw new CallControlRefused('unknown_agent', `no other agent ${to.agent} with a phone`);
    const state = this.ports.routing.agentState(target.id)?.state;
    if (state !== 'ready')
      throw new CallControlRefused('agent_unavailable', `agent ${to.agent} is ${state ?? 'unknown'}`);
    return {
      kind: 'agent' as const,
      agentId: target.id,
      endpoint: target.endpoint,
      ringTimeoutSec: this.ports.ringTimeoutSec,
    };
  }
}
