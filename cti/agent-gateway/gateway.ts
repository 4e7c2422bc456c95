import type { AccountGuard } from '../../as/domain/account-access';
import type { VerifiedToken } from '../../lib/auth-token';
import { KeyedSerial } from '../../lib/keyed-serial';
import { Logger, errorText } from '../../lib/log';
import type { AgentStateChange } from '../domain';
import type { CallNotifier } from '../app/call-events';
import type { ContactOwners } from '../app/owners';
import type { AgentNotifier, RoutingService } from '../app/routing';
import { AgentConnections } from './connections';
import { CallAction, CallControlRefused } from '../app/call-control';
import type { DesktopPorts } from './desktop';
import { CLOSE_TRY_LATER, CLOSE_UNAUTHENTICATED, admitToken, type Admission } from './admission';
import { ClientMessage, ServerMessage, parseClientMessage } from './protocol';
import { TokenKeeper } from './token-keeper';
import type { TaskNotifier, TaskServerMessage } from '../tasks/messages';

type TaskCommand = Extract<ClientMessage, { type: 'accept-task' | 'reject-task' | 'complete-task' }>;

/** One client connection as the gateway sees it; the WebSocket adapter provides it. */
export interface ClientSocket {
  send(message: ServerMessage): void;
  close(code: number, reason: string): void;
}

export interface GatewayPorts {
  routing: RoutingService;
  owners: ContactOwners;
  /** Checks a token's signature, expiry and lifetime (lib/auth-token.ts); throws when it is not valid. */
  verifyToken(token: string): VerifiedToken;
  /** The account check the AS also makes (as/domain/account-access.ts), over the shared model. */
  accounts: Pick<AccountGuard, 'check' | 'checkMany'>;
  clearCall(contactId: string, agentId: string): Promise<void>;
  /** Hold, retrieve, transfer: CTI turns them into commands to the SoftACD that owns the call. */
  control(contactId: string, agentId: string, action: CallAction): Promise<void>;
  recordAnswer(contactId: string, agentId: string): Promise<void>;
  /** The configured not-ready reasons (the AS's list, kept live); without it any reason is taken. */
  reasons?: { allows(reason: string): boolean; list(): string[] };
  /** The agent desktop's additions: devices, snapshot, take-back, click-to-dial (desktop.ts). */
  desktop?: DesktopPorts;
  /** Tasks (e-mail, SMS, fax; cti/tasks/service.ts): accept, reject, complete. */
  tasks?: { act(agentId: string, m: TaskCommand): Promise<void> };
  log: Logger;
}

export { CLOSE_TRY_LATER, CLOSE_UNAUTHENTICATED };
const AGENT_RULE = {
  roles: ['agent'],
  code: 'not_an_agent',
  message: 'not an agent token',
  close: CLOSE_UNAUTHENTICATED,
} as const;
/** A newer exclusive session (a desktop tab) of the same agent took over. */
export const CLOSE_SUPERSEDED = 4409;

/** An authenticated connection: whose it is, the token it holds and the timer of that token's expiry. */
interface Session {
  agentId: string;
  claims: VerifiedToken;
  expiry: ReturnType<typeof setTimeout>;
  /** A desktop tab: superseded by the agent's next exclusive session. */
  exclusive: boolean;
}

/**
 * Interface A: agents' clients sign in, change state, answer and hang up; CTI pushes their state, the
 * screen pop (On Answer Request), On Answer Success and the end of each call.
 */
export class AgentGateway implements AgentNotifier, CallNotifier, TaskNotifier {
  readonly connections = new AgentConnections<ClientSocket>();
  private readonly sessions = new Map<ClientSocket, Session>();
  /** An `auth` being checked: the connection's next messages wait for it instead of finding no session. */
  private readonly authenticating = new Map<ClientSocket, Promise<void>>();
  private readonly gone = new WeakSet<ClientSocket>();
  /** One action at a time per agent, so its state changes are stored and pushed in the order asked. */
  private readonly serial = new KeyedSerial();
  /** Token expiry, refresh and account re-checks, shared with the supervisor socket (token-keeper.ts). */
  private readonly tokens: TokenKeeper<ClientSocket, Session>;

  constructor(private readonly ports: GatewayPorts) {
    this.tokens = new TokenKeeper({
      sessions: this.sessions,
      accounts: ports.accounts,
      log: ports.log,
      who: 'agent',
      idField: 'agentId',
      wrongPerson: { code: 'wrong_agent', message: 'the token names another agent' },
      end: (socket, why) => this.endSession(socket, why === 'expired'),
      afterCutOff: (agentIds) => this.logOutCutOff(agentIds),
    });
  }

