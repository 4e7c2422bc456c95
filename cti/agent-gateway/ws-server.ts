import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';
import { Logger, errorText } from '../../lib/log';
import { tlsFromEnv, type TlsPair } from '../../lib/tls-files';
import { AgentGateway, CLOSE_UNAUTHENTICATED } from './gateway';
import { MessageRate, type MessageRateOptions } from './rate-limit';

export const MAX_FRAME_BYTES = 16 * 1024;
const AUTH_DEADLINE_MS = 5_000;
/** WebSocket's policy-violation close code: the client kept sending over its message rate. */
export const CLOSE_POLICY_VIOLATION = 1008;

/** One connection as a gateway sees it (interface A's ClientSocket, the supervisor socket's). */
export interface SocketClient<M> {
  send(message: M): void;
  close(code: number, reason: string): void;
}

/** What a socket path needs of its gateway: frames in, messages out (agents' and supervisors' alike). */
export interface SocketGateway<M> {
  received(client: SocketClient<M>, text: string): Promise<void>;
  closed(client: SocketClient<M>): void;
  isAuthenticated(client: SocketClient<M>): boolean;
  /** Whose connection it is, for logs. */
  agentOf(client: SocketClient<M>): string | undefined;
}

/** Another gateway on the same server, for connections to a path ending in `suffix` (`/supervisor`). */
export interface SocketPath {
  suffix: string;
  gateway: SocketGateway<unknown>;
}

/**
 * The WebSocket edge of interface A: frames in, ServerMessages out; a client has 5 s to authenticate, and
 * each connection's frames are rate-limited (rate-limit.ts) before they are even parsed.
 */
export function startAgentWebSocket(
  agentGateway: AgentGateway,
  host: string,
  port: number,
  log: Logger,
  rate: MessageRateOptions = {},
  tls: TlsPair | undefined = tlsFromEnv('CTI'),
  paths: readonly SocketPath[] = [],
): Promise<WebSocketServer> {
  // wss:// with CTI_TLS_CERT/CTI_TLS_KEY (a desktop served over HTTPS may open nothing else); the
  // HTTPS server is this socket's alone and closes with it.
  const https = tls === undefined ? undefined : createHttpsServer({ cert: tls.cert, key: tls.key });
  const wss =
    https === undefined
      ? new WebSocketServer({ host, port, maxPayload: MAX_FRAME_BYTES })
      : new WebSocketServer({ server: https, maxPayload: MAX_FRAME_BYTES });
  if (https !== undefined) {
    wss.once('close', () => https.close());
    https.listen(port, host, () => {
      log.info('agent websocket over TLS', {
        url: `wss://${host}:${(https.address() as AddressInfo | null)?.port ?? port}`,
        cert: tls?.certFile,
        names: tls?.names,
      });
    });
  }
  wss.on('connection', (ws: WebSocket, request: IncomingMessage) => {
    // Any other path is interface A, as before (a reverse proxy may keep its own prefix).
    const pathname = (request.url ?? '/').split('?')[0] ?? '/';
    const gateway: SocketGateway<unknown> =
      paths.find((p) => pathname.endsWith(p.suffix))?.gateway ?? agentGateway;
    const client: SocketClient<unknown> = {
      send: (m) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
      },
      close: (code, reason) => ws.close(code, reason),
    };
    const deadline = setTimeout(() => {
      if (!gateway.isAuthenticated(client)) ws.close(CLOSE_UNAUTHENTICATED, 'authenticate first');
    }, AUTH_DEADLINE_MS);
    const messages = new MessageRate(rate);
    let refused = 0;
    let cutOff = false;
    ws.on('message', (data, isBinary) => {
      // Frames already on their way when the connection was cut off are dropped without a word.
      if (cutOff) return;
      const verdict = messages.message();
      if (verdict !== 'accept') {
        refused += 1;
        if (verdict === 'close') {
          cutOff = true;
          log.warn('agent client closed: message rate exceeded', {
            refused,
            agentId: gateway.agentOf(client),
          });
          ws.close(CLOSE_POLICY_VIOLATION, 'message rate exceeded');
          return;
        }
        // Logged once per connection: a flood must not become a flood of log lines.
        if (refused === 1)
          log.warn('agent client over its message rate', { agentId: gateway.agentOf(client) });
        client.send({ type: 'error', code: 'rate_limited', message: 'too many messages; slow down' });
        return;
      }
      if (isBinary) {
        client.send({ type: 'error', code: 'bad_message', message: 'text frames only' });
        return;
      }
      const text = Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Buffer.concat(data as Buffer[]).toString('utf8');
      gateway
        .received(client, text)
        .catch((err: unknown) => log.error('agent message failed', { error: errorText(err) }));
    });
    ws.on('close', () => {
      clearTimeout(deadline);
      gateway.closed(client);
    });
    ws.on('error', (err) => log.warn('agent websocket error', { error: errorText(err) }));
  });
  return new Promise((resolve, reject) => {
    const listener = https ?? wss;
    listener.once('listening', () => resolve(wss));
    listener.once('error', reject);
  });
}
