import ariClient, { Client } from 'ari-client';

const base = () => process.env.ARI_URL ?? 'http://127.0.0.1:8088';
const auth = () => {
  const user = process.env.ARI_USER;
  const password = process.env.ARI_PASSWORD;
  if (!user || !password)
    throw new Error('ARI_USER/ARI_PASSWORD not set (scripts/test.sh loads .run/secrets.env)');
  return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
};

/** Plain REST calls for assertions about Asterisk's state. */
export const ari = {
  async get<T = unknown>(path: string): Promise<T> {
    const res = await fetch(`${base()}/ari${path}`, { headers: { authorization: auth() } });
    if (!res.ok) throw new Error(`ARI GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
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

/**
 * A Stasis app subscribed to every event in Asterisk: it sees what SoftACD and the IVR really did
 * (playbacks, channels), independently of what they report.
 */
export class AriObserver {
  readonly events: AriEvent[] = [];
  private client?: Client;

  async start(): Promise<void> {
    const user = process.env.ARI_USER ?? '';
    const password = process.env.ARI_PASSWORD ?? '';
    this.client = await ariClient.connect(base(), user, password);
    this.client.on('*' as never, ((event: AriEvent) => this.events.push(event)) as never);
    await this.client.start(`test-observer-${process.pid}`, true);
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

export async function asteriskIsClean(): Promise<{ channels: unknown[]; bridges: unknown[] }> {
  const [channels, bridges] = await Promise.all([
    ari.get<unknown[]>('/channels'),
    ari.get<unknown[]>('/bridges'),
  ]);
  return { channels, bridges };
}
