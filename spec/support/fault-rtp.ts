import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LoopbackCapture } from './rtp-capture';
import { type UdpDatagram, parseRtp } from './rtp-pcap';
import { toneUlaw } from './tones';

/**
 * The talking calls' media around a fault: every caller and agent phone of a fault round sends a tone
 * as RTP (sipp `rtp_stream` of `audio.ulaw` in one working directory), tcpdump on `lo` captures the
 * phones' media ports, and each leg's PCMU packets are counted both ways in the 2 s before the fault
 * and the 2 s after it. A talking call survived a fault when both of its legs sent and received RTP
 * in that window after it, not merely because its sipp did not end.
 */

export const RTP_WINDOW_MS = 2_000;
/** PCMU at 20 ms a packet is 100 packets in 2 s: a leg must carry at least half of them each way. */
export const MIN_PACKETS = 50;

/** One leg's PCMU packets in a window: sent by its phone to Asterisk, received from Asterisk. */
export interface LegRtp {
  sent: number;
  received: number;
}

export interface LegAroundFault {
  /** The phone's media port (sipp -mp). */
  port: number;
  before: LegRtp;
  after: LegRtp;
  /** The longest silence in what the leg received, from the start of `before` to the end of `after`. */
  maxGapMs: number;
}

/** One talking call: its caller's leg and its agent's leg. */
export interface TalkRtp {
  label: string;
  agent: string;
  caller: LegAroundFault;
  agentLeg: LegAroundFault;
}

/** The two windows: 2 s up to the fault, and 2 s from the moment the injection command returned. */
export interface RtpWindows {
  faultAt: number;
  injectedAt: number;
}

/** The media every phone of a round streams, and the capture of their media ports. */
export class FaultMedia {
  private capture?: LoopbackCapture;

  private constructor(readonly dir: string) {}

  static async create(): Promise<FaultMedia> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ipcc-fault-media-'));
    await fs.writeFile(path.join(dir, 'audio.ulaw'), toneUlaw(400));
    return new FaultMedia(dir);
  }

  /** Starts tcpdump on the media ports (RTP and RTCP) of every phone of the round. */
  async start(ports: readonly number[]): Promise<void> {
    const work = await fs.mkdtemp(path.join(this.dir, 'round-'));
    this.capture = new LoopbackCapture(
      work,
      ports.map((p) => ({ name: String(p), audio: p, video: p + 2 })),
    );
    await this.capture.start();
  }

  /** Stops tcpdump and returns what it captured (nothing if it was not started). */
  async stop(): Promise<UdpDatagram[]> {
    const c = this.capture;
    this.capture = undefined;
    if (c === undefined) return [];
    const datagrams = await c.stop();
    await fs.rm(path.dirname(c.file), { recursive: true, force: true });
    return datagrams;
  }

  async remove(): Promise<void> {
    await this.stop().catch(() => undefined);
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

/** PCMU packets from and to one media port, with their capture times (ms since the epoch). */
function pcmu(datagrams: readonly UdpDatagram[], port: number) {
  const sent: number[] = [];
  const received: number[] = [];
  for (const d of datagrams) {
    if (d.srcPort !== port && d.dstPort !== port) continue;
    if (parseRtp(d.payload)?.payloadType !== 0) continue;
    (d.srcPort === port ? sent : received).push(d.atUs / 1000);
  }
  return { sent, received };
}

const within = (times: number[], from: number, to: number) => times.filter((t) => t >= from && t < to).length;

export function legAroundFault(
  datagrams: readonly UdpDatagram[],
  port: number,
  w: RtpWindows,
): LegAroundFault {
  const { sent, received } = pcmu(datagrams, port);
  const b0 = w.faultAt - RTP_WINDOW_MS;
  const a1 = w.injectedAt + RTP_WINDOW_MS;
  let last = b0;
  let maxGapMs = 0;
  for (const t of received.filter((x) => x >= b0 && x < a1).sort((x, y) => x - y)) {
    maxGapMs = Math.max(maxGapMs, t - last);
    last = t;
  }
  maxGapMs = Math.round(Math.max(maxGapMs, a1 - last));
  return {
    port,
    before: { sent: within(sent, b0, w.faultAt), received: within(received, b0, w.faultAt) },
    after: { sent: within(sent, w.injectedAt, a1), received: within(received, w.injectedAt, a1) },
    maxGapMs,
  };
}

/** Each talking call's two legs (their phones' media ports), counted around the fault. */
export function talkRtp(
  datagrams: readonly UdpDatagram[],
  calls: ReadonlyArray<{ label: string; agent: string; mediaPort: number; agentPort: number }>,
  w: RtpWindows,
): TalkRtp[] {
  return calls.map((c) => ({
    label: c.label,
    agent: c.agent,
    caller: legAroundFault(datagrams, c.mediaPort, w),
    agentLeg: legAroundFault(datagrams, c.agentPort, w),
  }));
}

/** What is wrong with one talking call's media: a leg that did not send or receive enough in a window. */
export function rtpProblems(t: TalkRtp, windows: Array<'before' | 'after'> = ['before', 'after']): string[] {
  const out: string[] = [];
  for (const [name, leg] of [
    ['caller', t.caller],
    [`agent ${t.agent}`, t.agentLeg],
  ] as const)
    for (const w of windows)
      for (const dir of ['sent', 'received'] as const)
        if (leg[w][dir] < MIN_PACKETS)
          out.push(
            `${t.label}: ${name} leg ${dir} ${leg[w][dir]} RTP packets in the 2 s ${w} the fault (at least ${MIN_PACKETS})`,
          );
  return out;
}

/** One line per talking call, for logs and reports: packets sent/received per leg before -> after. */
export function rtpLine(t: TalkRtp): string {
  const leg = (l: LegAroundFault) =>
    `${l.before.sent}/${l.before.received} -> ${l.after.sent}/${l.after.received} (gap ${l.maxGapMs} ms)`;
  return `${t.label}: caller ${leg(t.caller)}; agent ${t.agent} ${leg(t.agentLeg)}`;
}
