import { KeyedSerial } from '../../lib/keyed-serial';
import { Logger, errorText } from '../../lib/log';
import type { AgentStateChange } from '../domain';
import type { CallNotifier } from '../app/call-events';
import type { ContactOwners } from '../app/owners';
import type { AgentNotifier, RoutingService } from '../app/routing';
import { AgentConnections } from './connections';
import { CallAction, CallControlRefused } from '../app/call-control';
import { ClientMessage, ServerMessage, parseClientMessage } from './protocol';

/** One client connection as the gateway sees it; the WebSocket adapter provides it. */
export interface ClientSocket {
  send(message: ServerMessage): void;
  close(code: number, reason: string): void;
}

export interface GatewayPorts {
  routing: RoutingService;
  owners: ContactOwners;
  /** Verifies a token and returns the agent it names; throws when it is invalid or not an agent's. */
  authenticate(token: string): string;
  clearCall(contactId: string, agentId: string): Promise<void>;
  /** Hold, retrieve, transfer: CTI turns them into commands to the SoftACD that owns the call. */
  control(contactId: string, agentId: string, action: CallAction): Promise<void>;
  recordAnswer(contactId: string, agentId: string): Promise<void>;
  /** The configured not-ready reasons (the AS's list, kept live); without it any reason is taken. */
  reasons?: { allows(reason: string): boolean; list(): string[] };
  log: Logger;
}

export const CLOSE_UNAUTHENTICATED = 4401;

/**
 * Interface A: agents' clients sign in, change state, answer and hang up; CTI pushes their state, the
 * screen pop (On Answer Request), On Answer Success and the end of each call.
 */
export class AgentGateway implements AgentNotifier, CallNotifier {
  readonly connections = new AgentConnections<ClientSocket>();
  private readonly agentOf = new Map<ClientSocket, string>();
  /** One action at a time per agent, so its state changes are stored and pushed in the order asked. */
  private readonly serial = new KeyedSerial();

  constructor(private readonly ports: GatewayPorts) {}

  async received(socket: ClientSocket, raw: string): Promise<void> {
    const parsed = parseClientMessage(raw);
    if (!parsed.ok) {
      this.ports.log.warn('bad agent client message', { error: parsed.error, bytes: raw.length });
      socket.send({ type: 'error', code: 'bad_message', message: parsed.error });
      return;
    }
    const message = parsed.value;
    const agentId = this.agentOf.get(socket);
    if (message.type === 'auth') {
      this.authenticate(socket, message.token);
      return;
    }
    if (agentId === undefined) {
      socket.close(CLOSE_UNAUTHENTICATED, 'authenticate first');
      return;
    }
    try {
      await this.serial.run(agentId, () => this.act(agentId, message));
    } catch (err) {
      if (err instanceof CallControlRefused) {
        this.ports.log.warn('agent action refused', { agentId, type: message.type, code: err.code });
        socket.send({ type: 'error', code: err.code, message: err.message });
        return;
      }
      this.ports.log.error('agent action failed', { agentId, type: message.type, error: errorText(err) });
      socket.send({ type: 'error', code: 'failed', message: 'the action could not be carried out' });
    }
  }

  private authenticate(socket: ClientSocket, token: string): void {
    let agentId: string;
    try {
      agentId = this.ports.authenticate(token);
    } catch (err) {
      this.ports.log.warn('agent client refused', { error: errorText(err) });
      socket.close(CLOSE_UNAUTHENTICATED, 'invalid token');
      return;
    }
    const previous = this.agentOf.get(socket);
    if (previous !== undefined) this.connections.remove(previous, socket);
    this.agentOf.set(socket, agentId);
    this.connections.add(agentId, socket);
    socket.send({ type: 'welcome', agentId });
    // A client that reconnects (CTI restarted, the network dropped) learns where it stands at once.
    const current = this.ports.routing.agentStatus(agentId);
    if (current !== undefined) {
      socket.send({
        type: 'state',
        state: current.state,
        at: new Date(current.since).toISOString(),
        ...(current.reason === undefined ? {} : { reason: current.reason }),
        ...(current.contactId === undefined ? {} : { contactId: current.contactId }),
      });
    }
  }

