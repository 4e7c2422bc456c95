import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { Backoff } from '../../lib/backoff';
import { type Logger, errorText } from '../../lib/log';
import type { AriSettings } from './connection';

/** Every ARI event names its type; the rest is the event's own model (ari-client's typings name them). */
export interface AriEvent {
  type: string;
  application?: string;
}

/** The socket's own events beside ARI's: after every open, and after every drop (with the next delay). */
export const CONNECTED = 'WebSocketConnected';
export const RECONNECTING = 'WebSocketReconnecting';
/** Listeners of this name get every ARI event (test observers). */
export const ANY_EVENT = '*';

/**
 * A Stasis app's WebSocket (`GET /ari/events`): each message is one JSON event, handed to the
 * listeners of its `type` as it came (no resource objects are built around it). After any drop the
 * socket is re-opened with the project's backoff (lib/backoff.ts), for as long as the process runs;
 * Asterisk keeps no events for a closed app, so `CONNECTED` tells the owner to resynchronise.
 */
export class AriEventSocket {
  private readonly emitter = new EventEmitter();
  private readonly backoff = new Backoff();
  private ws: WebSocket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** The Stasis apps, comma-separated (one socket carries them all); set by `start`. */
  private apps = '';
  private subscribeAll = false;

  constructor(
    private readonly settings: AriSettings,
    private readonly log: Logger,
  ) {
    // Every ARI event type is a name here, and an app listens to a dozen: no leak warning for those.
    this.emitter.setMaxListeners(0);
  }

  on<E extends AriEvent>(type: string, listener: (event: E) => void): this;
  on(type: typeof RECONNECTING, listener: (err: Error, retryMs: number) => void): this;
  on(type: typeof CONNECTED, listener: () => void): this;
  on(type: string, listener: (...args: never[]) => void): this {
    this.emitter.on(type, listener as (...args: unknown[]) => void);
    return this;
  }

  /**
   * Opens the socket for `apps` (one or more Stasis apps, comma-separated) once the listeners are in
   * place; resolves at the first open (retrying till then). `subscribeAll`: every event in Asterisk,
   * not only the apps' own (test observers).
   */
  start(apps: string, o: { subscribeAll?: boolean } = {}): Promise<void> {
    if (this.apps !== '') throw new Error(`ARI event socket for ${this.apps} started twice`);
    this.apps = apps;
    this.subscribeAll = o.subscribeAll ?? false;
    return new Promise((resolve) => {
      this.emitter.once(CONNECTED, resolve);
      this.open();
    });
  }

  /** Closes the socket for good (SIGTERM): no reconnect follows. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close(1000);
  }

  private open(): void {
    if (this.stopped) return;
    const base = new URL(this.settings.url.replace(/\/+$/, '') + '/ari/events');
    base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    base.searchParams.set('app', this.apps);
    base.searchParams.set('api_key', `${this.settings.user}:${this.settings.password}`);
    if (this.subscribeAll) base.searchParams.set('subscribeAll', 'true');
    const ws = new WebSocket(base);
    this.ws = ws;
    let failure: Error | undefined;
    ws.on('open', () => {
      this.backoff.reset();
      this.emitter.emit(CONNECTED);
    });
    ws.on('message', (data: WebSocket.RawData) => this.dispatch(data));
    // An error is always followed by `close`, which schedules the next try: only its reason is kept.
    ws.on('error', (err) => {
      failure = err;
    });
    ws.on('close', (code) => {
      if (this.stopped || this.ws !== ws) return;
      this.ws = undefined;
      const retryMs = this.backoff.next();
      this.emitter.emit(RECONNECTING, failure ?? new Error(`closed with code ${code}`), retryMs);
      this.timer = setTimeout(() => this.open(), retryMs);
    });
  }

  private dispatch(data: WebSocket.RawData): void {
    let event: AriEvent;
    try {
      // binaryType is left at 'nodebuffer': every message arrives as one Buffer.
      event = JSON.parse((data as Buffer).toString('utf8')) as AriEvent;
    } catch (err) {
      this.log.error('ARI event unreadable', { apps: this.apps, error: errorText(err) });
      return;
    }
    // A listener's mistake must not take the socket (and every later event) down with it.
    try {
      this.emitter.emit(event.type, event);
      this.emitter.emit(ANY_EVENT, event);
    } catch (err) {
      this.log.error('ARI event listener failed', { type: event.type, error: errorText(err) });
    }
  }
}
