import { expect } from '../../support/chai';
import { type Datagram, droppedOf, firstRtpDelays, sipOf } from '../../../bench/support/first-rtp';
import { countersOf, parseMetrics, perCall, uncleanStart } from '../../../bench/support/step-metrics';
import type { RunResult } from '../../../bench/full-path-results';
import { cpuSecondsPerCall, verdict } from '../../../bench/full-path-targets';

const at = (ms: number) => ms * 1000;
const sip = (ms: number, text: string): Datagram => ({
  atUs: at(ms),
  srcPort: 5401,
  dstPort: 5060,
  payload: Buffer.from(text, 'latin1'),
});
const rtp = (ms: number, srcPort: number): Datagram => ({
  atUs: at(ms),
  srcPort,
  dstPort: 30_000,
  payload: Buffer.alloc(12),
});
const invite = (callId: string) =>
  `INVITE sip:9902@127.0.0.1:5060 SIP/2.0\r\nCall-ID: ${callId}\r\nCSeq: 1 INVITE\r\n\r\nv=0\r\nm=audio 30000 RTP/AVP 0\r\n`;
const ok = (callId: string, port: number, cseq = '1 INVITE') =>
  `SIP/2.0 200 OK\r\nCall-ID: ${callId}\r\nCSeq: ${cseq}\r\n\r\nv=0\r\nm=audio ${port} RTP/AVP 0\r\n`;

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
  it('reads INVITEs and INVITE 200 OKs with their Call-ID and SDP port; nothing else', () => {
    expect(sipOf(sip(0, invite('c1')))).to.deep.equal({ kind: 'invite', callId: 'c1' });
    expect(sipOf(sip(0, ok('c1', 10_002)))).to.deep.equal({ kind: 'answer', callId: 'c1', port: 10_002 });
    expect(sipOf(sip(0, ok('c1', 10_002, '2 BYE')))).to.equal(undefined);
    expect(sipOf(sip(0, 'ACK sip:9902 SIP/2.0\r\nCall-ID: c1\r\n'))).to.equal(undefined);
    expect(sipOf(sip(0, 'INVITE sip:x SIP/2.0\r\n'))).to.equal(undefined);
  });

  it('times each call from its first INVITE to the first RTP from the port its 200 OK named', () => {
    const r = firstRtpDelays(
      [
        sip(1000, invite('c1')),
        sip(1010, invite('c2')),
        sip(1040, ok('c1', 10_000)),
        sip(1500, invite('c1')), // a retransmission: the first INVITE counts
        sip(1600, ok('c2', 10_002)),
        sip(1700, invite('c3')), // never answered
        sip(20_000, invite('c4')), // reuses c1's Asterisk port after c1 ended
        sip(20_030, ok('c4', 10_000)),
      ],
      [
        rtp(900, 10_002), // before c2's INVITE: an earlier call's
        rtp(1080, 10_000),
        rtp(1100, 10_000),
        rtp(1650, 10_002),
        rtp(20_055, 10_000),
      ],
    );
    expect(r.delays).to.deep.equal([80, 640, 55]);
    expect(r).to.include({ invites: 4, withoutRtp: 1 });
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
