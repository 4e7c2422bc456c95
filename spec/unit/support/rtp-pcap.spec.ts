import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeRecords, readAsteriskVideo } from '../../../stasis-app/media/asterisk-video';
import { expect } from '../../support/chai';
import { countRtp } from '../../support/rtp-capture';
import { audioRtp, parseRtp, readPcapUdp, rtpPacket, rtpPcap, videoRtp } from '../../support/rtp-pcap';

const records = encodeRecords([
  { delta: 0, marker: false, payload: Buffer.from([0x67, 1, 2]) },
  { delta: 0, marker: true, payload: Buffer.from([0x65, 3]) },
  { delta: 754, marker: true, payload: Buffer.from([0x41, 4]) },
  { delta: 743, marker: false, payload: Buffer.from([0x7c, 5]) },
  { delta: 0, marker: true, payload: Buffer.from([0x7c, 6]) },
]);

describe('RTP pcap writer (spec/support/rtp-pcap.ts)', () => {
  it('writes RTP headers: version 2, payload type, marker, sequence, timestamp, SSRC', () => {
    const p = rtpPacket(
      { payloadType: 96, marker: true, sequence: 65535, timestamp: 2 ** 32 - 1, ssrc: 0xdeadbeef },
      Buffer.from([9]),
    );
    expect([...p.subarray(0, 2)]).to.deep.equal([0x80, 0x80 | 96]);
    expect(parseRtp(p)).to.deep.include({
      payloadType: 96,
      marker: true,
      sequence: 65535,
      timestamp: 2 ** 32 - 1,
      ssrc: 0xdeadbeef,
    });
    expect(parseRtp(p)?.payload).to.deep.equal(Buffer.from([9]));
  });

  it('times video as Asterisk plays the file: 90 kHz frame timestamps, marker on each frame end, looped', () => {
    const out = videoRtp(readAsteriskVideo(records), { payloadType: 99, ssrc: 7, durationMs: 300 });
    // Frame 1 at 0 ms, frame 2 after 754*4/45 = 67 ms, frame 3 after 66 ms, then the file again.
    expect(
      out.slice(0, 5).map((p) => [p.atUs, p.timestamp - (out[0]?.timestamp ?? 0), p.marker]),
    ).to.deep.equal([
      [0, 0, false],
      [0, 0, true],
      [67_000, 6030, true],
      [133_000, 11_970, false],
      [133_000, 11_970, true],
    ]);
    expect(out.map((p) => p.sequence)).to.deep.equal(out.map((_, i) => (out[0]?.sequence ?? 0) + i));
    expect(out[5]?.atUs, 'the loop starts one frame interval later').to.be.greaterThan(133_000);
    expect(out[out.length - 1]?.marker, 'ends on a whole frame').to.equal(true);
    expect(out.every((p) => p.ssrc === 7 && p.payloadType === 99)).to.equal(true);
  });

  it('packs G.711 into 160-byte packets every 20 ms with 160-sample timestamp steps', () => {
    const out = audioRtp(Buffer.alloc(400, 0xff), { payloadType: 0, ssrc: 1, durationMs: 100 });
    expect(out).to.have.length(5);
    expect(out.map((p) => p.atUs)).to.deep.equal([0, 20_000, 40_000, 60_000, 80_000]);
    expect(out.map((p) => p.timestamp - (out[0]?.timestamp ?? 0))).to.deep.equal([0, 160, 320, 480, 640]);
    expect(out.every((p) => p.payload.length === 160)).to.equal(true);
  });

  it('writes a classic Ethernet/IPv4/UDP pcap that reads back and that tcpdump accepts', async () => {
    const packets = audioRtp(Buffer.alloc(320, 0x7f), { payloadType: 0, ssrc: 5, durationMs: 40 });
    const file = rtpPcap(packets, { src: '127.0.0.1', srcPort: 16000, dst: '127.0.0.2', dstPort: 10000 });
    expect(file.readUInt32LE(0)).to.equal(0xa1b2c3d4);
    expect(file.readUInt32LE(20), 'link type Ethernet').to.equal(1);
    const back = readPcapUdp(file);
    expect(back.map((d) => [d.src, d.srcPort, d.dst, d.dstPort, d.payload.length])).to.deep.equal([
      ['127.0.0.1', 16000, '127.0.0.2', 10000, 172],
      ['127.0.0.1', 16000, '127.0.0.2', 10000, 172],
    ]);
    expect((back[1]?.atUs ?? 0) - (back[0]?.atUs ?? 0)).to.equal(20_000);
    const counts = countRtp(back, [{ name: 'a', audio: 16000, video: 16002 }]);
    expect(counts[0]?.sent.audio).to.include({ packets: 2, markers: 1 });

    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rtp-pcap-'));
    try {
      await fs.writeFile(path.join(dir, 'a.pcap'), file);
      const text = await new Promise<string>((resolve, reject) =>
        execFile('tcpdump', ['-nn', '-r', path.join(dir, 'a.pcap'), '-T', 'rtp'], (err, stdout) =>
          err ? reject(new Error(err.message)) : resolve(stdout),
        ),
      );
      expect(text.trim().split('\n')).to.have.length(2);
      expect(text).to.match(/127\.0\.0\.1\.16000 > 127\.0\.0\.2\.10000: udp\/rtp 160 c0 \* \d+ \d+/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
