import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readAsteriskVideo } from '../../stasis-app/media';
import type { VideoRecord } from '../../stasis-app/media/asterisk-video';

/**
 * RTP in classic libpcap files, for sipp's `play_pcap_audio` / `play_pcap_video` (sipp reads Ethernet,
 * IPv4, UDP and replays each UDP payload at the capture time's pace to the remote's media port from the
 * SDP answer), and a reader for what tcpdump captured.
 */

export interface RtpHeader {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
}

export interface RtpOut extends RtpHeader {
  /** Capture time relative to the first packet, microseconds. */
  atUs: number;
  payload: Buffer;
}

export const VIDEO_CLOCK = 90_000;
export const AUDIO_CLOCK = 8_000;
const PCAP_MAGIC = 0xa1b2c3d4;
const LINKTYPE_ETHERNET = 1;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_NULL = 0;

export function rtpPacket(h: RtpHeader, payload: Buffer): Buffer {
  const b = Buffer.alloc(12);
  b[0] = 0x80; // version 2, no padding, no extension, no CSRC
  b[1] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7f);
  b.writeUInt16BE(h.sequence & 0xffff, 2);
  b.writeUInt32BE(h.timestamp >>> 0, 4);
  b.writeUInt32BE(h.ssrc >>> 0, 8);
  return Buffer.concat([b, payload]);
}

export function parseRtp(data: Buffer): (RtpHeader & { payload: Buffer }) | undefined {
  if (data.length < 12 || data[0] === undefined || data[0] >> 6 !== 2) return undefined;
  const csrc = data[0] & 0x0f;
  let offset = 12 + csrc * 4;
  if ((data[0] & 0x10) !== 0) {
    if (data.length < offset + 4) return undefined;
    offset += 4 + data.readUInt16BE(offset + 2) * 4;
  }
  if (offset > data.length) return undefined;
  const second = data[1] ?? 0;
  const payloadType = second & 0x7f;
  // RTCP shares the port space when muxed: its packet types 200-204 read as payload types 72-76.
  if (payloadType >= 72 && payloadType <= 76) return undefined;
  return {
    payloadType,
    marker: (second & 0x80) !== 0,
    sequence: data.readUInt16BE(2),
    timestamp: data.readUInt32BE(4),
    ssrc: data.readUInt32BE(8),
    payload: data.subarray(offset),
  };
}

interface Endpoints {
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
}

function ipv4(address: string): Buffer {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new Error(`not an IPv4 address: ${address}`);
  return Buffer.from(parts);
}

function ipChecksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** One Ethernet/IPv4/UDP frame carrying `udpPayload`. */
export function udpFrame(e: Endpoints, udpPayload: Buffer, id: number): Buffer {
  const eth = Buffer.alloc(14);
  Buffer.from([0x02, 0, 0, 0, 0, 2]).copy(eth, 0); // locally administered MACs
  Buffer.from([0x02, 0, 0, 0, 0, 1]).copy(eth, 6);
  eth.writeUInt16BE(0x0800, 12);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(e.srcPort, 0);
  udp.writeUInt16BE(e.dstPort, 2);
  udp.writeUInt16BE(8 + udpPayload.length, 4);
  udp.writeUInt16BE(0, 6); // no checksum (allowed for UDP over IPv4)
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + udpPayload.length, 2);
  ip.writeUInt16BE(id & 0xffff, 4);
  ip.writeUInt16BE(0x4000, 6); // don't fragment
  ip[8] = 64;
  ip[9] = 17;
  ipv4(e.src).copy(ip, 12);
  ipv4(e.dst).copy(ip, 16);
  ip.writeUInt16BE(ipChecksum(ip), 10);
  return Buffer.concat([eth, ip, udp, udpPayload]);
}

