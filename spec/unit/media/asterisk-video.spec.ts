import { expect } from '../../support/chai';
import {
  delayMs,
  deltaForMs,
  encodeRecords,
  frameDeltas,
  readAsteriskVideo,
  videoFileStats,
  writeAsteriskVideo,
} from '../../../stasis-app/media/asterisk-video';
import { parseIvf, writeIvf } from '../../../stasis-app/media/ivf';
import type { RtpPayload } from '../../../stasis-app/media/rtp';

function frame(sizes: number[]): RtpPayload[] {
  return sizes.map((size, index) => ({
    payload: Buffer.alloc(size, index + 1),
    marker: index === sizes.length - 1,
  }));
}

describe('Asterisk video file format (.h264 / .vp8)', () => {
  it('writes records as 4-byte delta, 2-byte length with 0x8000 on the last packet, payload', () => {
    const file = writeAsteriskVideo([frame([3, 2]), frame([1])], 15);
    expect(file.toString('hex')).to.equal(
      [
        '00000000',
        '0003',
        '010101', // frame 0, first packet: delta 0 (Asterisk skips it)
        '00000000',
        '8002',
        '0202', // frame 0, last packet: marker
        '000002f2',
        '8001',
        '01', // frame 1 due at round(1000/15) = 67 ms: delta 754
      ].join(''),
    );
  });

  it('reads back what it writes', () => {
    const frames = [frame([1200, 1200, 17]), frame([40]), frame([4096, 1])];
    const records = readAsteriskVideo(writeAsteriskVideo(frames, 15));
    expect(records.map((r) => [r.payload.length, r.marker])).to.deep.equal(
      frames.flat().map((p) => [p.payload.length, p.marker]),
    );
    expect(records.map((r) => r.delta)).to.deep.equal([0, 0, 0, 754, 743, 0]);
    expect(videoFileStats(records)).to.deep.equal({
      records: 6,
      frames: 3,
      durationMs: 133,
      maxPayload: 4096,
    });
  });

  it('uses the delta only on the first packet of a frame; 15 fps averages 750 (66.7 ms)', () => {
    const deltas = frameDeltas(16, 15);
    expect(deltas[0]).to.equal(0);
    for (const delta of deltas.slice(1)) expect(delta).to.be.within(740, 760);
    const total = deltas.reduce((sum, delta) => sum + delayMs(delta), 0);
    expect(total).to.equal(1000); // 15 intervals at 15 fps: exactly one second, no drift
    const minute = frameDeltas(900, 15).reduce((sum, delta) => sum + delayMs(delta), 0);
    expect(minute).to.equal(Math.round((899 * 1000) / 15));
  });

  it('delta <-> milliseconds matches Asterisk (delta*4/45, integer)', () => {
    expect(delayMs(750)).to.equal(66);
    expect(delayMs(6000)).to.equal(533);
    for (let ms = 1; ms < 1000; ms += 1) expect(delayMs(deltaForMs(ms))).to.equal(ms);
  });

  it('refuses payloads Asterisk would truncate, and misplaced marker bits', () => {
    expect(() => writeAsteriskVideo([frame([4097])], 15)).to.throw(RangeError);
    expect(() => encodeRecords([{ delta: 0, marker: true, payload: Buffer.alloc(0) }])).to.throw(RangeError);
    const badMarker = [
      { payload: Buffer.alloc(1), marker: true },
      { payload: Buffer.alloc(1), marker: true },
    ];
    expect(() => writeAsteriskVideo([badMarker], 15)).to.throw(/marker/);
    expect(() => writeAsteriskVideo([[]], 15)).to.throw(/no packets/);
  });

  it('reports truncated files', () => {
    const file = writeAsteriskVideo([frame([10])], 15);
    expect(() => readAsteriskVideo(file.subarray(0, 4))).to.throw(/truncated header/);
    expect(() => readAsteriskVideo(file.subarray(0, file.length - 1))).to.throw(/truncated payload/);
  });
});

describe('IVF container', () => {
  it('round-trips header fields and frames', () => {
    const ivf = {
      fourcc: 'VP80',
      width: 640,
      height: 360,
      timebaseRate: 15,
      timebaseScale: 1,
      frames: [
        { timestamp: 0, data: Buffer.from([1, 2, 3]) },
        { timestamp: 1, data: Buffer.from([4]) },
      ],
    };
    const file = writeIvf(ivf);
    expect(file.toString('latin1', 0, 4)).to.equal('DKIF');
    expect(file.readUInt32LE(24)).to.equal(2);
    const parsed = parseIvf(file);
    expect(parsed).to.deep.include({
      fourcc: 'VP80',
      width: 640,
      height: 360,
      timebaseRate: 15,
      timebaseScale: 1,
    });
    expect(parsed.frames.map((f) => [f.timestamp, [...f.data]])).to.deep.equal([
      [0, [1, 2, 3]],
      [1, [4]],
    ]);
  });

  it('rejects files without the DKIF signature or with a truncated frame', () => {
    expect(() => parseIvf(Buffer.alloc(40))).to.throw(/DKIF/);
    const file = writeIvf({
      fourcc: 'VP80',
      width: 1,
      height: 1,
      timebaseRate: 1,
      timebaseScale: 1,
      frames: [{ timestamp: 0, data: Buffer.alloc(8) }],
    });
    expect(() => parseIvf(file.subarray(0, file.length - 2))).to.throw(/truncated/);
  });
});
