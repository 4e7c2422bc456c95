import { readFileSync } from 'node:fs';
import { Registry, collectDefaultMetrics, register } from 'prom-client';
import { BUS_METRICS } from '../../../lib/bus/metrics';
import { PROCESS_METRICS, processMetrics } from '../../../lib/ops/metrics';
import { Readiness } from '../../../lib/ops/readiness';
import { STORE_METRICS } from '../../../lib/ops/store-metrics';
import { ARI_METRICS } from '../../../stasis-app/ari/metrics';
import { CTI_METRICS, ctiMetrics } from '../../../cti/ops/metrics';
import { expect } from '../../support/chai';
import {
  ASTERISK_DASHBOARD_METRICS,
  DASHBOARD,
  type Panel,
  dashboardExprs,
  metricNames,
} from '../../support/dashboard';

/** A histogram's series carry its name plus _bucket, _sum or _count. */
const family = (name: string) => name.replace(/_(bucket|sum|count)$/, '');

describe('Grafana dashboard (docs/operations/grafana-dashboard.json)', () => {
  it('queries only metrics the processes register, and every family of them', () => {
    // What the processes register: the adapters' module-level metrics (global registry), plus the ones
    // built at start (process and CTI metrics), here on a registry of their own.
    const own = new Registry();
    processMetrics('test', new Readiness(), { registry: own });
    ctiMetrics(own, {
      snapshot: () => ({
        version: 1,
        contactSeq: 0,
        readySeq: 0,
        queues: [],
        agents: [],
        contacts: [],
        timers: [],
      }),
      calls: () => 0,
      now: () => 0,
    });
    const registered = new Set([
      ...register.getMetricsAsArray().map((m) => m.name),
      ...own.getMetricsAsArray().map((m) => m.name),
    ]);
    const declared = [
      ...Object.values(PROCESS_METRICS),
      ...Object.values(BUS_METRICS),
      ...Object.values(ARI_METRICS),
      ...Object.values(STORE_METRICS),
      ...Object.values(CTI_METRICS),
    ];
    for (const name of declared) expect(registered.has(name), `${name} registered`).to.equal(true);

    const defaults = new Registry();
    collectDefaultMetrics({ register: defaults });
    const nodeNames = new Set(defaults.getMetricsAsArray().map((m) => m.name));

    const used = new Set(dashboardExprs().flatMap(metricNames));
    expect(used.size).to.be.greaterThan(15);
    for (const name of used) {
      const f = family(name);
      if (f.startsWith('ipcc_')) expect(registered.has(f), `${name} is registered`).to.equal(true);
      else if (f.startsWith('asterisk_')) expect(ASTERISK_DASHBOARD_METRICS, name).to.include(name);
      else expect(nodeNames.has(f), `${name} is a default metric`).to.equal(true);
    }
    // Every metric family of ours has a panel.
    const usedFamilies = new Set([...used].map(family));
    for (const name of declared) expect(usedFamilies.has(name), `${name} on the dashboard`).to.equal(true);
  });

  it('uses the Prometheus datasource variable on every panel', () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      panels: Panel[];
      templating: { list: { name: string; type: string; query: unknown }[] };
    };
    expect(dashboard.templating.list.find((v) => v.name === 'datasource')).to.deep.include({
      type: 'datasource',
      query: 'prometheus',
    });
    for (const p of dashboard.panels.filter((x) => x.type !== 'row'))
      expect(p.datasource?.uid, p.title).to.equal('${datasource}');
  });

  it('finds metric names in PromQL', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le) (rate(ipcc_ari_request_duration_seconds_bucket{a="b"}[5m])))',
      ),
    ).to.deep.equal(['ipcc_ari_request_duration_seconds_bucket']);
  });
});
