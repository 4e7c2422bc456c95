import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { verifyToken } from '../../lib/auth-token';
import { createLogger } from '../../lib/log';
import { tlsFromEnv } from '../../lib/tls-files';
import { AgentGateway, CLOSE_UNAUTHENTICATED, type GatewayPorts } from '../../cti/agent-gateway/gateway';
import { startAgentWebSocket } from '../../cti/agent-gateway/ws-server';
import { sipPassword } from '../../stasis-app/provisioning/agent-endpoints';
import { expect } from '../support/chai';
import { requireSystem } from '../support/servers';
import { httpsGet, lanAddress, selfSignedPair, spkiHash, startAs, stopChild } from '../support/tls';

/**
 * HTTPS on the AS, WSS on CTI's agent socket and on Asterisk's HTTP server (docs/operations/tls.md), each
 * with a certificate from files and a client that trusts only the test's own CA. A browser on another
 * host reaches the desktop at this host's LAN address, where only HTTPS makes a secure context.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const AS_TLS_PORT = Number(process.env.TLS_SPEC_AS_PORT ?? '8443');
const host = lanAddress() ?? '127.0.0.1';

describe('TLS: HTTPS on the AS, WSS on CTI and on Asterisk', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipcc-tls-'));
  let pair: { ca: Buffer; cert: string; key: string };
  let as: { child: ChildProcess; uri: string; output: () => string } | undefined;

  before(async () => {
    await requireSystem(['asterisk', 'docstore']);
    pair = await selfSignedPair(dir, host === '127.0.0.1' ? [] : [host]);
    as = await startAs({
      AS_HOST: host,
      AS_PORT: String(AS_TLS_PORT),
      AS_TLS_CERT: pair.cert,
      AS_TLS_KEY: pair.key,
      // The desktop's CTI URL follows CTI's certificate (as/settings.ts).
      CTI_TLS_CERT: pair.cert,
      CTI_TLS_KEY: pair.key,
    });
  });
  after(async () => {
    if (as !== undefined) await stopChild(as.child);
    rmSync(dir, { recursive: true, force: true });
  });

  describe('the AS over HTTPS (AS_TLS_CERT, AS_TLS_KEY)', () => {
    it('answers 200 to a client that pins the CA, with the certificate from the files', async () => {
      expect(as?.uri).to.equal(`https://${host}:${AS_TLS_PORT}`);
      const r = await httpsGet(`https://${host}:${AS_TLS_PORT}/openapi.json`, pair.ca);
      expect(r.status).to.equal(200);
      expect(r.peer.subject).to.equal('ipcc');
      expect(r.peer.issuer).to.equal('ipcc test CA');
      expect(r.peer.names.split(', ')).to.include.members([
        'DNS:localhost',
        'IP Address:127.0.0.1',
        `IP Address:${host}`,
      ]);
      const served = readFileSync(pair.cert, 'utf8');
      expect(served).to.contain('BEGIN CERTIFICATE');
    });

    it('a client that does not trust the CA is refused, and plain HTTP gets no page', async () => {
      const untrusted = await httpsGet(`https://${host}:${AS_TLS_PORT}/openapi.json`, undefined).then(
        () => 'accepted',
        (err: NodeJS.ErrnoException) => err.code,
      );
      // The server sends its own certificate only: without the CA a client cannot check its signature.
      expect(untrusted).to.equal('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      const plain = await fetch(`http://${host}:${AS_TLS_PORT}/openapi.json`).then(
        (res) => `status ${res.status}`,
        () => 'refused',
      );
      expect(plain).to.not.equal('status 200');
    });

    it('the desktop page allows only secure sockets: wss:// for CTI and for Asterisk on its TLS port', async () => {
      const r = await httpsGet(`https://${host}:${AS_TLS_PORT}/agent/`, pair.ca);
      expect(r.status).to.equal(200);
      const policy = String(r.headers['content-security-policy']);
      const connect = /connect-src ([^;]*)/.exec(policy)?.[1]?.split(' ');
      expect(connect).to.deep.equal([
        "'self'",
        `wss://${process.env.CTI_WS_HOST ?? '127.0.0.1'}:${process.env.CTI_WS_PORT ?? '8091'}`,
        `wss://${process.env.ASTERISK_HTTP_HOST ?? '127.0.0.1'}:${process.env.ASTERISK_HTTPS_PORT ?? '8089'}/ws`,
      ]);
    });

    it('Chromium trusting the certificate loads the desktop at the LAN address in a secure context', async () => {
      const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--disable-dev-shm-usage',
          '--use-fake-device-for-media-stream',
          '--use-fake-ui-for-media-stream',
          `--ignore-certificate-errors-spki-list=${spkiHash(pair.cert)}`,
        ],
      });
      try {
        const page = await browser.newPage();
        const res = await page.goto(`https://${host}:${AS_TLS_PORT}/agent/`);
        expect(res?.status()).to.equal(200);
        const seen = await page.evaluate(async () => {
          const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
          const tracks = stream.getAudioTracks().length;
          stream.getTracks().forEach((t) => t.stop());
          return { secure: window.isSecureContext, protocol: location.protocol, tracks };
        });
        expect(seen).to.deep.equal({ secure: true, protocol: 'https:', tracks: 1 });
      } finally {
        await browser.close();
      }
    });
  });

  describe("CTI's agent socket over WSS (CTI_TLS_CERT, CTI_TLS_KEY)", () => {
    it('upgrades for a client that pins the CA; the gateway answers over it; closing stops the listener', async () => {
      const log = createLogger('cti', 'tls-spec');
      const secret = randomUUID();
      // Only the token check is reached by a client that has not authenticated.
      const ports = { verifyToken: (t: string) => verifyToken(t, secret), log } as unknown as GatewayPorts;
      const tls = tlsFromEnv('CTI', { CTI_TLS_CERT: pair.cert, CTI_TLS_KEY: pair.key });
      const wss = await startAgentWebSocket(new AgentGateway(ports), '127.0.0.1', 0, log, {}, tls);
      const port = (wss.address() as AddressInfo).port;
      try {
        const ws = new WebSocket(`wss://127.0.0.1:${port}`, { ca: pair.ca });
        const frames: string[] = [];
        ws.on('message', (d: Buffer) => frames.push(d.toString('utf8')));
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        });
        ws.send(JSON.stringify({ type: 'auth', token: 'forged' }));
        const closed = await new Promise<number>((resolve) =>
          ws.once('close', (code: number) => resolve(code)),
        );
        expect(closed).to.equal(CLOSE_UNAUTHENTICATED);
        expect(frames.map((f) => (JSON.parse(f) as { code?: string }).code)).to.deep.equal(['invalid_token']);

        const untrusted = new WebSocket(`wss://127.0.0.1:${port}`);
        const refused = await new Promise<string>((resolve) => {
          untrusted.once('open', () => resolve('open'));
          untrusted.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
        });
        expect(refused).to.equal('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      } finally {
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      }
      const after = new WebSocket(`wss://127.0.0.1:${port}`, { ca: pair.ca });
      const code = await new Promise<string>((resolve) =>
        after.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? '')),
      );
      expect(code).to.equal('ECONNREFUSED');
    });
  });

  describe("Asterisk's HTTP server over TLS (ASTERISK_HTTPS_PORT, the embedded self-signed pair)", () => {
    const asteriskCa = () =>
      readFileSync(
        process.env.ASTERISK_TLS_CA ??
          path.join(process.env.IPCC_RUN ?? path.join(ROOT, '.run'), 'tls', 'ca.crt'),
      );
    const wssUrl = `wss://${process.env.ASTERISK_HTTP_HOST ?? '127.0.0.1'}:${process.env.ASTERISK_HTTPS_PORT ?? '8089'}/ws`;

    it('upgrades wss:///ws with protocol sip (101); plain ws on the HTTP port still upgrades', async () => {
      for (const [url, options] of [
        [wssUrl, { ca: asteriskCa() }],
        [
          `ws://${process.env.ASTERISK_HTTP_HOST ?? '127.0.0.1'}:${process.env.ASTERISK_HTTP_PORT ?? '8088'}/ws`,
          {},
        ],
      ] as const) {
        const ws = new WebSocket(url, 'sip', options);
        let status = 0;
        ws.once('upgrade', (res: IncomingMessage) => (status = res.statusCode ?? 0));
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        });
        expect(status, url).to.equal(101);
        expect(ws.protocol, url).to.equal('sip');
        ws.close();
      }
    });

    it('a softphone registers over wss: 401 with a challenge, 200 with the digest, then unregisters', async () => {
      const secret = process.env.AGENT_SIP_SECRET;
      if (secret === undefined) throw new Error('AGENT_SIP_SECRET is not set: run after load_env');
      const user = 'webrtc1004';
      const sip = await SipOverWs.open(wssUrl, asteriskCa());
      try {
        const first = await sip.register(user, 60);
        expect(first.status).to.equal(401);
        const challenge = /WWW-Authenticate: Digest ([^\r\n]+)/i.exec(first.text)?.[1] ?? '';
        const second = await sip.register(user, 60, digest(challenge, user, sipPassword(secret, user)));
        expect(second.status, second.text).to.equal(200);
        expect(second.text).to.match(new RegExp(`\r\nContact: <sip:${user}@[^>]+>;expires=\\d+`, 'i'));
        const challenge2 =
          /WWW-Authenticate: Digest ([^\r\n]+)/i.exec((await sip.register(user, 0)).text)?.[1] ?? '';
        const gone = await sip.register(user, 0, digest(challenge2, user, sipPassword(secret, user)));
        expect(gone.status).to.equal(200);
      } finally {
        sip.close();
      }
    });
  });
});

/** RFC 2617 digest for REGISTER (qop=auth when offered), from the challenge's parameters. */
function digest(challenge: string, user: string, password: string): string {
  const param = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(challenge)?.[1] ?? '';
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');
  const [realm, nonce, qop] = [param('realm'), param('nonce'), param('qop')];
  const uri = 'sip:127.0.0.1';
  const ha1 = md5(`${user}:${realm}:${password}`);
  const ha2 = md5(`REGISTER:${uri}`);
  const cnonce = randomUUID().slice(0, 8);
  const response = qop.includes('auth')
    ? md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`)
    : md5(`${ha1}:${nonce}:${ha2}`);
  const q = qop.includes('auth') ? `, qop=auth, nc=00000001, cnonce="${cnonce}"` : '';
  return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5${q}`;
}

