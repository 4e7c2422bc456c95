import { contactLogger, errorText, type Logger } from '../../lib/log';
import type { Draft, MessageOf } from '../../lib/messages';
import type { SnoopControl } from '../ari/snoop';
import { type SoftAcdPorts, unansweredReason } from './call-context';
import type { CallRegistry } from './call-registry';
import type { KeyedSerial } from '../../lib/keyed-serial';
import {
  SNOOP,
  type SessionEvent,
  type SessionState,
  type SuperviseMode,
  canApply,
  isOver,
  isRinging,
  isSupervisorLeg,
  nextSessionState,
  sessionIds,
  supervisableLeg,
} from './supervise-state';

export interface SupervisePorts extends Pick<
  SoftAcdPorts,
  'channels' | 'emit' | 'log' | 'softacdApp' | 'callMedia'
> {
  snoops: SnoopControl;
}

type EndReason = MessageOf<'SuperviseEnded'>['reason'];
type FailReason = MessageOf<'SuperviseFailed'>['reason'];

interface Session {
  sessionId: string;
  contactId: string;
  supervisorId: string;
  agentId: string;
  /** The agent's leg the snoops are on: a new agent leg (take-back) is another session. */
  agentChannelId: string;
  state: SessionState;
  mode: SuperviseMode;
  /** The mode a switch in progress goes to. */
  pendingMode?: SuperviseMode;
  supervisorChannelId: string;
  bridgeId: string;
  bridged: boolean;
  /** The snoop carrying audio now, and the one joining during a switch. */
  snoop?: string;
  joining?: string;
  snoopCount: number;
  startedAt: number;
}

/**
 * Call supervision (monitor, whisper, barge) on SoftACD's calls. The supervisor's phone is originated
 * into this app and bridged with a snoop channel on the agent's leg (supervise-state.ts: which snoop
 * directions each mode uses, and why barge is a snoop too). A mode switch brings a new snoop into the
 * supervisor's bridge and then hangs the old one up: the supervisor's phone stays connected.
 * Sessions leave on their end (the supervisor hung up, the agent's leg went, CTI stopped it); `sweep`
 * is the safety net for an end that never came.
 */
export class Supervision {
  private readonly sessions = new Map<string, Session>();
  /** Supervisor legs and snoop channels by channel id, to their session. */
  private readonly byChannel = new Map<string, string>();

  constructor(
    private readonly calls: CallRegistry,
    private readonly serial: KeyedSerial,
    private readonly ports: SupervisePorts,
  ) {}

  start(command: MessageOf<'SuperviseCall'>): Promise<void> {
    return this.serial.run(command.sessionId, async () => {
      const log = this.logFor(command.contactId, command.sessionId);
      if (this.sessions.has(command.sessionId)) {
        log.info('supervise: session already started (redelivered)');
        return;
      }
      const agentLeg = supervisableLeg(this.calls.byContactId(command.contactId), command.agentId);
      if (agentLeg === undefined) {
        log.warn('supervise refused: agent not on the call', {
          agentId: command.agentId,
          state: this.calls.byContactId(command.contactId)?.state ?? 'gone',
        });
        await this.failed(command.contactId, command.sessionId, 'not-supervisable');
        return;
      }
      const session: Session = {
        sessionId: command.sessionId,
        contactId: command.contactId,
        supervisorId: command.supervisorId,
        agentId: command.agentId,
        agentChannelId: agentLeg,
        state: 'ringing',
        mode: command.mode,
        supervisorChannelId: sessionIds.supervisor(command.sessionId),
        bridgeId: sessionIds.bridge(command.sessionId),
        bridged: false,
        snoopCount: 0,
        startedAt: Date.now(),
      };
      this.sessions.set(session.sessionId, session);
      this.byChannel.set(session.supervisorChannelId, session.sessionId);
      try {
        await this.ports.channels.originate({
          channelId: session.supervisorChannelId,
          endpoint: command.endpoint,
          app: this.ports.softacdApp,
          args: ['supervise', session.sessionId, 'supervisor'],
          timeoutSec: command.ringTimeoutSec,
        });
        log.info('supervisor ringing', { endpoint: command.endpoint, mode: command.mode });
      } catch (err) {
        log.warn('supervise: supervisor phone unreachable', {
          endpoint: command.endpoint,
          error: errorText(err),
        });
        this.forget(session);
        await this.failed(session.contactId, session.sessionId, 'unreachable');
      }
    });
  }

