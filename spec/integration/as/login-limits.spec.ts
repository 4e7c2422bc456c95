import { expect } from '../../support/chai';
import { hashPassword, LEGACY_PARAMS } from '../../../as/domain/password';
import { Agent } from '../../../as/models';
import { body, call, PASSWORD, setUp, tearDown, type Fixture } from './fixture';

/**
 * Items 5 and 6 (scrypt) of issue 10 through the real login route and store, with the default limits:
 * 5 guesses per login and address, 500 failures per address, 100 per login from anywhere.
 */
describe('AS login limits and password rehash (integration)', () => {
  let f: Fixture;
  before(async () => {
    f = await setUp();
  });
  after(async () => tearDown(f));

  const loginFrom = (login: string, password: string, remoteAddress: string) =>
    f.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login, password },
      remoteAddress,
    });

  it('20 concurrent wrong-password logins for one login: exactly 5 are checked (401), 15 get 429', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => loginFrom('super', 'wrong-password-1', '192.0.2.10')),
    );
    const codes = answers.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401)).to.have.length(5);
    expect(codes.filter((c) => c === 429)).to.have.length(15);
    const limited = answers.find((r) => r.statusCode === 429);
    expect(Number(limited?.headers['retry-after'])).to.be.greaterThan(0);
    // The right password from that address is refused too (no sixth guess), not from another one.
    expect((await loginFrom('super', PASSWORD, '192.0.2.10')).statusCode).to.equal(429);
    expect((await loginFrom('super', PASSWORD, '192.0.2.11')).statusCode).to.equal(200);
  });

  it('60 failures from one address over 12 logins do not lock another login behind it', async () => {
    // Accounts with a cheap hash so that 60 failures take milliseconds, not 60 scrypt runs of N=2^17.
    const cheap = await hashPassword('their-password-1', { N: 1024, r: 8, p: 1 });
    const logins = Array.from({ length: 12 }, (_, i) => `nat-user-${i}`);
    await Agent.insertMany(
      logins.map((login) => ({ login, displayName: login, roles: ['agent'], passwordHash: cheap })),
    );
    const nat = '198.51.100.7';
    for (const login of logins) {
      const codes = [];
      for (let i = 0; i < 5; i += 1) codes.push((await loginFrom(login, 'a-wrong-guess', nat)).statusCode);
      expect(codes, login).to.deep.equal([401, 401, 401, 401, 401]);
    }
    // 60 failures from the address: the old per-address limit (50) locked everyone behind it here.
    const colleague = await loginFrom('b1002', PASSWORD, nat);
    expect(colleague.statusCode, colleague.payload).to.equal(200);
    // Each guessed login is locked from that address, and only from it.
    expect((await loginFrom('nat-user-0', 'their-password-1', nat)).statusCode).to.equal(429);
    expect((await loginFrom('nat-user-0', 'their-password-1', '198.51.100.8')).statusCode).to.equal(200);
  });

  it('a hash of older scrypt parameters logs in and is rewritten with the current ones', async () => {
    const legacy = await hashPassword('legacy-password-1', LEGACY_PARAMS);
    expect(legacy).to.match(/^scrypt\$16384\$8\$1\$/);
    const [created] = await Agent.insertMany([
      { login: 'old-hash', displayName: 'Old hash', roles: ['agent'], passwordHash: legacy },
    ]);
    const res = await loginFrom('old-hash', 'legacy-password-1', '203.0.113.5');
    expect(res.statusCode, res.payload).to.equal(200);
    const stored = await Agent.findById(created?._id).select('+passwordHash tokenVersion').lean();
    expect(stored?.passwordHash).to.match(/^scrypt\$131072\$8\$1\$/);
    expect(stored?.passwordHash).to.not.equal(legacy);
    // Not a password change: the session's token stays valid, and the new hash logs in.
    expect(stored?.tokenVersion).to.equal(0);
    const token = body<{ token: string }>(res).token;
    expect((await call(f, 'GET', '/api/v1/me', { token })).statusCode).to.equal(200);
    expect((await loginFrom('old-hash', 'legacy-password-1', '203.0.113.5')).statusCode).to.equal(200);
    expect((await loginFrom('old-hash', 'wrong-password-9', '203.0.113.5')).statusCode).to.equal(401);
  });
});
