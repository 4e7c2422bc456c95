import { Backoff } from '../../lib/backoff';
import { Logger, errorText } from '../../lib/log';
import { AriEventSocket, CONNECTED, RECONNECTING } from './event-socket';
import { ariWebSocket } from './metrics';
import { type AriRest, type AriRestOptions, ariRest } from './rest';

export interface AriSettings {
  url: string;
  user: string;
  password: string;
}

/** ARI as a service uses it: REST over kept-alive HTTP (rest.ts) and its Stasis apps' event socket. */
export interface Ari {
  rest: AriRest;
  events: AriEventSocket;
}

/**
 * Waits until ARI answers (one small GET, retried with the project's backoff, lib/backoff.ts), then
 * gives the REST client and the event socket (not open yet: listeners first, then startApp).
 */
export async function connectAri(settings: AriSettings, log: Logger, o: AriRestOptions = {}): Promise<Ari> {
  const rest = ariRest(settings, o);
  const backoff = new Backoff();
  for (;;) {
    try {
      await rest.get('asterisk/ping');
      return { rest, events: new AriEventSocket(settings, log) };
    } catch (err) {
      const delayMs = backoff.next();
      log.warn('ARI not reachable, retrying', { error: errorText(err), delayMs });
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

/**
 * Opens the WebSocket of the Stasis app(s) `app` (comma-separated) once its event handlers are in
 * place; the socket re-opens itself after a drop (event-socket.ts). `onResync` runs after every
 * (re)connect because Asterisk does not queue events for a disconnected app, so state must be rebuilt
 * from what Asterisk lists.
 */
export async function startApp(
  events: AriEventSocket,
  app: string,
  log: Logger,
  onResync: () => Promise<void>,
): Promise<void> {
  events.on(RECONNECTING, (err: Error, retryMs: number) =>
    log.warn('ARI websocket reconnecting', { app, error: errorText(err), retryMs }),
  );
  events.on(CONNECTED, () => {
    log.info('ARI websocket connected', { app });
    onResync().catch((err: unknown) => log.error('resync failed', { app, error: errorText(err) }));
  });
  await events.start(app);
}

/** Tells `listener` whether the app's WebSocket is connected, at every change (readiness: `ari`). */
export function watchAriSocket(events: AriEventSocket, listener: (up: boolean) => void): void {
  const set = (up: boolean) => {
    ariWebSocket.set(up ? 1 : 0);
    listener(up);
  };
  set(false);
  events.on(CONNECTED, () => set(true));
  events.on(RECONNECTING, () => set(false));
}
