import { type RtpPayload, ASTERISK_MAX_PAYLOAD } from './rtp';

/**
 * Asterisk's `.h264` / `.vp8` prompt files (formats/format_h264.c, format_vp8.c): a sequence of records
 *
 *   4 bytes  big-endian timestamp delta
 *   2 bytes  big-endian payload length; bit 0x8000 set on the last packet of a frame (RTP marker)
 *   n bytes  RTP payload (at most 4,096 bytes, format_*.c's BUF_SIZE)
 *
 * On open Asterisk reads and discards the first delta. After sending a record it reads the next delta
 * and waits delta*4/45 ms before sending that record; a delta of 0 sends it at once. So a frame's first
 * packet carries the frame interval and its other packets carry 0. The delta also becomes the frame's
 * sample count, i.e. the RTP timestamp step.
 */
export interface VideoRecord extends RtpPayload {
  delta: number;
}

/** Milliseconds Asterisk waits before a record with this delta (integer arithmetic, as in C). */
export function delayMs(delta: number): number {
  return Math.floor((delta * 4) / 45);
}

/** Smallest delta that makes Asterisk wait exactly `ms` milliseconds. */
export function deltaForMs(ms: number): number {
  return Math.ceil((ms * 45) / 4);
}

/**
 * Delta before each frame for a frame rate. Frame i is due at round(i*1000/fps) ms, so the per-frame
 * waits alternate (66, 67, 67 ms at 15 fps) and never drift from the audio; a constant delta of 750
 * would wait 66 ms every time and run 1% fast.
 */
export function frameDeltas(frameCount: number, fps: number): number[] {
  if (!(fps > 0 && fps <= 60)) throw new RangeError(`fps must be in (0, 60], got ${fps}`);
  const deltas: number[] = [];
  for (let i = 0; i < frameCount; i += 1) {
    deltas.push(i === 0 ? 0 : deltaForMs(Math.round((i * 1000) / fps) - Math.round(((i - 1) * 1000) / fps)));
  }
  return deltas;
}

/** Writes frames (each a list of RTP payloads, the last one marked) as an Asterisk video file. */
export function writeAsteriskVideo(frames: readonly (readonly RtpPayload[])[], fps: number): Buffer {
  const deltas = frameDeltas(frames.length, fps);
  const records: VideoRecord[] = [];
  frames.forEach((packets, index) => {
    if (packets.length === 0) throw new Error(`frame ${index} has no packets`);
    packets.forEach((packet, position) => {
      const isLast = position === packets.length - 1;
      if (packet.marker !== isLast)
        throw new Error(`frame ${index}: marker bit must be on the last packet only`);
      records.push({
        delta: position === 0 ? (deltas[index] ?? 0) : 0,
        marker: packet.marker,
        payload: packet.payload,
      });
    });
  });
  return encodeRecords(records);
}

export function encodeRecords(records: readonly VideoRecord[]): Buffer {
  const parts: Buffer[] = [];
  for (const [index, record] of records.entries()) {
    const size = record.payload.length;
    if (size === 0 || size > ASTERISK_MAX_PAYLOAD) {
      throw new RangeError(`record ${index}: payload of ${size} bytes (must be 1..${ASTERISK_MAX_PAYLOAD})`);
    }
    if (!Number.isInteger(record.delta) || record.delta < 0 || record.delta > 0xffffffff) {
      throw new RangeError(`record ${index}: bad delta ${record.delta}`);
    }
    const header = Buffer.alloc(6);
    header.writeUInt32BE(record.delta, 0);
    header.writeUInt16BE(size | (record.marker ? 0x8000 : 0), 4);
    parts.push(header, record.payload);
  }
  return Buffer.concat(parts);
}

/** Reads an Asterisk video file back into records; throws on truncation or oversize payloads. */
export function readAsteriskVideo(file: Buffer): VideoRecord[] {
  const records: VideoRecord[] = [];
  let offset = 0;
  while (offset < file.length) {
    if (offset + 6 > file.length)
      throw new Error(`record ${records.length}: truncated header at byte ${offset}`);
    const delta = file.readUInt32BE(offset);
    const word = file.readUInt16BE(offset + 4);
    const size = word & 0x7fff;
    if (size > ASTERISK_MAX_PAYLOAD)
      throw new Error(`record ${records.length}: payload of ${size} bytes exceeds ${ASTERISK_MAX_PAYLOAD}`);
    const start = offset + 6;
    if (start + size > file.length)
      throw new Error(`record ${records.length}: truncated payload at byte ${start}`);
    records.push({ delta, marker: (word & 0x8000) !== 0, payload: file.subarray(start, start + size) });
    offset = start + size;
  }
  return records;
}

export interface VideoFileStats {
  records: number;
  frames: number;
  /** Play time as Asterisk schedules it (the first record's delta is never used). */
  durationMs: number;
  maxPayload: number;
}

export function videoFileStats(records: readonly VideoRecord[]): VideoFileStats {
  return {
    records: records.length,
    frames: records.filter((record) => record.marker).length,
    durationMs: records.slice(1).reduce((sum, record) => sum + delayMs(record.delta), 0),
    maxPayload: records.reduce((max, record) => Math.max(max, record.payload.length), 0),
  };
}
