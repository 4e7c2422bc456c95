import { expect } from '../../support/chai';
import fc from 'fast-check';
import { accessUnits, joinAnnexB, nalType, splitAnnexB } from '../../../stasis-app/media/annexb';
import { H264Payloader, depacketizeH264, fragmentFuA } from '../../../stasis-app/media/h264-rtp';

/** A NAL unit of the given type and size with a recognisable body. */
function nal(type: number, size: number, firstBodyByte = 0x88): Buffer {
  const data = Buffer.alloc(size);
  data[0] = 0x60 | type; // nal_ref_idc 3
  for (let i = 1; i < size; i += 1) data[i] = (i * 7 + 1) & 0xff || 1;
  if (size > 1) data[1] = firstBodyByte; // slice: first_mb_in_slice == 0 when the top bit is set
  return data;
}

const sps = nal(7, 12);
const pps = nal(8, 4);
const idr = nal(5, 5000);
const pSlice = nal(1, 300);

describe('H.264 RTP payloader (RFC 6184, packetization-mode 1)', () => {
  it('sends a NAL unit that fits as a single NAL unit packet', () => {
    const packets = new H264Payloader({ maxPayload: 1200 }).packetize([pSlice]);
    expect(packets).to.have.length(1);
    expect(packets[0]?.payload.equals(pSlice)).to.equal(true);
    expect(packets[0]?.marker).to.equal(true);
  });

  it('splits a large NAL unit into FU-A fragments with S and E bits and the original type', () => {
    const fragments = fragmentFuA(idr, 1200);
    expect(fragments.length).to.equal(Math.ceil((idr.length - 1) / 1198));
    fragments.forEach((fragment, index) => {
      expect(fragment.length).to.be.at.most(1200);
      expect((fragment[0] ?? 0) & 0x1f, 'FU indicator type').to.equal(28);
      expect((fragment[0] ?? 0) & 0xe0, 'F and NRI copied').to.equal(idr[0]! & 0xe0);
      expect((fragment[1] ?? 0) & 0x1f, 'FU header type').to.equal(5);
      expect(((fragment[1] ?? 0) & 0x80) !== 0, 'S bit').to.equal(index === 0);
      expect(((fragment[1] ?? 0) & 0x40) !== 0, 'E bit').to.equal(index === fragments.length - 1);
    });
  });

  it('re-assembles FU-A fragments to the original NAL units (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 2, maxLength: 9000 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 3, max: 4096 }),
        (bodies, maxPayload) => {
          const nals = bodies.map((body) => Buffer.concat([Buffer.from([0x41]), body])); // non-IDR slices
          const packets = new H264Payloader({ maxPayload }).packetize(nals);
          expect(packets.every((packet) => packet.payload.length <= maxPayload)).to.equal(true);
          expect(packets.map((packet) => packet.marker)).to.deep.equal(
            packets.map((_, i) => i === packets.length - 1),
          );
          const units = depacketizeH264(packets);
          expect(units).to.have.length(1);
          expect(units[0]?.map((unit) => Buffer.from(unit).toString('hex'))).to.deep.equal(
            nals.map((unit) => unit.toString('hex')),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('marks only the last packet of each access unit', () => {
    const payloader = new H264Payloader({ maxPayload: 1000 });
    const frames = [payloader.packetize([sps, pps, idr]), payloader.packetize([pSlice])];
    for (const packets of frames) {
      expect(packets.filter((packet) => packet.marker)).to.have.length(1);
      expect(packets[packets.length - 1]?.marker).to.equal(true);
    }
    expect(depacketizeH264(frames.flat())).to.have.length(2);
  });

  it('puts the last seen SPS and PPS in front of an IDR picture that lacks them', () => {
    const payloader = new H264Payloader();
    payloader.packetize([sps, pps, idr]);
    payloader.packetize([pSlice]);
    const units = depacketizeH264(payloader.packetize([idr]));
    expect(units[0]?.map(nalType)).to.deep.equal([7, 8, 5]);
  });

  it('refuses an IDR picture when no SPS/PPS was ever seen', () => {
    expect(() => new H264Payloader().packetize([idr])).to.throw(/without SPS\/PPS/);
  });

  it('drops access unit delimiters', () => {
    const aud = Buffer.from([0x09, 0xf0]);
    const units = depacketizeH264(new H264Payloader().packetize([aud, pSlice]));
    expect(units[0]?.map(nalType)).to.deep.equal([1]);
  });

  it('rejects payload limits outside 3..4096', () => {
    expect(() => new H264Payloader({ maxPayload: 2 })).to.throw(RangeError);
    expect(() => new H264Payloader({ maxPayload: 4097 })).to.throw(RangeError);
  });

  it('detects a broken FU-A sequence', () => {
    const fragments = fragmentFuA(idr, 1200);
    const missingStart = fragments
      .slice(1)
      .map((payload, i, all) => ({ payload, marker: i === all.length - 1 }));
    expect(() => depacketizeH264(missingStart)).to.throw(/continuation without a start/);
    const missingEnd = fragments
      .slice(0, -1)
      .map((payload, i, all) => ({ payload, marker: i === all.length - 1 }));
    expect(() => depacketizeH264(missingEnd)).to.throw(/marker bit inside an unfinished FU-A/);
  });
});

describe('Annex B parsing', () => {
  it('splits on 3- and 4-byte start codes and round-trips', () => {
    const stream = Buffer.concat([
      Buffer.from([0, 0, 0, 1]),
      sps,
      Buffer.from([0, 0, 1]),
      pps,
      Buffer.from([0, 0, 0, 1]),
      pSlice,
    ]);
    const nals = splitAnnexB(stream);
    expect(nals.map(nalType)).to.deep.equal([7, 8, 1]);
    expect(splitAnnexB(joinAnnexB(nals)).map((n) => Buffer.from(n).toString('hex'))).to.deep.equal(
      nals.map((n) => Buffer.from(n).toString('hex')),
    );
  });

  it('groups NAL units into access units at parameter sets and new pictures', () => {
    const secondSliceOfPicture = nal(1, 50, 0x40); // first_mb_in_slice != 0
    const units = accessUnits([sps, pps, idr, pSlice, secondSliceOfPicture, pSlice, sps, pps, idr]);
    expect(units.map((unit) => unit.map(nalType))).to.deep.equal([[7, 8, 5], [1, 1], [1], [7, 8, 5]]);
  });
});
