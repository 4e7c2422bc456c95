import { expect } from '../../support/chai';
import { Backoff, type BackoffPolicy, SERVICE_BACKOFF, backoffDelay } from '../../../lib/backoff';

describe('backoff policy (lib/backoff)', () => {
  it("grows the services' delay by 1.7 from 150 ms to its 1 s cap, exactly at the middle of the jitter", () => {
    const nominal = [0, 1, 2, 3, 4, 5, 10, 1_000].map((a) => backoffDelay(a, 0.5));
    expect(nominal).to.deep.equal([150, 255, 433, 737, 1000, 1000, 1000, 1000]);
  });

  it('draws each delay within ±jitter of its nominal value, never above the cap', () => {
    expect(backoffDelay(0, 0)).to.equal(120);
    expect(backoffDelay(0, 0.999999)).to.equal(180);
    expect(backoffDelay(3, 0)).to.equal(590);
    // At the cap the spread only goes down: no delay is ever longer than maxMs.
    expect(backoffDelay(9, 0)).to.equal(800);
    expect(backoffDelay(9, 0.999999)).to.equal(SERVICE_BACKOFF.maxMs);
  });

  it('treats a negative attempt as the first, and stays finite however many attempts failed', () => {
    expect(backoffDelay(-3, 0.5)).to.equal(150);
    expect(backoffDelay(Number.MAX_SAFE_INTEGER, 0.5)).to.equal(1000);
  });

  it('gives exact delays without jitter (the supervisor: 1 s doubling to 60 s)', () => {
    const p: BackoffPolicy = { initialMs: 1_000, factor: 2, maxMs: 60_000, jitter: 0 };
    expect([0, 1, 2, 5, 6, 7].map((a) => backoffDelay(a, 0.999, p))).to.deep.equal([
      1000, 2000, 4000, 32000, 60000, 60000,
    ]);
  });

  it('counts the attempts of one loop and starts over after a success', () => {
    const draws = [0.5, 0.5, 0, 0.5];
    const b = new Backoff(SERVICE_BACKOFF, () => draws.shift() ?? 0.5);
    expect([b.next(), b.next(), b.next()]).to.deep.equal([150, 255, 347]);
    expect(b.attempt).to.equal(3);
    b.reset();
    expect(b.attempt).to.equal(0);
    expect(b.next()).to.equal(150);
  });
});
