import { Agent, AuditLog } from '../../../as/models';
import { FlowTestCallRecord } from '../../../as/plugins/admin/flows/test-call-model';
import { EXCHANGES, routingKeys } from '../../../lib/bus/topology';
import { makeMessage } from '../../../lib/messages';
import { BusObserver, eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { body, call, setUp, tearDown, type Fixture } from './fixture';

/** No SoftACD consumes this key: the command is only observed. */
const SOFTACD = 'flowspec-nobody';

const graph = (prompt: string) => ({
  entry: 'hello',
  nodes: [
    { id: 'hello', type: 'play', prompt, next: 'bye' },
    { id: 'bye', type: 'hangup' },
  ],
});

/**
 * The flow editor's test call on the AS (as/plugins/admin/flows/test-calls.ts): the draft copied under a
 * random id, FlowTestCall sent on the real RabbitMQ (as as/main.ts does, to a SoftACD key nobody
 * consumes), audited, and the copy readable on interface D by the IVR only, until it expires.
 */
describe('AS IVR flow test call (integration)', () => {
  let f: Fixture;
  const bus = new BusObserver();
  let flowId = '';

  before(async () => {
    await bus.start([EXCHANGES.commands]);
    f = await setUp({
      testCalls: {
        send: async (draft) => {
          const message = makeMessage<'FlowTestCall'>({ service: 'as', instance: 'spec' }, draft);
          bus.channel!.publish(
            EXCHANGES.commands,
            routingKeys.softacd(SOFTACD),
            Buffer.from(JSON.stringify(message)),
          );
          return Promise.resolve();
        },
        ringTimeoutSec: 20,
        ttlMs: 60_000,
      },
    });
    const created = await call(f, 'POST', '/api/v1/ivr-flows', {
      token: f.tokens.admin,
      payload: { name: 'Test call flow', calledNumber: '7321', ...graph('welcome') },
    });
    expect(created.statusCode).to.equal(201);
    flowId = body<{ id: string }>(created).id;
  });
  after(async () => {
    await tearDown(f);
    await bus.stop();
  });

  const testCall = (token: string) => call(f, 'POST', `/api/v1/ivr-flows/${flowId}/test-call`, { token });

  it('is for administrators only (403 for a supervisor)', async () => {
    expect((await testCall(f.tokens.supervisor)).statusCode).to.equal(403);
  });

  it('refuses a flow without a draft, then an administrator without a browser softphone (409)', async () => {
    const none = await testCall(f.tokens.admin);
    expect([none.statusCode, body(none).message]).to.deep.equal([
      409,
      'nothing to test: the flow has no draft (save one first)',
    ]);
    const saved = await call(f, 'PUT', `/api/v1/ivr-flows/${flowId}/draft`, {
      token: f.tokens.admin,
      payload: graph('menu'),
    });
    expect(saved.statusCode).to.equal(200);
    const noPhone = await testCall(f.tokens.admin);
    expect(noPhone.statusCode).to.equal(409);
    expect(body(noPhone).message).to.match(/no browser softphone/);
  });

  it("rings the administrator's softphone: the draft copied, FlowTestCall sent, audited; the IVR reads the draft by its id only", async () => {
    await Agent.updateOne({ _id: f.ids.admin }, { $set: { 'endpoints.webrtc': 'PJSIP/webrtc-root' } });
    const res = await testCall(f.tokens.admin);
    expect(res.statusCode).to.equal(201);
    const started = body<{ testCallId: string; contactId: string; endpoint: string; calledNumber: string }>(
      res,
    );
    expect([started.endpoint, started.calledNumber]).to.deep.equal(['PJSIP/webrtc-root', '7321']);

    const sent = await eventually('FlowTestCall on cc.commands', () =>
      bus.seen.find((s) => s.body.type === 'FlowTestCall' && s.body.testCallId === started.testCallId),
    );
    expect(sent.routingKey).to.equal(`softacd.${SOFTACD}`);
    expect(sent.body).to.include({
      contactId: started.contactId,
      endpoint: 'PJSIP/webrtc-root',
      calledNumber: '7321',
      requestedBy: f.ids.admin,
      ringTimeoutSec: 20,
    });
    const audit = await AuditLog.findOne({ entity: 'ivrflow', entityId: flowId, action: 'start' }).lean();
    expect((audit?.after as { testCall: { testCallId: string } }).testCall.testCallId).to.equal(
      started.testCallId,
    );

    // Interface D: the IVR gets the draft (prompt "menu"), callers of 7321 still the published flow.
    const draft = await call(f, 'GET', `/api/v1/ivr/test-calls/${started.testCallId}`, {
      token: f.tokens.ivr,
    });
    expect(draft.statusCode).to.equal(200);
    const d = body<{ id: string; name: string; draft: boolean; nodes: { prompt?: string }[] }>(draft);
    expect([d.id, d.name, d.draft, d.nodes[0]?.prompt]).to.deep.equal([
      flowId,
      'Test call flow (draft)',
      true,
      'menu',
    ]);
    const live = await call(f, 'GET', '/api/v1/ivr/flows/7321', { token: f.tokens.ivr });
    expect(body<{ nodes: { prompt?: string }[] }>(live).nodes[0]?.prompt).to.equal('welcome');

    // Nobody else reads a draft there: an administrator's token is refused, an unknown id is 404.
    const asAdmin = await call(f, 'GET', `/api/v1/ivr/test-calls/${started.testCallId}`, {
      token: f.tokens.admin,
    });
    expect(asAdmin.statusCode).to.equal(403);
    const unknown = await call(f, 'GET', '/api/v1/ivr/test-calls/00000000-0000-4000-8000-000000000000', {
      token: f.tokens.ivr,
    });
    expect(unknown.statusCode).to.equal(404);
    const flowIdAsKey = await call(f, 'GET', `/api/v1/ivr/test-calls/${flowId}`, { token: f.tokens.ivr });
    expect(flowIdAsKey.statusCode).to.equal(400);

    // Expired: gone for the IVR too.
    await FlowTestCallRecord.updateOne({ _id: started.testCallId }, { $set: { expiresAt: new Date(0) } });
    const expired = await call(f, 'GET', `/api/v1/ivr/test-calls/${started.testCallId}`, {
      token: f.tokens.ivr,
    });
    expect(expired.statusCode).to.equal(404);
  });
});
