import { expect } from '../../support/chai';
import jwt from 'jsonwebtoken';
import { loadTokenSecret, signToken, TokenError, verifyToken } from '../../../lib/auth-token';

const secret = 'x'.repeat(40);

describe('lib/auth-token', () => {
  it('round-trips subject and roles', () => {
    const { token, expiresAt } = signToken({ sub: 'abc', roles: ['agent', 'supervisor'] }, secret);
    expect(verifyToken(token, secret)).to.deep.equal({ sub: 'abc', roles: ['agent', 'supervisor'] });
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

  it('refuses to start without a long enough secret', () => {
    expect(() => loadTokenSecret({})).to.throw(/AUTH_TOKEN_SECRET is not set/);
    expect(() => loadTokenSecret({ AUTH_TOKEN_SECRET: 'short' })).to.throw(/at least 32/);
    expect(loadTokenSecret({ AUTH_TOKEN_SECRET: secret })).to.equal(secret);
  });
});
