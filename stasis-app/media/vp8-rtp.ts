import { type RtpPayload, DEFAULT_MAX_PAYLOAD, checkMaxPayload } from './rtp';

export interface Vp8PayloaderOptions {
  /** Largest RTP payload in bytes including the payload descriptor (default 1,200; at most 4,096). */
  maxPayload?: number;
  /** Send a 15-bit PictureID in the extended descriptor (default true; browsers use it to spot loss). */
  pictureId?: boolean;
}

/** The fields of an RFC 7741 VP8 payload descriptor. */
export interface Vp8Descriptor {
  /** S: the payload starts a VP8 partition. */
  start: boolean;
  /** PID: index of the partition the first payload byte belongs to. */
  partition: number;
  /** N: the frame is not used as a reference. */
  nonReference: boolean;
  pictureId?: number;
  /** Length of the descriptor in bytes. */
  length: number;
}

/** Key frame flag of a VP8 frame tag (RFC 6386 9.1): bit 0 of the first byte is 0 for a key frame. */
export function isVp8KeyFrame(frame: Uint8Array): boolean {
  return ((frame[0] ?? 1) & 0x01) === 0;
}

/**
 * Partition boundaries of a VP8 frame: partition 0 is the frame header (3-byte tag, plus 7 bytes on
 * key frames) and the first partition, whose size is in the tag; everything after it is the DCT token
 * partition(s), sent as partition 1. (libvpx's default is one token partition; finer splitting would
 * need the bool decoder and gains nothing here.)
 */
export function vp8Partitions(frame: Uint8Array): number[] {
  if (frame.length < 3) throw new Error('VP8 frame shorter than its frame tag');
  const tag = (frame[0] ?? 0) | ((frame[1] ?? 0) << 8) | ((frame[2] ?? 0) << 16);
  const firstPartitionSize = tag >>> 5;
  const headerSize = isVp8KeyFrame(frame) ? 10 : 3;
  const end = headerSize + firstPartitionSize;
  if (end > frame.length)
    throw new Error(`VP8 first partition (${end} bytes) longer than the frame (${frame.length})`);
  return end < frame.length ? [0, end] : [0];
}

/**
 * RFC 7741 payloader: each partition is fragmented into packets of at most maxPayload bytes; the S bit
 * marks the first packet of a partition, PID names its partition, and the marker bit is set on the last
 * packet of the frame.
 */
export class Vp8Payloader {
  private readonly maxPayload: number;
  private readonly withPictureId: boolean;
  private pictureId = 0;

  constructor(options: Vp8PayloaderOptions = {}) {
    this.maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
    this.withPictureId = options.pictureId ?? true;
    checkMaxPayload(this.maxPayload, this.withPictureId ? 5 : 2);
  }

  packetize(frame: Uint8Array): RtpPayload[] {
    const bounds = vp8Partitions(frame);
    const descriptorLength = this.withPictureId ? 4 : 1;
    const chunk = this.maxPayload - descriptorLength;
    const payloads: RtpPayload[] = [];
    bounds.forEach((begin, partition) => {
      const end = bounds[partition + 1] ?? frame.length;
      for (let offset = begin; offset < end; offset += chunk) {
        const descriptor = this.descriptor(offset === begin, partition);
        payloads.push({
          payload: Buffer.concat([descriptor, frame.subarray(offset, Math.min(offset + chunk, end))]),
          marker: false,
        });
      }
    });
    const last = payloads[payloads.length - 1];
    if (last) last.marker = true;
    this.pictureId = (this.pictureId + 1) & 0x7fff;
    return payloads;
  }

  private descriptor(start: boolean, partition: number): Buffer {
    const first = (start ? 0x10 : 0) | (partition & 0x07);
    if (!this.withPictureId) return Buffer.from([first]);
    // X=1, then I=1 and a 15-bit PictureID (M=1).
    return Buffer.from([0x80 | first, 0x80, 0x80 | (this.pictureId >> 8), this.pictureId & 0xff]);
  }
}

/** Parses the RFC 7741 payload descriptor at the start of a VP8 RTP payload. */
export function parseVp8Descriptor(payload: Uint8Array): Vp8Descriptor {
  const first = payload[0];
  if (first === undefined) throw new Error('empty VP8 payload');
  let length = 1;
  let pictureId: number | undefined;
  if (first & 0x80) {
    const ext = payload[length] ?? 0;
    length += 1;
    if (ext & 0x80) {
      const high = payload[length] ?? 0;
      if (high & 0x80) {
        pictureId = ((high & 0x7f) << 8) | (payload[length + 1] ?? 0);
        length += 2;
      } else {
        pictureId = high & 0x7f;
        length += 1;
      }
    }
    if (ext & 0x40) length += 1; // TL0PICIDX
    if (ext & 0x30) length += 1; // TID/Y/KEYIDX
  }
  if (length > payload.length) throw new Error('VP8 payload shorter than its descriptor');
  const descriptor: Vp8Descriptor = {
    start: (first & 0x10) !== 0,
    partition: first & 0x07,
    nonReference: (first & 0x20) !== 0,
    length,
  };
  if (pictureId !== undefined) descriptor.pictureId = pictureId;
  return descriptor;
}

/** Re-assembles VP8 frames from RFC 7741 payloads, ending a frame at each marker bit. */
export function depacketizeVp8(packets: readonly RtpPayload[]): Buffer[] {
  const frames: Buffer[] = [];
  let parts: Buffer[] = [];
  packets.forEach(({ payload, marker }, index) => {
    const descriptor = parseVp8Descriptor(payload);
    if (parts.length === 0 && !(descriptor.start && descriptor.partition === 0)) {
      throw new Error(`packet ${index}: frame does not start with S=1, PID=0`);
    }
    parts.push(payload.subarray(descriptor.length));
    if (marker) {
      frames.push(Buffer.concat(parts));
      parts = [];
    }
  });
  if (parts.length > 0) throw new Error('stream ends inside a frame (no marker bit)');
  return frames;
}
