import { Registry } from 'prom-client';
import type { DomainSnapshot } from '../../../cti/domain';
import { DecisionTiming } from '../../../cti/ops/decision-timing';
import { CTI_METRICS, ctiMetrics } from '../../../cti/ops/metrics';
import { pathTemplate } from '../../../stasis-app/ari/metrics';
import { expect } from '../../support/chai';

const queue = (id: string) => ({ config: { id } }) as unknown as DomainSnapshot['queues'][number];
const contact = (id: string, queueId: string, state: string, enqueuedAt: number) =>
  ({ id, queueId, state, enqueuedAt }) as unknown as DomainSnapshot['contacts'][number];
const agent = (state: string) => ({ state }) as unknown as DomainSnapshot['agents'][number];

describe('CTI metrics (cti/ops/metrics.ts)', () => {
  it('computes queue depth, longest wait, contacts and agents by state from the snapshot at scrape time', async () => {
    const registry = new Registry();
    let snapshot: DomainSnapshot = {
      version: 1,
      contactSeq: 0,
      readySeq: 0,
      queues: [queue('sales'), queue('support')],
      agents: [agent('ready'), agent('talking'), agent('talking'), agent('logged-out')],
      contacts: [
        contact('c1', 'sales', 'waiting', 1_000),
        contact('c2', 'sales', 'waiting', 4_000),
        contact('c3', 'sales', 'connected', 500),
        contact('c4', 'support', 'scheduled', 200),
      ],
      timers: [],
    };
    let now = 11_000;
    ctiMetrics(registry, { snapshot: () => snapshot, calls: () => 2, now: () => now });
    const value = async (name: string, labels: Record<string, string>) => {
      const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
      return metric?.values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;
    };
    expect(await value(CTI_METRICS.queueDepth, { queue: 'sales' })).to.equal(2);
    expect(await value(CTI_METRICS.queueDepth, { queue: 'support' })).to.equal(0);
    expect(await value(CTI_METRICS.queueLongestWait, { queue: 'sales' })).to.equal(10);
    expect(await value(CTI_METRICS.queueLongestWait, { queue: 'support' })).to.equal(0);
    expect(await value(CTI_METRICS.contacts, { state: 'waiting' })).to.equal(2);
    expect(await value(CTI_METRICS.contacts, { state: 'scheduled' })).to.equal(1);
    expect(await value(CTI_METRICS.contacts, { state: 'held' })).to.equal(0);
    expect(await value(CTI_METRICS.agents, { state: 'talking' })).to.equal(2);
    expect(await value(CTI_METRICS.agents, { state: 'wrap-up' })).to.equal(0);
    expect(await value(CTI_METRICS.calls, {})).to.equal(2);

    // A queue removed from the directory leaves the gauges at the next scrape.
    snapshot = { ...snapshot, queues: [queue('support')], contacts: [] };
    now += 1_000;
    expect(await value(CTI_METRICS.queueDepth, { queue: 'sales' })).to.equal(undefined);
    expect(await value(CTI_METRICS.queueDepth, { queue: 'support' })).to.equal(0);
  });

  it('times a decision from its trigger to the offer, and nothing outside a trigger', async () => {
    const seen: [string, number][] = [];
    const timing = new DecisionTiming((trigger, seconds) => seen.push([trigger, seconds]));
    timing.decided(); // a timer's offer: no trigger
    await timing.run('contact-queued', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      timing.decided();
    });
    expect(seen.map(([t]) => t)).to.deep.equal(['contact-queued']);
    expect(seen[0]?.[1]).to.be.within(0.015, 1);
  });
});

describe('ARI path templates (stasis-app/ari/metrics.ts)', () => {
  it('replaces ids by :id and keeps operation names', () => {
    expect(
      [
        'channels/1733400000.42/answer',
        '/bridges/6f1c2b7e-0e3a-4a51-9b0e-2d1c/addChannel',
        'channels/abc-1/play/pb-9',
        'endpoints/PJSIP/webrtc1001',
        'applications/softacd/subscription',
        'channels',
        'recordings/live/call-2026-12-07_0312/stop',
      ].map(pathTemplate),
    ).to.deep.equal([
      'channels/:id/answer',
      'bridges/:id/addChannel',
      'channels/:id/play/:id',
      'endpoints/PJSIP/:id',
      'applications/softacd/subscription',
      'channels',
      'recordings/live/:id/stop',
    ]);
  });
});
