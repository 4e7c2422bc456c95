import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { build } from 'esbuild';
import WebSocket from 'ws';
import { tokenVersionOf } from './accounts';
import { AgentClient } from './agent-client';
import { eventually } from './bus-observer';

/** The supervisor's console on CTI's supervisor socket (`/supervisor`), as the page talks to it. */
export class SupervisorSocket {
  readonly received: Array<Record<string, unknown>> = [];
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) =>
      this.received.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>),
    );
  }

  /** Connects and signs in with a supervisor token for `personId`; resolves after `welcome`. */
  static async open(personId: string): Promise<SupervisorSocket> {
    const url = `ws://${process.env.CTI_WS_HOST ?? '127.0.0.1'}:${process.env.CTI_WS_PORT ?? '8091'}/supervisor`;
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const socket = new SupervisorSocket(ws);
    const token = AgentClient.tokenFor(personId, ['supervisor'], await tokenVersionOf(personId));
    ws.send(JSON.stringify({ type: 'auth', token }));
    await eventually('supervisor welcome', () => socket.received.find((m) => m.type === 'welcome'));
    return socket;
  }

  /** Sends a request and resolves with CTI's answer to it (same `ref`): the expected type, or an error. */
  async ask(message: Record<string, unknown>, ms = 40_000): Promise<Record<string, unknown>> {
    const ref = randomUUID();
    this.ws.send(JSON.stringify({ ...message, ref }));
    return eventually(
      `answer to ${String(message.type)}`,
      () => this.received.find((m) => m.ref === ref),
      ms,
    );
  }

  close(): void {
    this.ws.close();
  }
}

/**
 * The app's own softphone (agent-ui/src/adapters/softphone.ts, JsSIP over Asterisk's /ws) as one
 * script that sets `window.__Softphone`, for a test page that registers a person's browser endpoint.
 */
export async function softphoneBundle(): Promise<string> {
  const out = await build({
    stdin: {
      contents:
        "import { Softphone } from './agent-ui/src/adapters/softphone'; (window as any).__Softphone = Softphone;",
      resolveDir: path.resolve(__dirname, '..', '..'),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? '';
}

/** Where the AS sends its softphones (as/settings.ts): Asterisk's TLS port when pages are served over TLS. */
export function softphoneWsUrl(e: NodeJS.ProcessEnv = process.env): string {
  return (
    e.AGENT_SIP_WS_URL ??
    (e.AS_TLS_CERT
      ? `wss://${e.ASTERISK_HTTPS_HOST ?? e.ASTERISK_HTTP_HOST ?? '127.0.0.1'}:${e.ASTERISK_HTTPS_PORT ?? '8089'}/ws`
      : `ws://${e.ASTERISK_HTTP_HOST ?? '127.0.0.1'}:${e.ASTERISK_HTTP_PORT ?? '8088'}/ws`)
  );
}
