import { expect } from '../../support/chai';
import { AuditLog, NotReadyReason, Outbox } from '../../../as/models';
import { body, call, setUp, tearDown, type Fixture } from './fixture';

/**
 * The AS side of live changes: every directory change leaves an outbox record (pending here: these
 * tests run the server without a bus, so nothing publishes); not-ready reasons and queue fallbacks.
 */
describe('AS live changes: outbox records, not-ready reasons, queue fallback (integration)', () => {
  let f: Fixture;
  before(async () => {
    f = await setUp();
  });
  after(async () => tearDown(f));

  it('each create, update and delete of an agent, queue or reason writes one outbox record', async () => {
    await Outbox.deleteMany({});
    const admin = { token: f.tokens.admin };
    const agent = await call(f, 'POST', '/api/v1/agents', {
      ...admin,
      payload: { login: 'live1', password: 'a-long-enough-password', displayName: 'Live', roles: ['agent'] },
    });
    expect(agent.statusCode).to.equal(201);
    const agentId = body(agent).id as string;
    expect(
      (await call(f, 'PATCH', `/api/v1/agents/${agentId}`, { ...admin, payload: { active: false } }))
        .statusCode,
    ).to.equal(200);
    expect((await call(f, 'DELETE', `/api/v1/agents/${agentId}`, admin)).statusCode).to.equal(204);
    const queue = await call(f, 'POST', '/api/v1/queues', { ...admin, payload: { name: 'live-q' } });
    expect(queue.statusCode).to.equal(201);
    const reason = await call(f, 'POST', '/api/v1/not-ready-reasons', {
      ...admin,
      payload: { name: 'nap', label: 'Nap' },
    });
    expect(reason.statusCode).to.equal(201);
    const rows = await Outbox.find().sort({ createdAt: 1 }).lean();
    expect(
      rows.map((r) => `${r.entity}:${r.action}:${r.sentAt === undefined ? 'pending' : 'sent'}`),
    ).to.deep.equal([
      'agent:create:pending',
      'agent:update:pending',
      'agent:delete:pending',
      'queue:create:pending',
      'reason:create:pending',
    ]);
    expect(rows[0]?.entityId).to.equal(agentId);
    // A queue is named by its name on the bus, as in the store and the reports.
    expect(rows[3]?.entityId).to.equal('live-q');
  });

  it('not-ready reasons: everyone reads the list, only admins change it (audited)', async () => {
    await NotReadyReason.deleteMany({ name: { $in: ['meeting', 'coaching'] } });
    const created = await call(f, 'POST', '/api/v1/not-ready-reasons', {
      token: f.tokens.admin,
      payload: { name: 'coaching', label: 'Coaching' },
    });
    expect(created.statusCode).to.equal(201);
    const id = body(created).id as string;
    const asAgent = await call(f, 'GET', '/api/v1/not-ready-reasons', { token: f.tokens.agentA });
    expect(asAgent.statusCode).to.equal(200);
    expect(body<Array<{ name: string }>>(asAgent).map((r) => r.name)).to.include('coaching');
    expect(
      (
        await call(f, 'POST', '/api/v1/not-ready-reasons', {
          token: f.tokens.supervisor,
          payload: { name: 'x', label: 'X' },
        })
      ).statusCode,
    ).to.equal(403);
    expect(
      (
        await call(f, 'POST', '/api/v1/not-ready-reasons', {
          token: f.tokens.admin,
          payload: { name: 'Bad Name', label: 'X' },
        })
      ).statusCode,
    ).to.equal(400);
    const renamed = await call(f, 'PATCH', `/api/v1/not-ready-reasons/${id}`, {
      token: f.tokens.admin,
      payload: { label: 'Coaching session' },
    });
    expect(body(renamed)).to.include({ name: 'coaching', label: 'Coaching session' });
    expect(
      (await call(f, 'DELETE', `/api/v1/not-ready-reasons/${id}`, { token: f.tokens.admin })).statusCode,
    ).to.equal(204);
    const audited = await AuditLog.find({ entity: 'reason', entityId: id }).sort({ at: 1 }).lean();
    expect(audited.map((a) => a.action)).to.deep.equal(['create', 'update', 'delete']);
  });

  it('a queue fallback must be another existing queue; a queue that is a fallback cannot be deleted', async () => {
    const admin = { token: f.tokens.admin };
    const missing = await call(f, 'POST', '/api/v1/queues', {
      ...admin,
      payload: { name: 'overflow', fallbackQueue: 'nowhere' },
    });
    expect(missing.statusCode).to.equal(400);
    const self = await call(f, 'POST', '/api/v1/queues', {
      ...admin,
      payload: { name: 'overflow', fallbackQueue: 'overflow' },
    });
    expect(self.statusCode).to.equal(400);
    const ok = await call(f, 'POST', '/api/v1/queues', {
      ...admin,
      payload: { name: 'overflow', fallbackQueue: 'sales' },
    });
    expect(ok.statusCode).to.equal(201);
    expect(body(ok)).to.include({ fallbackQueue: 'sales' });
    const refused = await call(f, 'DELETE', `/api/v1/queues/${f.ids.sales}`, admin);
    expect(refused.statusCode).to.equal(409);
    expect(String(body(refused).message)).to.contain('fallback');
    expect((await call(f, 'DELETE', `/api/v1/queues/${body(ok).id as string}`, admin)).statusCode).to.equal(
      204,
    );
  });
});
