import type { Server } from '@hapi/hapi';
import winston from 'winston';
import { signToken, type Role } from '../../../lib/auth-token';
import { Agent } from '../../../as/models';
import { createServer } from '../../../as/server';
import { expect } from '../../support/chai';
import { body, call, PASSWORD, SECRET, setUp, tearDown, type Fixture } from './fixture';

/**
 * Item 4 of issue 10: tokens are revoked by a logout and by an administrator's change (deactivation, roles,
 * password, deletion), on the next request of this AS; another AS instance sees it once its account cache
 * (a few seconds) expires. The IVR's service token has no account and keeps working.
 */
describe('AS token revocation (integration)', () => {
  let f: Fixture;
  let other: Server | undefined;
  const me = (token: string, server?: Server) =>
    server === undefined
      ? call(f, 'GET', '/api/v1/me', { token })
      : server.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
  const tokenOf = (sub: string, roles: Role[], ver = 0) => signToken({ sub, roles, ver }, SECRET).token;
  const login = async (who: string) => {
    const res = await call(f, 'POST', '/api/v1/auth/login', { payload: { login: who, password: PASSWORD } });
    expect(res.statusCode, res.payload).to.equal(200);
    return body<{ token: string }>(res).token;
  };

  before(async () => {
    // A cache far longer than any test: what is refused at once was forgotten by this process, not expired.
    f = await setUp({ accountCacheMs: 60_000 });
  });
  after(async () => {
    await other?.stop();
    await tearDown(f);
  });

  it('POST /auth/logout revokes every token of the caller at once; a new login works', async () => {
    const first = await login('a1001');
    const second = await login('a1001');
    expect((await me(first)).statusCode).to.equal(200);
    expect((await me(second)).statusCode).to.equal(200);
    const out = await call(f, 'POST', '/api/v1/auth/logout', { token: first });
    expect(out.statusCode).to.equal(204);
    for (const t of [first, second]) {
      const res = await me(t);
      expect(res.statusCode).to.equal(401);
      expect(body(res).message).to.equal('token revoked');
    }
    expect((await call(f, 'POST', '/api/v1/auth/refresh', { token: second })).statusCode).to.equal(401);
    expect((await call(f, 'POST', '/api/v1/auth/logout', { token: first })).statusCode).to.equal(401);
    expect((await Agent.findById(f.ids.agentA).lean())?.tokenVersion).to.equal(1);
    const again = await login('a1001');
    expect((await me(again)).statusCode).to.equal(200);
    // The refreshed token carries the current version too.
    const refreshed = await call(f, 'POST', '/api/v1/auth/refresh', { token: again });
    expect((await me(body<{ token: string }>(refreshed).token)).statusCode).to.equal(200);
  });

  it("an administrator's deactivation, role change, password change and deletion revoke at once", async () => {
    const admin = f.tokens.admin;
    const patch = (id: string, payload: unknown) =>
      call(f, 'PATCH', `/api/v1/agents/${id}`, { token: admin, payload });
    const agentB = tokenOf(f.ids.agentB, ['agent']);
    const supervisor = tokenOf(f.ids.supervisor, ['supervisor']);
    for (const t of [agentB, supervisor]) expect((await me(t)).statusCode).to.equal(200);

    // A change that does not touch access keeps the tokens.
    expect((await patch(f.ids.agentB, { displayName: 'Renamed B' })).statusCode).to.equal(200);
    expect((await me(agentB)).statusCode).to.equal(200);

    expect((await patch(f.ids.agentB, { active: false })).statusCode).to.equal(200);
    const inactive = await me(agentB);
    expect(inactive.statusCode).to.equal(401);
    expect(body(inactive).message).to.equal('account deactivated');
    // Reactivated: the old token stays revoked, a token of the new version works.
    expect((await patch(f.ids.agentB, { active: true })).statusCode).to.equal(200);
    expect(body(await me(agentB)).message).to.equal('token revoked');
    const agentB1 = tokenOf(f.ids.agentB, ['agent'], 1);
    expect((await me(agentB1)).statusCode).to.equal(200);

    expect((await patch(f.ids.supervisor, { roles: ['supervisor', 'agent'] })).statusCode).to.equal(200);
    expect(body(await me(supervisor)).message).to.equal('token revoked');

    expect((await patch(f.ids.agentB, { password: 'another-password-2' })).statusCode).to.equal(200);
    expect(body(await me(agentB1)).message).to.equal('token revoked');

    const agentB2 = tokenOf(f.ids.agentB, ['agent'], 2);
    expect((await me(agentB2)).statusCode).to.equal(200);
    expect((await call(f, 'DELETE', `/api/v1/agents/${f.ids.agentB}`, { token: admin })).statusCode).to.equal(
      204,
    );
    const gone = await me(agentB2);
    expect(gone.statusCode).to.equal(401);
    expect(body(gone).message).to.equal('no such account');
  });

  it('refuses a token of an unknown subject or claiming roles its account lacks; the IVR token works', async () => {
    const ghost = await me(tokenOf('0123456789abcdef01234567', ['admin']));
    expect(ghost.statusCode).to.equal(401);
    expect(body(ghost).message).to.equal('no such account');
    expect((await me(tokenOf('not-an-object-id', ['agent']))).statusCode).to.equal(401);
    const promoted = await me(tokenOf(f.ids.admin, ['admin', 'supervisor']));
    expect(promoted.statusCode).to.equal(401);
    expect(body(promoted).message).to.equal('token revoked');
    // Role ivr and no account: the IVR's service identity (interface D), checked by signature and role only.
    const flow = await call(f, 'GET', '/api/v1/ivr/flows/999', { token: f.tokens.ivr });
    expect(flow.statusCode).to.equal(404);
    // An ivr role next to a person role is not a service token: its account must hold both.
    expect((await me(tokenOf(f.ids.admin, ['admin', 'ivr']))).statusCode).to.equal(401);
  });

  it('another AS instance refuses a revoked token once its account cache expires (300 ms here)', async () => {
    other = await createServer({
      log: winston.createLogger({ silent: true }),
      tokenSecret: SECRET,
      accountCacheMs: 300,
    });
    await other.initialize();
    const token = await login('super');
    expect((await me(token, other)).statusCode).to.equal(200);
    expect((await call(f, 'POST', '/api/v1/auth/logout', { token })).statusCode).to.equal(204);
    expect((await me(token)).statusCode).to.equal(401);
    // Within its cache period the other instance still trusts what it read; after it, it reads again.
    expect((await me(token, other)).statusCode).to.equal(200);
    await new Promise((r) => setTimeout(r, 350));
    expect((await me(token, other)).statusCode).to.equal(401);
  });
});
