import { expect } from '../../support/chai';
import { droppedOf, firstRtpDelays } from '../../../bench/support/first-rtp';
import { udpPackets } from '../../../bench/support/pcap';
import { countersOf, parseMetrics, perCall, uncleanStart } from '../../../bench/support/step-metrics';
import type { RunResult } from '../../../bench/full-path-results';
import { cpuSecondsPerCall, verdict } from '../../../bench/full-path-targets';

/** A classic little-endian pcap (Ethernet link) holding UDP/IPv4 datagrams. */
function pcap(packets: Array<{ atMs: number; src: number; dst: number; payload: string }>): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(1, 20);
  const records = packets.map((p) => {
    const payload = Buffer.from(p.payload, 'latin1');
    const frame = Buffer.alloc(14 + 20 + 8 + payload.length);
    frame.writeUInt16BE(0x0800, 12);
    frame.writeUInt8(0x45, 14);
    frame.writeUInt8(17, 14 + 9);
    frame.writeUInt16BE(p.src, 34);
    frame.writeUInt16BE(p.dst, 36);
    payload.copy(frame, 42);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(p.atMs / 1000), 0);
    rec.writeUInt32LE(Math.round((p.atMs % 1000) * 1000), 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    return Buffer.concat([rec, frame]);
  });
  return Buffer.concat([head, ...records]);
}

const invite = (callId: string, port: number): string =>
  `INVITE sip:9902@127.0.0.1:5060 SIP/2.0\r\nCall-ID: ${callId}\r\nCSeq: 1 INVITE\r\n\r\nv=0\r\nm=audio ${port} RTP/AVP 0 101\r\n`;

function row(mode: 'a' | 'b', rate: number, over: Partial<RunResult> = {}): RunResult {
  return {
    mode,
    rate,
    calls: rate * 20,
    callerOk: rate * 20,
    callerFailed: 0,
    connected: rate * 20,
    failureFree: rate * 20,
    invite200: { p50: 1, p95: 2, p99: 3, n: rate * 20 },
    agentRing: { p50: 1, p99: 2, n: rate * 20 },
    cpu: { asterisk: 20, softacd: 0, ivr: 0, cti: 0, as: 0, rabbitmq: 0 },
    wallS: 30,
    loadBefore: [0, 0, 0],
    loadAfter: [0, 0, 0],
    command: 'sipp',
    firstRtp: { p50: 50, p95: 60, p99: 100, n: rate * 20, invites: rate * 20, withoutRtp: 0, dropped: 0 },
    ...over,
  };
}

