import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isGone } from '../../../stasis-app/ari/gone';
import { AriError, ariRest, seg } from '../../../stasis-app/ari/rest';
import { expect } from '../../support/chai';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
  socket: number;
}

/** An HTTP server that answers as told and remembers each request (the adapter's encoding, no Asterisk). */
async function server(answer: (req: http.IncomingMessage) => { status: number; body?: string }) {
  const seen: Seen[] = [];
  const sockets = new Map<unknown, number>();
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, sockets.size + 1);
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString(),
        socket: sockets.get(req.socket) ?? 0,
      });
      const a = answer(req);
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  return { seen, url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => srv.close(r)) };
}

describe('ARI REST adapter (stasis-app/ari/rest.ts)', () => {
  it('sends query parameters, a JSON body and basic auth; reads JSON; keeps the connection alive', async () => {
    const s = await server((req) =>
      req.method === 'GET' ? { status: 200, body: '{"value":"(h264)"}' } : { status: 204 },
    );
    try {
      const ari = ariRest({ url: s.url, user: 'u', password: 'p:w' });
      const v = await ari.get<{ value: string }>(`channels/${seg('ch 1/x')}/variable`, {
        variable: 'CHANNEL(videonativeformat)',
      });
      expect(v).to.deep.equal({ value: '(h264)' });
      await ari.post(
        'channels',
        { endpoint: 'PJSIP/a', timeout: 15, callerId: undefined },
        { variables: { A: '1' } },
      );
      await ari.delete('channels/c1', { reason: 'normal' });
      expect(s.seen.map((x) => `${x.method} ${x.url}`)).to.deep.equal([
        'GET /ari/channels/ch%201%2Fx/variable?variable=CHANNEL%28videonativeformat%29',
        'POST /ari/channels?endpoint=PJSIP%2Fa&timeout=15',
        'DELETE /ari/channels/c1?reason=normal',
      ]);
      expect(s.seen[1]?.body).to.equal('{"variables":{"A":"1"}}');
      expect(s.seen[0]?.authorization).to.equal('Basic ' + Buffer.from('u:p:w').toString('base64'));
      expect(new Set(s.seen.map((x) => x.socket)).size, 'one connection for all three').to.equal(1);
    } finally {
      await s.close();
    }
  });

  it("turns ARI's error answers into AriError with the status and ARI's message", async () => {
    const s = await server((req) =>
      req.url?.includes('gone')
        ? { status: 404, body: '{"message":"Channel not found"}' }
        : req.url?.includes('bridge')
          ? { status: 400, body: '{"message":"Channel not found"}' }
          : { status: 500, body: 'Internal Server Error' },
    );
    try {
      const ari = ariRest({ url: s.url, user: 'u', password: 'p' });
      const fail = (p: Promise<unknown>) =>
        p.then(
          () => undefined,
          (err: unknown) => err,
        );
      const gone = await fail(ari.post('channels/gone/answer'));
      expect(gone).to.be.instanceOf(AriError);
      expect((gone as AriError).status).to.equal(404);
      expect((gone as AriError).message).to.equal('ARI POST channels/gone/answer: 404 Channel not found');
      expect(isGone(gone)).to.equal(true);
      // addChannel says a channel is gone with 400.
      expect(isGone(await fail(ari.post('bridges/b/addChannel', { channel: 'x' })))).to.equal(true);
      const broken = await fail(ari.get('channels'));
      expect((broken as AriError).status).to.equal(500);
      expect(isGone(broken)).to.equal(false);
    } finally {
      await s.close();
    }
  });

  it('sends PUT with its body, and fails a request left unanswered past its deadline', async () => {
    const s = await server(() => ({ status: 204 }));
    const silent = http.createServer(() => undefined); // reads the request, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      await ariRest({ url: s.url, user: 'u', password: 'p' }).put('applications/a/eventFilter', undefined, {
        allowed: [{ type: 'TextMessageReceived' }],
      });
      expect(s.seen.map((x) => `${x.method} ${x.url} ${x.body}`)).to.deep.equal([
        'PUT /ari/applications/a/eventFilter {"allowed":[{"type":"TextMessageReceived"}]}',
      ]);
      const { port } = silent.address() as AddressInfo;
      const slow = ariRest({ url: `http://127.0.0.1:${port}`, user: 'u', password: 'p' }, { timeoutMs: 150 });
      const t0 = Date.now();
      const err = await slow.get('asterisk/ping').then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.message).to.equal('ARI GET asterisk/ping: no answer in 150 ms');
      expect(Date.now() - t0).to.be.within(140, 1_000);
    } finally {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
      await s.close();
    }
  });
});
