import { Readiness } from '../../../lib/ops/readiness';
import { expect } from '../../support/chai';

describe('readiness registry (lib/ops/readiness.ts)', () => {
  it('is not ready until every flag is up, and names each dependency in registration order', async () => {
    const r = new Readiness();
    const bus = r.flag('bus');
    const ari = r.flag('ari');
    expect(await r.report()).to.deep.equal({ ready: false, checks: { bus: 'down', ari: 'down' } });
    bus.set(true);
    expect(await r.report()).to.deep.equal({ ready: false, checks: { bus: 'up', ari: 'down' } });
    ari.set(true);
    expect(await r.report()).to.deep.equal({ ready: true, checks: { bus: 'up', ari: 'up' } });
    bus.set(false);
    expect(await r.report()).to.deep.equal({ ready: false, checks: { bus: 'down', ari: 'up' } });
    expect(Object.keys((await r.report()).checks)).to.deep.equal(['bus', 'ari']);
  });

  it('refuses a dependency registered twice', () => {
    const r = new Readiness();
    r.flag('bus');
    expect(() => r.probe('bus', () => Promise.resolve())).to.throw('readiness check bus registered twice');
  });

  it('counts a probe that rejects, throws or outlasts its timeout as down', async () => {
    const r = new Readiness();
    r.probe('rejects', () => Promise.reject(new Error('refused')));
    r.probe('throws', () => {
      throw new Error('no client yet');
    });
    r.probe('slow', () => new Promise((resolve) => setTimeout(resolve, 200)), { timeoutMs: 20 });
    r.probe('fine', () => Promise.resolve({ ok: 1 }));
    expect(await r.report()).to.deep.equal({
      ready: false,
      checks: { rejects: 'down', throws: 'down', slow: 'down', fine: 'up' },
    });
  });

  it('pings once per cache period, and once for concurrent reports', async () => {
    let pings = 0;
    let up = true;
    const r = new Readiness();
    r.probe(
      'store',
      async () => {
        pings += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (!up) throw new Error('down');
      },
      { cacheMs: 1_000 },
    );
    const t0 = Date.now();
    const [a, b] = await Promise.all([r.report(t0), r.report(t0)]);
    expect([a.checks.store, b.checks.store, pings]).to.deep.equal(['up', 'up', 1]);
    up = false;
    expect((await r.report(t0 + 500)).checks.store).to.equal('up');
    expect(pings).to.equal(1);
    // Past the cache period the store is asked again and its outage shows.
    expect((await r.report(Date.now() + 1_001)).checks.store).to.equal('down');
    expect(pings).to.equal(2);
  });
});