  mode(command: MessageOf<'SuperviseMode'>): Promise<void> {
    return this.serial.run(command.sessionId, async () => {
      const session = this.sessions.get(command.sessionId);
      const log = this.logFor(command.contactId, command.sessionId);
      if (session === undefined) {
        log.warn('supervise mode refused: no such session');
        await this.failed(command.contactId, command.sessionId, 'unknown-session');
        return;
      }
      if (!canApply(session.state, 'switch')) {
        log.warn('supervise mode refused: session not active', { state: session.state });
        await this.failed(session.contactId, session.sessionId, 'switching');
        return;
      }
      if (command.mode === session.mode) {
        await this.supervising(session);
        return;
      }
      this.apply(session, 'switch');
      session.pendingMode = command.mode;
      if (!(await this.newSnoop(session, command.mode)))
        await this.end(session, 'agentLegGone', 'agent-leg-gone');
    });
  }

  stop(command: MessageOf<'SuperviseStop'>): Promise<void> {
    return this.serial.run(command.sessionId, async () => {
      const session = this.sessions.get(command.sessionId);
      if (session === undefined) {
        // Already over (the supervisor hung up first): its SuperviseEnded went out then.
        this.logFor(command.contactId, command.sessionId).info('supervise stop: no such session');
        await this.failed(command.contactId, command.sessionId, 'unknown-session');
        return;
      }
      await this.end(session, 'stop', 'stopped');
    });
  }

  /** StasisStart of `supervise,<sessionId>,supervisor|snoop`. */
  entered(channelId: string, args: readonly string[]): Promise<void> {
    const [, sessionId = '', role] = args;
    return this.serial.run(sessionId, async () => {
      const session = this.sessions.get(sessionId);
      if (session === undefined || isOver(session.state)) {
        this.ports.log.info('supervision channel without a session: hung up', { channelId, sessionId });
        await this.ports.channels.hangup(channelId);
        return;
      }
      if (role === 'supervisor') await this.answered(session);
      else if (role === 'snoop' && channelId === session.joining) await this.snoopJoined(session, channelId);
      else {
        this.logFor(session.contactId, sessionId).warn('unexpected supervision channel', { channelId, role });
        await this.ports.channels.hangup(channelId);
      }
    });
  }

  /** ChannelDestroyed: a supervisor leg or snoop channel of a session (others are not ours). */
  channelGone(channelId: string, cause: number): Promise<void> {
    const sessionId = this.byChannel.get(channelId);
    if (sessionId === undefined) return Promise.resolve();
    return this.serial.run(sessionId, async () => {
      this.byChannel.delete(channelId);
      const session = this.sessions.get(sessionId);
      if (session === undefined || isOver(session.state)) return;
      if (channelId === session.supervisorChannelId) {
        if (isRinging(session.state)) {
          this.forget(session);
          await this.failed(session.contactId, sessionId, unansweredReason(cause));
          return;
        }
        await this.end(session, 'supervisorGone', 'supervisor-hung-up');
        return;
      }
      // A snoop ends when the leg it snoops on ends (the call ended, or the agent left it).
      if (channelId === session.snoop || channelId === session.joining)
        await this.end(session, 'agentLegGone', 'agent-leg-gone');
    });
  }

  /** Sessions whose end never arrived (lost events) are ended after `maxAgeMs`. */
  async sweep(now: number, maxAgeMs: number): Promise<string[]> {
    const stale = [...this.sessions.values()].filter((s) => now - s.startedAt > maxAgeMs);
    for (const session of stale)
      await this.serial.run(session.sessionId, () => this.end(session, 'expired', 'expired'));
    return stale.map((s) => s.sessionId);
  }

  /**
   * After a restart no session is known: supervisor legs left in Asterisk are hung up (their snoops and
   * bridges are ended with the orphans of recover-calls.ts).
   */
  async dropLeftovers(channelIds: readonly string[]): Promise<number> {
    const left = channelIds.filter((id) => isSupervisorLeg(id) && !this.byChannel.has(id));
    for (const id of left) await this.ports.channels.hangup(id);
    return left.length;
  }

  get size(): number {
    return this.sessions.size;
  }

