/**
 * IVF, the container `ffmpeg -f ivf` writes around VP8: a 32-byte file header ("DKIF", version 0,
 * header size, FourCC, width, height, time base rate and scale, frame count), then per frame a 12-byte
 * header (size, 64-bit timestamp) and the frame. All little-endian.
 */
export interface IvfFile {
  fourcc: string;
  width: number;
  height: number;
  timebaseRate: number;
  timebaseScale: number;
  frames: { timestamp: number; data: Buffer }[];
}

export function parseIvf(file: Buffer): IvfFile {
  if (file.length < 32 || file.toString('latin1', 0, 4) !== 'DKIF')
    throw new Error('not an IVF file (no DKIF signature)');
  const headerSize = file.readUInt16LE(6);
  const frames: IvfFile['frames'] = [];
  let offset = headerSize;
  while (offset + 12 <= file.length) {
    const size = file.readUInt32LE(offset);
    const timestamp = Number(file.readBigUInt64LE(offset + 4));
    const start = offset + 12;
    if (start + size > file.length) throw new Error(`IVF frame ${frames.length} truncated`);
    frames.push({ timestamp, data: file.subarray(start, start + size) });
    offset = start + size;
  }
  if (offset !== file.length) throw new Error('IVF file has trailing bytes');
  return {
    fourcc: file.toString('latin1', 8, 12),
    width: file.readUInt16LE(12),
    height: file.readUInt16LE(14),
    timebaseRate: file.readUInt32LE(16),
    timebaseScale: file.readUInt32LE(20),
    frames,
  };
}

export function writeIvf(ivf: IvfFile): Buffer {
  const header = Buffer.alloc(32);
  header.write('DKIF', 0, 'latin1');
  header.writeUInt16LE(0, 4);
  header.writeUInt16LE(32, 6);
  header.write(ivf.fourcc.padEnd(4).slice(0, 4), 8, 'latin1');
  header.writeUInt16LE(ivf.width, 12);
  header.writeUInt16LE(ivf.height, 14);
  header.writeUInt32LE(ivf.timebaseRate, 16);
  header.writeUInt32LE(ivf.timebaseScale, 20);
  header.writeUInt32LE(ivf.frames.length, 24);
  const parts: Buffer[] = [header];
  for (const frame of ivf.frames) {
    const frameHeader = Buffer.alloc(12);
    frameHeader.writeUInt32LE(frame.data.length, 0);
    frameHeader.writeBigUInt64LE(BigInt(frame.timestamp), 4);
    parts.push(frameHeader, frame.data);
  }
  return Buffer.concat(parts);
}
