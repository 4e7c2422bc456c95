import type { AccountGuard } from '../../as/domain/account-access';
import type { VerifiedToken } from '../../lib/auth-token';
import { errorText, type Logger } from '../../lib/log';
import {
  CLOSE_UNAUTHENTICATED,
  admitToken,
  type Admission,
  type AdmissionPorts,
} from '../agent-gateway/admission';
import { TokenKeeper } from '../agent-gateway/token-keeper';
import type { WallboardView } from '../domain/wallboard';
import { diffView, rowsOf, scopeView, type Scope, type SentRows } from '../domain/wallboard-scope';
import { SupervisorRefused, type Actor, type SupervisorControl } from './control';
import type { WallboardFeed } from './feed';
import { parseSupervisorMessage, type SupervisorAction, type SupervisorServerMessage } from './protocol';
import type { SuperviseResult, SupervisePort } from './supervise-port';

/** A token without the supervisor or admin role (an agent's): refused, and the page should not retry. */
export const CLOSE_NOT_SUPERVISOR = 4403;

const SUPERVISOR_RULE = {
  roles: ['supervisor', 'admin'],
  code: 'not_a_supervisor',
  message: 'the supervisor socket needs a supervisor or administrator token',
  close: CLOSE_NOT_SUPERVISOR,
} as const;

/** One supervisor connection as the gateway sees it; the WebSocket adapter provides it. */
export interface SupervisorSocket {
  send(message: SupervisorServerMessage): void;
  close(code: number, reason: string): void;
}

export interface SupervisorPorts extends AdmissionPorts {
  accounts: Pick<AccountGuard, 'check' | 'checkMany'>;
  /** The person's queues now (the live directory's `supervises`; an admin: every queue). */
  scope: (personId: string, admin: boolean) => Scope;
  feed: Pick<WallboardFeed, 'view' | 'subscribe'>;
  control: SupervisorControl;
  /** Monitor, whisper and barge (cti/app/supervise.ts); NO_SUPERVISION until it is wired in. */
  supervise: SupervisePort;
  reasons: () => string[];
  now?: () => number;
  log: Logger;
}

interface Session {
  personId: string;
  admin: boolean;
  claims: VerifiedToken;
  expiry: ReturnType<typeof setTimeout>;
  sent: SentRows;
  sentDay: string;
}

/**
 * The supervisor socket: a supervisor (or administrator) signs in with its AS token, gets the wallboard
 * of its queues (a snapshot, then what changes, from the feed), and uses agent control and call
 * supervision on them. Tokens are admitted, refreshed, expire and are re-checked like the agents' ones
 * (admission.ts: one rule, another role).
 */
export class SupervisorGateway {
  private readonly sessions = new Map<SupervisorSocket, Session>();
  private readonly authenticating = new Map<SupervisorSocket, Promise<void>>();
  private readonly gone = new WeakSet<SupervisorSocket>();
  /** Subscribed to the feed while a session is open: no board is built for nobody. */
  private unsubscribe: (() => void) | undefined;
  /** Token expiry, refresh and account re-checks: the agents' socket's rule (token-keeper.ts). */
  private readonly tokens: TokenKeeper<SupervisorSocket, Session>;

  constructor(private readonly ports: SupervisorPorts) {
    this.tokens = new TokenKeeper({
      sessions: this.sessions,
      accounts: ports.accounts,
      log: ports.log,
      who: 'supervisor',
      idField: 'personId',
      wrongPerson: { code: 'wrong_person', message: 'the token names another person' },
      end: (socket) => this.endSession(socket),
    });
  }