/** A classic libpcap file (microsecond timestamps, Ethernet link type) of RTP packets. */
export function rtpPcap(
  packets: readonly RtpOut[],
  endpoints: Endpoints = { src: '127.0.0.1', srcPort: 16000, dst: '127.0.0.1', dstPort: 10000 },
  startSec = 1_700_000_000,
): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(PCAP_MAGIC, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeInt32LE(0, 8);
  header.writeUInt32LE(0, 12);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  const parts: Buffer[] = [header];
  packets.forEach((p, index) => {
    const frame = udpFrame(endpoints, rtpPacket(p, p.payload), index);
    const rec = Buffer.alloc(16);
    const us = Math.round(p.atUs);
    rec.writeUInt32LE(startSec + Math.floor(us / 1e6), 0);
    rec.writeUInt32LE(us % 1e6, 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    parts.push(rec, frame);
  });
  return Buffer.concat(parts);
}

export interface StreamOptions {
  payloadType: number;
  ssrc: number;
  /** Replay the source until this much time is covered (it loops if shorter). */
  durationMs: number;
  firstSequence?: number;
  firstTimestamp?: number;
}

/**
 * RTP packets from an Asterisk video file: each record's delta is Asterisk's wait before it
 * (delta*4/45 ms); a frame's packets share one 90 kHz timestamp and leave together, the last one
 * with the marker bit. The file loops until `durationMs` is covered.
 */
export function videoRtp(records: readonly VideoRecord[], o: StreamOptions): RtpOut[] {
  if (records.length === 0) throw new Error('video file without records');
  if (!records.some((r) => r.marker)) throw new Error('video file without a frame end (marker)');
  const out: RtpOut[] = [];
  let seq = o.firstSequence ?? 1000;
  let ts = o.firstTimestamp ?? 90_000;
  let atMs = 0;
  let first = true;
  for (;;) {
    for (const r of records) {
      if (first) first = false;
      else if (r.delta > 0) {
        const waitMs = Math.floor((r.delta * 4) / 45);
        atMs += waitMs;
        ts += Math.round((waitMs * VIDEO_CLOCK) / 1000);
      }
      if (atMs >= o.durationMs && out.length > 0 && out[out.length - 1]?.marker) return out;
      out.push({
        atUs: atMs * 1000,
        payloadType: o.payloadType,
        marker: r.marker,
        sequence: seq & 0xffff,
        timestamp: ts >>> 0,
        ssrc: o.ssrc,
        payload: r.payload,
      });
      seq += 1;
    }
    // The loop starts over with a new frame one frame interval later.
    const loopWait = records.find((r, i) => i > 0 && r.delta > 0)?.delta ?? 750;
    atMs += Math.floor((loopWait * 4) / 45);
    ts += Math.round((Math.floor((loopWait * 4) / 45) * VIDEO_CLOCK) / 1000);
    first = true;
  }
}

/** RTP packets of G.711 audio: 160-byte frames every 20 ms, looped until `durationMs` is covered. */
export function audioRtp(samples: Buffer, o: StreamOptions): RtpOut[] {
  const frame = 160;
  if (samples.length < frame) throw new Error(`audio of ${samples.length} bytes is shorter than one frame`);
  const frames = Math.floor(samples.length / frame);
  const out: RtpOut[] = [];
  const seq0 = o.firstSequence ?? 2000;
  const ts0 = o.firstTimestamp ?? 8000;
  for (let i = 0; i * 20 < o.durationMs; i += 1) {
    const at = (i % frames) * frame;
    out.push({
      atUs: i * 20_000,
      payloadType: o.payloadType,
      marker: i === 0,
      sequence: (seq0 + i) & 0xffff,
      timestamp: (ts0 + i * frame) >>> 0,
      ssrc: o.ssrc,
      payload: samples.subarray(at, at + frame),
    });
  }
  return out;
}

export interface PhoneMedia {
  /** RTP video for sipp's play_pcap_video. */
  video: string;
  /** The prompt's G.711 samples for sipp's rtp_stream (sipp 3.6.1 plays one pcap per call at a time). */
  audio: string;
  /** Hex SHA-1 of every distinct video payload sent, to recognise them on the far side. */
  videoPayloads: Set<string>;
  videoPackets: number;
  videoFrames: number;
}

export const payloadHash = (payload: Buffer): string => createHash('sha1').update(payload).digest('hex');

/**
 * Writes what one sipp phone sends into `dir`: `video.pcap` (RTP from the built prompt `NAME.h264` or
 * `NAME.vp8` in `promptDir`, covering `durationMs`) and `audio.ulaw` (the prompt's audio).
 *
 * sipp 3.6.1 keeps one pcap-playing thread per call: a second `play_pcap_*` action cancels the first
 * (measured: with play_pcap_audio then play_pcap_video only the video left), so the scenarios send
 * audio with `rtp_stream` (a separate sipp thread; PCMU, 160 bytes every 20 ms, looped) and video from
 * the pcap. `audioRtp` + `rtpPcap` still make an audio pcap for a call that needs only audio.
 */
export async function writePhoneMedia(o: {
  dir: string;
  promptDir: string;
  prompt: string;
  codec: 'h264' | 'vp8';
  videoPayloadType: number;
  durationMs: number;
  ssrc: number;
}): Promise<PhoneMedia> {
  await fs.mkdir(o.dir, { recursive: true });
  const videoFile = await fs.readFile(path.join(o.promptDir, `${o.prompt}.${o.codec}`));
  const video = videoRtp(readAsteriskVideo(videoFile), {
    payloadType: o.videoPayloadType,
    ssrc: o.ssrc,
    durationMs: o.durationMs,
  });
  const files = { audio: path.join(o.dir, 'audio.ulaw'), video: path.join(o.dir, 'video.pcap') };
  await Promise.all([
    fs.copyFile(path.join(o.promptDir, `${o.prompt}.ulaw`), files.audio),
    fs.writeFile(
      files.video,
      rtpPcap(video, { src: '127.0.0.1', srcPort: 16002, dst: '127.0.0.1', dstPort: 10002 }),
    ),
  ]);
  return {
    ...files,
    videoPayloads: new Set(video.map((p) => payloadHash(p.payload))),
    videoPackets: video.length,
    videoFrames: video.filter((p) => p.marker).length,
  };
}

export interface UdpDatagram {
  atUs: number;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  payload: Buffer;
}

/** Reads the IPv4/UDP datagrams of a classic pcap file (Ethernet, Linux cooked or BSD loopback). */
export function readPcapUdp(file: Buffer): UdpDatagram[] {
  if (file.length < 24) throw new Error('pcap file shorter than its header');
  const magic = file.readUInt32LE(0);
  const le = magic === PCAP_MAGIC || magic === 0xa1b23c4d;
  if (!le && file.readUInt32BE(0) !== PCAP_MAGIC && file.readUInt32BE(0) !== 0xa1b23c4d)
    throw new Error(`not a classic pcap file (magic ${magic.toString(16)})`);
  const nano = (le ? magic : file.readUInt32BE(0)) === 0xa1b23c4d;
  const u32 = (o: number) => (le ? file.readUInt32LE(o) : file.readUInt32BE(o));
  const link = u32(20);
  const linkHeader =
    link === LINKTYPE_ETHERNET ? 14 : link === LINKTYPE_LINUX_SLL ? 16 : link === LINKTYPE_NULL ? 4 : -1;
  if (linkHeader < 0) throw new Error(`unsupported pcap link type ${link}`);
  const out: UdpDatagram[] = [];
  let offset = 24;
  while (offset + 16 <= file.length) {
    const sec = u32(offset);
    const frac = u32(offset + 4);
    const caplen = u32(offset + 8);
    const start = offset + 16;
    offset = start + caplen;
    if (offset > file.length) break; // a capture cut short mid-record
    const etherType =
      link === LINKTYPE_ETHERNET
        ? file.readUInt16BE(start + 12)
        : link === LINKTYPE_LINUX_SLL
          ? file.readUInt16BE(start + 14)
          : 0x0800;
    if (etherType !== 0x0800) continue;
    const ip = start + linkHeader;
    const ihl = ((file[ip] ?? 0) & 0x0f) * 4;
    if (file[ip + 9] !== 17) continue;
    const udp = ip + ihl;
    const udpLen = file.readUInt16BE(udp + 4);
    const addr = (o: number) => [0, 1, 2, 3].map((i) => file[o + i]).join('.');
    out.push({
      atUs: sec * 1e6 + (nano ? Math.floor(frac / 1000) : frac),
      src: addr(ip + 12),
      dst: addr(ip + 16),
      srcPort: file.readUInt16BE(udp),
      dstPort: file.readUInt16BE(udp + 2),
      payload: file.subarray(udp + 8, Math.min(udp + udpLen, offset)),
    });
  }
  return out;
}
