import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type UdpPacket, udpPackets } from './pcap';

/**
 * The caller's experience: INVITE sent to the first RTP packet received (the welcome prompt). sipp
 * cannot time received RTP, so the step is captured on loopback: the caller's INVITEs (their SDP names
 * each call's own media port, sipp's [auto_media_port]) and every packet to the callers' media ports.
 */

/** The callers' media ports: sipp's -mp base and [auto_media_port]'s span (4 per call, modulo 10,000). */
export const CALLER_MEDIA_BASE = 30_000;
const CALLER_MEDIA_SPAN = 10_000;

export interface FirstRtp {
  /** ms from each call's first INVITE to the first packet to its media port. */
  delays: number[];
  invites: number;
  /** Calls whose media port saw nothing after their INVITE. */
  withoutRtp: number;
  /** Media ports named by two calls' INVITEs (their calls are left out). */
  portsReused: number;
  /** What tcpdump said it dropped (kernel and interface), both captures. */
  dropped: number;
}

/** The INVITE's Call-ID and SDP audio port, or undefined for any other datagram. */
export function inviteOf(p: UdpPacket): { callId: string; port: number } | undefined {
  const text = p.payload.toString('latin1');
  if (!text.startsWith('INVITE ')) return undefined;
  const callId = /^Call-ID:[ \t]*(\S+)/im.exec(text)?.[1];
  const port = /^m=audio[ \t]+(\d+)/m.exec(text)?.[1];
  return callId === undefined || port === undefined ? undefined : { callId, port: Number(port) };
}

/** Pairs each call's first INVITE with the first datagram to its media port after it. */
export function firstRtpDelays(sip: UdpPacket[], rtp: UdpPacket[]): Omit<FirstRtp, 'dropped'> {
  const firstInvite = new Map<string, { at: number; port: number }>();
  for (const p of sip) {
    const inv = inviteOf(p);
    if (inv !== undefined && !firstInvite.has(inv.callId))
      firstInvite.set(inv.callId, { at: p.atMs, port: inv.port });
  }
  const byPort = new Map<number, number>();
  const reused = new Set<number>();
  for (const { at, port } of firstInvite.values()) {
    if (byPort.has(port)) reused.add(port);
    byPort.set(port, at);
  }
  for (const port of reused) byPort.delete(port);
  const first = new Map<number, number>();
  for (const p of rtp) {
    const invitedAt = byPort.get(p.dstPort);
    if (invitedAt !== undefined && !first.has(p.dstPort) && p.atMs >= invitedAt)
      first.set(p.dstPort, p.atMs - invitedAt);
  }
  return {
    delays: [...first.values()],
    invites: firstInvite.size,
    withoutRtp: byPort.size - first.size,
    portsReused: reused.size,
  };
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

/** Starts capturing a step's INVITEs (from `callerPort`) and the RTP to the callers' media ports. */
export async function startCapture(dir: string, callerPort: number): Promise<Capture> {
  const sipFile = path.join(dir, 'invites.pcap');
  const rtpFile = path.join(dir, 'caller-rtp.pcap');
  const sip = tcpdump(sipFile, 4096, `udp and src port ${callerPort}`);
  const rtp = tcpdump(
    rtpFile,
    64,
    `udp and dst portrange ${CALLER_MEDIA_BASE}-${CALLER_MEDIA_BASE + CALLER_MEDIA_SPAN + 4}`,
  );
  // tcpdump says "listening on lo" once its filter is in place; a packet before that would be missed.
  await new Promise((r) => setTimeout(r, 1000));
  return {
    async stop(): Promise<FirstRtp> {
      sip.child.kill('SIGINT');
      rtp.child.kill('SIGINT');
      const [sipErr, rtpErr] = await Promise.all([sip.done, rtp.done]);
      const found = firstRtpDelays(udpPackets(readFileSync(sipFile)), udpPackets(readFileSync(rtpFile)));
      return { ...found, dropped: droppedOf(sipErr) + droppedOf(rtpErr) };
    },
  };
}
