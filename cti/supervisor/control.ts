import { errorText, type Logger } from '../../lib/log';
import type { CtiDomain, DomainError, Outcome, Result } from '../domain';
import type { RoutingService } from '../app/routing';
import { coversQueue, type Scope } from '../domain/wallboard-scope';
import type { AuditEntry, AuditWriter } from './audit';

/** A supervisor's request refused: `code` and the message go back to the page as an `error`. */
export class SupervisorRefused extends Error {
  override readonly name = 'SupervisorRefused';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Who asks: the token's person and what it may see. */
export interface Actor {
  personId: string;
  scope: Scope;
}

export interface ControlPorts {
  routing: Pick<RoutingService, 'agentEvent' | 'agentStatus' | 'applyResult' | 'announcePosition'>;
  domain: Pick<CtiDomain, 'moveWaiting' | 'raiseWaiting' | 'contactView'>;
  /** The queues an agent serves; undefined: CTI does not know the agent. */
  agentQueues: (agentId: string) => string[] | undefined;
  reasons: { allows(reason: string): boolean; list(): string[] };
  /** One action at a time per agent, shared with the agent's own desktop and desk phone. */
  serializeAgent: (agentId: string, task: () => Promise<void>) => Promise<void>;
  /** One change at a time per contact, shared with the call events. */
  serializeContact: (contactId: string, task: () => Promise<void>) => Promise<void>;
  audit: AuditWriter;
  log: Logger;
}

/** States an agent can be forced out of: not while a contact is offered to it or in progress. */
const FORCEABLE = new Set(['ready', 'not-ready', 'wrap-up']);

const DOMAIN_CODES: ReadonlyMap<string, string> = new Map([
  ['UNKNOWN_CONTACT', 'unknown_contact'],
  ['CONTACT_NOT_WAITING', 'not_waiting'],
  ['UNKNOWN_QUEUE', 'unknown_queue'],
  ['WRONG_CHANNEL', 'wrong_channel'],
  ['ILLEGAL_CONTACT_TRANSITION', 'refused'],
]);

/**
 * Agent control from the wallboard: force not ready, force log out, move a waiting contact to another
 * queue, raise a waiting contact. Each is checked against the supervisor's queues first (anything
 * outside is refused with `not_your_queue`), carried out through the routing service like any command
 * (stored, pushed to the agent's desktop and the wallboards), then written to the audit log.
 */
export class SupervisorControl {
  constructor(private readonly ports: ControlPorts) {}

  /** The agent serves one of the supervisor's queues; throws otherwise. Also used before supervising. */
  checkAgent(actor: Actor, agentId: string): void {
    const queues = this.ports.agentQueues(agentId);
    if (queues === undefined) throw new SupervisorRefused('unknown_agent', `no agent ${agentId}`);
    if (!actor.scope.all && !queues.some((q) => coversQueue(actor.scope, q))) {
      throw new SupervisorRefused(
        'not_your_queue',
        `agent ${agentId} serves none of the queues you supervise`,
      );
    }
  }

  async forceNotReady(actor: Actor, agentId: string, reason: string): Promise<void> {
    this.checkAgent(actor, agentId);
    if (!this.ports.reasons.allows(reason)) {
      throw new SupervisorRefused(
        'unknown_reason',
        `not-ready reason "${reason}" is not configured; use one of: ${this.ports.reasons.list().join(', ')}`,
      );
    }
    const before = await this.forceAgent(agentId, 'not-ready', reason);
    await this.audit({
      actor: actor.personId,
      action: 'force-not-ready',
      entity: 'agent',
      entityId: agentId,
      before,
      after: { state: 'not-ready', reason },
    });
  }

  async forceLogout(actor: Actor, agentId: string, reason?: string): Promise<void> {
    this.checkAgent(actor, agentId);
    const before = await this.forceAgent(agentId, 'logout');
    await this.audit({
      actor: actor.personId,
      action: 'force-logout',
      entity: 'agent',
      entityId: agentId,
      before,
      after: { state: 'logged-out', ...(reason === undefined ? {} : { reason }) },
    });
  }

