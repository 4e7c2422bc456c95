import { NalType, isVcl, nalType } from './annexb';
import { type RtpPayload, DEFAULT_MAX_PAYLOAD, checkMaxPayload } from './rtp';

/** RFC 6184 NAL unit types used in RTP payloads. */
const STAP_A = 24;
const FU_A = 28;

export interface H264PayloaderOptions {
  /** Largest RTP payload in bytes (default 1,200; at most 4,096, Asterisk's file buffer). */
  maxPayload?: number;
}

/**
 * RFC 6184 payloader in packetization-mode 1: a NAL unit that fits goes out as a single NAL unit
 * packet, a larger one as FU-A fragments. The marker bit is set on the last packet of each access unit.
 *
 * SPS and PPS are sent in front of every IDR picture (taken from the picture itself, or the last ones
 * seen), so a receiver that joins mid-prompt can start decoding at the next key frame.
 */
export class H264Payloader {
  private readonly maxPayload: number;
  private sps: Uint8Array | undefined;
  private pps: Uint8Array | undefined;

  constructor(options: H264PayloaderOptions = {}) {
    this.maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
    checkMaxPayload(this.maxPayload, 3);
  }

  /** Packetizes one access unit (the NAL units of one picture, without start codes). */
  packetize(accessUnit: readonly Uint8Array[]): RtpPayload[] {
    const nals = this.withParameterSets(accessUnit.filter((nal) => keep(nal)));
    const payloads: RtpPayload[] = [];
    for (const nal of nals) {
      if (nal.length <= this.maxPayload) {
        payloads.push({ payload: Buffer.from(nal), marker: false });
      } else {
        for (const fragment of fragmentFuA(nal, this.maxPayload))
          payloads.push({ payload: fragment, marker: false });
      }
    }
    const last = payloads[payloads.length - 1];
    if (last) last.marker = true;
    return payloads;
  }

  private withParameterSets(nals: Uint8Array[]): Uint8Array[] {
    for (const nal of nals) {
      if (nalType(nal) === NalType.sps) this.sps = nal;
      if (nalType(nal) === NalType.pps) this.pps = nal;
    }
    if (!nals.some((nal) => nalType(nal) === NalType.idr)) return nals;
    const hasSps = nals.some((nal) => nalType(nal) === NalType.sps);
    const hasPps = nals.some((nal) => nalType(nal) === NalType.pps);
    if (hasSps && hasPps) return nals;
    if (!this.sps || !this.pps) throw new Error('IDR picture without SPS/PPS and none seen before it');
    const rest = nals.filter((nal) => nalType(nal) !== NalType.sps && nalType(nal) !== NalType.pps);
    return [this.sps, this.pps, ...rest];
  }
}

/** Access unit delimiters and filler data carry nothing a receiver needs over RTP. */
function keep(nal: Uint8Array): boolean {
  const type = nalType(nal);
  return nal.length > 0 && type !== NalType.aud && type !== 12;
}

/** Splits one NAL unit into FU-A payloads of at most maxPayload bytes (RFC 6184 5.8). */
export function fragmentFuA(nal: Uint8Array, maxPayload: number): Buffer[] {
  const header = nal[0] ?? 0;
  const indicator = (header & 0xe0) | FU_A;
  const type = header & 0x1f;
  const chunk = maxPayload - 2;
  const fragments: Buffer[] = [];
  for (let offset = 1; offset < nal.length; offset += chunk) {
    const end = Math.min(offset + chunk, nal.length);
    const start = offset === 1 ? 0x80 : 0;
    const stop = end === nal.length ? 0x40 : 0;
    fragments.push(Buffer.concat([Buffer.from([indicator, start | stop | type]), nal.subarray(offset, end)]));
  }
  return fragments;
}

/**
 * Re-assembles RFC 6184 payloads (single NAL unit, STAP-A, FU-A) into access units of NAL units,
 * ending an access unit at each marker bit. For tests and for checking built files.
 */
export function depacketizeH264(packets: readonly RtpPayload[]): Uint8Array[][] {
  const units: Uint8Array[][] = [];
  let current: Uint8Array[] = [];
  let fragments: Buffer[] | undefined;
  packets.forEach(({ payload, marker }, index) => {
    if (payload.length < 1) throw new Error(`packet ${index}: empty payload`);
    const type = (payload[0] ?? 0) & 0x1f;
    if (type >= 1 && type <= 23) {
      if (fragments) throw new Error(`packet ${index}: NAL unit inside an unfinished FU-A`);
      current.push(payload);
    } else if (type === STAP_A) {
      for (let offset = 1; offset + 2 <= payload.length;) {
        const size = payload.readUInt16BE(offset);
        current.push(payload.subarray(offset + 2, offset + 2 + size));
        offset += 2 + size;
      }
    } else if (type === FU_A) {
      if (payload.length < 3) throw new Error(`packet ${index}: FU-A too short`);
      const fuHeader = payload[1] ?? 0;
      const isStart = (fuHeader & 0x80) !== 0;
      const isEnd = (fuHeader & 0x40) !== 0;
      if (isStart) {
        if (fragments) throw new Error(`packet ${index}: FU-A start inside an unfinished FU-A`);
        fragments = [Buffer.from([((payload[0] ?? 0) & 0xe0) | (fuHeader & 0x1f)])];
      } else if (!fragments) {
        throw new Error(`packet ${index}: FU-A continuation without a start`);
      }
      fragments.push(payload.subarray(2));
      if (isEnd) {
        current.push(Buffer.concat(fragments));
        fragments = undefined;
      }
    } else {
      throw new Error(`packet ${index}: unsupported payload type ${type}`);
    }
    if (marker) {
      if (fragments) throw new Error(`packet ${index}: marker bit inside an unfinished FU-A`);
      units.push(current);
      current = [];
    }
  });
  if (current.length > 0 || fragments) throw new Error('stream ends inside an access unit (no marker bit)');
  return units;
}

export function isIdrAccessUnit(unit: readonly Uint8Array[]): boolean {
  return unit.some((nal) => isVcl(nal) && nalType(nal) === NalType.idr);
}