  private async act(agentId: string, m: Exclude<ClientMessage, { type: 'auth' }>): Promise<void> {
    switch (m.type) {
      case 'login':
        return this.ports.routing.agentEvent('login', agentId);
      case 'logout':
        return this.ports.routing.agentEvent('logout', agentId);
      case 'ready':
        return this.ports.routing.agentEvent('ready', agentId);
      case 'not-ready':
        if (this.ports.reasons !== undefined && !this.ports.reasons.allows(m.reason)) {
          this.send(agentId, {
            type: 'error',
            code: 'unknown_reason',
            message: `not-ready reason "${m.reason}" is not configured; use one of: ${this.ports.reasons.list().join(', ')}`,
          });
          return;
        }
        return this.ports.routing.agentEvent('not-ready', agentId, m.reason);
      case 'answer':
      case 'hangup':
      case 'hold':
      case 'retrieve':
      case 'transfer':
      case 'consult':
      case 'complete-transfer':
      case 'cancel-consult':
      case 'conference': {
        // Only the contact this agent was offered: an agent acts on its own contacts and no one else's.
        // An agent in a conference as its third party may only leave it (hang up).
        const party = m.type === 'hangup' && this.ports.owners.party(m.contactId) === agentId;
        if (this.ports.owners.agent(m.contactId) !== agentId && !party) {
          this.send(agentId, {
            type: 'error',
            code: 'not_your_contact',
            message: `contact ${m.contactId} is not offered to you`,
          });
          return;
        }
        if (m.type === 'answer') return this.ports.recordAnswer(m.contactId, agentId);
        if (m.type === 'hangup') return this.ports.clearCall(m.contactId, agentId);
        return this.ports.control(
          m.contactId,
          agentId,
          m.type === 'transfer' || m.type === 'consult' ? { type: m.type, to: m.to } : { type: m.type },
        );
      }
    }
  }

  isAuthenticated(socket: ClientSocket): boolean {
    return this.agentOf.has(socket);
  }

  closed(socket: ClientSocket): void {
    const agentId = this.agentOf.get(socket);
    this.agentOf.delete(socket);
    if (agentId !== undefined) this.connections.remove(agentId, socket);
  }

  agentChanged(change: AgentStateChange): void {
    this.send(change.agentId, {
      type: 'state',
      state: change.to,
      at: new Date(change.at).toISOString(),
      ...(change.reason === undefined ? {} : { reason: change.reason }),
      ...(change.contactId === undefined ? {} : { contactId: change.contactId }),
    });
  }

  offered(contactId: string, agentId: string, queueId: string, callback?: { number: string }): void {
    if (callback !== undefined) {
      this.send(agentId, { type: 'offer', contactId, queueId, kind: 'callback', number: callback.number });
      return;
    }
    const caller = this.ports.owners.caller(contactId);
    this.send(agentId, { type: 'offer', contactId, queueId, kind: 'call', ...(caller ?? {}) });
  }

  callbackFailed(agentId: string, contactId: string, reason: string, retry: boolean): void {
    this.send(agentId, { type: 'callback-failed', contactId, reason, retry });
  }

  established(agentId: string, contactId: string): void {
    this.send(agentId, { type: 'established', contactId });
  }

  cleared(agentId: string, contactId: string, releasedBy: string): void {
    this.send(agentId, { type: 'cleared', contactId, releasedBy });
  }

  held(agentId: string, contactId: string): void {
    this.send(agentId, { type: 'held', contactId });
  }

  retrieved(agentId: string, contactId: string): void {
    this.send(agentId, { type: 'retrieved', contactId });
  }

  transferred(agentId: string, contactId: string, target: string): void {
    this.send(agentId, { type: 'transferred', contactId, target });
  }

  transferFailed(agentId: string, contactId: string, reason: string): void {
    this.send(agentId, { type: 'transfer-failed', contactId, reason });
  }

  consulted(agentId: string, contactId: string, target: string): void {
    this.send(agentId, { type: 'consulted', contactId, target });
  }

  consultEnded(agentId: string, contactId: string, outcome: string): void {
    this.send(agentId, { type: 'consult-ended', contactId, outcome });
  }

  conferenced(agentId: string, contactId: string, target: string): void {
    this.send(agentId, { type: 'conferenced', contactId, target });
  }

  conferenceEnded(agentId: string, contactId: string, left: string): void {
    this.send(agentId, { type: 'conference-ended', contactId, left });
  }

  private send(agentId: string, message: ServerMessage): void {
    for (const socket of this.connections.of(agentId)) socket.send(message);
  }
}
