import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type PhonePorts } from './rtp-capture';
import { type UdpDatagram, parseRtp } from './rtp-pcap';
import { toneShares, toneUlaw } from './tones';

/** A sipp phone that talks: its own tone in audio.ulaw in its own working directory. */
export interface Talker extends PhonePorts {
  hz: number;
  dir: string;
}

export async function talker(name: string, audio: number, hz: number): Promise<Talker> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `ipcc-${name}-`));
  await fs.writeFile(path.join(dir, 'audio.ulaw'), toneUlaw(hz));
  return { name, audio, video: audio + 2, hz, dir };
}

export interface TalkerFlow {
  /** PCMU packets the phone sent / received within the window. */
  sent: number;
  received: number;
  /** Share of what it received that is each talker's tone, by talker name. */
  hears: Record<string, number>;
}

/** Audio (PCMU) to and from each phone between `fromMs` and `toMs` (epoch ms), and whose tones it heard. */
export function flows(
  datagrams: readonly UdpDatagram[],
  talkers: readonly Talker[],
  fromMs: number,
  toMs: number,
): Record<string, TalkerFlow> {
  const inWindow = datagrams.filter((d) => d.atUs / 1000 >= fromMs && d.atUs / 1000 <= toMs);
  const pcmu = (ds: UdpDatagram[]) =>
    ds.flatMap((d) => {
      const rtp = parseRtp(d.payload);
      return rtp?.payloadType === 0 ? [rtp.payload] : [];
    });
  const out: Record<string, TalkerFlow> = {};
  for (const t of talkers) {
    const received = pcmu(inWindow.filter((d) => d.dstPort === t.audio));
    const shares = toneShares(
      received,
      talkers.map((x) => x.hz),
    );
    out[t.name] = {
      sent: pcmu(inWindow.filter((d) => d.srcPort === t.audio)).length,
      received: received.length,
      hears: Object.fromEntries(talkers.map((x, i) => [x.name, Math.round((shares[i] ?? 0) * 1000) / 1000])),
    };
  }
  return out;
}

export async function removeTalkers(talkers: readonly Talker[]): Promise<void> {
  for (const t of talkers) await fs.rm(t.dir, { recursive: true, force: true });
}
