import path from 'node:path';
import { EXCHANGES } from '../../lib/bus/topology';
import { agentEvents, agentIdOf } from './agents';
import { ari, callChannels } from './ari';
import { BusObserver, type Seen, eventually } from './bus-observer';
import type { MediaCount } from './rtp-capture';
import { type PhoneMedia, writePhoneMedia } from './rtp-pcap';
import { type SippRun, sipp } from './sipp';

/**
 * The system side of the desktop tests: a sipp video caller (audio + H.264 from the prompt builder's
 * `menu` prompt), the bus as CTI and SoftACD report the call, and the helpers to read what the caller
 * received in a time window.
 */

const PROMPTS = path.resolve(__dirname, '..', '..', 'asterisk', 'prompts', 'build');

/** A calling number no other test uses: 1555 and seven random digits. */
export function freshNumber(): string {
  return `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
}

export interface VideoCaller {
  number: string;
  media: PhoneMedia;
  /** Resolves when sipp ends: after Asterisk's BYE (exit 0), or at its timeout (exit 1). */
  done: Promise<SippRun>;
}

/**
 * Calls `service` (100: the IVR, which the caller answers with key 1; 200: the sales queue directly) and
 * stays, sending audio and H.264, until Asterisk hangs up (spec/integration/desktop/sipp/ivr-video-key1.xml).
 */
export async function videoCaller(o: {
  dir: string;
  service: string;
  number: string;
  name: string;
  sipPort: number;
  mediaPort: number;
  timeoutSec: number;
}): Promise<VideoCaller> {
  const media = await writePhoneMedia({
    dir: o.dir,
    promptDir: PROMPTS,
    prompt: 'menu',
    codec: 'h264',
    videoPayloadType: 96,
    durationMs: o.timeoutSec * 1000,
    ssrc: 0x33330001,
  });
  const done = sipp('../integration/desktop/sipp/ivr-video-key1.xml', {
    service: o.service,
    localPort: o.sipPort,
    calls: 1,
    timeoutSec: o.timeoutSec,
    cwd: o.dir,
    vars: { caller: o.number, caller_name: o.name },
    extra: ['-mp', String(o.mediaPort), '-trace_err'],
  });
  return { number: o.number, media, done };
}

/** The bus as the tests read it: only well-formed messages (other suites publish junk on purpose). */
export class CallBus {
  readonly observer = new BusObserver();

  async start(): Promise<void> {
    await this.observer.start([EXCHANGES.events, EXCHANGES.commands]);
  }

  async stop(): Promise<void> {
    await this.observer.stop();
  }

  private valid(): Seen[] {
    return this.observer.seen.filter((s) => typeof s.body === 'object' && s.body !== null);
  }

  /** The caller's first CallDelivered (SoftACD reports the call): its contact id and caller channel. */
  async delivered(callingNumber: string, ms = 15_000): Promise<{ contactId: string; channelId: string }> {
    const s = await eventually(
      `CallDelivered from ${callingNumber}`,
      () =>
        this.valid().find((m) => m.body.type === 'CallDelivered' && m.body.callingNumber === callingNumber),
      ms,
    );
    return { contactId: String(s.body.contactId), channelId: String(s.body.channelId) };
  }

  /** The n-th (1-based) message of `type` for the contact, with its `at` in ms since the epoch. */
  async message(contactId: string, type: string, ms = 15_000, nth = 1): Promise<Seen & { atMs: number }> {
    const s = await eventually(
      `${type} #${nth} of ${contactId}`,
      () => this.valid().filter((m) => m.body.contactId === contactId && m.body.type === type)[nth - 1],
      ms,
    ).catch((err: Error) => {
      const seen = this.valid()
        .filter((m) => m.body.contactId === contactId)
        .map((m) => `${String(m.body.type)}@${String(m.body.at)}`);
      throw new Error(`${err.message}; seen for it: ${seen.join(', ')}`);
    });
    return { ...s, atMs: Date.parse(String(s.body.at)) };
  }

  types(contactId: string): string[] {
    return this.valid()
      .filter((m) => m.body.contactId === contactId)
      .map((m) => String(m.body.type));
  }
}

/**
 * Signs these demo agents out of CTI over the bus, so that only the agent under test is offered calls.
 * A call left up by an earlier test that failed midway (a browser closed without a BYE keeps its leg up)
 * would keep its agent on a contact, which CTI does not log out: every channel is hung up first. The
 * desktop specs hold the system lock, so no other test has a call up.
 */
export async function logOutAgents(logins: string[]): Promise<void> {
  const left = await callChannels<{ id: string; name: string }>();
  if (left.length > 0) {
    for (const c of left) await hangUpChannel(c.id);
    for (let waited = 0; waited < 5000; waited += 100) {
      if ((await callChannels()).length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // CTI handles the ConnectionCleared of those calls before the logouts (its agent leaves the call).
    await new Promise((r) => setTimeout(r, 1000));
  }
  for (const login of logins) await agentEvents(await agentIdOf(login), ['AgentLogout']);
}

/** Packets of `m` captured in [from, to) (ms since the epoch), and how many of them were frame ends. */
export function inWindow(m: MediaCount, from: number, to: number): number {
  return m.times.filter((t) => t >= from && t < to).length;
}

/** Hangs up a channel through ARI as a customer hanging up would end it (Asterisk sends the BYE). */
export async function hangUpChannel(channelId: string): Promise<void> {
  const base = process.env.ARI_URL ?? 'http://127.0.0.1:8088';
  const auth = Buffer.from(`${process.env.ARI_USER ?? ''}:${process.env.ARI_PASSWORD ?? ''}`).toString(
    'base64',
  );
  const res = await fetch(`${base}/ari/channels/${encodeURIComponent(channelId)}`, {
    method: 'DELETE',
    headers: { authorization: `Basic ${auth}` },
  });
  if (res.status !== 204 && res.status !== 404) throw new Error(`ARI hang-up ${channelId}: ${res.status}`);
}

/** Whether a channel still exists in Asterisk. */
export async function channelExists(channelId: string): Promise<boolean> {
  const channels = await ari.get<Array<{ id: string }>>('/channels');
  return channels.some((c) => c.id === channelId);
}