/** A bare SIP registrar client over a WebSocket, as a browser's JsSIP is one. */
class SipOverWs {
  private readonly callId = randomUUID();
  private readonly tag = randomUUID().slice(0, 8);
  private cseq = 0;
  private readonly inbox: string[] = [];
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (d: Buffer) => this.inbox.push(d.toString('utf8')));
  }

  static async open(url: string, ca: Buffer): Promise<SipOverWs> {
    const ws = new WebSocket(url, 'sip', { ca });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new SipOverWs(ws);
  }

  async register(
    user: string,
    expires: number,
    authorization?: string,
  ): Promise<{ status: number; text: string }> {
    this.cseq += 1;
    const lines = [
      'REGISTER sip:127.0.0.1 SIP/2.0',
      `Via: SIP/2.0/WSS tls-spec.invalid;branch=z9hG4bK${randomUUID().slice(0, 12)}`,
      `From: <sip:${user}@127.0.0.1>;tag=${this.tag}`,
      `To: <sip:${user}@127.0.0.1>`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${this.cseq} REGISTER`,
      'Max-Forwards: 70',
      `Contact: <sip:${user}@tls-spec.invalid;transport=ws>;expires=${expires}`,
      `Expires: ${expires}`,
      ...(authorization === undefined ? [] : [`Authorization: ${authorization}`]),
      'Content-Length: 0',
      '',
      '',
    ];
    this.ws.send(lines.join('\r\n'));
    const deadline = Date.now() + 10_000;
    for (;;) {
      const i = this.inbox.findIndex(
        (m) => /^SIP\/2\.0 [2-6]\d\d /.test(m) && m.includes(`CSeq: ${this.cseq} REGISTER`),
      );
      if (i >= 0) {
        const text = this.inbox.splice(i, 1)[0] ?? '';
        return { status: Number(text.slice(8, 11)), text };
      }
      if (Date.now() > deadline)
        throw new Error(`no answer to REGISTER ${this.cseq}:\n${this.inbox.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close(): void {
    this.ws.close();
  }
}
