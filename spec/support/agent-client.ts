import WebSocket from 'ws';
import { signToken } from '../../lib/auth-token';
import type { ServerMessage } from '../../cti/agent-gateway/protocol';

/** An agent's client on interface A (CTI's WebSocket), as the browser app talks to it. */
export class AgentClient {
  readonly received: ServerMessage[] = [];
  closed?: { code: number; reason: string };
  private ws?: WebSocket;

  static tokenFor(agentId: string, roles: Array<'agent' | 'supervisor' | 'admin'> = ['agent']): string {
    const secret = process.env.AUTH_TOKEN_SECRET;
    if (!secret) throw new Error('AUTH_TOKEN_SECRET not set (scripts/test.sh loads .run/secrets.env)');
    return signToken({ sub: agentId, roles }, secret).token;
  }

  async connect(): Promise<void> {
    const url = `ws://${process.env.CTI_WS_HOST ?? '127.0.0.1'}:${process.env.CTI_WS_PORT ?? '8091'}`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.on('message', (data: Buffer) =>
      this.received.push(JSON.parse(data.toString('utf8')) as ServerMessage),
    );
    ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws?.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  of<T extends ServerMessage['type']>(type: T): Array<Extract<ServerMessage, { type: T }>> {
    return this.received.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  }

  close(): void {
    this.ws?.close();
  }
}
