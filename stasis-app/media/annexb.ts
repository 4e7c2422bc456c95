/**
 * H.264 Annex B byte streams (what `ffmpeg -f h264` writes): NAL units separated by 00 00 01 or
 * 00 00 00 01 start codes, grouped here into access units (one picture each).
 */

export const NalType = {
  slice: 1,
  idr: 5,
  sei: 6,
  sps: 7,
  pps: 8,
  aud: 9,
} as const;

export function nalType(nal: Uint8Array): number {
  return (nal[0] ?? 0) & 0x1f;
}

/** Splits an Annex B stream into NAL units (without start codes). Trailing zero bytes are dropped. */
export function splitAnnexB(stream: Uint8Array): Uint8Array[] {
  const nals: Uint8Array[] = [];
  let start = -1;
  let i = 0;
  while (i + 2 < stream.length) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) {
      if (start >= 0) pushNal(nals, stream, start, i);
      i += 3;
      start = i;
    } else {
      i += 1;
    }
  }
  if (start >= 0) pushNal(nals, stream, start, stream.length);
  return nals;
}

function pushNal(nals: Uint8Array[], stream: Uint8Array, start: number, end: number): void {
  let stop = end;
  // The zero byte of a 4-byte start code, and trailing_zero_8bits, belong to no NAL unit.
  while (stop > start && stream[stop - 1] === 0) stop -= 1;
  if (stop > start) nals.push(stream.subarray(start, stop));
}

export function isVcl(nal: Uint8Array): boolean {
  const type = nalType(nal);
  return type >= 1 && type <= 5;
}

/**
 * True when a slice NAL starts a new picture: first_mb_in_slice is 0, i.e. the first bit of the
 * slice header (an Exp-Golomb code) is 1.
 */
function firstSliceOfPicture(nal: Uint8Array): boolean {
  return ((nal[1] ?? 0) & 0x80) !== 0;
}

/**
 * Groups NAL units into access units. A new access unit begins at an access unit delimiter, at SPS,
 * PPS or SEI after a picture's slices, or at a slice whose first_mb_in_slice is 0 (H.264 7.4.1.2.3).
 */
export function accessUnits(nals: readonly Uint8Array[]): Uint8Array[][] {
  const units: Uint8Array[][] = [];
  let current: Uint8Array[] = [];
  let sawVcl = false;
  for (const nal of nals) {
    const type = nalType(nal);
    const startsNew =
      sawVcl &&
      (type === NalType.aud ||
        type === NalType.sps ||
        type === NalType.pps ||
        type === NalType.sei ||
        (isVcl(nal) && firstSliceOfPicture(nal)));
    if (startsNew) {
      units.push(current);
      current = [];
      sawVcl = false;
    }
    current.push(nal);
    if (isVcl(nal)) sawVcl = true;
  }
  if (current.length > 0) units.push(current);
  return units;
}

/** Joins NAL units into an Annex B stream with 4-byte start codes. */
export function joinAnnexB(nals: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const nal of nals) {
    parts.push(Buffer.from([0, 0, 0, 1]), Buffer.from(nal));
  }
  return Buffer.concat(parts);
}
