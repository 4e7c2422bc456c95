import ari, { Client } from 'ari-client';
import { Logger, errorText } from '../../lib/log';
import { ariWebSocket } from './metrics';

export interface AriSettings {
  url: string;
  user: string;
  password: string;
}

/** Connects to ARI's REST side, retrying with jittered backoff (x1.7 from 150 ms, capped) until Asterisk answers. */
export async function connectAri(settings: AriSettings, log: Logger): Promise<Client> {
  let delayMs = 150;
  for (;;) {
    try {
      return await ari.connect(settings.url, settings.user, settings.password);
    } catch (err) {
      log.warn('ARI not reachable, retrying', { error: errorText(err), delayMs });
      await new Promise((r) => setTimeout(r, delayMs * (0.8 + Math.random() * 0.4)));
      delayMs = Math.min(Math.round(delayMs * 1.7), 5_000);
    }
  }
}

/**
 * Opens the Stasis app's WebSocket once its event handlers are in place. ari-client re-opens the socket
 * by itself after a drop; `onResync` runs after every (re)connect because Asterisk does not queue events
 * for a disconnected app, so state must be rebuilt from what Asterisk lists.
 */
export async function startApp(
  client: Client,
  app: string,
  log: Logger,
  onResync: () => Promise<void>,
): Promise<void> {
  client.on('WebSocketReconnecting', (err: Error) =>
    log.warn('ARI websocket reconnecting', { app, error: errorText(err) }),
  );
  client.on('WebSocketMaxRetries', (err: Error) => {
    // ari-client gave up; exiting lets the supervisor (systemd, up.sh's restart) start over cleanly.
    log.error('ARI websocket gave up', { app, error: errorText(err) });
    process.kill(process.pid, 'SIGTERM');
  });
  client.on('WebSocketConnected', () => {
    log.info('ARI websocket connected', { app });
    onResync().catch((err: unknown) => log.error('resync failed', { app, error: errorText(err) }));
  });
  await client.start(app);
}

/** Tells `listener` whether the app's WebSocket is connected, at every change (readiness: `ari`). */
export function watchAriSocket(client: Client, listener: (up: boolean) => void): void {
  const set = (up: boolean) => {
    ariWebSocket.set(up ? 1 : 0);
    listener(up);
  };
  set(false);
  client.on('WebSocketConnected', () => set(true));
  client.on('WebSocketReconnecting', () => set(false));
  client.on('WebSocketMaxRetries', () => set(false));
}
