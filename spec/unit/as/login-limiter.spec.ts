import { LoginLimiter } from '../../../as/plugins/auth/limiter';
import { RateLimitedError } from '../../../as/errors';
import { expect } from '../../support/chai';

const outcome = (p: Promise<void>) =>
  p.then(
    () => 'ok',
    (err: unknown) => (err instanceof RateLimitedError ? 'limited' : `error ${String(err)}`),
  );

describe('as/plugins/auth/limiter', () => {
  it('lets exactly 5 of 20 concurrent attempts for one login and address through', async () => {
    const limiter = new LoginLimiter();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => outcome(limiter.attempt('a1001', '192.0.2.1'))),
    );
    expect(results.filter((r) => r === 'ok')).to.have.length(5);
    expect(results.filter((r) => r === 'limited')).to.have.length(15);
  });

  it('locks an address at its own ceiling, whatever the logins', async () => {
    const limiter = new LoginLimiter({ perIp: 12 });
    for (let i = 0; i < 12; i += 1)
      expect(await outcome(limiter.attempt(`user${i}`, '192.0.2.2'))).to.equal('ok');
    expect(await outcome(limiter.attempt('someone-else', '192.0.2.2'))).to.equal('limited');
    expect(await outcome(limiter.attempt('someone-else', '192.0.2.3'))).to.equal('ok');
  });

  it('locks a login guessed from many addresses at the per-login ceiling', async () => {
    const limiter = new LoginLimiter({ perLogin: 8 });
    for (let i = 0; i < 8; i += 1)
      expect(await outcome(limiter.attempt('target', `10.0.0.${i}`))).to.equal('ok');
    expect(await outcome(limiter.attempt('target', '10.0.1.1'))).to.equal('limited');
    expect(await outcome(limiter.attempt('bystander', '10.0.1.1'))).to.equal('ok');
  });

  it('a refused attempt costs nothing, and a successful login gives its attempt back', async () => {
    const limiter = new LoginLimiter({ perLoginAndIp: 2, perIp: 3, perLogin: 100 });
    await limiter.attempt('a', '192.0.2.9');
    await limiter.attempt('a', '192.0.2.9');
    // Refused by the per-login+address budget: the address's budget is not charged for it.
    expect(await outcome(limiter.attempt('a', '192.0.2.9'))).to.equal('limited');
    expect(await outcome(limiter.attempt('b', '192.0.2.9'))).to.equal('ok');
    await limiter.succeeded('b', '192.0.2.9');
    // a's 2 failures count, b's success does not: one attempt left for the address, then none.
    expect(await outcome(limiter.attempt('c', '192.0.2.9'))).to.equal('ok');
    expect(await outcome(limiter.attempt('d', '192.0.2.9'))).to.equal('limited');
    // A success starts the login's guesses from that address over.
    const fresh = new LoginLimiter({ perLoginAndIp: 2 });
    await fresh.attempt('a', '192.0.2.9');
    await fresh.succeeded('a', '192.0.2.9');
    await fresh.attempt('a', '192.0.2.9');
    expect(await outcome(fresh.attempt('a', '192.0.2.9'))).to.equal('ok');
    expect(await outcome(fresh.attempt('a', '192.0.2.9'))).to.equal('limited');
  });
});
