import { type ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ari } from './ari';
import { type UdpDatagram, parseRtp, payloadHash, readPcapUdp } from './rtp-pcap';

/** A sipp phone's media ports: audio at -mp, video at -mp + 2 (RTCP one above each). */
export interface PhonePorts {
  name: string;
  audio: number;
  video: number;
}

export interface MediaCount {
  packets: number;
  /** Payload types seen, with their packet counts. */
  payloadTypes: Record<number, number>;
  /** Frames: packets with the marker bit (video). */
  markers: number;
  /** Hashes of the RTP payloads, to recognise what another phone sent. */
  hashes: string[];
  /** Payload type of each packet, in the order of `hashes`. */
  pts: number[];
  /** Capture time of each packet (ms since the epoch), in the order of `hashes`. */
  times: number[];
}

export interface PhoneCounts {
  /** What the phone sent to Asterisk. */
  sent: { audio: MediaCount; video: MediaCount };
  /** What Asterisk sent to the phone. */
  received: { audio: MediaCount; video: MediaCount };
}

const empty = (): MediaCount => ({
  packets: 0,
  payloadTypes: {},
  markers: 0,
  hashes: [],
  pts: [],
  times: [],
});

function add(count: MediaCount, d: UdpDatagram): void {
  const rtp = parseRtp(d.payload);
  if (rtp === undefined) return;
  count.packets += 1;
  count.payloadTypes[rtp.payloadType] = (count.payloadTypes[rtp.payloadType] ?? 0) + 1;
  if (rtp.marker) count.markers += 1;
  count.hashes.push(payloadHash(rtp.payload));
  count.pts.push(rtp.payloadType);
  count.times.push(d.atUs / 1000);
}

/** RTP per phone, per media and per direction in a loopback capture (RTCP on port+1 is left out). */
export function countRtp(datagrams: readonly UdpDatagram[], phones: readonly PhonePorts[]): PhoneCounts[] {
  return phones.map((phone) => {
    const counts: PhoneCounts = {
      sent: { audio: empty(), video: empty() },
      received: { audio: empty(), video: empty() },
    };
    for (const d of datagrams) {
      for (const media of ['audio', 'video'] as const) {
        if (d.srcPort === phone[media]) add(counts.sent[media], d);
        if (d.dstPort === phone[media]) add(counts.received[media], d);
      }
    }
    return counts;
  });
}

export function summary(name: string, c: PhoneCounts): string {
  const one = (m: MediaCount) =>
    `${m.packets} (pt ${Object.keys(m.payloadTypes).join('/') || '-'}, ${m.markers} marked)`;
  return (
    `${name}: sent audio ${one(c.sent.audio)}, video ${one(c.sent.video)}; ` +
    `received audio ${one(c.received.audio)}, video ${one(c.received.video)}`
  );
}

/**
 * tcpdump on `lo`, restricted to the sipp phones' media ports (RTP and RTCP), writing a pcap file.
 * tcpdump comes from scripts/provision/tools.sh; capturing needs root or CAP_NET_RAW.
 */
export class LoopbackCapture {
  private proc?: ChildProcess;
  private exited?: Promise<void>;
  readonly file: string;

  constructor(
    dir: string,
    private readonly phones: readonly PhonePorts[],
  ) {
    this.file = path.join(dir, 'capture.pcap');
  }

  async start(): Promise<void> {
    const ports = this.phones.flatMap((p) => [p.audio, p.audio + 1, p.video, p.video + 1]);
    const filter = `udp and (${ports.map((p) => `port ${p}`).join(' or ')})`;
    const proc = spawn('tcpdump', ['-i', 'lo', '-U', '-n', '-w', this.file, filter], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.proc = proc;
    let stderr = '';
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${stderr}`)), 5000);
      proc.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`tcpdump could not run (Debian package tcpdump): ${err.message}`));
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`tcpdump exited with ${String(code)}: ${stderr}`));
      });
      proc.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  /** Stops tcpdump (this one process, by its pid) and returns what it captured. */
  async stop(): Promise<UdpDatagram[]> {
    if (this.proc && this.proc.exitCode === null) this.proc.kill('SIGINT');
    await this.exited;
    return readPcapUdp(await fs.readFile(this.file));
  }

  async counts(): Promise<PhoneCounts[]> {
    return countRtp(await this.stop(), this.phones);
  }
}

export interface AsteriskRtpStats {
  rxcount: number;
  txcount: number;
  ssrc: number;
  themssrc: number;
}

/**
 * Asterisk's own RTP statistics for one channel and media, from the PJSIP dialplan function
 * `CHANNEL(rtcp,all,<media>)` read through ARI while the channel is up (rxcount: packets Asterisk
 * received from the phone, txcount: packets it sent to it). Undefined when there is no such stream.
 */
export async function asteriskRtpStats(
  channelId: string,
  media: 'audio' | 'video',
): Promise<AsteriskRtpStats | undefined> {
  const variable = encodeURIComponent(`CHANNEL(rtcp,all,${media})`);
  const { value } = await ari
    .get<{ value: string }>(`/channels/${encodeURIComponent(channelId)}/variable?variable=${variable}`)
    .catch(() => ({ value: '' }));
  const fields = new Map(
    value
      .split(';')
      .map((kv) => kv.split('='))
      .filter((kv): kv is [string, string] => kv.length === 2),
  );
  if (!fields.has('rxcount')) return undefined;
  const n = (k: string) => Number(fields.get(k) ?? NaN);
  return { rxcount: n('rxcount'), txcount: n('txcount'), ssrc: n('ssrc'), themssrc: n('themssrc') };
}

/** A channel variable or dialplan function read through ARI (`CHANNEL(videonativeformat)` and so on). */
export async function channelVariable(channelId: string, variable: string): Promise<string> {
  const { value } = await ari.get<{ value: string }>(
    `/channels/${encodeURIComponent(channelId)}/variable?variable=${encodeURIComponent(variable)}`,
  );
  return value;
}
