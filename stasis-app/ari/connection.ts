import ari, { Client } from 'ari-client';
import { Logger, errorText } from '../../lib/log';

export interface AriSettings {
  url: string;
  user: string;
  password: string;
  app: string;
}

/**
 * Connects to ARI and starts one Stasis application, retrying with jittered backoff until Asterisk
 * answers. ari-client re-opens the WebSocket by itself after a drop; `onResync` runs after the first
 * connect and after every reconnect, because Asterisk does not queue events for a disconnected app.
 */
export async function connectAri(
  settings: AriSettings,
  log: Logger,
  onResync: (client: Client) => Promise<void>,
): Promise<Client> {
  let delayMs = 150;
  for (;;) {
    try {
      const client = await ari.connect(settings.url, settings.user, settings.password);
      client.on('WebSocketReconnecting', (err: Error) =>
        log.warn('ARI websocket reconnecting', { app: settings.app, error: errorText(err) }),
      );
      client.on('WebSocketMaxRetries', (err: Error) => {
        // ari-client gives up after its retries; the supervisor restarts the process to start over.
        log.error('ARI websocket gave up', { app: settings.app, error: errorText(err) });
        process.exitCode = 1;
        process.kill(process.pid, 'SIGTERM');
      });
      client.on('WebSocketConnected', () => {
        log.info('ARI websocket connected', { app: settings.app });
        onResync(client).catch((err: unknown) => log.error('resync failed', { error: errorText(err) }));
      });
      await client.start(settings.app);
      return client;
    } catch (err) {
      log.warn('ARI not reachable, retrying', { app: settings.app, error: errorText(err), delayMs });
      await new Promise((r) => setTimeout(r, delayMs * (0.8 + Math.random() * 0.4)));
      delayMs = Math.min(Math.round(delayMs * 1.7), 5_000);
    }
  }
}