  async moveContact(actor: Actor, contactId: string, queueId: string): Promise<void> {
    const from = this.checkContact(actor, contactId);
    if (!coversQueue(actor.scope, queueId)) {
      throw new SupervisorRefused(
        'not_your_queue',
        `queue ${queueId} is not one of the queues you supervise`,
      );
    }
    await this.ports.serializeContact(contactId, async () => {
      await this.apply(
        this.ports.domain.moveWaiting(contactId, queueId),
        `supervisor moved ${contactId} to ${queueId}`,
      );
      await this.ports.routing.announcePosition(contactId);
    });
    await this.audit({
      actor: actor.personId,
      action: 'move-contact',
      entity: 'contact',
      entityId: contactId,
      before: { queueId: from },
      after: { queueId },
    });
  }

  async raisePriority(actor: Actor, contactId: string): Promise<void> {
    const queueId = this.checkContact(actor, contactId);
    await this.ports.serializeContact(contactId, async () => {
      await this.apply(this.ports.domain.raiseWaiting(contactId), `supervisor raised ${contactId}`);
      await this.ports.routing.announcePosition(contactId);
    });
    await this.audit({
      actor: actor.personId,
      action: 'raise-priority',
      entity: 'contact',
      entityId: contactId,
      after: { queueId, raised: true },
    });
  }

  /** The contact's queue, when it is one of the supervisor's; throws otherwise. */
  private checkContact(actor: Actor, contactId: string): string {
    const view = this.ports.domain.contactView(contactId);
    if (!view.ok) throw new SupervisorRefused('unknown_contact', `no contact ${contactId} in any queue`);
    if (!coversQueue(actor.scope, view.value.queueId)) {
      throw new SupervisorRefused(
        'not_your_queue',
        `contact ${contactId} waits in ${view.value.queueId}, not one of the queues you supervise`,
      );
    }
    return view.value.queueId;
  }

  /** Moves the agent as its own desktop would, in its order of actions; answers the state before. */
  private async forceAgent(
    agentId: string,
    kind: 'not-ready' | 'logout',
    reason?: string,
  ): Promise<{ state: string; reason?: string }> {
    let before: { state: string; reason?: string } | undefined;
    await this.ports.serializeAgent(agentId, async () => {
      const status = this.ports.routing.agentStatus(agentId);
      if (status === undefined) throw new SupervisorRefused('unknown_agent', `no agent ${agentId}`);
      before = { state: status.state, ...(status.reason === undefined ? {} : { reason: status.reason }) };
      if (status.state === 'logged-out') {
        throw new SupervisorRefused('logged_out', `agent ${agentId} is logged out`);
      }
      if (!FORCEABLE.has(status.state)) {
        throw new SupervisorRefused(
          'agent_busy',
          `agent ${agentId} is ${status.state}; try again after the contact`,
        );
      }
      await this.ports.routing.agentEvent(kind, agentId, reason);
      const after = this.ports.routing.agentStatus(agentId);
      const done =
        kind === 'logout'
          ? after?.state === 'logged-out'
          : after?.state === 'not-ready' && after.reason === reason;
      if (!done)
        throw new SupervisorRefused('refused', `agent ${agentId} is ${after?.state ?? 'unknown'} now`);
    });
    return before ?? { state: 'unknown' };
  }

  private async apply(result: Result<Outcome>, what: string): Promise<void> {
    if (!result.ok) throw refusal(result.error);
    await this.ports.routing.applyResult(result, what);
  }

  /** The action took effect; a failed audit write is logged loudly (the gap is visible), not undone. */
  private async audit(entry: AuditEntry): Promise<void> {
    try {
      await this.ports.audit.record(entry);
    } catch (err) {
      this.ports.log.error('supervisor action not written to the audit log', {
        ...entry,
        before: undefined,
        after: undefined,
        error: errorText(err),
      });
    }
  }
}

function refusal(error: DomainError): SupervisorRefused {
  return new SupervisorRefused(DOMAIN_CODES.get(error.code) ?? 'refused', error.message);
}