  private async answered(session: Session): Promise<void> {
    const log = this.logFor(session.contactId, session.sessionId);
    if (!canApply(session.state, 'answered')) {
      log.warn('supervisor answered twice', { state: session.state });
      return;
    }
    this.apply(session, 'answered');
    // The agent may have left while the supervisor's phone rang.
    const leg = supervisableLeg(this.calls.byContactId(session.contactId), session.agentId);
    if (leg !== session.agentChannelId) {
      await this.end(session, 'agentLegGone', 'agent-leg-gone');
      return;
    }
    // Set before asking: the bridge exists even when adding the phone fails, and must go at the end.
    session.bridged = true;
    if (!(await this.ports.channels.bridge(session.bridgeId, [session.supervisorChannelId]))) {
      await this.end(session, 'supervisorGone', 'supervisor-hung-up');
      return;
    }
    if (!(await this.newSnoop(session, session.mode)))
      await this.end(session, 'agentLegGone', 'agent-leg-gone');
  }

  private async newSnoop(session: Session, mode: SuperviseMode): Promise<boolean> {
    session.snoopCount += 1;
    const snoopId = sessionIds.snoop(session.sessionId, session.snoopCount);
    session.joining = snoopId;
    this.byChannel.set(snoopId, session.sessionId);
    const made = await this.ports.snoops.snoop({
      channelId: session.agentChannelId,
      snoopId,
      ...SNOOP[mode],
      app: this.ports.softacdApp,
      appArgs: ['supervise', session.sessionId, 'snoop'],
    });
    if (!made) {
      this.byChannel.delete(snoopId);
      delete session.joining;
    }
    return made;
  }

  /** The new snoop is in the app: it joins the supervisor's bridge, then the old one (if any) goes. */
  private async snoopJoined(session: Session, snoopId: string): Promise<void> {
    if (!(await this.ports.callMedia.addToBridge(session.bridgeId, snoopId))) {
      await this.end(session, 'supervisorGone', 'supervisor-hung-up');
      return;
    }
    const old = session.snoop;
    session.snoop = snoopId;
    delete session.joining;
    if (session.pendingMode !== undefined) session.mode = session.pendingMode;
    delete session.pendingMode;
    this.apply(session, 'snoopJoined');
    if (old !== undefined) {
      // Forgotten first: its end is a replaced snoop's, not the agent's leg going.
      this.byChannel.delete(old);
      await this.ports.channels.hangup(old);
    }
    this.logFor(session.contactId, session.sessionId).info('supervising', { mode: session.mode, snoopId });
    await this.supervising(session);
  }

  private async end(session: Session, event: SessionEvent, reason: EndReason): Promise<void> {
    if (!canApply(session.state, event)) return;
    const wasRinging = isRinging(session.state);
    this.apply(session, event);
    this.forget(session);
    const legs = [session.supervisorChannelId, session.snoop, session.joining].filter(
      (id): id is string => id !== undefined,
    );
    for (const leg of legs) await this.ports.channels.hangup(leg);
    if (session.bridged) await this.ports.channels.destroyBridge(session.bridgeId);
    this.logFor(session.contactId, session.sessionId).info('supervision ended', { reason, wasRinging });
    await this.emit<'SuperviseEnded'>({
      type: 'SuperviseEnded',
      contactId: session.contactId,
      sessionId: session.sessionId,
      reason,
    });
  }

  private forget(session: Session): void {
    this.sessions.delete(session.sessionId);
    for (const id of [session.supervisorChannelId, session.snoop, session.joining])
      if (id !== undefined) this.byChannel.delete(id);
  }

  private apply(session: Session, event: SessionEvent): void {
    session.state = nextSessionState(session.state, event);
  }

  private supervising(session: Session): Promise<void> {
    return this.emit<'Supervising'>({
      type: 'Supervising',
      contactId: session.contactId,
      sessionId: session.sessionId,
      supervisorId: session.supervisorId,
      agentId: session.agentId,
      mode: session.mode,
    });
  }

  private failed(contactId: string, sessionId: string, reason: FailReason): Promise<void> {
    return this.emit<'SuperviseFailed'>({ type: 'SuperviseFailed', contactId, sessionId, reason });
  }

  private emit<T extends 'Supervising' | 'SuperviseFailed' | 'SuperviseEnded'>(
    draft: Draft<T>,
  ): Promise<void> {
    return this.ports.emit(draft);
  }

  private logFor(contactId: string, sessionId: string): Logger {
    return contactLogger(this.ports.log, contactId).child({ sessionId });
  }
}
