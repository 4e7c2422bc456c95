import { expect } from '../../support/chai';
import { legAroundFault, rtpProblems, talkRtp } from '../../support/fault-rtp';
import { rtpPacket } from '../../support/rtp-pcap';
import type { UdpDatagram } from '../../support/rtp-pcap';

/** The fault harness's RTP count: per leg, PCMU each way in the 2 s before the fault and after it. */
describe('fault harness RTP windows', () => {
  const pcmu = (seq: number, pt = 0) =>
    rtpPacket(
      { payloadType: pt, marker: false, sequence: seq, timestamp: seq * 160, ssrc: 7 },
      Buffer.alloc(160),
    );
  /** One packet every 20 ms from `fromMs` to `toMs` (epoch ms), from `src` to `dst`. */
  const stream = (src: number, dst: number, fromMs: number, toMs: number, pt = 0): UdpDatagram[] => {
    const out: UdpDatagram[] = [];
    for (let t = fromMs, i = 0; t < toMs; t += 20, i += 1)
      out.push({
        atUs: t * 1000,
        src: '127.0.0.1',
        srcPort: src,
        dst: '127.0.0.1',
        dstPort: dst,
        payload: pcmu(i, pt),
      });
    return out;
  };
  const faultAt = 1_000_000;
  const injectedAt = faultAt + 1_500;

  it('counts each direction in each window, and the longest silence received', () => {
    const datagrams = [
      // Caller (18000) to Asterisk all along; Asterisk to the caller stops 300 ms into the injection
      // and comes back 1 s after it returned.
      ...stream(18000, 10000, faultAt - 5_000, injectedAt + 5_000),
      ...stream(10000, 18000, faultAt - 5_000, faultAt + 300),
      ...stream(10000, 18000, injectedAt + 1_000, injectedAt + 5_000),
      // Someone else's port and RTCP-like payload types are not counted.
      ...stream(18004, 10000, faultAt - 2_000, injectedAt + 2_000),
      ...stream(18000, 10000, faultAt - 2_000, faultAt, 72),
    ];
    const leg = legAroundFault(datagrams, 18000, { faultAt, injectedAt });
    expect(leg.before).to.deep.equal({ sent: 100, received: 100 });
    expect(leg.after).to.deep.equal({ sent: 100, received: 50 });
    // Last packet 280 ms after the fault, the next 1 s after the injection returned (2,500 ms after it).
    expect(leg.maxGapMs).to.equal(2_220);
  });

  it('judges a leg by both directions and both windows, and names what is short', () => {
    const datagrams = [
      ...stream(18000, 10000, faultAt - 2_000, injectedAt + 2_000),
      ...stream(10000, 18000, faultAt - 2_000, injectedAt + 2_000),
      ...stream(19000, 10001, faultAt - 2_000, injectedAt + 2_000),
      // The agent phone hears nothing after the fault.
      ...stream(10001, 19000, faultAt - 2_000, faultAt),
    ];
    const [t] = talkRtp(
      datagrams,
      [{ label: 'talking-1', agent: 'fault-talk-01', mediaPort: 18000, agentPort: 19000 }],
      { faultAt, injectedAt },
    );
    if (t === undefined) throw new Error('no call counted');
    expect(rtpProblems(t, ['before'])).to.deep.equal([]);
    expect(rtpProblems(t)).to.deep.equal([
      'talking-1: agent fault-talk-01 leg received 0 RTP packets in the 2 s after the fault (at least 50)',
    ]);
  });
});
