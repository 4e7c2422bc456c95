import { expect } from '../../support/chai';
import jwt from 'jsonwebtoken';
import {
  isServiceToken,
  loadTokenSecret,
  MAX_TOKEN_TTL_SEC,
  signToken,
  TokenError,
  verifyToken,
} from '../../../lib/auth-token';

const secret = 'x'.repeat(40);
const base = { algorithm: 'HS256', subject: 'abc', issuer: 'ipcc-as', audience: 'ipcc' } as const;

describe('lib/auth-token', () => {
  it('round-trips subject and roles', () => {
    const { token, expiresAt } = signToken({ sub: 'abc', roles: ['agent', 'supervisor'] }, secret);
    const claims = verifyToken(token, secret);
    expect(claims).to.deep.equal({
      sub: 'abc',
      roles: ['agent', 'supervisor'],
      ver: 0,
      exp: Math.floor(expiresAt.getTime() / 1000),
    });
    const lifetime = expiresAt.getTime() - Date.now();
    expect(lifetime).to.be.within(14 * 60_000, 15 * 60_000 + 1000);
  });

  it('refuses a token signed with another secret', () => {
    const { token } = signToken({ sub: 'abc', roles: ['agent'] }, 'y'.repeat(40));
    expect(() => verifyToken(token, secret)).to.throw(TokenError, 'invalid token');
  });

  it('refuses an expired token', () => {
    const token = jwt.sign({ roles: ['agent'] }, secret, {
      algorithm: 'HS256',
      subject: 'abc',
      issuer: 'ipcc-as',
      audience: 'ipcc',
      expiresIn: -10,
    });
    expect(() => verifyToken(token, secret)).to.throw(TokenError, 'token expired');
  });

  it('refuses the none algorithm and unknown roles', () => {
    const none = jwt.sign({ roles: ['admin'] }, '', {
      algorithm: 'none',
      subject: 'abc',
      issuer: 'ipcc-as',
      audience: 'ipcc',
    });
    expect(() => verifyToken(none, secret)).to.throw(TokenError);
    const god = jwt.sign({ roles: ['god'] }, secret, { subject: 'abc', issuer: 'ipcc-as', audience: 'ipcc' });
    expect(() => verifyToken(god, secret)).to.throw(TokenError, 'bad roles claim');
  });

  it('carries the token version claim; a token without one counts as version 0', () => {
    const { token } = signToken({ sub: 'abc', roles: ['agent'], ver: 7 }, secret);
    expect(verifyToken(token, secret).ver).to.equal(7);
    const old = jwt.sign({ roles: ['agent'] }, secret, { ...base, expiresIn: 60 });
    expect(verifyToken(old, secret).ver).to.equal(0);
    for (const ver of [-1, 1.5, '3', null]) {
      const bad = jwt.sign({ roles: ['agent'], ver }, secret, { ...base, expiresIn: 60 });
      expect(() => verifyToken(bad, secret), String(ver)).to.throw(TokenError, 'bad version claim');
    }
  });

  it('refuses a token without exp, and one whose lifetime exceeds the maximum', () => {
    const forever = jwt.sign({ roles: ['admin'] }, secret, base);
    expect(() => verifyToken(forever, secret)).to.throw(TokenError, 'no expiry');
    const noIat = jwt.sign({ roles: ['admin'], exp: Math.floor(Date.now() / 1000) + 60 }, secret, {
      ...base,
      noTimestamp: true,
    });
    expect(() => verifyToken(noIat, secret)).to.throw(TokenError, 'no expiry');
    const long = jwt.sign({ roles: ['admin'] }, secret, { ...base, expiresIn: MAX_TOKEN_TTL_SEC + 1 });
    expect(() => verifyToken(long, secret)).to.throw(TokenError, 'lifetime over the maximum');
    // A forged issue time does not stretch it: the expiry is also measured from now.
    const now = Math.floor(Date.now() / 1000);
    const lateIat = jwt.sign({ roles: ['admin'], iat: now + 86_400, exp: now + 86_400 + 60 }, secret, base);
    expect(() => verifyToken(lateIat, secret)).to.throw(TokenError, 'lifetime over the maximum');
    const atMax = jwt.sign({ roles: ['admin'] }, secret, { ...base, expiresIn: MAX_TOKEN_TTL_SEC });
    expect(verifyToken(atMax, secret).sub).to.equal('abc');
  });

  it('refuses to sign a token beyond the maximum lifetime', () => {
    expect(() => signToken({ sub: 'abc', roles: ['agent'] }, secret, MAX_TOKEN_TTL_SEC + 1)).to.throw(
      RangeError,
    );
    expect(() => signToken({ sub: 'abc', roles: ['agent'] }, secret, 0)).to.throw(RangeError);
    const { expiresAt } = signToken({ sub: 'abc', roles: ['agent'] }, secret, MAX_TOKEN_TTL_SEC);
    expect(expiresAt.getTime() - Date.now()).to.be.within(
      (MAX_TOKEN_TTL_SEC - 2) * 1000,
      MAX_TOKEN_TTL_SEC * 1000,
    );
  });

  it('tells the IVR service identity (role ivr only) from accounts', () => {
    expect(isServiceToken({ roles: ['ivr'] })).to.equal(true);
    expect(isServiceToken({ roles: ['ivr', 'admin'] })).to.equal(false);
    expect(isServiceToken({ roles: ['agent'] })).to.equal(false);
  });

  it('refuses to start without a long enough secret', () => {
    expect(() => loadTokenSecret({})).to.throw(/AUTH_TOKEN_SECRET is not set/);
    expect(() => loadTokenSecret({ AUTH_TOKEN_SECRET: 'short' })).to.throw(/at least 32/);
    expect(loadTokenSecret({ AUTH_TOKEN_SECRET: secret })).to.equal(secret);
  });
});