  async received(socket: ClientSocket, raw: string): Promise<void> {
    const parsed = parseClientMessage(raw);
    if (!parsed.ok) {
      this.ports.log.warn('bad agent client message', { error: parsed.error, bytes: raw.length });
      socket.send({ type: 'error', code: 'bad_message', message: parsed.error });
      return;
    }
    const message = parsed.value;
    if (message.type === 'auth') {
      const done = this.authenticate(socket, message.token, message.exclusive === true);
      this.authenticating.set(socket, done);
      await done;
      if (this.authenticating.get(socket) === done) this.authenticating.delete(socket);
      return;
    }
    await this.authenticating.get(socket);
    const session = this.sessions.get(socket);
    if (session === undefined) {
      socket.close(CLOSE_UNAUTHENTICATED, 'authenticate first');
      return;
    }
    if (message.type === 'refresh') return this.refresh(socket, session, message.token);
    const agentId = session.agentId;
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

  /** A valid token of an agent whose account allows it (admission.ts: the rule of every CTI socket). */
  private admit(token: string): Promise<Admission> {
    return admitToken(this.ports, token, AGENT_RULE);
  }

  private async authenticate(socket: ClientSocket, token: string, exclusive: boolean): Promise<void> {
    const admission = await this.admit(token);
    if (this.gone.has(socket)) return;
    if (!admission.ok) {
      this.ports.log.warn('agent client refused', { code: admission.code, error: admission.message });
      socket.send({ type: 'error', code: admission.code, message: admission.message });
      socket.close(admission.close, admission.message);
      return;
    }
    const agentId = admission.claims.sub;
    this.endSession(socket);
    if (exclusive) this.supersede(agentId);
    this.sessions.set(socket, {
      agentId,
      claims: admission.claims,
      expiry: this.tokens.expireAt(socket, admission.claims),
      exclusive,
    });
    this.connections.add(agentId, socket);
    socket.send({ type: 'welcome', agentId, expiresAt: new Date(admission.claims.exp * 1000).toISOString() });
    // A client that reconnects (CTI restarted, the network dropped) learns where it stands at once.
    const current = this.ports.routing.agentStatus(agentId);
    if (current !== undefined) {
      socket.send({
        type: 'state',
        state: current.state,
        at: new Date(current.since).toISOString(),
        ...(current.reason === undefined ? {} : { reason: current.reason }),
        ...(current.contactId === undefined ? {} : { contactId: current.contactId }),
        ...this.wrapUpEnd(agentId, current.state),
      });
    }
    const snapshot = this.ports.desktop?.snapshot(agentId);
    if (snapshot !== undefined) socket.send(snapshot);
  }

  /** Older exclusive sessions of the agent (other desktop tabs) are told and closed; others stay. */
  private supersede(agentId: string): void {
    for (const other of this.connections.of(agentId)) {
      if (this.sessions.get(other)?.exclusive !== true) continue;
      this.ports.log.info('agent desktop session superseded', { agentId });
      other.send({ type: 'superseded' });
      this.endSession(other);
      other.close(CLOSE_SUPERSEDED, 'superseded by a newer session');
    }
  }

  private wrapUpEnd(agentId: string, state: string): { wrapUpEndsAt?: string } {
    const endsAt = state === 'wrap-up' ? this.ports.desktop?.wrapUpEndsAt(agentId) : undefined;
    return endsAt === undefined ? {} : { wrapUpEndsAt: endsAt };
  }

  /** One action at a time per agent, shared with the desk phone's feature codes. */
  serialized(agentId: string, task: () => Promise<void>): Promise<void> {
    return this.serial.run(agentId, task);
  }

  /** The agent's pages learn where it stands (after a change they did not ask for, e.g. a desk phone). */
  pushStatus(agentId: string): void {
    const snapshot = this.ports.desktop?.snapshot(agentId);
    if (snapshot !== undefined) this.send(agentId, snapshot);
  }

  /** A fresh token of the same agent replaces the connection's one (token-keeper.ts). */
  private async refresh(socket: ClientSocket, session: Session, token: string): Promise<void> {
    this.tokens.renew(socket, session, await this.admit(token));
  }

  /** `lost`: the client went away; its agent's last connection gone, a softphone call is held (desktop.ts). */
  private endSession(socket: ClientSocket, lost = false): void {
    const session = this.sessions.get(socket);
    if (session === undefined) return;
    clearTimeout(session.expiry);
    this.sessions.delete(socket);
    this.connections.remove(session.agentId, socket);
    if (lost && this.connections.of(session.agentId).length === 0)
      this.ports.desktop?.connectionLost(session.agentId);
  }

  /** Re-checks every connection's account every `everyMs` (revocations reach open sockets). */
  startAccountChecks(everyMs: number): void {
    this.tokens.startAccountChecks(everyMs);
  }

  stopAccountChecks(): void {
    this.tokens.stopAccountChecks();
  }

  /** Closes connections whose account now refuses their token; a store outage keeps them open. */
  recheckAccounts(): Promise<void> {
    return this.tokens.recheckAccounts();
  }

  /** An agent cut off with no connection left is logged out of CTI (a new login's connection keeps it). */
  private async logOutCutOff(agentIds: ReadonlySet<string>): Promise<void> {
    for (const agentId of agentIds) {
      if (this.connections.of(agentId).length > 0) continue;
      const status = this.ports.routing.agentStatus(agentId);
      if (status === undefined || status.state === 'logged-out') continue;
      await this.serial.run(agentId, () => this.ports.routing.agentEvent('logout', agentId));
    }
  }

  private async act(agentId: string, m: Exclude<ClientMessage, { type: 'auth' | 'refresh' }>): Promise<void> {
    switch (m.type) {
      case 'login':
        if (this.ports.desktop !== undefined) return this.ports.desktop.login(agentId, m.device);
        return this.ports.routing.agentEvent('login', agentId);
      case 'device':
      case 'status':
      case 'take-back':
      case 'dial':
        return this.desktopAction(agentId, m);
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
      case 'conference':
      case 'accept-task':
      case 'reject-task':
      case 'complete-task': {
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
        if (m.type === 'accept-task' || m.type === 'reject-task' || m.type === 'complete-task') {
          if (this.ports.tasks === undefined) throw new CallControlRefused('unavailable', 'no task routing');
          return this.ports.tasks.act(agentId, m);
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

  private async desktopAction(
    agentId: string,
    m: Extract<ClientMessage, { type: 'device' | 'status' | 'take-back' | 'dial' }>,
  ): Promise<void> {
    const desktop = this.ports.desktop;
    if (desktop === undefined) throw new CallControlRefused('unavailable', `${m.type} is not available`);
    if (m.type === 'status') return this.pushStatus(agentId);
    if (m.type === 'device') {
      await desktop.device(agentId, m.device);
      return this.pushStatus(agentId);
    }
    if (m.type === 'take-back') return desktop.takeBack(agentId, m.contactId);
    return desktop.dial(agentId, m.number, m.queueId);
  }

  /** The agent a connection belongs to, if it authenticated (for logs). */
  agentOf(socket: ClientSocket): string | undefined {
    return this.sessions.get(socket)?.agentId;
  }

  isAuthenticated(socket: ClientSocket): boolean {
    return this.sessions.has(socket);
  }

  closed(socket: ClientSocket): void {
    this.gone.add(socket);
    this.authenticating.delete(socket);
    this.endSession(socket, true);
  }

  agentChanged(change: AgentStateChange): void {
    this.send(change.agentId, {
      type: 'state',
      state: change.to,
      at: new Date(change.at).toISOString(),
      ...(change.reason === undefined ? {} : { reason: change.reason }),
      ...(change.contactId === undefined ? {} : { contactId: change.contactId }),
      ...this.wrapUpEnd(change.agentId, change.to),
    });
  }

  offered(contactId: string, agentId: string, queueId: string, callback?: { number: string }): void {
    const entered = this.ports.desktop?.enteredAt(contactId);
    const enteredAt = entered === undefined ? {} : { enteredAt: entered };
    if (callback !== undefined) {
      this.send(agentId, {
        type: 'offer',
        contactId,
        queueId,
        kind: 'callback',
        number: callback.number,
        ...enteredAt,
      });
      return;
    }
    const caller = this.ports.owners.caller(contactId);
    this.send(agentId, { type: 'offer', contactId, queueId, kind: 'call', ...(caller ?? {}), ...enteredAt });
  }

  /** An outbound contact's screen pop: the number the agent dials. */
  offeredOutbound(contactId: string, agentId: string, queueId: string, number: string): void {
    const enteredAt = this.ports.desktop?.enteredAt(contactId);
    this.send(agentId, {
      type: 'offer',
      contactId,
      queueId,
      kind: 'outbound',
      number,
      ...(enteredAt === undefined ? {} : { enteredAt }),
    });
  }

  takenBack(agentId: string, contactId: string): void {
    this.send(agentId, { type: 'taken-back', contactId });
  }

  takeBackFailed(agentId: string, contactId: string, reason: string): void {
    this.send(agentId, { type: 'take-back-failed', contactId, reason });
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

  /** A task's offer, acceptance, end or new message (cti/tasks/service.ts). */
  toAgent(agentId: string, message: TaskServerMessage): void {
    this.send(agentId, message);
  }

  private send(agentId: string, message: ServerMessage): void {
    for (const socket of this.connections.of(agentId)) socket.send(message);
  }
}
