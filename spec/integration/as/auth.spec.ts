import jwt from 'jsonwebtoken';
import { expect } from '../../support/chai';
import { LoginLimiter } from '../../../as/plugins/auth/limiter';
import { body, call, PASSWORD, SECRET, setUp, tearDown, type Fixture } from './fixture';

describe('AS auth (integration)', () => {
  let f: Fixture;
  before(async () => {
    f = await setUp({ loginLimiter: new LoginLimiter({ perLoginAndIp: 3, perIp: 100 }) });
  });
  after(async () => tearDown(f));

  it('logs in and returns a token the shared verifier accepts', async () => {
    const res = await call(f, 'POST', '/api/v1/auth/login', {
      payload: { login: 'a1001', password: PASSWORD },
    });
    expect(res.statusCode).to.equal(200);
    const session = body<{ token: string; agent: { id: string; roles: string[] } }>(res);
    expect(session.agent).to.include({ id: f.ids.agentA });
    expect(session.agent.roles).to.deep.equal(['agent']);
    const me = await call(f, 'GET', '/api/v1/me', { token: session.token });
    expect(me.statusCode).to.equal(200);
    expect(body(me)).to.include({ login: 'a1001', id: f.ids.agentA });
    expect(body(me)).to.not.have.property('passwordHash');
  });

  it('refuses a wrong password and an unknown login with the same 401', async () => {
    const wrong = await call(f, 'POST', '/api/v1/auth/login', {
      payload: { login: 'root', password: 'nope-nope-nope' },
    });
    const unknown = await call(f, 'POST', '/api/v1/auth/login', {
      payload: { login: 'ghost', password: PASSWORD },
    });
    expect(wrong.statusCode).to.equal(401);
    expect(unknown.statusCode).to.equal(401);
    expect(body(wrong).message).to.equal(body(unknown).message);
  });

  it('rate-limits failed logins per login+IP with 429 and Retry-After', async () => {
    const attempt = (password: string) =>
      call(f, 'POST', '/api/v1/auth/login', { payload: { login: 'super', password } });
    for (let i = 0; i < 3; i += 1) expect((await attempt('bad-password-x')).statusCode).to.equal(401);
    const limited = await attempt(PASSWORD);
    expect(limited.statusCode).to.equal(429);
    expect(Number(limited.headers['retry-after'])).to.be.greaterThan(0);
    // Another login from the same address is not affected.
    const other = await call(f, 'POST', '/api/v1/auth/login', {
      payload: { login: 'b1002', password: PASSWORD },
    });
    expect(other.statusCode).to.equal(200);
  });

  it('refuses operator injection, unknown keys, wrong types, oversize and non-JSON bodies', async () => {
    const injected = await call(f, 'POST', '/api/v1/auth/login', {
      payload: { login: { $ne: '' }, password: { $gt: '' } },
    });
    expect(injected.statusCode).to.equal(400);
    expect(body(injected).message).to.contain('"login" must be a string');
    const extra = await call(f, 'POST', '/api/v1/auth/login', {
      payload: { login: 'a1001', password: PASSWORD, roles: ['admin'] },
    });
    expect(extra.statusCode).to.equal(400);
    expect(body(extra).message).to.contain('"roles" is not allowed');
    const big = await call(f, 'POST', '/api/v1/auth/login', {
      payload: { login: 'a1001', password: 'x'.repeat(70 * 1024) },
    });
    expect(big.statusCode).to.equal(413);
    const form = await call(f, 'POST', '/api/v1/auth/login', {
      payload: 'login=a1001&password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.statusCode).to.equal(415);
    const proto = await call(f, 'POST', '/api/v1/auth/login', {
      payload: '{"login":"a1001","password":"x","__proto__":{"admin":true}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(proto.statusCode).to.equal(400);
  });

  it('refuses missing, malformed, forged and expired tokens', async () => {
    expect((await call(f, 'GET', '/api/v1/me')).statusCode).to.equal(401);
    expect(
      (await call(f, 'GET', '/api/v1/me', { headers: { authorization: 'Basic abc' } })).statusCode,
    ).to.equal(401);
    const forged = jwt.sign({ roles: ['admin'] }, 'a-different-secret-of-enough-length!', {
      subject: f.ids.admin,
      issuer: 'ipcc-as',
      audience: 'ipcc',
    });
    expect((await call(f, 'GET', '/api/v1/me', { token: forged })).statusCode).to.equal(401);
    const expired = jwt.sign({ roles: ['admin'] }, SECRET, {
      subject: f.ids.admin,
      issuer: 'ipcc-as',
      audience: 'ipcc',
      expiresIn: -1,
    });
    const res = await call(f, 'GET', '/api/v1/me', { token: expired });
    expect(res.statusCode).to.equal(401);
    expect(body(res).message).to.equal('token expired');
  });

  it('refreshes a token for an active account and refuses the IVR service identity', async () => {
    const res = await call(f, 'POST', '/api/v1/auth/refresh', { token: f.tokens.supervisor });
    expect(res.statusCode).to.equal(200);
    expect(body(res).token).to.be.a('string');
    expect((await call(f, 'POST', '/api/v1/auth/refresh', { token: f.tokens.ivr })).statusCode).to.equal(403);
    expect((await call(f, 'GET', '/api/v1/me', { token: f.tokens.ivr })).statusCode).to.equal(403);
  });

  it('serves an OpenAPI 3 description of every route without authentication', async () => {
    const res = await call(f, 'GET', '/openapi.json');
    expect(res.statusCode).to.equal(200);
    const doc = body<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(res);
    expect(doc.openapi).to.match(/^3\./);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} /${path.replace(/^\//, '')}`),
    );
    const routes = f.server
      .table()
      .filter((r) => r.path.startsWith('/api/'))
      .map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(routes.length).to.be.greaterThan(30);
    expect(documented).to.have.members(routes);
  });

  it('requires authentication on every API route except login and guest calls', async () => {
    // The guest route is open on purpose (a customer has no account): guest-calls.spec.ts covers it.
    const unauthenticated = ['/api/v1/auth/login', '/api/v1/guest/calls'];
    const open = f.server
      .table()
      .filter((r) => r.path.startsWith('/api/') && (r.settings.auth as unknown) === false)
      .map((r) => r.path)
      .sort();
    expect(open).to.deep.equal(unauthenticated);
    for (const r of f.server
      .table()
      .filter((x) => x.path.startsWith('/api/') && !unauthenticated.includes(x.path))) {
      const url = r.path.replace(/\{[^}]+\}/g, '0123456789abcdef01234567');
      const res = await call(f, r.method.toUpperCase(), url);
      expect(res.statusCode, `${r.method} ${r.path}`).to.equal(401);
    }
  });
});
