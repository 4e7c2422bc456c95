import { REFUSAL_TEXT, type AccountGuard } from '../../as/domain/account-access';
import type { VerifiedToken } from '../../lib/auth-token';
import { errorText, type Logger } from '../../lib/log';
import { CLOSE_UNAUTHENTICATED, type Admission } from './admission';

/** What token keeping says to a socket; both CTI sockets' messages include these. */
export type TokenFrame =
  { type: 'error'; code: string; message: string } | { type: 'refreshed'; expiresAt: string };

export interface KeptSocket {
  send(message: TokenFrame): void;
  close(code: number, reason: string): void;
}

/** The part of a gateway's session token keeping reads and renews. */
export interface KeptSession {
  claims: VerifiedToken;
  expiry: ReturnType<typeof setTimeout>;
}

export interface TokenKeeperPorts<S extends KeptSocket, T extends KeptSession> {
  /** The gateway's open sessions (read, never written here). */
  sessions: ReadonlyMap<S, T>;
  accounts: Pick<AccountGuard, 'checkMany'>;
  log: Logger;
  /** How log lines name the person (`agent`, `supervisor`) and the field that carries its id. */
  who: string;
  idField: string;
  /** The refusal of a fresh token that names someone else. */
  wrongPerson: { code: string; message: string };
  /** Forgets a session cut off here (`expired`: its token ran out; `refused`: its account refuses it). */
  end(socket: S, why: 'expired' | 'refused'): void;
  /** After a re-check cut sessions off: the persons cut off (the agents' gateway logs them out of CTI). */
  afterCutOff?(personIds: ReadonlySet<string>): Promise<void>;
}

/**
 * An admitted token's life on an open socket, the same for every CTI socket (agents, supervisors): it
 * closes the socket when the token expires unless a fresh one of the same person replaced it, and
 * re-checks every open session's account on a timer so that a revocation reaches open sockets.
 */
export class TokenKeeper<S extends KeptSocket, T extends KeptSession> {
  private recheckTimer?: ReturnType<typeof setInterval>;
  private rechecking = false;

  constructor(private readonly ports: TokenKeeperPorts<S, T>) {}

  /** Closes the socket when `claims` expire (renew() replaces this timer). */
  expireAt(socket: S, claims: VerifiedToken): ReturnType<typeof setTimeout> {
    const { ports } = this;
    const timer = setTimeout(
      () => {
        if (ports.sessions.get(socket)?.claims !== claims) return;
        ports.log.info(`${ports.who} token expired`, { [ports.idField]: claims.sub });
        socket.send({
          type: 'error',
          code: 'token_expired',
          message: 'token expired; refresh it before expiresAt',
        });
        socket.close(CLOSE_UNAUTHENTICATED, 'token expired');
        ports.end(socket, 'expired');
      },
      Math.max(0, claims.exp * 1000 - Date.now()),
    );
    timer.unref();
    return timer;
  }

  /**
   * A fresh token for the same person replaces the session's one, and with it the expiry. A token that
   * is refused leaves the session as it was (it still expires with its current token). True: renewed.
   */
  renew(socket: S, session: T, admission: Admission): boolean {
    const { ports } = this;
    // Closed or signed in again while the token was checked: this session is not the one to renew.
    if (ports.sessions.get(socket) !== session) return false;
    if (!admission.ok || admission.claims.sub !== session.claims.sub) {
      const refusal = admission.ok ? ports.wrongPerson : { code: admission.code, message: admission.message };
      ports.log.warn(`${ports.who} token refresh refused`, {
        [ports.idField]: session.claims.sub,
        code: refusal.code,
      });
      socket.send({ type: 'error', ...refusal });
      return false;
    }
    clearTimeout(session.expiry);
    session.claims = admission.claims;
    session.expiry = this.expireAt(socket, admission.claims);
    socket.send({ type: 'refreshed', expiresAt: new Date(admission.claims.exp * 1000).toISOString() });
    return true;
  }

  /** Re-checks every session's account every `everyMs`. */
  startAccountChecks(everyMs: number): void {
    this.stopAccountChecks();
    this.recheckTimer = setInterval(() => {
      this.recheckAccounts().catch((err: unknown) =>
        this.ports.log.error(`${this.ports.who} account re-check failed`, { error: errorText(err) }),
      );
    }, everyMs);
    this.recheckTimer.unref();
  }

  stopAccountChecks(): void {
    if (this.recheckTimer !== undefined) clearInterval(this.recheckTimer);
    this.recheckTimer = undefined;
  }

  /**
   * Closes each session whose account now refuses its token (deactivated, deleted, demoted, logged out).
   * A store that cannot be read keeps the sessions: an outage of the store must not sign everyone out.
   */
  async recheckAccounts(): Promise<void> {
    if (this.rechecking) return;
    this.rechecking = true;
    try {
      await this.recheck();
    } finally {
      this.rechecking = false;
    }
  }

  private async recheck(): Promise<void> {
    const { ports } = this;
    const open = [...ports.sessions.entries()];
    if (open.length === 0) return;
    let refused;
    try {
      refused = await ports.accounts.checkMany(open.map(([, s]) => s.claims));
    } catch (err) {
      ports.log.warn(`${ports.who} accounts not re-checked; connections kept`, { error: errorText(err) });
      return;
    }
    const socketOf = new Map(open.map(([socket, s]) => [s.claims, socket]));
    const cutOff = new Set<string>();
    for (const { claims, refused: code } of refused) {
      const socket = socketOf.get(claims);
      // Refreshed or closed while the store was read: that session is not the one refused.
      if (socket === undefined || ports.sessions.get(socket)?.claims !== claims) continue;
      ports.log.warn(`${ports.who} cut off: its account refuses the token`, {
        [ports.idField]: claims.sub,
        code,
      });
      socket.send({ type: 'error', code, message: REFUSAL_TEXT[code] });
      socket.close(CLOSE_UNAUTHENTICATED, REFUSAL_TEXT[code]);
      ports.end(socket, 'refused');
      cutOff.add(claims.sub);
    }
    if (cutOff.size > 0) await ports.afterCutOff?.(cutOff);
  }
}
