import { parsePlaybackId, ariPlaybackId } from '../../../stasis-app/ivr/ari-media';
import { speechText } from '../../../stasis-app/ivr/caller-data';
import { parseQueueMedia } from '../../../stasis-app/ivr/config';
import { defaultFlow, queueFlow } from '../../../stasis-app/ivr/fallback-flows';
import { FlowInvalid, FlowSource, validateFlow } from '../../../stasis-app/ivr/flow-source';
import { expect } from '../../support/chai';

const prompts = new Set(['welcome', 'menu', 'goodbye']);
const good = {
  id: 'f1',
  name: 'demo',
  calledNumber: '100',
  entry: 'welcome',
  nodes: [
    { id: 'welcome', type: 'play', prompt: 'welcome', next: 'main' },
    {
      id: 'main',
      type: 'menu',
      prompt: 'menu',
      choices: [{ key: '1', next: 'sales' }],
      timeoutSec: 5,
      maxRetries: 2,
      default: 'bye',
    },
    { id: 'sales', type: 'queue', queue: 'sales' },
    { id: 'bye', type: 'hangup', prompt: 'goodbye' },
  ],
};

describe('IVR flow source', () => {
  it('accepts a flow the AS sends and keeps only the graph', () => {
    const loaded = validateFlow(good, prompts);
    expect(loaded).to.include({ id: 'f1', name: 'demo' });
    expect(loaded.graph.entry).to.equal('welcome');
    expect(loaded.graph.nodes).to.have.length(4);
  });

  it('refuses a malformed answer with the path of the problem', () => {
    const bad = { ...good, nodes: [{ id: 'x', type: 'dance' }] };
    expect(() => validateFlow(bad, prompts))
      .to.throw(FlowInvalid)
      .with.property('message')
      .that.matches(/nodes/);
  });

  it("refuses a graph the AS's checkFlow refuses: a prompt Asterisk does not have, a missing node", () => {
    const noPrompt = structuredClone(good);
    (noPrompt.nodes[3] as { prompt: string }).prompt = 'not-built';
    expect(() => validateFlow(noPrompt, prompts)).to.throw(FlowInvalid, /prompt "not-built" does not exist/);
    const dangling = structuredClone(good);
    (dangling.nodes[0] as { next: string }).next = 'nowhere';
    expect(() => validateFlow(dangling, prompts)).to.throw(FlowInvalid, /node "nowhere" does not exist/);
  });

  it('caches flows (and "no flow") for the TTL, shares one request, and does not cache failures', async () => {
    let now = 0;
    const asked: string[] = [];
    let fail = false;
    const source = new FlowSource(
      (path) => {
        asked.push(path);
        if (fail) return Promise.reject(new Error('AS down'));
        return Promise.resolve(path.endsWith('/100') ? good : undefined);
      },
      () => Promise.resolve(prompts),
      1000,
      () => now,
    );
    const [a, b] = await Promise.all([source.load('100'), source.load('100')]);
    expect(a).to.equal(b);
    expect(await source.load('999')).to.equal(null);
    expect(asked).to.deep.equal(['/ivr/flows/100', '/ivr/flows/999']);
    now = 1500;
    fail = true;
    await source.load('999').then(
      () => expect.fail('should fail'),
      (err: Error) => expect(err.message).to.equal('AS down'),
    );
    fail = false;
    expect(await source.load('999')).to.equal(null);
    expect(asked).to.have.length(4);
  });

  it('keeps serving the last flow the AS answered with while the AS is down, also after clear()', async () => {
    let fail = false;
    let asked = 0;
    const source = new FlowSource(
      () => {
        asked += 1;
        return fail ? Promise.reject(new Error('AS down')) : Promise.resolve(good);
      },
      () => Promise.resolve(prompts),
      1000,
      () => 0,
    );
    const first = await source.load('100');
    fail = true;
    source.clear();
    expect(await source.load('100')).to.equal(first);
    expect(asked).to.equal(2);
    await source.load('101').then(
      () => expect.fail('a number never loaded has no flow to fall back on'),
      (err: Error) => expect(err.message).to.equal('AS down'),
    );
  });

  it('a flow naming a prompt the cached list lacks reads the prompt directory again (an upload)', async () => {
    const uploaded = structuredClone(good);
    (uploaded.nodes[3] as { prompt: string }).prompt = 'just-uploaded';
    const reads: boolean[] = [];
    const source = new FlowSource(
      () => Promise.resolve(uploaded),
      (fresh = false) => {
        reads.push(fresh);
        return Promise.resolve(fresh ? new Set([...prompts, 'just-uploaded']) : prompts);
      },
      1000,
      () => 0,
    );
    expect((await source.load('100'))?.graph.nodes).to.have.length(4);
    expect(reads).to.deep.equal([false, true]);
  });

  it('fallback flows pass the same graph check', () => {
    expect(() => validateFlow(defaultFlow('welcome', undefined, 'goodbye'), prompts)).to.not.throw();
    expect(() => validateFlow(defaultFlow('welcome', 'sales', 'goodbye'), prompts)).to.not.throw();
    expect(() => validateFlow(queueFlow('sales'), prompts)).to.not.throw();
  });

  it('small helpers: queue media setting, speech text, playback ids', () => {
    const media = parseQueueMedia('sales:sales-loop, vip:vip-loop', 'queue-music');
    expect(media('sales')).to.equal('sales-loop');
    expect(media('support')).to.equal('queue-music');
    expect(() => parseQueueMedia('sales', 'x')).to.throw(/queue:prompt/);
    expect(speechText('last_payment', 42)).to.equal('Your last payment is 42.');
    const id = ariPlaybackId('ipcc-1795593482.22', 'p12');
    expect(parsePlaybackId(id)).to.deep.equal({ channelId: 'ipcc-1795593482.22', playbackId: 'p12' });
    expect(parsePlaybackId('someone-elses')).to.equal(undefined);
  });
});
