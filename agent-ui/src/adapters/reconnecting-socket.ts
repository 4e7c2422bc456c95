import { backoffDelay, refreshDelay, refreshRetryDelay } from '../domain/timing';

/**
 * Where a connection to CTI stands. `End`: the page's own terminal states, reached by a close code (or a
 * message) that says retrying is pointless (another tab took over, the token is not for this socket).
 */
export type SocketStatus<End extends string> =
  | { kind: 'connecting' }
  | { kind: 'open' }
  /** `at`: ms epoch of the next attempt. */
  | { kind: 'reconnecting'; at: number; attempt: number }
  /** The token was refused and could not be refreshed: sign in again. */
  | { kind: 'unauthorized' }
  | { kind: 'closed' }
  | { kind: End };

/** What the page does when CTI closes the socket with a given code; codes not in the table reconnect. */
export type CloseRule<End extends string> =
  /** Never reconnect; the status tells the page why. */
  | { then: 'end'; status: End }
  /** The token expired or was revoked: one AS refresh decides between reconnecting and signing in. */
  | { then: 'refresh-then-reconnect' };

export interface SocketDeps<In, End extends string> {
  url: string;
  token: () => string;
  /** A fresh token from the AS (POST /api/v1/auth/refresh); rejects when the session is over. */
  refreshToken: () => Promise<{ token: string; expiresAt: number }>;
  onMessage: (m: In) => void;
  onStatus: (s: SocketStatus<End>) => void;
  log: (message: string, data?: unknown) => void;
  WebSocketImpl?: typeof WebSocket;
  random?: () => number;
}

/** What differs between CTI's sockets (interface A, the supervisor socket): the rest is shared. */
export interface SocketProtocol<In extends { type: string }, End extends string> {
  /** For the log lines: `CTI connection`, `supervisor socket`. */
  name: string;
  parse(raw: string): In | undefined;
  /** The first frame on every (re)connection. */
  auth(token: string): { type: 'auth'; token: string; exclusive?: boolean };
  closeCodes: ReadonlyMap<number, CloseRule<End>>;
  /** A message after which CTI closes the socket and the page must not reconnect (`superseded`). */
  ends?(m: In): End | undefined;
}

/**
 * A page's connection to one of CTI's sockets: authenticates on every open, reconnects by itself with
 * jittered backoff (domain/timing.ts), refreshes the token before it expires (AS refresh, then `refresh`
 * on the open connection), and follows the protocol's table of close codes. Each (re)connection starts
 * with CTI's own snapshot, so nothing is replayed here.
 */
export class ReconnectingSocket<
  In extends { type: string },
  Out extends { type: string },
  End extends string,
> {
  private ws: WebSocket | undefined;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  /** Set by a message that ends the session: the close that follows it reports this status. */
  private ending: End | undefined;
  private expiresAt: number | undefined;

  constructor(
    private readonly deps: SocketDeps<In, End>,
    private readonly protocol: SocketProtocol<In, End>,
  ) {}

  start(): void {
    this.stopped = false;
    this.ending = undefined;
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

  send(m: Out | { type: 'refresh'; token: string }): boolean {
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
    ws.onopen = () => ws.send(JSON.stringify(this.protocol.auth(this.deps.token())));
    ws.onmessage = (ev: MessageEvent) => {
      if (this.ws !== ws || typeof ev.data !== 'string') return;
      const m = this.protocol.parse(ev.data);
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

  private onServerMessage(m: In): void {
    const expiresAt = 'expiresAt' in m && typeof m.expiresAt === 'string' ? m.expiresAt : undefined;
    if (m.type === 'welcome') {
      this.attempt = 0;
      this.deps.onStatus({ kind: 'open' });
    }
    if ((m.type === 'welcome' || m.type === 'refreshed') && expiresAt !== undefined)
      this.scheduleRefresh(Date.parse(expiresAt));
    const ends = this.protocol.ends?.(m);
    if (ends !== undefined) {
      this.stopped = true;
      this.ending = ends;
    }
    this.deps.onMessage(m);
  }

  private onClose(code: number, reason: string): void {
    this.deps.log(`${this.protocol.name} closed`, { code, reason });
    const rule = this.protocol.closeCodes.get(code);
    if (rule?.then === 'end') return this.end(rule.status);
    if (this.stopped) {
      // A normal close after a message that ended the session is the page's own stop, not that end.
      if (this.ending !== undefined && code !== 1000) return this.end(this.ending);
      this.deps.onStatus({ kind: 'closed' });
      return;
    }
    if (rule?.then === 'refresh-then-reconnect') {
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

  private end(status: End): void {
    this.stopped = true;
    this.deps.onStatus({ kind: status });
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
