import { Registry } from 'prom-client';
import winston from 'winston';
import { PROCESS_METRICS, processMetrics, restartCount } from '../../../lib/ops/metrics';
import { Readiness } from '../../../lib/ops/readiness';
import { type OpsServer, startOpsServer } from '../../../lib/ops/server';
import { expect } from '../../support/chai';

const log = winston.createLogger({ silent: true });
const TOKEN = 'test-token-0123456789abcdefghijklmn';

describe('ops server (lib/ops/server.ts)', () => {
  let server: OpsServer;
  let readiness: Readiness;
  let bus: ReturnType<Readiness['flag']>;
  let storeUp = true;

  before(async () => {
    readiness = new Readiness();
    bus = readiness.flag('bus');
    readiness.probe('store', () => (storeUp ? Promise.resolve() : Promise.reject(new Error('refused'))), {
      cacheMs: 0,
    });
    const registry = processMetrics('cti', readiness, { registry: new Registry(), restarts: '3' });
    server = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      readiness,
      registry,
      metricsToken: TOKEN,
      log,
    });
  });
  after(() => server.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { headers });

  it('answers liveness with 200 without a token', async () => {
    const res = await get('/health/live');
    expect([res.status, await res.json()]).to.deep.equal([200, { status: 'live' }]);
  });

  it('answers readiness 503 naming the dependency that is down, 200 once all are up', async () => {
    bus.set(false);
    storeUp = true;
    let res = await get('/health/ready');
    expect([res.status, await res.json()]).to.deep.equal([
      503,
      { status: 'not-ready', checks: { bus: 'down', store: 'up' } },
    ]);
    bus.set(true);
    storeUp = false;
    res = await get('/health/ready');
    expect([res.status, await res.json()]).to.deep.equal([
      503,
      { status: 'not-ready', checks: { bus: 'up', store: 'down' } },
    ]);
    storeUp = true;
    res = await get('/health/ready');
    expect([res.status, await res.json()]).to.deep.equal([
      200,
      { status: 'ready', checks: { bus: 'up', store: 'up' } },
    ]);
  });

  it('refuses /metrics without the bearer token, or with a wrong one, with 401', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(1)}` },
      { authorization: 'Bearer ' },
    ];
    for (const headers of attempts) {
      const res = await get('/metrics', headers);
      expect(res.status, JSON.stringify(headers)).to.equal(401);
      expect(res.headers.get('www-authenticate')).to.equal('Bearer realm="metrics"');
      expect(await res.text()).to.not.contain('ipcc_');
    }
  });

  it('serves the Prometheus text with the token: restarts, dependencies and default metrics, all by service', async () => {
    bus.set(false);
    const res = await get('/metrics', { authorization: `Bearer ${TOKEN}` });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).to.contain(`${PROCESS_METRICS.restarts}{service="cti"} 3\n`);
    expect(text).to.contain(`${PROCESS_METRICS.dependencyUp}{dependency="bus",service="cti"} 0\n`);
    expect(text).to.contain(`${PROCESS_METRICS.dependencyUp}{dependency="store",service="cti"} 1\n`);
    expect(text).to.match(/^process_cpu_user_seconds_total\{service="cti"\} /m);
  });

  it('answers 404 for another path and 405 for another method', async () => {
    expect((await get('/health')).status).to.equal(404);
    expect((await fetch(`${server.url}/health/ready`, { method: 'POST' })).status).to.equal(405);
  });

  it('refuses every scrape when no token is configured', async () => {
    const other = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      readiness: new Readiness(),
      registry: new Registry(),
      metricsToken: undefined,
      log,
    });
    try {
      expect(
        (await fetch(`${other.url}/metrics`, { headers: { authorization: 'Bearer ' } })).status,
      ).to.equal(401);
      expect(
        (await fetch(`${other.url}/metrics`, { headers: { authorization: 'Bearer undefined' } })).status,
      ).to.equal(401);
      // An empty registry is ready: nothing to wait for.
      expect((await fetch(`${other.url}/health/ready`)).status).to.equal(200);
    } finally {
      await other.close();
    }
  });

  it('reads IPCC_RESTARTS as a count, anything unusable as 0', () => {
    expect(['0', '7', '', undefined, '-1', '2.5', 'x'].map(restartCount)).to.deep.equal([
      0, 7, 0, 0, 0, 0, 0,
    ]);
  });
});
