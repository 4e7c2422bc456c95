import { KeyedSerial } from '../../lib/keyed-serial';
import { contactLogger, errorText, type Logger } from '../../lib/log';
import type { Draft, Message, MessageOf } from '../../lib/messages';
import type {
  SuperviseMode,
  SupervisePort,
  SuperviseRequest,
  SuperviseResult,
} from '../supervisor/supervise-port';

/** What CTI knows of a supervisor when it asks to supervise (cti/app/supervise-directory.ts). */
export interface SupervisorEntry {
  id: string;
  roles: readonly string[];
  /** Queue names it supervises; an administrator supervises every queue whatever this holds. */
  supervises: readonly string[];
  endpoints: { softphone?: string; desk?: string };
}

/** The call an agent is on, as CTI's routing sees it. */
export interface AgentCall {
  contactId: string;
  queueId: string;
  /** CTI's contact state: only an established call (connected, held) can be supervised. */
  state: string;
}

export interface SuperviseAudit {
  at: Date;
  supervisorId: string;
  action: 'start' | 'change' | 'stop';
  sessionId: string;
  contactId: string;
  agentId: string;
  queueId: string;
  mode: SuperviseMode;
  device: SuperviseRequest['device'];
  /** Why a session stopped (SoftACD's SuperviseEnded reason). */
  reason?: string;
}

type SuperviseCommand = Draft<'SuperviseCall'> | Draft<'SuperviseMode'> | Draft<'SuperviseStop'>;
type SuperviseEvent = MessageOf<'Supervising'> | MessageOf<'SuperviseFailed'> | MessageOf<'SuperviseEnded'>;

export interface SupervisionPorts {
  supervisor(id: string): Promise<SupervisorEntry | undefined>;
  agentCall(agentId: string): AgentCall | undefined;
  /** The SoftACD instance owning the call's channels. */
  softacd(contactId: string): string | undefined;
  command(softacd: string, draft: SuperviseCommand): Promise<void>;
  audit(entry: SuperviseAudit): Promise<void>;
  newSessionId(): string;
  /** How long the supervisor's phone rings before the start fails. */
  ringTimeoutSec: number;
  /** How long SoftACD may take to answer a mode switch or a stop. */
  answerTimeoutMs: number;
  /** A session that ended without the supervisor asking (it hung up, the call ended): the socket tells it. */
  ended?(
    supervisorId: string,
    ended: { sessionId: string; agentId: string; contactId: string; reason: string },
  ): void;
  log: Logger;
}

interface Session {
  sessionId: string;
  supervisorId: string;
  agentId: string;
  contactId: string;
  queueId: string;
  softacd: string;
  mode: SuperviseMode;
  device: SuperviseRequest['device'];
  /** Set once SoftACD reported the supervisor connected: only then is it in the audit log as started. */
  started: boolean;
  createdAt: number;
}

/** What CTI waits for after each command: resolved by SoftACD's answer or by the timer. */
interface Waiter {
  want: 'start' | 'mode' | 'stop';
  resolve: (result: SuperviseResult) => void;
}

const refused = (reason: string): SuperviseResult => ({ ok: false, reason });

/** Whether the supervisor may supervise calls of `queueId`: its own queues; an administrator all. */
export function inScope(supervisor: SupervisorEntry, queueId: string): boolean {
  if (supervisor.roles.includes('admin')) return true;
  return supervisor.roles.includes('supervisor') && supervisor.supervises.includes(queueId);
}

/** The phone the session rings: the supervisor's browser softphone or its desk phone. */
export function deviceEndpoint(
  supervisor: SupervisorEntry,
  device: SuperviseRequest['device'],
): string | undefined {
  return device === 'softphone' ? supervisor.endpoints.softphone : supervisor.endpoints.desk;
}

/**
 * Call supervision for the supervisor socket (SupervisePort): checks the supervisor's scope and the
 * agent's call, asks the SoftACD owning the call (SuperviseCall, SuperviseMode, SuperviseStop), waits
 * for its answer and writes every start, change and stop to the audit log. One request at a time per
 * supervisor; one session per supervisor (a new start ends the previous session first).
 */
export class Supervision implements SupervisePort {
  private readonly sessions = new Map<string, Session>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly serial = new KeyedSerial();

  constructor(private readonly ports: SupervisionPorts) {}

