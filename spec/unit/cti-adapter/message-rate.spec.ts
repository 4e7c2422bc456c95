import { MessageRate } from '../../../cti/agent-gateway/rate-limit';
import { TokenBucket } from '../../../lib/token-bucket';
import { expect } from '../../support/chai';

describe('agent WebSocket message rate', () => {
  it('a token bucket gives its burst at once, then its rate', () => {
    let now = 0;
    const bucket = new TokenBucket(20, 40, () => now);
    const taken = Array.from({ length: 50 }, () => bucket.take()).filter(Boolean).length;
    expect(taken).to.equal(40);
    now = 500; // half a second: 10 more
    expect(Array.from({ length: 20 }, () => bucket.take()).filter(Boolean).length).to.equal(10);
    now = 60_000; // a long pause refills to the burst, no more
    expect(Array.from({ length: 50 }, () => bucket.take()).filter(Boolean).length).to.equal(40);
  });

  it('accepts 20 messages a second for ever', () => {
    let now = 0;
    const rate = new MessageRate({ now: () => now });
    for (let i = 0; i < 2_000; i += 1) {
      now += 50;
      expect(rate.message()).to.equal('accept');
    }
  });

  it('refuses messages over the burst, and closes when the excess is sustained', () => {
    const now = 0;
    const rate = new MessageRate({ now: () => now });
    const first = Array.from({ length: 79 }, () => rate.message());
    expect(first.filter((v) => v === 'accept')).to.have.length(40);
    expect(first.filter((v) => v === 'refuse')).to.have.length(39);
    expect(rate.message()).to.equal('close');
  });

  it('forgets refusals older than its window: an occasional burst is never cut off', () => {
    let now = 0;
    const rate = new MessageRate({ now: () => now });
    for (let round = 0; round < 20; round += 1) {
      const verdicts = Array.from({ length: 60 }, () => rate.message());
      expect(verdicts, `round ${round}`).to.not.include('close');
      now += 11_000;
    }
  });
});