  async received(socket: SupervisorSocket, raw: string): Promise<void> {
    const parsed = parseSupervisorMessage(raw);
    if (!parsed.ok) {
      this.ports.log.warn('bad supervisor message', { error: parsed.error, bytes: raw.length });
      socket.send({ type: 'error', code: 'bad_message', message: parsed.error });
      return;
    }
    const message = parsed.value;
    if (message.type === 'auth') {
      const done = this.authenticate(socket, message.token);
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
    if (message.type === 'snapshot') return this.sendSnapshot(socket, session);
    const ref = message.ref === undefined ? {} : { ref: message.ref };
    try {
      await this.act(socket, session, message);
    } catch (err) {
      if (err instanceof SupervisorRefused) {
        this.ports.log.warn('supervisor action refused', {
          personId: session.personId,
          type: message.type,
          code: err.code,
        });
        socket.send({ type: 'error', code: err.code, message: err.message, action: message.type, ...ref });
        return;
      }
      this.ports.log.error('supervisor action failed', {
        personId: session.personId,
        type: message.type,
        error: errorText(err),
      });
      socket.send({
        type: 'error',
        code: 'failed',
        message: 'the action could not be carried out',
        action: message.type,
        ...ref,
      });
    }
  }

  private actor(session: Session): Actor {
    return { personId: session.personId, scope: this.ports.scope(session.personId, session.admin) };
  }

  private async act(socket: SupervisorSocket, session: Session, m: SupervisorAction): Promise<void> {
    const control = this.ports.control;
    const actor = this.actor(session);
    const ref = m.ref === undefined ? {} : { ref: m.ref };
    switch (m.type) {
      case 'force-not-ready':
        await control.forceNotReady(actor, m.agentId, m.reason);
        return socket.send({ type: 'done', action: m.type, agentId: m.agentId, ...ref });
      case 'force-logout':
        await control.forceLogout(actor, m.agentId, m.reason);
        return socket.send({ type: 'done', action: m.type, agentId: m.agentId, ...ref });
      case 'move-contact':
        await control.moveContact(actor, m.contactId, m.queueId);
        return socket.send({
          type: 'done',
          action: m.type,
          contactId: m.contactId,
          queueId: m.queueId,
          ...ref,
        });
      case 'raise-priority':
        await control.raisePriority(actor, m.contactId);
        return socket.send({ type: 'done', action: m.type, contactId: m.contactId, ...ref });
      case 'supervise': {
        control.checkAgent(actor, m.agentId);
        const result = await this.ports.supervise.start({
          supervisorId: session.personId,
          agentId: m.agentId,
          mode: m.mode,
          device: m.device ?? 'softphone',
        });
        return this.answerSupervise(socket, 'supervise-started', m.type, result, ref);
      }
      case 'supervise-mode': {
        const result = await this.ports.supervise.change(session.personId, m.sessionId, m.mode);
        return this.answerSupervise(socket, 'supervise-changed', m.type, result, ref);
      }
      case 'supervise-stop': {
        const result = await this.ports.supervise.stop(session.personId, m.sessionId);
        return this.answerSupervise(socket, 'supervise-stopped', m.type, result, ref);
      }
    }
  }

  /** A supervision session ended on its own (cti/app/supervise.ts `ended`): the person's pages are told. */
  supervisionEnded(
    personId: string,
    ended: { sessionId: string; agentId: string; contactId: string; reason: string },
  ): void {
    for (const [socket, session] of this.sessions)
      if (session.personId === personId) socket.send({ type: 'supervise-ended', ...ended });
  }

  private answerSupervise(
    socket: SupervisorSocket,
    type: 'supervise-started' | 'supervise-changed' | 'supervise-stopped',
    action: string,
    result: SuperviseResult,
    ref: { ref?: string },
  ): void {
    if (!result.ok) throw new SupervisorRefused('supervise_refused', result.reason);
    const { sessionId, agentId, contactId, mode } = result;
    if (type === 'supervise-stopped') {
      socket.send({ type, sessionId, agentId, contactId, ...ref });
      return;
    }
    this.ports.log.info('supervision answered', { action, sessionId, agentId, contactId, mode });
    socket.send({ type, sessionId, agentId, contactId, mode, ...ref });
  }

  private admit(token: string): Promise<Admission> {
    return admitToken(this.ports, token, SUPERVISOR_RULE);
  }

  private async authenticate(socket: SupervisorSocket, token: string): Promise<void> {
    const admission = await this.admit(token);
    if (this.gone.has(socket)) return;
    if (!admission.ok) {
      this.ports.log.warn('supervisor client refused', { code: admission.code, error: admission.message });
      socket.send({ type: 'error', code: admission.code, message: admission.message });
      socket.close(admission.close, admission.message);
      return;
    }
    const claims = admission.claims;
    this.endSession(socket);
    const session: Session = {
      personId: claims.sub,
      admin: claims.roles.includes('admin'),
      claims,
      expiry: this.tokens.expireAt(socket, claims),
      sent: { queues: new Map(), agents: new Map() },
      sentDay: '',
    };
    this.sessions.set(socket, session);
    this.unsubscribe ??= this.ports.feed.subscribe((view, at) => this.pushAll(view, at));
    const scope = this.ports.scope(session.personId, session.admin);
    this.ports.log.info('supervisor connected', {
      personId: session.personId,
      admin: session.admin,
      queues: scope.all ? 'all' : [...scope.queues],
    });
    socket.send({
      type: 'welcome',
      personId: session.personId,
      admin: session.admin,
      queues: scope.all ? null : [...scope.queues].sort(),
      reasons: this.ports.reasons(),
      expiresAt: new Date(claims.exp * 1000).toISOString(),
    });
    this.sendSnapshot(socket, session);
  }

  private sendSnapshot(socket: SupervisorSocket, session: Session): void {
    const view = scopeView(this.ports.feed.view(), this.ports.scope(session.personId, session.admin));
    session.sent = rowsOf(view);
    session.sentDay = view.day;
    socket.send({ type: 'wallboard', at: (this.ports.now ?? Date.now)(), ...view });
  }

  /** The feed's board to every open session: each gets the rows of its scope that changed. */
  private pushAll(view: WallboardView, at: number): void {
    for (const [socket, session] of this.sessions) {
      const scoped = scopeView(view, this.ports.scope(session.personId, session.admin));
      const delta = diffView(session.sent, session.sentDay, scoped);
      if (delta === undefined) continue;
      session.sent = rowsOf(scoped);
      session.sentDay = scoped.day;
      socket.send({ type: 'wallboard-update', at, ...delta });
    }
  }

  private async refresh(socket: SupervisorSocket, session: Session, token: string): Promise<void> {
    const admission = await this.admit(token);
    if (this.tokens.renew(socket, session, admission)) session.admin = session.claims.roles.includes('admin');
  }

  /** Re-checks every connection's account every `everyMs`: a revoked or demoted account is cut off. */
  startAccountChecks(everyMs: number): void {
    this.tokens.startAccountChecks(everyMs);
  }

  stopAccountChecks(): void {
    this.tokens.stopAccountChecks();
  }

  /** Closes each connection whose account now refuses its token; a store outage keeps them open. */
  recheckAccounts(): Promise<void> {
    return this.tokens.recheckAccounts();
  }

  /** The person a connection belongs to, if it authenticated (for logs). */
  agentOf(socket: SupervisorSocket): string | undefined {
    return this.sessions.get(socket)?.personId;
  }

  isAuthenticated(socket: SupervisorSocket): boolean {
    return this.sessions.has(socket);
  }

  closed(socket: SupervisorSocket): void {
    this.gone.add(socket);
    this.authenticating.delete(socket);
    this.endSession(socket);
  }

  get connections(): number {
    return this.sessions.size;
  }

  stop(): void {
    this.stopAccountChecks();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const session of this.sessions.values()) clearTimeout(session.expiry);
  }

  private endSession(socket: SupervisorSocket): void {
    const session = this.sessions.get(socket);
    if (session === undefined) return;
    clearTimeout(session.expiry);
    this.sessions.delete(socket);
    if (this.sessions.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
