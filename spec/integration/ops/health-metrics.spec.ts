import { EXCHANGES } from '../../../lib/bus/topology';
import { BUS_METRICS } from '../../../lib/bus/metrics';
import { PROCESS_METRICS } from '../../../lib/ops/metrics';
import { OPS_PORTS, type OpsService } from '../../../lib/ops/start';
import { CTI_METRICS } from '../../../cti/ops/metrics';
import { ARI_METRICS } from '../../../stasis-app/ari/metrics';
import { agentEvents, agentIdOf, registerPhone } from '../../support/agents';
import { BusObserver, eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { ASTERISK_DASHBOARD_METRICS } from '../../support/dashboard';
import { type Sample, parseSamples, total, value } from '../../support/prom-text';
import { requireSystem } from '../../support/servers';
import { sipp } from '../../support/sipp';

const host = process.env.OPS_HOST ?? '127.0.0.1';
const opsUrl = (s: OpsService) => `http://${host}:${process.env[OPS_PORTS[s].variable] ?? OPS_PORTS[s].port}`;

async function scrape(s: OpsService): Promise<Sample[]> {
  const token = process.env.METRICS_TOKEN;
  if (token === undefined || token === '') throw new Error('METRICS_TOKEN not set (scripts/lib.sh load_env)');
  const res = await fetch(`${opsUrl(s)}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, `${s} /metrics`).to.equal(200);
  return parseSamples(await res.text());
}

/**
 * Issue 12 on the running system: every process's readiness names its dependencies, /metrics needs the
 * token, and the metrics follow a real call: a sipp caller waits in the sales queue (all agents away),
 * an agent signs in, becomes Ready and its SIP phone (sipp) answers. Asterisk's res_prometheus answers
 * on loopback with basic auth.
 */
describe('health and metrics of every process (lib/ops)', function () {
  this.timeout(90_000);
  const bus = new BusObserver();

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
  });
  after(() => bus.stop());

  it('answers liveness and readiness on each ops port, naming exactly its dependencies', async () => {
    const expected: Record<OpsService, Record<string, string>> = {
      cti: { bus: 'up', store: 'up' },
      softacd: { bus: 'up', ari: 'up' },
      ivr: { bus: 'up', ari: 'up' },
      as: { bus: 'up', store: 'up' },
      isag: { bus: 'up', store: 'up', smtp: 'up', ari: 'up' },
    };
    for (const s of ['cti', 'softacd', 'ivr', 'as'] as const) {
      const live = await fetch(`${opsUrl(s)}/health/live`);
      expect([s, live.status, await live.json()]).to.deep.equal([s, 200, { status: 'live' }]);
      const ready = await fetch(`${opsUrl(s)}/health/ready`);
      expect([s, ready.status, await ready.json()]).to.deep.equal([
        s,
        200,
        { status: 'ready', checks: expected[s] },
      ]);
    }
  });

  it('refuses /metrics without the token (401) and serves it with the token, restarts included', async () => {
    for (const s of ['cti', 'softacd', 'ivr', 'as'] as const) {
      const refused = await fetch(`${opsUrl(s)}/metrics`);
      expect([s, refused.status]).to.deep.equal([s, 401]);
      const wrong = await fetch(`${opsUrl(s)}/metrics`, {
        headers: { authorization: 'Bearer not-the-token' },
      });
      expect([s, wrong.status]).to.deep.equal([s, 401]);
      const samples = await scrape(s);
      const restarts = samples.find((x) => x.name === PROCESS_METRICS.restarts);
      expect(restarts?.labels, s).to.deep.equal({ service: s });
      expect(restarts?.value, s).to.be.at.least(0);
      expect(total(samples, PROCESS_METRICS.dependencyUp), s).to.equal(2);
    }
  });

  it('follows a real call: queue depth while the caller waits, agent states, bus, ARI and routing', async () => {
    const logins = ['1001', '1002', '1003', '1004'];
    const ids = await Promise.all(logins.map(agentIdOf));
    const agentId = ids[0] ?? '';
    for (const id of ids) await agentEvents(id, ['AgentLogout']);
    await eventually('no agent signed in', async () => {
      const s = await scrape('cti');
      return total(s, CTI_METRICS.agents) === total(s, CTI_METRICS.agents, { state: 'logged-out' });
    });
    const cti0 = await scrape('cti');
    const softacd0 = await scrape('softacd');
    const ivr0 = await scrape('ivr');
    expect(value(cti0, CTI_METRICS.queueDepth, { queue: 'sales' })).to.equal(0);
    const loggedOut0 = value(cti0, CTI_METRICS.agents, { state: 'logged-out' }) ?? 0;
    const notReady0 = value(cti0, CTI_METRICS.agents, { state: 'not-ready' }) ?? 0;

    await registerPhone('agent1001', 5941);
    const phone = sipp('agent-answer.xml', {
      service: 'agent1001',
      localPort: 5941,
      holdMs: 300,
      timeoutSec: 60,
    });
    // 200 goes straight to the sales queue; the IVR plays the queue music while the caller waits.
    const caller = '15557779412';
    const call = sipp('uac-audio.xml', {
      service: '200',
      localPort: 5942,
      holdMs: 14_000,
      timeoutSec: 60,
      vars: { caller, caller_name: 'Metrics Spec' },
    });
    try {
      const delivered = await eventually('the call delivered', () =>
        bus.seen.find((s) => s.body.type === 'CallDelivered' && s.body.callingNumber === caller),
      );
      const contactId = String(delivered.body.contactId);
      await eventually('AgentRequest for sales', () =>
        bus.forContact(contactId).some((s) => s.body.type === 'AgentRequest'),
      );
      const waiting = await eventually('the caller counted in the sales queue', async () => {
        const s = await scrape('cti');
        return value(s, CTI_METRICS.queueDepth, { queue: 'sales' }) === 1 ? s : undefined;
      });
      expect(value(waiting, CTI_METRICS.queueLongestWait, { queue: 'sales' })).to.be.above(0);
      expect(value(waiting, CTI_METRICS.contacts, { state: 'waiting' })).to.be.at.least(1);

      // The agent signs in: one more not-ready agent, one fewer logged out.
      await agentEvents(agentId, ['AgentLogin']);
      const signedIn = await eventually('agent 1001 not ready', async () => {
        const s = await scrape('cti');
        return value(s, CTI_METRICS.agents, { state: 'not-ready' }) === notReady0 + 1 ? s : undefined;
      });
      expect(value(signedIn, CTI_METRICS.agents, { state: 'logged-out' })).to.equal(loggedOut0 - 1);
      expect(value(signedIn, CTI_METRICS.queueDepth, { queue: 'sales' })).to.equal(1);

      // Ready: CTI offers the waiting caller at once (an agent-ready decision), the phone answers.
      await agentEvents(agentId, ['AgentReady']);
      await eventually('Established', () =>
        bus.forContact(contactId).some((s) => s.body.type === 'Established'),
      );
      const talking = await scrape('cti');
      expect(value(talking, CTI_METRICS.queueDepth, { queue: 'sales' })).to.equal(0);
      expect(value(talking, CTI_METRICS.agents, { state: 'talking' })).to.equal(1);
      expect(value(talking, CTI_METRICS.contacts, { state: 'connected' })).to.be.at.least(1);
      const decisions = (s: Sample[]) =>
        total(s, `${CTI_METRICS.routingDecision}_count`, { trigger: 'agent-ready' });
      expect(decisions(talking)).to.equal(decisions(cti0) + 1);

      expect((await call).code, 'caller sipp').to.equal(0);
      expect((await phone).code, 'agent phone sipp').to.equal(0);
      await eventually('ConnectionCleared', () =>
        bus.forContact(contactId).some((s) => s.body.type === 'ConnectionCleared'),
      );
    } finally {
      await agentEvents(agentId, ['AgentLogout']).catch(() => undefined);
    }

    const [cti1, softacd1, ivr1] = await Promise.all([scrape('cti'), scrape('softacd'), scrape('ivr')]);
    const published = (s: Sample[]) =>
      total(s, BUS_METRICS.published, { exchange: 'cc.events', outcome: 'ok' });
    expect(published(softacd1), 'SoftACD published events').to.be.above(published(softacd0));
    expect(published(ivr1), 'the IVR published events').to.be.above(published(ivr0));
    expect(
      published(cti1) + total(cti1, BUS_METRICS.published, { exchange: 'cc.commands', outcome: 'ok' }),
    ).to.be.above(
      published(cti0) + total(cti0, BUS_METRICS.published, { exchange: 'cc.commands', outcome: 'ok' }),
    );
    const acked = (s: Sample[]) => total(s, BUS_METRICS.consumed, { queue: 'cc.cti', outcome: 'ack' });
    expect(acked(cti1), 'CTI consumed').to.be.above(acked(cti0));
    const ariCount = (s: Sample[]) => total(s, `${ARI_METRICS.latency}_count`);
    expect(ariCount(softacd1), 'SoftACD ARI requests timed').to.be.above(ariCount(softacd0));
    // The agent leg was dialled and bridged through ARI: the label is the template, never the id.
    const bridged = (s: Sample[]) =>
      total(s, `${ARI_METRICS.latency}_count`, { method: 'POST', path: 'bridges/:id/addChannel' });
    expect(bridged(softacd1), 'bridges/:id/addChannel timed').to.be.above(bridged(softacd0));
    expect(softacd1.some((s) => /\d{6,}/.test(s.labels.path ?? ''))).to.equal(false);
    expect(value(softacd1, ARI_METRICS.websocket)).to.equal(1);
    expect(total(cti1, 'ipcc_store_command_duration_seconds_count', { pool: 'state' })).to.be.above(0);
  });

  it("serves Asterisk's own metrics (res_prometheus) on loopback, with basic auth", async () => {
    const url = `${process.env.ARI_URL ?? 'http://127.0.0.1:8088'}/metrics`;
    expect(new URL(url).hostname).to.equal('127.0.0.1');
    expect((await fetch(url)).status).to.equal(401);
    const user = process.env.ASTERISK_METRICS_USER ?? 'metrics';
    const password = process.env.ASTERISK_METRICS_PASSWORD ?? '';
    const res = await fetch(url, {
      headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
    });
    expect(res.status).to.equal(200);
    const samples = parseSamples(await res.text());
    expect(total(samples, 'asterisk_core_uptime_seconds')).to.be.above(0);
    // Every Asterisk series the dashboard draws is one Asterisk really exposes.
    for (const name of ASTERISK_DASHBOARD_METRICS)
      expect(
        samples.some((s) => s.name === name),
        name,
      ).to.equal(true);
  });
});
