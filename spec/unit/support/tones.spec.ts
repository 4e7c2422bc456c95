import { expect } from '../../support/chai';
import { toneShares, toneUlaw, ulawDecode, ulawEncode } from '../../support/tones';

describe('test support: tones in mu-law and their shares of a stream', () => {
  it('mu-law round-trips within its quantisation step', () => {
    for (const s of [0, 100, -100, 1000, -5000, 12000, -32000]) {
      expect(Math.abs(ulawDecode(ulawEncode(s)) - s)).to.be.at.most(Math.max(8, Math.abs(s) / 16));
    }
    expect(ulawEncode(0)).to.equal(0xff);
  });

  it('finds the tones of a mix and not the one left out, whatever the packet boundaries', () => {
    const a = toneUlaw(400);
    const b = toneUlaw(1050);
    const mix = Buffer.alloc(a.length);
    for (let i = 0; i < mix.length; i++)
      mix[i] = ulawEncode((ulawDecode(a[i] ?? 0) + ulawDecode(b[i] ?? 0)) / 2);
    // Packets cut at an odd offset, as a mixer's frames would be.
    const packets = [mix.subarray(37, 37 + 160 * 20), mix.subarray(3237, 3237 + 160 * 20)];
    const [s400, s650, s1050] = toneShares(packets, [400, 650, 1050]);
    expect(s400).to.be.within(0.4, 0.6);
    expect(s1050).to.be.within(0.4, 0.6);
    expect(s650).to.be.below(0.01);
    expect(toneShares([Buffer.alloc(320, 0xff)], [400])).to.deep.equal([0]);
  });
});
