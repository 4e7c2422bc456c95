import { expect } from '../../support/chai';
import { ApiError, AsApi } from '../../../agent-ui/src/adapters/as-api';
import { FlowRefused, FlowsApi } from '../../../agent-ui/src/adapters/flows-api';

/** An AsApi whose fetch answers every request with `status` and `body`, and records what was asked. */
function apiAnswering(status: number, body: unknown) {
  const asked: { method: string; url: string; body: unknown }[] = [];
  const fetchImpl = ((url: string, init: RequestInit) => {
    asked.push({
      method: String(init.method),
      url,
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    });
    return Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), { status }));
  }) as typeof fetch;
  return { api: new FlowsApi(new AsApi('', fetchImpl)), asked };
}

const graph = { entry: 'a', nodes: [{ id: 'a', type: 'hangup' as const }] };

describe('flow editor AS calls (agent-ui/src/adapters/flows-api)', () => {
  it('sends the draft with its layout, and a new flow as a draft (publish: false)', async () => {
    const { api, asked } = apiAnswering(200, {});
    await api.saveDraft('f1', graph, [{ id: 'a', x: 1, y: 2 }]);
    await api.create({ name: 'N', calledNumber: '7150', media: 'audio' }, graph);
    expect(asked).to.deep.equal([
      {
        method: 'PUT',
        url: '/api/v1/ivr-flows/f1/draft',
        body: { ...graph, layout: [{ id: 'a', x: 1, y: 2 }] },
      },
      {
        method: 'POST',
        url: '/api/v1/ivr-flows',
        body: { name: 'N', calledNumber: '7150', media: 'audio', ...graph, publish: false },
      },
    ]);
  });

  it("a refused save (400) is FlowRefused with the AS's problems, or the message's own path", async () => {
    const message = 'invalid flow: nodes[3].choices[1].key: key "1" is used twice';
    const path = 'nodes[3].choices[1].key';
    const withDetails = apiAnswering(400, { message, details: [{ path, message: 'key "1" is used twice' }] });
    const err = await withDetails.api.saveDraft('f1', graph, []).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(FlowRefused);
    // The session's client keeps `details` once it does; until then the message's path places it.
    const problems = (err as FlowRefused).problems;
    expect(problems.map((p) => p.path)).to.deep.equal([path]);
    const bare = apiAnswering(400, { message });
    const err2 = (await bare.api.publish('f1').catch((e: unknown) => e)) as FlowRefused;
    expect(err2.problems).to.deep.equal([{ path, message }]);
  });

  it('other failures stay ApiErrors; a list the AS lacks (404) is empty', async () => {
    const conflict = apiAnswering(409, { message: 'nothing to publish: the flow has no draft' });
    const err = await conflict.api.publish('f1').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ApiError);
    expect(err).not.to.be.instanceOf(FlowRefused);
    expect((err as ApiError).status).to.equal(409);
    expect(
      await apiAnswering(404, { message: 'Not Found' }).api.names('/api/v1/business-hours'),
    ).to.deep.equal([]);
    expect(
      await apiAnswering(200, [{ name: 'support' }, { name: 'sales' }]).api.names('/api/v1/queues'),
    ).to.deep.equal(['sales', 'support']);
    expect(
      await apiAnswering(200, { items: [{ name: 'welcome' }] }).api.names('/api/v1/prompts'),
    ).to.deep.equal(['welcome']);
  });

  it('asks for a test call and a discarded draft on the flow; a softphone-less test call stays a 409 ApiError', async () => {
    const started = { testCallId: 't', contactId: 'c', endpoint: 'PJSIP/webrtc-admin', calledNumber: '7152' };
    const ok = apiAnswering(201, started);
    expect(await ok.api.testCall('f1')).to.deep.equal(started);
    const gone = apiAnswering(204, undefined);
    await gone.api.discardDraft('f1');
    expect([...ok.asked, ...gone.asked].map((a) => `${a.method} ${a.url}`)).to.deep.equal([
      'POST /api/v1/ivr-flows/f1/test-call',
      'DELETE /api/v1/ivr-flows/f1/draft',
    ]);
    const refused = apiAnswering(409, { message: 'you have no browser softphone (endpoints.webrtc)' });
    const err = await refused.api.testCall('f1').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ApiError);
    expect((err as ApiError).status).to.equal(409);
  });
});
