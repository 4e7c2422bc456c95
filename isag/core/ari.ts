import { env } from '../../lib/config';
import { type Logger, errorText } from '../../lib/log';
import { type AriSettings, connectAri, startApp, watchAriSocket } from '../../stasis-app/ari/connection';
import type { AriEventSocket } from '../../stasis-app/ari/event-socket';
import { ariRest } from '../../stasis-app/ari/rest';

/**
 * ISAG's ARI connection: one WebSocket for all of ISAG's Stasis apps (SMS over SIP MESSAGE, fax), with
 * the project's ARI client and reconnect policy (stasis-app/ari: REST in rest.ts, events in
 * event-socket.ts re-opened with lib/backoff.ts, resync after every connect). ISAG logs in as its own
 * ARI user (ISAG_ARI_USER / ISAG_ARI_PASSWORD, asterisk/snippets/ari_ipcc.conf), not as SoftACD's.
 */
export function isagAriSettings(): AriSettings {
  return {
    url: env('ARI_URL', 'http://127.0.0.1:8088'),
    user: env('ISAG_ARI_USER', 'isag'),
    password: env('ISAG_ARI_PASSWORD'),
  };
}

export type AriMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type AriQuery = Record<string, string | number | boolean | undefined>;

/** ARI's REST side as ISAG uses it: few, small requests (subscriptions, filters, sendMessage). */
export interface AriRequests {
  request<T = unknown>(
    method: AriMethod,
    path: string,
    opts?: { query?: AriQuery; body?: unknown },
  ): Promise<T>;
}

/** The project's ARI REST client (rest.ts), with a deadline per request; an error status is an AriError. */
export function ariRequests(settings: AriSettings, timeoutMs = 5_000): AriRequests {
  const rest = ariRest(settings, { maxSockets: 4, timeoutMs });
  return {
    async request<T>(method: AriMethod, path: string, opts: { query?: AriQuery; body?: unknown } = {}) {
      if (method === 'GET') return rest.get<T>(path, opts.query);
      if (method === 'POST') return rest.post<T>(path, opts.query, opts.body);
      if (method === 'PUT') return rest.put<T>(path, opts.query, opts.body);
      await rest.delete(path, opts.query);
      return undefined as T;
    },
  };
}

/** One of ISAG's Stasis apps: its name, and what it redoes after every (re)connect. */
export interface IsagApp {
  name: string;
  /** Asterisk keeps no subscriptions or filters for an app it destroyed: set them up again here. */
  resync: () => Promise<void>;
  /** Before the WebSocket closes (SIGTERM): undo what would make Asterisk accept work for nobody. */
  stop?: () => Promise<void>;
}

export class IsagAri {
  private readonly apps: IsagApp[] = [];
  private started = false;

  private constructor(
    readonly client: AriEventSocket,
    readonly rest: AriRequests,
    private readonly log: Logger,
  ) {}

  /** Connects (retrying until Asterisk answers); apps are added, then `start` opens the WebSocket. */
  static async connect(settings: AriSettings, log: Logger): Promise<IsagAri> {
    const { events } = await connectAri(settings, log);
    return new IsagAri(events, ariRequests(settings), log);
  }

  /** Registers an app; every app must be added before `start` (one WebSocket carries them all). */
  add(app: IsagApp): void {
    if (this.started) throw new Error(`ARI app ${app.name} added after start`);
    this.apps.push(app);
  }

  /** Readiness `ari`: whether the WebSocket is connected. */
  watch(listener: (up: boolean) => void): void {
    watchAriSocket(this.client, listener);
  }

  async start(): Promise<void> {
    if (this.apps.length === 0) return;
    this.started = true;
    const names = this.apps.map((a) => a.name);
    await startApp(this.client, names.join(','), this.log, async () => {
      // Each app's resync on its own: one failing (a bad endpoint name) leaves the others working.
      await Promise.all(
        this.apps.map((a) =>
          a
            .resync()
            .catch((err: unknown) =>
              this.log.error('ARI app resync failed', { app: a.name, error: errorText(err) }),
            ),
        ),
      );
    });
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    for (const a of this.apps)
      await a
        .stop?.()
        .catch((err: unknown) =>
          this.log.warn('ARI app stop failed', { app: a.name, error: errorText(err) }),
        );
    this.client.stop();
  }
}
