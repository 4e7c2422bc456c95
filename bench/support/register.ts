import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo } from 'node:dgram';

/**
 * Registers many agent phones from one UDP port (digest MD5, qop=auth), so one sipp UAS later bound to
 * that port answers them all (Asterisk's rewrite_contact records the source address). sipp 3.6.1 cannot
 * take a per-call password from an injection file ([authentication] does not expand [fieldN]).
 */
export async function registerMany(o: {
  host: string;
  port: number;
  localPort: number;
  phones: Array<{ user: string; password: string }>;
  timeoutMs?: number;
}): Promise<void> {
  const sock = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(o.localPort, '127.0.0.1', () => resolve());
  });
  const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
  const pending = new Map<
    string,
    { user: string; password: string; cseq: number; resolve: () => void; reject: (e: Error) => void }
  >();
  const tag = randomBytes(4).toString('hex');
  const uri = `sip:${o.host}:${o.port}`;
  const send = (callId: string, auth?: string): void => {
    const p = pending.get(callId);
    if (p === undefined) return;
    const lines = [
      `REGISTER ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${o.localPort};rport;branch=z9hG4bK${randomBytes(6).toString('hex')}`,
      `From: <sip:${p.user}@${o.host}>;tag=${tag}`,
      `To: <sip:${p.user}@${o.host}>`,
      `Call-ID: ${callId}`,
      `CSeq: ${p.cseq} REGISTER`,
      `Contact: <sip:${p.user}@127.0.0.1:${o.localPort}>`,
      ...(auth === undefined ? [] : [auth]),
      'Expires: 3600',
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ];
    sock.send(lines.join('\r\n'), o.port, o.host);
  };
  sock.on('message', (buf: Buffer, _rinfo: RemoteInfo) => {
    const text = buf.toString('utf8');
    const status = Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1]);
    const callId = /^Call-ID:\s*(.+)$/im.exec(text)?.[1]?.trim();
    const p = callId === undefined ? undefined : pending.get(callId);
    if (p === undefined || callId === undefined || status < 200) return;
    if (status === 200) {
      pending.delete(callId);
      p.resolve();
      return;
    }
    if (status === 401 && p.cseq === 1) {
      const challenges = [...text.matchAll(/^WWW-Authenticate:\s*Digest\s+(.+)$/gim)].map((m) => m[1] ?? '');
      const chosen =
        challenges.find((c) => /algorithm="?MD5"?(,|\s|$)/i.test(c) || !/algorithm=/i.test(c)) ??
        challenges[0] ??
        '';
      const param = (name: string): string | undefined =>
        new RegExp(`${name}="?([^",]+)"?`, 'i').exec(chosen)?.[1];
      const realm = param('realm') ?? '';
      const nonce = param('nonce') ?? '';
      const opaque = param('opaque');
      const qop = param('qop');
      const ha1 = md5(`${p.user}:${realm}:${p.password}`);
      const ha2 = md5(`REGISTER:${uri}`);
      const cnonce = randomBytes(8).toString('hex');
      const nc = '00000001';
      const response =
        qop === undefined
          ? md5(`${ha1}:${nonce}:${ha2}`)
          : md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
      const auth =
        `Authorization: Digest username="${p.user}", realm="${realm}", nonce="${nonce}", uri="${uri}", ` +
        `response="${response}", algorithm=MD5` +
        (qop === undefined ? '' : `, qop=auth, nc=${nc}, cnonce="${cnonce}"`) +
        (opaque === undefined ? '' : `, opaque="${opaque}"`);
      p.cseq = 2;
      send(callId, auth);
      return;
    }
    pending.delete(callId);
    p.reject(new Error(`REGISTER ${p.user}: ${status}`));
  });
  try {
    const all = o.phones.map(
      (phone, i) =>
        new Promise<void>((resolve, reject) => {
          const callId = `reg-${tag}-${i}`;
          pending.set(callId, { ...phone, cseq: 1, resolve, reject });
          // Spread the requests a little: a burst of hundreds at once only tests the socket buffers.
          setTimeout(() => send(callId), i * 5);
        }),
    );
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () =>
          reject(
            new Error(`registrations unanswered: ${[...pending.values()].map((p) => p.user).join(', ')}`),
          ),
        o.timeoutMs ?? 20_000,
      ).unref(),
    );
    await Promise.race([Promise.all(all), timeout]);
  } finally {
    sock.close();
  }
}
