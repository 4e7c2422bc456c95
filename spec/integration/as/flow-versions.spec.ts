import { expect } from '../../support/chai';
import { AuditLog, IvrFlow, IvrFlowVersion, Outbox, Queue } from '../../../as/models';
import { body, call, setUp, tearDown, type Fixture } from './fixture';

/** Drafts, publish and roll back of IVR flows (as/plugins/admin/flows/versions.ts) on the real store. */
describe('AS IVR flow versions (integration)', () => {
  let f: Fixture;
  let flowId: string;
  const menu = (second: string) => ({
    entry: 'main',
    nodes: [
      {
        id: 'main',
        type: 'menu',
        prompt: 'menu',
        choices: [
          { key: '1', next: 'q1' },
          { key: '2', next: 'q2' },
        ],
        timeoutSec: 5,
        maxRetries: 2,
        default: 'bye',
      },
      { id: 'q1', type: 'queue', queue: 'sales' },
      { id: 'q2', type: 'queue', queue: second },
      { id: 'bye', type: 'hangup', prompt: 'goodbye' },
    ],
    layout: [
      { id: 'main', x: 0, y: 0 },
      { id: 'q1', x: -120, y: 160 },
      { id: 'q2', x: 120, y: 160 },
      { id: 'bye', x: 0, y: 320 },
    ],
  });
  const ivrFlow = async () => call(f, 'GET', '/api/v1/ivr/flows/7301', { token: f.tokens.ivr });
  const outboxFor = async () => Outbox.countDocuments({ entity: 'ivrflow', entityId: flowId });

  before(async () => {
    f = await setUp();
  });
  after(async () => tearDown(f));

  it('creates a flow as a draft only: the IVR does not see it until it is published', async () => {
    const created = await call(f, 'POST', '/api/v1/ivr-flows', {
      token: f.tokens.admin,
      payload: {
        name: 'Editor flow',
        calledNumber: '7301',
        media: 'audio',
        publish: false,
        ...menu('sales'),
      },
    });
    expect(created.statusCode).to.equal(201);
    const flow = body<{ id: string; published: boolean; draft: { entry: string; layout: unknown[] } }>(
      created,
    );
    flowId = flow.id;
    expect(flow.published).to.equal(false);
    expect(flow.draft.layout).to.have.length(4);
    expect((await ivrFlow()).statusCode).to.equal(404);
    const versions = await call(f, 'GET', `/api/v1/ivr-flows/${flowId}/versions`, { token: f.tokens.admin });
    expect(body<unknown[]>(versions)).to.deep.equal([]);
  });

  it('refuses a draft with a dangling menu key, with the path and the reason (400)', async () => {
    const graph = menu('sales');
    const nodes = graph.nodes.map((n) =>
      n.id === 'main'
        ? {
            ...n,
            choices: [
              { key: '1', next: 'q1' },
              { key: '2', next: 'nowhere' },
            ],
          }
        : n,
    );
    const res = await call(f, 'PUT', `/api/v1/ivr-flows/${flowId}/draft`, {
      token: f.tokens.admin,
      payload: { ...graph, nodes },
    });
    expect(res.statusCode).to.equal(400);
    const answer = body<{ message: string; details: { path: string; message: string }[] }>(res);
    expect(answer.message).to.equal('invalid flow: nodes[0].choices[1].next: node "nowhere" does not exist');
    expect(answer.details).to.deep.equal([
      { path: 'nodes[0].choices[1].next', message: 'node "nowhere" does not exist' },
    ]);
  });

  it('publishes the draft as version 1: live for the IVR, audited, announced through the outbox', async () => {
    const outboxBefore = await outboxFor();
    const res = await call(f, 'POST', `/api/v1/ivr-flows/${flowId}/publish`, { token: f.tokens.admin });
    expect(res.statusCode).to.equal(200);
    const flow = body<{ publishedVersion: number; published: boolean; draft?: unknown }>(res);
    expect([flow.publishedVersion, flow.published, flow.draft]).to.deep.equal([1, true, undefined]);
    const live = await ivrFlow();
    expect(live.statusCode).to.equal(200);
    const answer = body<{ entry: string; nodes: { id: string }[]; draft?: unknown; layout?: unknown }>(live);
    expect(answer.nodes.map((n) => n.id)).to.deep.equal(['main', 'q1', 'q2', 'bye']);
    expect([answer.draft, answer.layout]).to.deep.equal([undefined, undefined]);
    expect(await outboxFor()).to.equal(outboxBefore + 1);
    const audit = await AuditLog.find({ entity: 'ivrflow', entityId: flowId }).sort({ at: -1 }).lean();
    expect(audit[0]?.after).to.include({ publishedVersion: 1, published: true });
    expect(audit[0]?.before).to.include({ publishedVersion: null, published: false });
  });

  it('a second publish needs a new draft (409), then becomes version 2; the draft never reaches the IVR', async () => {
    const none = await call(f, 'POST', `/api/v1/ivr-flows/${flowId}/publish`, { token: f.tokens.admin });
    expect(none.statusCode).to.equal(409);
    expect(body(none).message).to.equal('nothing to publish: the flow has no draft');
    const saved = await call(f, 'PUT', `/api/v1/ivr-flows/${flowId}/draft`, {
      token: f.tokens.admin,
      payload: menu('support'),
    });
    expect(saved.statusCode).to.equal(200);
    const queueOfKey2 = async () =>
      body<{ nodes: { id: string; queue?: string }[] }>(await ivrFlow()).nodes.find((n) => n.id === 'q2')
        ?.queue;
    expect(await queueOfKey2()).to.equal('sales');
    const published = await call(f, 'POST', `/api/v1/ivr-flows/${flowId}/publish`, { token: f.tokens.admin });
    expect(body<{ publishedVersion: number }>(published).publishedVersion).to.equal(2);
    expect(await queueOfKey2()).to.equal('support');
    const versions = body<{ version: number; live: boolean; nodeCount: number; publishedBy: string }[]>(
      await call(f, 'GET', `/api/v1/ivr-flows/${flowId}/versions`, { token: f.tokens.supervisor }),
    );
    expect(versions.map((v) => [v.version, v.live, v.nodeCount, v.publishedBy])).to.deep.equal([
      [2, true, 4, f.ids.admin],
      [1, false, 4, f.ids.admin],
    ]);
  });

  it('rolls back to version 1 (live again, same version number, audited, announced); 404 for a version that never was', async () => {
    const outboxBefore = await outboxFor();
    const res = await call(f, 'POST', `/api/v1/ivr-flows/${flowId}/versions/1/rollback`, {
      token: f.tokens.admin,
    });
    expect(res.statusCode).to.equal(200);
    expect(body<{ publishedVersion: number }>(res).publishedVersion).to.equal(1);
    const q2 = body<{ nodes: { id: string; queue?: string }[] }>(await ivrFlow()).nodes.find(
      (n) => n.id === 'q2',
    );
    expect(q2?.queue).to.equal('sales');
    expect(await outboxFor()).to.equal(outboxBefore + 1);
    const one = body<{ version: number; layout: unknown[] }>(
      await call(f, 'GET', `/api/v1/ivr-flows/${flowId}/versions/1`, { token: f.tokens.admin }),
    );
    expect([one.version, one.layout.length]).to.deep.equal([1, 4]);
    const missing = await call(f, 'POST', `/api/v1/ivr-flows/${flowId}/versions/9/rollback`, {
      token: f.tokens.admin,
    });
    expect(missing.statusCode).to.equal(404);
    const live = body<{ version: number; live: boolean }[]>(
      await call(f, 'GET', `/api/v1/ivr-flows/${flowId}/versions`, { token: f.tokens.admin }),
    ).filter((v) => v.live);
    expect(live.map((v) => v.version)).to.deep.equal([1]);
  });

  it('only administrators save drafts, publish and roll back (403 for a supervisor)', async () => {
    for (const [method, url, payload] of [
      ['PUT', `/api/v1/ivr-flows/${flowId}/draft`, menu('sales')],
      ['POST', `/api/v1/ivr-flows/${flowId}/publish`, undefined],
      ['POST', `/api/v1/ivr-flows/${flowId}/versions/1/rollback`, undefined],
      ['DELETE', `/api/v1/ivr-flows/${flowId}/draft`, undefined],
    ] as const) {
      const res = await call(f, method, url, { token: f.tokens.supervisor, payload });
      expect(res.statusCode, `${method} ${url}`).to.equal(403);
    }
  });

  it('PUT keeps its old meaning (live at once) and adds a version; a legacy flow gets its graph kept as version 1', async () => {
    // A flow stored before versions existed: no version fields at all.
    const legacy = await IvrFlow.create({
      name: 'Legacy',
      calledNumber: '7302',
      ...menu('sales'),
      layout: undefined,
    });
    const id = legacy._id.toHexString();
    const res = await call(f, 'PUT', `/api/v1/ivr-flows/${id}`, {
      token: f.tokens.admin,
      payload: { name: 'Legacy', calledNumber: '7302', ...menu('support') },
    });
    expect(res.statusCode).to.equal(200);
    expect(body<{ publishedVersion: number }>(res).publishedVersion).to.equal(2);
    const versions = body<{ version: number; publishedBy: string; live: boolean }[]>(
      await call(f, 'GET', `/api/v1/ivr-flows/${id}/versions`, { token: f.tokens.admin }),
    );
    expect(versions.map((v) => [v.version, v.publishedBy, v.live])).to.deep.equal([
      [2, f.ids.admin, true],
      [1, 'baseline', false],
    ]);
    const back = await call(f, 'POST', `/api/v1/ivr-flows/${id}/versions/1/rollback`, {
      token: f.tokens.admin,
    });
    expect(back.statusCode).to.equal(200);
    const served = body<{ nodes: { id: string; queue?: string }[] }>(
      await call(f, 'GET', '/api/v1/ivr/flows/7302', { token: f.tokens.ivr }),
    );
    expect(served.nodes.find((n) => n.id === 'q2')?.queue).to.equal('sales');
  });

  it('a roll back to a version whose queue is gone is refused with the reason', async () => {
    await call(f, 'PUT', `/api/v1/ivr-flows/${flowId}/draft`, {
      token: f.tokens.admin,
      payload: menu('support'),
    });
    // version 3 names "support" only through q2; remove q2's queue from the store behind the API's back
    await call(f, 'POST', `/api/v1/ivr-flows/${flowId}/publish`, { token: f.tokens.admin });
    await Queue.deleteOne({ name: 'support' });
    const res = await call(f, 'POST', `/api/v1/ivr-flows/${flowId}/versions/3/rollback`, {
      token: f.tokens.admin,
    });
    expect(res.statusCode).to.equal(400);
    expect(body(res).message).to.equal('invalid flow: nodes[2].queue: queue "support" does not exist');
  });

  it('deleting a flow deletes its versions', async () => {
    const del = await call(f, 'DELETE', `/api/v1/ivr-flows/${flowId}`, { token: f.tokens.admin });
    expect(del.statusCode).to.equal(204);
    const versions = await call(f, 'GET', `/api/v1/ivr-flows/${flowId}/versions`, { token: f.tokens.admin });
    expect(versions.statusCode).to.equal(404);
    expect(await IvrFlowVersion.countDocuments({ flowId })).to.equal(0);
  });
});
