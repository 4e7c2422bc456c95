import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readPcapUdp } from '../../spec/support/rtp-pcap';

/**
 * The caller's experience: INVITE sent to the first RTP packet received (the welcome prompt). sipp
 * cannot time received RTP, so the step is captured on loopback: the caller's SIP both ways (the 200 OK's
 * SDP names the port Asterisk sends that call's RTP from) and the RTP from Asterisk to the callers'
 * media port. The callers talk (sipp rtp_stream), as phones do: Answer() waits up to 500 ms for a
 * silent caller's first packet, which would charge app_queue for the bench's silence.
 */

/** The callers' media port (sipp -mp; rtp_stream sends from it too, for every call). */
export const CALLER_MEDIA_PORT = 30_000;

export interface FirstRtp {
  /** ms from each call's first INVITE to the first RTP packet from its Asterisk port after it. */
  delays: number[];
  invites: number;
  /** Calls whose 200 OK named no port (never answered) or whose port sent nothing after the INVITE. */
  withoutRtp: number;
  /** What tcpdump said it dropped (kernel and interface), both captures. */
  dropped: number;
}

/** A datagram of the capture: when, its ports, its payload. */
export interface Datagram {
  atUs: number;
  srcPort: number;
  dstPort: number;
  payload: Buffer;
}

/** An INVITE sent by the caller, or a 200 OK to an INVITE with SDP sent to it, with its Call-ID. */
export function sipOf(
  d: Datagram,
): { kind: 'invite'; callId: string } | { kind: 'answer'; callId: string; port: number } | undefined {
  const text = d.payload.toString('latin1');
  const callId = /^Call-ID:[ \t]*(\S+)/im.exec(text)?.[1];
  if (callId === undefined) return undefined;
  if (text.startsWith('INVITE ')) return { kind: 'invite', callId };
  if (!text.startsWith('SIP/2.0 200') || !/^CSeq:[ \t]*\d+[ \t]+INVITE/im.test(text)) return undefined;
  const port = /^m=audio[ \t]+(\d+)/m.exec(text)?.[1];
  return port === undefined ? undefined : { kind: 'answer', callId, port: Number(port) };
}

/** Pairs each call's first INVITE with the first RTP packet from the port its 200 OK named, after it. */
export function firstRtpDelays(sip: Datagram[], rtp: Datagram[]): Omit<FirstRtp, 'dropped'> {
  const calls = new Map<string, { invitedAt: number; port?: number }>();
  for (const d of sip) {
    const m = sipOf(d);
    if (m === undefined) continue;
    const call = calls.get(m.callId);
    if (m.kind === 'invite') {
      if (call === undefined) calls.set(m.callId, { invitedAt: d.atUs });
    } else if (call !== undefined && call.port === undefined) call.port = m.port;
  }
  // Asterisk reuses a port only for a later call, after the earlier one ended: the first packet from
  // the port at or after this call's INVITE is this call's.
  const bySource = new Map<number, number[]>();
  for (const d of rtp) {
    const times = bySource.get(d.srcPort) ?? [];
    times.push(d.atUs);
    bySource.set(d.srcPort, times);
  }
  for (const times of bySource.values()) times.sort((x, y) => x - y);
  const delays: number[] = [];
  for (const { invitedAt, port } of calls.values()) {
    const times = port === undefined ? undefined : bySource.get(port);
    const first = times === undefined ? undefined : firstAtOrAfter(times, invitedAt);
    if (first !== undefined) delays.push((first - invitedAt) / 1000);
  }
  return { delays, invites: calls.size, withoutRtp: calls.size - delays.length };
}

function firstAtOrAfter(sorted: number[], t: number): number | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo];
}

/** "N packets dropped by kernel" and "by interface" from tcpdump's closing lines. */
export function droppedOf(stderr: string): number {
  let n = 0;
  for (const m of stderr.matchAll(/(\d+) packets dropped by (?:kernel|interface)/g)) n += Number(m[1]);
  return n;
}

export interface Capture {
  /** Ends both captures and reads them. */
  stop(): Promise<FirstRtp>;
}

function tcpdump(file: string, snap: number, filter: string): { child: ChildProcess; done: Promise<string> } {
  const child = spawn('tcpdump', ['-i', 'lo', '-n', '-B', '32768', '-s', String(snap), '-w', file, filter], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString('utf8')).slice(-4000);
  });
  const done = new Promise<string>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => resolve(err));
  });
  return { child, done };
}

/**
 * Starts capturing a step's SIP at the caller's port and the RTP Asterisk sends to the callers (from
 * its RTP range, `rtpstart`-`rtpend` of asterisk/etc/rtp.conf).
 */
export async function startCapture(
  dir: string,
  callerPort: number,
  asteriskRtp: [number, number],
): Promise<Capture> {
  const sipFile = path.join(dir, 'caller-sip.pcap');
  const rtpFile = path.join(dir, 'caller-rtp.pcap');
  const sip = tcpdump(sipFile, 4096, `udp and port ${callerPort}`);
  const rtp = tcpdump(
    rtpFile,
    64,
    `udp and dst port ${CALLER_MEDIA_PORT} and src portrange ${asteriskRtp[0]}-${asteriskRtp[1]}`,
  );
  // tcpdump needs a moment to put its filter in place; a packet before that would be missed.
  await new Promise((r) => setTimeout(r, 1000));
  return {
    async stop(): Promise<FirstRtp> {
      sip.child.kill('SIGINT');
      rtp.child.kill('SIGINT');
      const [sipErr, rtpErr] = await Promise.all([sip.done, rtp.done]);
      const found = firstRtpDelays(readPcapUdp(readFileSync(sipFile)), readPcapUdp(readFileSync(rtpFile)));
      return { ...found, dropped: droppedOf(sipErr) + droppedOf(rtpErr) };
    },
  };
}