  start(req: SuperviseRequest): Promise<SuperviseResult> {
    return this.serial.run(req.supervisorId, async () => {
      const supervisor = await this.ports.supervisor(req.supervisorId);
      if (supervisor === undefined) return this.refuse(req, 'unknown or inactive supervisor');
      const call = this.ports.agentCall(req.agentId);
      if (call === undefined || !['connected', 'held'].includes(call.state))
        return this.refuse(req, 'the agent is not on an established call');
      if (!inScope(supervisor, call.queueId))
        return this.refuse(req, `queue ${call.queueId} is not among the supervisor's queues`);
      const endpoint = deviceEndpoint(supervisor, req.device);
      if (endpoint === undefined) return this.refuse(req, `the supervisor has no ${req.device} phone`);
      const softacd = this.ports.softacd(call.contactId);
      if (softacd === undefined) return this.refuse(req, 'the call has no owning SoftACD');
      const previous = this.sessionOf(req.supervisorId);
      if (previous !== undefined) await this.stopSession(previous);
      const session: Session = {
        sessionId: this.ports.newSessionId(),
        supervisorId: req.supervisorId,
        agentId: req.agentId,
        contactId: call.contactId,
        queueId: call.queueId,
        softacd,
        mode: req.mode,
        device: req.device,
        started: false,
        createdAt: Date.now(),
      };
      this.sessions.set(session.sessionId, session);
      const result = await this.ask(
        session,
        'start',
        this.ports.ringTimeoutSec * 1000 + this.ports.answerTimeoutMs,
        {
          type: 'SuperviseCall',
          contactId: session.contactId,
          sessionId: session.sessionId,
          supervisorId: session.supervisorId,
          agentId: session.agentId,
          mode: session.mode,
          endpoint,
          ringTimeoutSec: this.ports.ringTimeoutSec,
        },
      );
      if (!result.ok && this.sessions.has(session.sessionId)) {
        // No answer in time: whatever SoftACD still rings is stopped; the session is forgotten.
        this.sessions.delete(session.sessionId);
        await this.send(session, {
          type: 'SuperviseStop',
          contactId: session.contactId,
          sessionId: session.sessionId,
        });
      }
      return result;
    });
  }

  change(supervisorId: string, sessionId: string, mode: SuperviseMode): Promise<SuperviseResult> {
    return this.serial.run(supervisorId, async () => {
      const session = this.sessions.get(sessionId);
      if (session === undefined || session.supervisorId !== supervisorId || !session.started)
        return refused('no such supervision session');
      if (session.mode === mode) return this.result(session);
      return this.ask(session, 'mode', this.ports.answerTimeoutMs, {
        type: 'SuperviseMode',
        contactId: session.contactId,
        sessionId,
        mode,
      });
    });
  }

  stop(supervisorId: string, sessionId: string): Promise<SuperviseResult> {
    return this.serial.run(supervisorId, async () => {
      const session = this.sessions.get(sessionId);
      if (session === undefined || session.supervisorId !== supervisorId)
        return refused('no such supervision session');
      return this.stopSession(session);
    });
  }

  /** Whether a bus message is one of SoftACD's supervision answers (handled by `event`). */
  handles(message: Message): message is SuperviseEvent {
    return ['Supervising', 'SuperviseFailed', 'SuperviseEnded'].includes(message.type);
  }

  /** SoftACD's answers and unasked ends; written to the audit log before the message is acknowledged. */
  async event(message: SuperviseEvent): Promise<void> {
    const session = this.sessions.get(message.sessionId);
    const waiter = this.waiters.get(message.sessionId);
    const log = contactLogger(this.ports.log, message.contactId).child({ sessionId: message.sessionId });
    if (session === undefined) {
      log.info('supervision answer for no session (ended or timed out)', { type: message.type });
      return;
    }
    if (message.type === 'Supervising') {
      // Recorded first: an entry that fails is written when the message comes again.
      if (!session.started || session.mode !== message.mode)
        await this.audit({ ...session, mode: message.mode }, session.started ? 'change' : 'start');
      session.started = true;
      session.mode = message.mode;
      if (waiter !== undefined && waiter.want !== 'stop')
        this.settle(message.sessionId, this.result(session));
      return;
    }
    if (message.type === 'SuperviseFailed') {
      // A failed start leaves nothing behind; a failed switch leaves the session as it was.
      if (!session.started) this.sessions.delete(session.sessionId);
      log.warn('supervision refused by SoftACD', { reason: message.reason });
      if (waiter !== undefined) this.settle(message.sessionId, refused(failureText(message.reason)));
      return;
    }
    if (session.started) await this.audit(session, 'stop', message.reason);
    this.sessions.delete(session.sessionId);
    log.info('supervision ended', { reason: message.reason });
    if (waiter === undefined) {
      this.ports.ended?.(session.supervisorId, {
        sessionId: session.sessionId,
        agentId: session.agentId,
        contactId: session.contactId,
        reason: message.reason,
      });
      return;
    }
    this.settle(
      message.sessionId,
      waiter.want === 'stop' ? this.result(session) : refused(endText(message.reason)),
    );
  }

