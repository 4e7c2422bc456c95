import {
  SupervisorSocket,
  type SupervisorConnection,
  type SupervisorSocketDeps,
} from '../adapters/supervisor-socket';
import { ctiUrlFor } from '../domain/settings';
import {
  EMPTY_BOARD,
  applyBoard,
  type Board,
  type SuperviseMode,
  type SupervisorRequest,
  type SupervisorServerMessage,
} from '../domain/wallboard';
import { STRINGS } from '../strings';
import type { ConsoleSession } from './console-session';
import { Store } from './store';

export interface SuperviseSession {
  sessionId: string;
  mode: SuperviseMode;
}

export interface WallboardState {
  connection: SupervisorConnection;
  admin: boolean;
  /** The queues in scope; null: every queue (an administrator). */
  scope: string[] | null;
  reasons: string[];
  board: Board;
  /** The last request's outcome, for the page's status line. */
  notice?: { kind: 'ok' | 'error'; text: string };
  /** Running supervision sessions by agent id. */
  sessions: ReadonlyMap<string, SuperviseSession>;
  tv: boolean;
}

/** The supervisor socket's URL: CTI's WebSocket (as the desktop derives it) on the `/supervisor` path. */
export function supervisorUrl(page: { protocol: string; hostname: string }): string {
  return `${ctiUrlFor({}, page)}/supervisor`;
}

/**
 * The wallboard area's state: the board CTI pushes (a snapshot at every (re)connection, then deltas),
 * the person's scope, and the requests it sends (agent control, supervision), each with a `ref` so its
 * answer lands on the status line.
 */
export class WallboardController {
  readonly view = new Store<WallboardState>({
    connection: { kind: 'connecting' },
    admin: false,
    scope: null,
    reasons: [],
    board: EMPTY_BOARD,
    sessions: new Map(),
    tv: false,
  });
  private readonly socket: SupervisorSocket;
  private readonly pending = new Map<string, SupervisorRequest>();
  private seq = 0;

  constructor(session: ConsoleSession, deps: Partial<SupervisorSocketDeps> = {}) {
    this.socket = new SupervisorSocket({
      url: supervisorUrl(location),
      token: () => session.token(),
      refreshToken: () => session.refresh(),
      onMessage: (m) => this.received(m),
      onStatus: (connection) => this.view.update({ connection }),
      log: (message, data) => console.info('[wallboard]', message, data ?? ''),
      ...deps,
    });
  }

  start(): void {
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
  }

  reconnectNow(): void {
    this.socket.reconnectNow();
  }

  setTv(tv: boolean): void {
    this.view.update({ tv });
  }

  request(r: SupervisorRequest): void {
    const ref = `r${++this.seq}`;
    if (!this.socket.send({ ...r, ref })) {
      this.view.update({ notice: { kind: 'error', text: STRINGS.wbNotConnected } });
      return;
    }
    this.pending.set(ref, r);
  }

  private nameOf(agentId: string | undefined): string {
    if (agentId === undefined) return '';
    return this.view.get().board.agents.get(agentId)?.name ?? agentId;
  }

  private received(m: SupervisorServerMessage): void {
    const state = this.view.get();
    const asked = 'ref' in m && m.ref !== undefined ? this.pending.get(m.ref) : undefined;
    if ('ref' in m && m.ref !== undefined) this.pending.delete(m.ref);
    switch (m.type) {
      case 'welcome':
        this.view.update({ admin: m.admin, scope: m.queues, reasons: m.reasons });
        return;
      case 'refreshed':
        return;
      case 'wallboard':
      case 'wallboard-update':
        this.view.update({ board: applyBoard(state.board, m, Date.now()) });
        return;
      case 'done':
        this.view.update({ notice: { kind: 'ok', text: this.doneText(m) } });
        return;
      case 'supervise-started':
      case 'supervise-changed': {
        const sessions = new Map(state.sessions);
        sessions.set(m.agentId, { sessionId: m.sessionId, mode: m.mode });
        const who = this.nameOf(m.agentId);
        const text =
          m.type === 'supervise-started' ? STRINGS.wbSuperviseStarted(who) : STRINGS.wbSuperviseChanged(who);
        this.view.update({ sessions, notice: { kind: 'ok', text } });
        return;
      }
      case 'supervise-stopped':
      case 'supervise-ended': {
        const sessions = new Map(state.sessions);
        sessions.delete(m.agentId);
        this.view.update({
          sessions,
          notice: { kind: 'ok', text: STRINGS.wbSuperviseStopped(this.nameOf(m.agentId)) },
        });
        return;
      }
      case 'error':
        // A stop the port no longer knows ends the page's session too.
        if (asked?.type === 'supervise-stop') {
          const sessions = new Map([...state.sessions].filter(([, s]) => s.sessionId !== asked.sessionId));
          this.view.update({ sessions });
        }
        this.view.update({ notice: { kind: 'error', text: STRINGS.wbRefused(m.message) } });
        return;
    }
  }

  private doneText(m: Extract<SupervisorServerMessage, { type: 'done' }>): string {
    switch (m.action) {
      case 'force-not-ready':
        return STRINGS.wbDoneNotReady(this.nameOf(m.agentId));
      case 'force-logout':
        return STRINGS.wbDoneLogout(this.nameOf(m.agentId));
      case 'move-contact':
        return STRINGS.wbDoneMoved(m.queueId ?? '');
      default:
        return STRINGS.wbDoneRaised;
    }
  }
}