describe('bench full-path: what a step measures besides the calls', () => {
  it('reads UDP datagrams of a pcap with their times, ports and payloads; skips what is not UDP/IPv4', () => {
    const file = pcap([
      { atMs: 1_700_000_000_123.456, src: 5401, dst: 5060, payload: 'INVITE x' },
      { atMs: 1_700_000_000_200, src: 10_000, dst: 30_000, payload: 'rtp' },
    ]);
    // A TCP record in between: skipped.
    const tcp = Buffer.from(file);
    tcp.writeUInt8(6, 24 + 16 + 14 + 9);
    const packets = udpPackets(file);
    expect(packets.map((p) => [p.srcPort, p.dstPort, p.payload.toString()])).to.deep.equal([
      [5401, 5060, 'INVITE x'],
      [10_000, 30_000, 'rtp'],
    ]);
    expect(packets[0]?.atMs).to.be.closeTo(1_700_000_000_123.456, 0.001);
    expect(udpPackets(tcp).map((p) => p.dstPort)).to.deep.equal([30_000]);
    expect(() => udpPackets(Buffer.alloc(40))).to.throw('not a pcap file');
  });

  it('times each call from its first INVITE to the first packet to its own media port', () => {
    const sip = udpPackets(
      pcap([
        { atMs: 1000, src: 5401, dst: 5060, payload: invite('c1', 30_000) },
        { atMs: 1010, src: 5401, dst: 5060, payload: invite('c2', 30_004) },
        { atMs: 1500, src: 5401, dst: 5060, payload: invite('c1', 30_000) }, // retransmission
        { atMs: 1600, src: 5401, dst: 5060, payload: 'ACK sip:9902 SIP/2.0\r\n' },
        { atMs: 1700, src: 5401, dst: 5060, payload: invite('c3', 30_008) },
        { atMs: 1800, src: 5401, dst: 5060, payload: invite('c4', 30_008) }, // the same port again
        { atMs: 1900, src: 5401, dst: 5060, payload: invite('c5', 30_012) },
      ]),
    );
    const rtp = udpPackets(
      pcap([
        { atMs: 900, src: 10_002, dst: 30_004, payload: 'before its INVITE' },
        { atMs: 1080, src: 10_000, dst: 30_000, payload: 'first' },
        { atMs: 1100, src: 10_000, dst: 30_000, payload: 'second' },
        { atMs: 1300, src: 10_002, dst: 30_004, payload: 'first' },
        { atMs: 2000, src: 10_004, dst: 30_008, payload: 'reused port' },
      ]),
    );
    const r = firstRtpDelays(sip, rtp);
    expect(r.delays).to.deep.equal([80, 290]);
    expect(r).to.include({ invites: 5, withoutRtp: 1, portsReused: 1 });
  });

  it("adds up tcpdump's drop counts", () => {
    expect(
      droppedOf('120 packets captured\n130 packets received by filter\n7 packets dropped by kernel\n'),
    ).to.equal(7);
    expect(droppedOf('3 packets dropped by interface\n2 packets dropped by kernel')).to.equal(5);
  });

  it('reads bus and ARI counters from /metrics and divides the step difference by its calls', () => {
    const text = (published: number, ari: number) =>
      [
        '# HELP ipcc_bus_published_total x',
        `ipcc_bus_published_total{exchange="cc.events",outcome="ok"} ${published}`,
        'ipcc_bus_published_total{exchange="cc.events",outcome="error"} 5',
        'ipcc_bus_consumed_total{queue="q",outcome="ack"} 10',
        `ipcc_ari_request_duration_seconds_count{method="POST",path="channels/:id/answer"} ${ari}`,
        `ipcc_ari_request_duration_seconds_count{method="GET",path="channels/:id/variable"} ${ari * 2}`,
        'garbage line',
      ].join('\n');
    const before = new Map([['softacd', countersOf(parseMetrics(text(100, 10)))]]);
    const after = new Map([['softacd', countersOf(parseMetrics(text(140, 30)))]]);
    const p = perCall(before, after, 10);
    expect(p.published).to.deep.equal({ softacd: 4, total: 4 });
    expect(p.consumed).to.deep.equal({ softacd: 0, total: 0 });
    expect(p.ari).to.deep.equal({ softacd: 6, total: 6 });
    expect(p.ariTop).to.deep.equal([
      { operation: 'GET channels/:id/variable', perCall: 4 },
      { operation: 'POST channels/:id/answer', perCall: 2 },
    ]);
  });

  it('a step starts clean only with no contact in CTI and every agent Ready', () => {
    const cti = (contacts: number, ready: number) =>
      parseMetrics(
        `ipcc_cti_contacts{state="queued"} ${contacts}\nipcc_cti_agents{state="ready"} ${ready}\nipcc_cti_agents{state="not-ready"} 3\n`,
      );
    expect(uncleanStart(cti(0, 400), 400)).to.equal(undefined);
    expect(uncleanStart(cti(2, 398), 400)).to.equal('2 contacts in CTI, 398 of 400 agents Ready');
    expect(uncleanStart(cti(0, 0), 0)).to.equal(undefined);
  });

  it("judges issue 15's targets from the rows: ceiling found, CPU per call and first-RTP ratios", () => {
    const a = (rate: number, over: Partial<RunResult> = {}) => row('a', rate, over);
    const b = (rate: number, over: Partial<RunResult> = {}) => row('b', rate, over);
    expect(cpuSecondsPerCall(a(2))).to.be.closeTo((0.2 * 30) / 40, 1e-9);
    const good = verdict([a(2), b(2, { cpu: { asterisk: 25 } }), a(4, { failureFree: 1 }), b(4)]);
    expect(good).to.include({ ceilingA: 2, ceilingFound: true, highestB: 4, met: true });
    const bad = verdict([
      a(2),
      b(2, {
        cpu: { asterisk: 40 },
        firstRtp: { p50: 1, p95: 1, p99: 200, n: 40, invites: 40, withoutRtp: 0, dropped: 0 },
      }),
      a(4),
      b(4, { failureFree: 70 }),
    ]);
    expect(bad.met).to.equal(false);
    expect(bad.reasons).to.deep.equal([
      'app_queue never failed (up to 4 calls/s): its ceiling is not found',
      'the project is failure-free to 2 calls/s, app_queue to 4',
      "at 2 calls/s CPU per call is 2.00x app_queue's",
      "at 2 calls/s INVITE→first RTP p99 is 2.00x app_queue's",
    ]);
  });
});
