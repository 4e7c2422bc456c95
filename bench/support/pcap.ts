/** One UDP/IPv4 datagram of a capture file: when it was seen, its ports and its payload (as captured). */
export interface UdpPacket {
  /** Capture time, ms since the epoch (microsecond resolution). */
  atMs: number;
  srcPort: number;
  dstPort: number;
  payload: Buffer;
}

/** Link-layer header length by pcap link type: what precedes the IP header in each record. */
const LINK_HEADER = new Map<number, number>([
  [0, 4], // BSD loopback
  [1, 14], // Ethernet (Linux `lo` under tcpdump -i lo)
  [101, 0], // raw IP
  [113, 16], // Linux cooked v1 (-i any)
  [276, 20], // Linux cooked v2
]);

/**
 * The UDP/IPv4 datagrams of a classic pcap file (what `tcpdump -w` writes), in capture order. Other
 * protocols and truncated headers are skipped; a payload is as long as the snap length let it be.
 * A bench reads its own captures here; nothing from outside the machine reaches it.
 */
export function udpPackets(file: Buffer): UdpPacket[] {
  if (file.length < 24) return [];
  const magic = file.readUInt32LE(0);
  const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const big = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  if (!little && !big) throw new Error(`not a pcap file (magic ${magic.toString(16)})`);
  const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  const u32 = (at: number): number => (little ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const link = LINK_HEADER.get(u32(20) & 0xffff);
  if (link === undefined) throw new Error(`pcap link type ${u32(20)} not supported`);
  const out: UdpPacket[] = [];
  for (let at = 24; at + 16 <= file.length;) {
    const sec = u32(at);
    const frac = u32(at + 4);
    const captured = u32(at + 8);
    const body = at + 16;
    at = body + captured;
    if (at > file.length) break; // cut short by a stopped capture
    const ip = body + link;
    if (captured < link + 28 || file.readUInt8(ip) >> 4 !== 4) continue;
    const ihl = (file.readUInt8(ip) & 0x0f) * 4;
    if (file.readUInt8(ip + 9) !== 17 || captured < link + ihl + 8) continue;
    const udp = ip + ihl;
    out.push({
      atMs: sec * 1000 + (nano ? frac / 1e6 : frac / 1e3),
      srcPort: file.readUInt16BE(udp),
      dstPort: file.readUInt16BE(udp + 2),
      payload: file.subarray(udp + 8, at),
    });
  }
  return out;
}
