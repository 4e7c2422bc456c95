import winston from 'winston';
import { ANY_EVENT, AriEventSocket, CONNECTED, RECONNECTING } from '../../stasis-app/ari/event-socket';
import { type AriRest, ariRest } from '../../stasis-app/ari/rest';

const base = () => process.env.ARI_URL ?? 'http://127.0.0.1:8088';
const settings = () => {
  const user = process.env.ARI_USER;
  const password = process.env.ARI_PASSWORD;
  if (!user || !password)
    throw new Error('ARI_USER/ARI_PASSWORD not set (scripts/test.sh loads .run/secrets.env)');
  return { url: base(), user, password };
};
let client: AriRest | undefined;

/** Plain REST calls for assertions about Asterisk's state, through the services' own client (rest.ts). */
export const ari = {
  /** An error answer is an AriError: `ARI GET <path>: <status> <ARI's message>`. */
  get<T = unknown>(path: string): Promise<T> {
    client ??= ariRest(settings(), { maxSockets: 4 });
    return client.get<T>(path);
  },

  /**
   * Names of the Stasis apps registered now. Asterisk builds the list in two steps (names, then each
   * app's details), so an app that unregisters in between (an observer that just closed its
   * WebSocket, a crashed SoftACD) fails the whole request with 500 "Allocation failed"; ask again.
   */
  async applicationNames(): Promise<string[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const apps = await ari.get<Array<{ name: string }>>('/applications');
        return apps.map((a) => a.name);
      } catch (err) {
        if (attempt >= 5 || !/: 500 /.test(String(err))) throw err;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  },
};

export interface AriEvent {
  type: string;
  channel?: { id: string; name: string };
  playback?: { id: string; target_uri: string; media_uri: string; state: string };
  [key: string]: unknown;
}

/** How `GET /applications/{name}` names an app's subscription to every channel (subscribeAll). */
const ALL_CHANNELS = '__AST_CHANNEL_ALL_TOPIC';
let observersStarted = 0;

/**
 * A Stasis app subscribed to every event in Asterisk: it sees what SoftACD and the IVR really did
 * (playbacks, channels), independently of what they report.
 */
export class AriObserver {
  readonly events: AriEvent[] = [];
  /**
   * Its own app name: with one per process, an older observer's app (still open, or reconnected after
   * an Asterisk restart) would pass the subscription check below in this one's place.
   */
  readonly app = `test-observer-${process.pid}-${++observersStarted}`;
  /** WebSocket drops since `start` resolved: Asterisk keeps no events for a closed app, so any lost some. */
  drops = 0;
  private open = false;
  private client?: AriEventSocket;

  /**
   * Resolves once Asterisk lists this app as subscribed to every channel with its WebSocket open, not
   * at the first open alone: an event before the subscription (an agent leg going Up) never reaches it.
   */
  async start(ms = 10_000): Promise<void> {
    const user = process.env.ARI_USER ?? '';
    const password = process.env.ARI_PASSWORD ?? '';
    const client = new AriEventSocket(
      { url: base(), user, password },
      winston.createLogger({ silent: true }),
    );
    this.client = client;
    let started = false;
    client.on(ANY_EVENT, (event: AriEvent) => this.events.push(event));
    client.on(CONNECTED, () => {
      this.open = true;
    });
    client.on(RECONNECTING, () => {
      this.open = false;
      if (started) this.drops++;
    });
    await client.start(this.app, { subscribeAll: true });
    const deadline = Date.now() + ms;
    for (;;) {
      const app = await ari
        .get<{ channel_ids: string[] }>(`/applications/${encodeURIComponent(this.app)}`)
        .catch((err: Error) => err);
      if (this.open && !(app instanceof Error) && app.channel_ids.includes(ALL_CHANNELS)) break;
      if (Date.now() > deadline) {
        client.stop();
        const seen = app instanceof Error ? app.message : `channels: ${app.channel_ids.join(', ')}`;
        throw new Error(`ARI observer ${this.app} not subscribed to every channel in ${ms} ms (${seen})`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    started = true;
  }

  stop(): void {
    this.client?.stop();
  }

  forChannel(channelId: string): AriEvent[] {
    return this.events.filter(
      (e) => e.channel?.id === channelId || e.playback?.target_uri === `channel:${channelId}`,
    );
  }
}

/**
 * What Asterisk still has once a call is over: waits up to `ms` for it to be empty (hang-up processing
 * finishes a moment after the last BYE's 200 OK) and returns what is left either way, for the assertion.
 */
export async function leftInAsterisk(ms = 3000): Promise<{ channels: unknown[]; bridges: unknown[] }> {
  const deadline = Date.now() + ms;
  for (;;) {
    const state = await asteriskIsClean();
    if (state.channels.length + state.bridges.length === 0 || Date.now() > deadline) return state;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The channel Asterisk runs each SIP MESSAGE's dialplan on (ipcc-messages, docs/sms.md). It is no call:
 * Asterisk keeps it for the next message and ARI goes on listing it once one has arrived, so a check
 * for "nothing left" that counted it would fail after any SMS over SIP.
 */
export const MESSAGE_CHANNEL = 'Message/ast_msg_queue';

/** Every channel Asterisk has, but its message channel. */
export async function callChannels<T extends { name: string }>(): Promise<T[]> {
  return (await ari.get<T[]>('/channels')).filter((c) => c.name !== MESSAGE_CHANNEL);
}

export async function asteriskIsClean(): Promise<{ channels: unknown[]; bridges: unknown[] }> {
  const [channels, bridges] = await Promise.all([
    callChannels<{ name: string }>(),
    ari.get<unknown[]>('/bridges'),
  ]);
  return { channels, bridges };
}
