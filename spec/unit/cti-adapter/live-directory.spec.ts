import { expect } from '../../support/chai';
import { createLogger } from '../../../lib/log';
import { makeMessage } from '../../../lib/messages';
import { createCtiDomain, type Outcome, type Result } from '../../../cti/domain';
import type { AgentEntry, DirectoryData, DirectorySource, QueueEntry } from '../../../cti/app/directory';
import { LiveDirectory } from '../../../cti/app/live-directory';

const queueEntry = (
  id: string,
  extra: Partial<QueueEntry['input']> = {},
  fallbackQueue?: string,
): QueueEntry => ({
  input: { id, channel: 'voice', ringTimeoutMs: 20_000, ...extra },
  ringTimeoutSec: (extra.ringTimeoutMs ?? 20_000) / 1000,
  recording: false,
  ...(fallbackQueue === undefined ? {} : { fallbackQueue }),
});
const agentEntry = (id: string): AgentEntry => ({
  input: { id, skills: {} },
  contact: { id, login: `l${id}`, endpoint: `PJSIP/${id}` },
});

describe('CTI: the live directory applies the AS change events', () => {
  const log = createLogger('test', 'directory');
  let data: DirectoryData;
  const source: DirectorySource = {
    all: () => Promise.resolve(data),
    agent: (id) => Promise.resolve(data.agents.find((a) => a.input.id === id)),
    queues: () => Promise.resolve(data.queues),
    reasons: () => Promise.resolve(data.reasons),
  };
  const change = (entity: 'agent' | 'queue' | 'reason', entityId: string) =>
    makeMessage<'ConfigChanged'>(
      { service: 'as', instance: 'test' },
      {
        type: 'ConfigChanged',
        contactId: `config:${entity}:${entityId}`,
        entity,
        entityId,
        action: 'update',
      },
    );

  function setup() {
    data = { queues: [queueEntry('sales')], agents: [agentEntry('a1')], reasons: ['lunch'] };
    const domain = createCtiDomain({ clock: { now: () => 1_000 } });
    const live = new LiveDirectory({ source, domain, log });
    const applied: string[] = [];
    const apply = (result: Result<Outcome>, what: string) => {
      applied.push(`${what}:${result.ok ? 'ok' : result.error.code}`);
      return Promise.resolve();
    };
    for (const r of live.reconcile(data)) expect(r.result.ok, r.what).to.equal(true);
    return { domain, live, applied, apply };
  }

  it('an agent deleted in the AS leaves CTI and its contact map; one added appears', async () => {
    const { domain, live, applied, apply } = setup();
    data.agents = [agentEntry('a2')];
    await live.changed(change('agent', 'a1'), apply);
    await live.changed(change('agent', 'a2'), apply);
    expect(applied).to.deep.equal(['agent a1 removed:ok', 'agent a2:ok']);
    expect(domain.agentView('a1').ok).to.equal(false);
    expect([...live.contacts.keys()]).to.deep.equal(['a2']);
  });

  it('queues: a changed setting updates the domain and the ring timeout map; a deleted one uses its fallback', async () => {
    const { domain, live, applied, apply } = setup();
    data.queues = [queueEntry('sales', { ringTimeoutMs: 9_000 }), queueEntry('support', {}, 'sales')];
    await live.changed(change('queue', 'x'), apply);
    expect(live.ringTimeoutSec.get('sales')).to.equal(9);
    expect(domain.queueSnapshot('sales')?.config.ringTimeoutMs).to.equal(9_000);
    domain.contactArrived({ contactId: 'c1', queueId: 'support' });
    data.queues = [queueEntry('sales', { ringTimeoutMs: 9_000 })];
    await live.changed(change('queue', 'y'), apply);
    expect(applied).to.deep.equal(['queue sales:ok', 'queue support:ok', 'queue support removed:ok']);
    const view = domain.contactView('c1');
    expect(view.ok && view.value.queueId).to.equal('sales');
    expect(live.queueNames.has('support')).to.equal(false);
  });

  it('the not-ready reasons follow the list', async () => {
    const { live, apply } = setup();
    expect(live.allowsReason('lunch')).to.equal(true);
    expect(live.allowsReason('nap')).to.equal(false);
    data.reasons = ['nap'];
    await live.changed(change('reason', 'r'), apply);
    expect(live.allowsReason('nap')).to.equal(true);
    expect(live.allowsReason('lunch')).to.equal(false);
  });

  it('at start, what the directory no longer has is removed from a restored domain', () => {
    const { domain, live } = setup();
    const results = live.reconcile({ queues: [queueEntry('sales')], agents: [], reasons: [] });
    expect(results.map((r) => r.what)).to.deep.equal(['queue sales', 'agent a1 removed']);
    expect(domain.agentView('a1').ok).to.equal(false);
  });
});
