import { TtlCache } from '../../../lib/ttl-cache';
import { expect } from '../../support/chai';

describe('TtlCache', () => {
  it('forgets an entry once its TTL has passed, and keeps null as a value', () => {
    let now = 1_000;
    const cache = new TtlCache<string | null>(100, 10, () => now);
    cache.set('a', 'x');
    cache.set('b', null);
    expect(cache.get('a')).to.equal('x');
    expect(cache.get('b')).to.equal(null);
    now += 99;
    expect(cache.has('a')).to.equal(true);
    now += 1;
    expect(cache.get('a')).to.equal(undefined);
    expect(cache.size).to.equal(1);
  });

  it('never holds more than its maximum: expired entries go first, then the oldest', () => {
    let now = 0;
    const cache = new TtlCache<number>(100, 3, () => now);
    cache.set('a', 1);
    now = 50;
    cache.set('b', 2);
    cache.set('c', 3);
    now = 120; // a has expired
    cache.set('d', 4);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.get('d')]).to.deep.equal([
      undefined,
      2,
      3,
      4,
    ]);
    cache.set('e', 5); // full, nothing expired: b (the oldest) goes
    expect(cache.size).to.equal(3);
    expect(cache.get('b')).to.equal(undefined);
    for (let i = 0; i < 1000; i += 1) cache.set(`k${i}`, i);
    expect(cache.size).to.equal(3);
  });

  it('with a TTL of 0 caches nothing; delete forgets at once', () => {
    const off = new TtlCache<number>(0, 3);
    off.set('a', 1);
    expect(off.get('a')).to.equal(undefined);
    const on = new TtlCache<number>(1000, 3);
    on.set('a', 1);
    on.delete('a');
    expect(on.get('a')).to.equal(undefined);
  });
});