  /** The session a supervisor has now, if any (its page reloaded: it can stop or switch it again). */
  current(supervisorId: string): SuperviseResult | undefined {
    const session = this.sessionOf(supervisorId);
    return session?.started === true ? this.result(session) : undefined;
  }

  get size(): number {
    return this.sessions.size;
  }

  /**
   * Sessions whose end never came (SoftACD restarted and forgot them, a lost event) leave after
   * `maxAgeMs`, recorded as stopped (`expired`).
   */
  async sweep(now: number, maxAgeMs: number): Promise<string[]> {
    const stale = [...this.sessions.values()].filter(
      (s) => now - s.createdAt > maxAgeMs && !this.waiters.has(s.sessionId),
    );
    for (const session of stale) {
      if (session.started) await this.audit(session, 'stop', 'expired');
      this.sessions.delete(session.sessionId);
    }
    return stale.map((s) => s.sessionId);
  }

  private async stopSession(session: Session): Promise<SuperviseResult> {
    const result = await this.ask(session, 'stop', this.ports.answerTimeoutMs, {
      type: 'SuperviseStop',
      contactId: session.contactId,
      sessionId: session.sessionId,
    });
    if (this.sessions.has(session.sessionId)) {
      // SoftACD did not end it (it had already, or did not answer: its sweep ends it); over all the same.
      if (session.started) await this.audit(session, 'stop', result.ok ? 'stopped' : 'unconfirmed');
      this.sessions.delete(session.sessionId);
    }
    return result.ok ? result : this.result(session);
  }

  private sessionOf(supervisorId: string): Session | undefined {
    return [...this.sessions.values()].find((s) => s.supervisorId === supervisorId);
  }

  private ask(session: Session, want: Waiter['want'], timeoutMs: number, draft: SuperviseCommand) {
    return new Promise<SuperviseResult>((resolve) => {
      const timer = setTimeout(
        () => this.settle(session.sessionId, refused('no answer from SoftACD')),
        timeoutMs,
      );
      timer.unref();
      // Waiting before sending: SoftACD can answer before the broker's confirm arrives.
      this.waiters.set(session.sessionId, {
        want,
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
      });
      this.send(session, draft).catch((err: unknown) => {
        this.ports.log.error('supervision command not sent', { type: draft.type, error: errorText(err) });
        this.settle(session.sessionId, refused('supervision command not sent'));
      });
    });
  }

  private settle(sessionId: string, result: SuperviseResult): void {
    const waiter = this.waiters.get(sessionId);
    if (waiter === undefined) return;
    this.waiters.delete(sessionId);
    waiter.resolve(result);
  }

  private send(session: Session, draft: SuperviseCommand): Promise<void> {
    return this.ports.command(session.softacd, draft);
  }

  private result(session: Session): SuperviseResult {
    return {
      ok: true,
      sessionId: session.sessionId,
      agentId: session.agentId,
      contactId: session.contactId,
      mode: session.mode,
    };
  }

  private refuse(req: SuperviseRequest, reason: string): SuperviseResult {
    this.ports.log.warn('supervision refused', {
      supervisorId: req.supervisorId,
      agentId: req.agentId,
      mode: req.mode,
      reason,
    });
    return refused(reason);
  }

  private async audit(session: Session, action: SuperviseAudit['action'], reason?: string): Promise<void> {
    try {
      await this.ports.audit({
        at: new Date(),
        supervisorId: session.supervisorId,
        action,
        sessionId: session.sessionId,
        contactId: session.contactId,
        agentId: session.agentId,
        queueId: session.queueId,
        mode: session.mode,
        device: session.device,
        ...(reason === undefined ? {} : { reason }),
      });
    } catch (err) {
      // The message is not acknowledged: redelivered, the audit entry is written then.
      this.ports.log.error('supervision audit entry not written', { action, error: errorText(err) });
      throw err;
    }
  }
}

function failureText(reason: MessageOf<'SuperviseFailed'>['reason']): string {
  switch (reason) {
    case 'not-supervisable':
      return 'the agent is no longer on the call';
    case 'no-answer':
      return "the supervisor's phone did not answer";
    case 'busy':
      return "the supervisor's phone is busy";
    case 'unreachable':
      return "the supervisor's phone is unreachable";
    case 'unknown-session':
      return 'no such supervision session';
    case 'switching':
      return 'the session is still connecting or switching';
  }
}

function endText(reason: MessageOf<'SuperviseEnded'>['reason']): string {
  return reason === 'agent-leg-gone' ? 'the agent left the call' : `supervision ended (${reason})`;
}
