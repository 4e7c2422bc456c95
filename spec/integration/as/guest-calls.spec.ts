import { expect } from '../../support/chai';
import { GUEST_TOKEN_TTL_SEC, verifyGuestToken } from '../../../lib/guest-token';
import { GuestLimiter } from '../../../as/plugins/guest/limiter';
import winston from 'winston';
import { createServer, type ServerDeps } from '../../../as/server';
import { body, call, desktopSettings, GUEST_SECRET, SECRET, setUp, tearDown, type Fixture } from './fixture';

/**
 * Guest calls (issue 11): a customer with no account gets a token for one call to one public number,
 * rate limited per address, and the token opens nothing else.
 */
describe('AS guest calls: POST /api/v1/guest/calls (integration)', () => {
  let f: Fixture;
  before(async () => {
    f = await setUp({ desktop: desktopSettings({ publicNumbers: ['100', '200'] }) });
  });
  after(async () => tearDown(f));

  /** A second server on the same store (the fixture connects once per spec). */
  const another = async (deps: Partial<ServerDeps>) => {
    const server = await createServer({
      log: winston.createLogger({ silent: true }),
      tokenSecret: SECRET,
      desktop: desktopSettings(),
      ...deps,
    });
    await server.initialize();
    return server;
  };

  // Each test from its own address: the limiter counts per address, 5 a minute.
  const ask = (number: unknown, address: string) =>
    f.server.inject({
      method: 'POST',
      url: '/api/v1/guest/calls',
      payload: { number },
      remoteAddress: address,
    });

  it('a public number: a guest token that names it, and the SIP target', async () => {
    const before = Date.now();
    const res = await ask('100', '192.0.2.1');
    expect(res.statusCode).to.equal(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    const b = body<{ token: string; expiresAt: string; sip: Record<string, string> }>(res);
    expect(b.sip).to.deep.equal({
      wsUrl: 'ws://127.0.0.1:8088/ws',
      uri: 'sip:guest@127.0.0.1',
      target: 'sip:100@127.0.0.1',
    });
    const claims = verifyGuestToken(b.token, GUEST_SECRET);
    expect(claims.number).to.equal('100');
    expect(claims.jti).to.match(/^[0-9a-f-]{36}$/);
    const expires = Date.parse(b.expiresAt);
    expect(expires).to.be.within(
      before + (GUEST_TOKEN_TTL_SEC - 2) * 1000,
      Date.now() + GUEST_TOKEN_TTL_SEC * 1000,
    );
    expect(claims.exp * 1000).to.equal(expires);
    // Another secret (the agents' one, or a forger's) does not verify it.
    expect(() => verifyGuestToken(b.token, 'x'.repeat(40))).to.throw('invalid guest token');
    // Two tokens for the same number are two different calls.
    const second = body<{ token: string }>(await ask('200', '192.0.2.1'));
    expect(verifyGuestToken(second.token, GUEST_SECRET).number).to.equal('200');
    expect(verifyGuestToken(second.token, GUEST_SECRET).jti).not.to.equal(claims.jti);
  });

  it('403 for a number that is not public, 400 for something that is not a number', async () => {
    const res = await ask('101', '192.0.2.2');
    expect(res.statusCode).to.equal(403);
    expect(body(res).message).to.equal('this number does not take web calls');
    for (const bad of ['1001@evil', '', '+33 1', { $ne: '' }, 100, 'x'.repeat(30)]) {
      expect((await ask(bad, '192.0.2.2')).statusCode, JSON.stringify(bad)).to.equal(400);
    }
  });

  it('429 with Retry-After after 5 requests a minute from one address, refused ones counted', async () => {
    const statuses: number[] = [];
    for (const n of ['100', '101', '100', '100', '100'])
      statuses.push((await ask(n, '192.0.2.3')).statusCode);
    expect(statuses).to.deep.equal([200, 403, 200, 200, 200]);
    const limited = await ask('100', '192.0.2.3');
    expect(limited.statusCode).to.equal(429);
    const wait = Number(limited.headers['retry-after']);
    expect(wait).to.be.within(1, 60);
    // Another address is not affected.
    expect((await ask('100', '192.0.2.4')).statusCode).to.equal(200);
  });

  it('the window comes round again (a 1 s window in a server of its own)', async () => {
    const g = await another({ guestLimiter: new GuestLimiter({ perAddress: 1, windowSec: 1 }) });
    try {
      const one = () =>
        g.inject({
          method: 'POST',
          url: '/api/v1/guest/calls',
          payload: { number: '100' },
          remoteAddress: '192.0.2.9',
        });
      expect((await one()).statusCode).to.equal(200);
      const limited = await one();
      expect(limited.statusCode).to.equal(429);
      expect(limited.headers['retry-after']).to.equal('1');
      await new Promise((r) => setTimeout(r, 1100));
      expect((await one()).statusCode).to.equal(200);
    } finally {
      await g.stop();
    }
  });

  it('the guest token opens nothing else: every API route refuses it with 401', async () => {
    const b = body<{ token: string }>(await ask('100', '192.0.2.5'));
    for (const url of ['/api/v1/me', '/api/v1/me/desktop', '/api/v1/me/sip', '/api/v1/disposition-codes']) {
      const res = await call(f, 'GET', url, { token: b.token });
      expect(res.statusCode, url).to.equal(401);
    }
    const refresh = await call(f, 'POST', '/api/v1/auth/refresh', { token: b.token });
    expect(refresh.statusCode).to.equal(401);
  });

  it('503 with a clear message when guest calls are not configured', async () => {
    const g = await another({ desktop: desktopSettings({ guestSecret: undefined }) });
    try {
      const res = await g.inject({
        method: 'POST',
        url: '/api/v1/guest/calls',
        payload: { number: '100' },
      });
      expect(res.statusCode).to.equal(503);
      expect(body(res).message).to.equal('guest calls are not configured');
    } finally {
      await g.stop();
    }
  });
});
