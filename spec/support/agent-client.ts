import jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import { signToken } from '../../lib/auth-token';
import type { ServerMessage } from '../../cti/agent-gateway/protocol';

/** Sends a fresh token over the socket this long before the current one expires (CTI closes it then). */
const REFRESH_BEFORE_MS = 60_000;

/** An agent's client on interface A (CTI's WebSocket), as the browser app talks to it. */
export class AgentClient {
  readonly received: ServerMessage[] = [];
  closed?: { code: number; reason: string };
  private ws?: WebSocket;
  /** Who the last `auth` named, to sign the refresh tokens for the same agent. */
  private identity?: { sub: string; roles: Array<'agent' | 'supervisor' | 'admin'>; ver: number };
  private refreshTimer?: ReturnType<typeof setTimeout>;

  static tokenFor(
    agentId: string,
    roles: Array<'agent' | 'supervisor' | 'admin'> = ['agent'],
    ver = 0,
    ttlSec?: number,
  ): string {
    const secret = process.env.AUTH_TOKEN_SECRET;
    if (!secret) throw new Error('AUTH_TOKEN_SECRET not set (scripts/test.sh loads .run/secrets.env)');
    return signToken({ sub: agentId, roles, ver }, secret, ttlSec).token;
  }

  async connect(): Promise<void> {
    const url = `ws://${process.env.CTI_WS_HOST ?? '127.0.0.1'}:${process.env.CTI_WS_PORT ?? '8091'}`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.on('message', (data: Buffer) => this.receive(JSON.parse(data.toString('utf8')) as ServerMessage));
    ws.on('close', (code, reason) => {
      clearTimeout(this.refreshTimer);
      this.closed = { code, reason: reason.toString() };
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'auth') {
      this.remember((message as { token?: unknown }).token);
    }
    this.ws?.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  of<T extends ServerMessage['type']>(type: T): Array<Extract<ServerMessage, { type: T }>> {
    return this.received.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  }

  close(): void {
    clearTimeout(this.refreshTimer);
    this.ws?.close();
  }

  private receive(m: ServerMessage): void {
    this.received.push(m);
    // A long test or benchmark keeps its connection: the token is refreshed over it, as the app does.
    if ((m.type === 'welcome' || m.type === 'refreshed') && this.identity !== undefined) {
      const wait = Date.parse(m.expiresAt) - Date.now() - REFRESH_BEFORE_MS;
      clearTimeout(this.refreshTimer);
      if (wait <= 0) return;
      const { sub, roles, ver } = this.identity;
      this.refreshTimer = setTimeout(
        () =>
          this.ws?.send(JSON.stringify({ type: 'refresh', token: AgentClient.tokenFor(sub, roles, ver) })),
        wait,
      );
      this.refreshTimer.unref();
    }
  }

  private remember(token: unknown): void {
    const claims = typeof token === 'string' ? jwt.decode(token) : null;
    if (claims === null || typeof claims === 'string' || typeof claims.sub !== 'string') return;
    const roles = Array.isArray(claims.roles)
      ? (claims.roles as Array<'agent' | 'supervisor' | 'admin'>)
      : [];
    this.identity = { sub: claims.sub, roles, ver: typeof claims.ver === 'number' ? claims.ver : 0 };
  }
}
