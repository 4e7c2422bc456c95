import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

/**
 * A bare SIP user agent over Asterisk's `/ws` (subprotocol `sip`), as a browser's JsSIP is one: enough
 * to place one call with a browser-like offer (DTLS-SRTP, ICE, rtcp-mux) and a header of our choice,
 * read the final answer, and end the call. Signalling only: no media follows.
 */
export class WsSipCall {
  private readonly ws: WebSocket;
  private readonly received: string[] = [];
  private readonly waiters: Array<() => void> = [];
  private readonly callId = randomUUID();
  private readonly fromTag = randomUUID().slice(0, 8);
  private readonly branchBase = `z9hG4bK${randomUUID().slice(0, 8)}`;
  private toHeader = '';

  private constructor(
    url: string,
    private readonly user: string,
    private readonly host: string,
  ) {
    this.ws = new WebSocket(url, 'sip');
    this.ws.on('message', (data: WebSocket.RawData) => {
      const chunks = Array.isArray(data) ? data : [data instanceof ArrayBuffer ? Buffer.from(data) : data];
      this.received.push(Buffer.concat(chunks).toString('utf8'));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(url: string, user: string, host = '127.0.0.1'): Promise<WsSipCall> {
    const call = new WsSipCall(url, user, host);
    await new Promise<void>((resolve, reject) => {
      call.ws.once('open', () => resolve());
      call.ws.once('error', reject);
    });
    return call;
  }

  private send(lines: string[], body = ''): void {
    const head = [...lines, `Content-Length: ${Buffer.byteLength(body)}`, '', ''].join('\r\n');
    this.ws.send(head + body);
  }

  private common(method: string, cseq: number, target: string, branch: string): string[] {
    return [
      `${method} ${target} SIP/2.0`,
      `Via: SIP/2.0/WS ${this.user}.invalid;branch=${branch}`,
      `From: "Web guest" <sip:${this.user}@${this.host}>;tag=${this.fromTag}`,
      `To: <${target}>${method === 'INVITE' ? '' : this.toHeader}`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${cseq} ${method}`,
      'Max-Forwards: 70',
    ];
  }

  /** Sends the INVITE and resolves with the final status (200, 403, ...). */
  async invite(number: string, headers: string[]): Promise<number> {
    const target = `sip:${number}@${this.host}`;
    const sdp = [
      'v=0',
      'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      'a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF',
      'a=ice-ufrag:wsgs',
      'a=ice-pwd:wsguestwsguestwsguestws',
      'm=audio 9 UDP/TLS/RTP/SAVPF 0',
      'c=IN IP4 0.0.0.0',
      'a=rtpmap:0 PCMU/8000',
      'a=setup:actpass',
      'a=rtcp-mux',
      'a=candidate:1 1 udp 2130706431 127.0.0.1 9 typ host',
      'a=sendrecv',
      '',
    ].join('\r\n');
    this.send(
      [
        ...this.common('INVITE', 1, target, `${this.branchBase}i`),
        `Contact: <sip:${this.user}@${this.user}.invalid;transport=ws>`,
        ...headers,
        'Content-Type: application/sdp',
      ],
      sdp,
    );
    const final = await this.next((m) => /^SIP\/2\.0 [2-6]\d\d /.test(m) && / INVITE\r\n/.test(m));
    const status = Number(final.slice(8, 11));
    this.toHeader = /\r\nTo: [^\r\n]*?(;tag=[^\r\n;]+)/i.exec(final)?.[1] ?? '';
    // Every final answer to an INVITE is acknowledged (a 2xx in a transaction of its own).
    const branch = status === 200 ? `${this.branchBase}a` : `${this.branchBase}i`;
    this.send(this.common('ACK', 1, target, branch));
    this.target = target;
    return status;
  }

  private target = '';

  /** Hangs up an answered call; resolves with the BYE's status. */
  async bye(): Promise<number> {
    this.send(this.common('BYE', 2, this.target, `${this.branchBase}b`));
    const answer = await this.next((m) => /^SIP\/2\.0 \d{3} /.test(m) && / BYE\r\n/.test(m));
    return Number(answer.slice(8, 11));
  }

  private async next(match: (m: string) => boolean, ms = 10_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.received.findIndex(match);
      if (i >= 0) return this.received.splice(i, 1)[0] as string;
      if (Date.now() > deadline)
        throw new Error(`no matching SIP message in ${ms} ms:\n${this.received.join('\n')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}
