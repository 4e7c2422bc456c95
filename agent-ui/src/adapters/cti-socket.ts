import {
  CLOSE_SUPERSEDED,
  CLOSE_UNAUTHENTICATED,
  parseServerMessage,
  type ClientMessage,
  type ServerMessage,
} from '../domain/interface-a';
import { backoffDelay, refreshDelay, refreshRetryDelay } from '../domain/timing';

export type ConnectionStatus =
  | { kind: 'connecting' }
  | { kind: 'open' }
  /** `at`: ms epoch of the next attempt. */
  | { kind: 'reconnecting'; at: number; attempt: number }
  | { kind: 'superseded' }
  /** The token was refused and could not be refreshed: sign in again. */
  | { kind: 'unauthorized' }
  | { kind: 'closed' };

export interface CtiSocketDeps {
  url: string;
  token: () => string;
  /** A fresh token from the AS (POST /api/v1/auth/refresh); rejects when the session is over. */
  refreshToken: () => Promise<{ token: string; expiresAt: number }>;
  onMessage: (m: ServerMessage) => void;
  onStatus: (s: ConnectionStatus) => void;
  log: (message: string, data?: unknown) => void;
  WebSocketImpl?: typeof WebSocket;
  random?: () => number;
}

/**
 * The desktop's connection to CTI (interface A): authenticates as an exclusive session, reconnects by
 * itself with jittered backoff, and refreshes the token before it expires (AS refresh, then `refresh`
 * on the open connection). A superseded session (another tab took over) is never reconnected.
 */
export class CtiSocket {
  private ws: WebSocket | undefined;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private expiresAt: number | undefined;

  constructor(private readonly deps: CtiSocketDeps) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  /** Ends the connection for good (sign-out, superseded). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.refreshTimer);
    const ws = this.ws;
    this.ws = undefined;
    ws?.close(1000, 'bye');
  }

  /** Reconnects at once (the banner's button) instead of waiting for the backoff. */
  reconnectNow(): void {
    if (this.stopped || this.ws !== undefined) return;
    clearTimeout(this.reconnectTimer);
    this.open();
  }

  send(m: ClientMessage): boolean {
    if (this.ws?.readyState !== 1) {
      this.deps.log('not connected: message dropped', { type: m.type });
      return false;
    }
    this.ws.send(JSON.stringify(m));
    return true;
  }

  private open(): void {
    const Impl = this.deps.WebSocketImpl ?? WebSocket;
    this.deps.onStatus({ kind: 'connecting' });
    const ws = new Impl(this.deps.url);
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: this.deps.token(), exclusive: true }));
    ws.onmessage = (ev: MessageEvent) => {
      if (this.ws !== ws || typeof ev.data !== 'string') return;
      const m = parseServerMessage(ev.data);
      if (m === undefined) {
        this.deps.log('unreadable message from CTI', ev.data);
        return;
      }
      this.onServerMessage(m);
    };
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      // The refresh timer keeps running: a long outage must not outlive the token the next auth sends.
      this.onClose(ev.code, ev.reason);
    };
  }

  private onServerMessage(m: ServerMessage): void {
    if (m.type === 'welcome') {
      this.attempt = 0;
      this.deps.onStatus({ kind: 'open' });
      this.scheduleRefresh(Date.parse(m.expiresAt));
    } else if (m.type === 'refreshed') {
      this.scheduleRefresh(Date.parse(m.expiresAt));
    } else if (m.type === 'superseded') {
      this.stopped = true;
    }
    this.deps.onMessage(m);
  }

  private onClose(code: number, reason: string): void {
    this.deps.log('CTI connection closed', { code, reason });
    if (code === CLOSE_SUPERSEDED || (this.stopped && code !== 1000)) {
      this.stopped = true;
      this.deps.onStatus({ kind: 'superseded' });
      return;
    }
    if (this.stopped) {
      this.deps.onStatus({ kind: 'closed' });
      return;
    }
    if (code === CLOSE_UNAUTHENTICATED) {
      // The token expired or was revoked: one refresh decides between reconnecting and signing in.
      this.deps.refreshToken().then(
        () => this.scheduleReconnect(),
        () => {
          this.stopped = true;
          this.deps.onStatus({ kind: 'unauthorized' });
        },
      );
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt, (this.deps.random ?? Math.random)());
    this.attempt += 1;
    this.deps.onStatus({ kind: 'reconnecting', at: Date.now() + delay, attempt: this.attempt });
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.open(), delay);
  }

  private scheduleRefresh(expiresAt: number): void {
    if (!Number.isFinite(expiresAt)) return;
    this.expiresAt = expiresAt;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), refreshDelay(expiresAt, Date.now()));
  }

  private refresh(): void {
    if (this.stopped) return;
    this.deps.refreshToken().then(
      (fresh) => {
        // Rescheduled from the AS's answer: CTI's `refreshed` may never come while disconnected.
        this.scheduleRefresh(fresh.expiresAt);
        if (this.ws?.readyState === 1) this.send({ type: 'refresh', token: fresh.token });
      },
      (err: unknown) => {
        this.deps.log('token refresh failed', String(err));
        const retry =
          this.expiresAt === undefined ? undefined : refreshRetryDelay(this.expiresAt, Date.now());
        if (retry !== undefined) this.refreshTimer = setTimeout(() => this.refresh(), retry);
      },
    );
  }
}
