import { expect } from '../../support/chai';
import fc from 'fast-check';
import {
  Vp8Payloader,
  depacketizeVp8,
  isVp8KeyFrame,
  parseVp8Descriptor,
  vp8Partitions,
} from '../../../stasis-app/media/vp8-rtp';

/** A VP8 frame with a valid frame tag: first partition of `first` bytes, then `tokens` bytes. */
function vp8Frame(key: boolean, first: number, tokens: number): Buffer {
  const header = key ? 10 : 3;
  const frame = Buffer.alloc(header + first + tokens);
  const tag = (key ? 0 : 1) | (1 << 4) | (first << 5); // show_frame = 1
  frame[0] = tag & 0xff;
  frame[1] = (tag >> 8) & 0xff;
  frame[2] = (tag >> 16) & 0xff;
  if (key) frame.set([0x9d, 0x01, 0x2a, 0x80, 0x02, 0x68, 0x01], 3);
  for (let i = header; i < frame.length; i += 1) frame[i] = i & 0xff;
  return frame;
}

describe('VP8 RTP payloader (RFC 7741)', () => {
  it('reads key frame flag and partition boundaries from the frame tag', () => {
    const key = vp8Frame(true, 100, 3000);
    expect(isVp8KeyFrame(key)).to.equal(true);
    expect(vp8Partitions(key)).to.deep.equal([0, 110]);
    const inter = vp8Frame(false, 40, 0);
    expect(isVp8KeyFrame(inter)).to.equal(false);
    expect(vp8Partitions(inter)).to.deep.equal([0]);
  });

  it('sets S on the first packet of each partition and PID to the partition index', () => {
    const frame = vp8Frame(true, 2000, 3000);
    const packets = new Vp8Payloader({ maxPayload: 1000 }).packetize(frame);
    const descriptors = packets.map((packet) => parseVp8Descriptor(packet.payload));
    expect(descriptors.map((d) => d.partition)).to.deep.equal([0, 0, 0, 1, 1, 1, 1]);
    expect(descriptors.map((d) => d.start)).to.deep.equal([true, false, false, true, false, false, false]);
    expect(packets.map((p) => p.marker)).to.deep.equal([false, false, false, false, false, false, true]);
  });

  it('writes the extended descriptor with a 15-bit PictureID that increments per frame', () => {
    const payloader = new Vp8Payloader();
    const first = payloader.packetize(vp8Frame(true, 10, 10));
    const second = payloader.packetize(vp8Frame(false, 10, 10));
    const a = first[0]!.payload;
    expect(a[0]).to.equal(0x90); // X=1, S=1, PID=0
    expect(a[1]).to.equal(0x80); // I=1
    expect((a[2] ?? 0) & 0x80).to.equal(0x80); // M=1: 15-bit PictureID
    expect(parseVp8Descriptor(a).length).to.equal(4);
    expect(parseVp8Descriptor(second[0]!.payload).pictureId).to.equal(
      (parseVp8Descriptor(a).pictureId ?? 0) + 1,
    );
  });

  it('writes the one-byte descriptor when PictureID is off', () => {
    const packets = new Vp8Payloader({ pictureId: false }).packetize(vp8Frame(false, 10, 10));
    expect(packets[0]?.payload[0]).to.equal(0x10);
    expect(parseVp8Descriptor(packets[0]!.payload).length).to.equal(1);
  });

  it('respects the payload limit and round-trips frames (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 9000 })),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        fc.integer({ min: 5, max: 4096 }),
        (specs, maxPayload) => {
          const frames = specs.map(([key, first, tokens]) => vp8Frame(key, first, tokens));
          const payloader = new Vp8Payloader({ maxPayload });
          const packets = frames.flatMap((frame) => payloader.packetize(frame));
          expect(packets.every((packet) => packet.payload.length <= maxPayload)).to.equal(true);
          expect(packets.filter((packet) => packet.marker)).to.have.length(frames.length);
          expect(depacketizeVp8(packets).map((f) => f.toString('hex'))).to.deep.equal(
            frames.map((f) => f.toString('hex')),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects a frame whose first partition is longer than the frame', () => {
    const frame = vp8Frame(false, 100, 0).subarray(0, 50);
    expect(() => new Vp8Payloader().packetize(frame)).to.throw(/first partition/);
  });

  it('rejects a stream that does not start a frame with S=1, PID=0', () => {
    const packets = new Vp8Payloader({ maxPayload: 100 }).packetize(vp8Frame(false, 400, 0));
    expect(() => depacketizeVp8(packets.slice(1))).to.throw(/S=1, PID=0/);
  });
});
