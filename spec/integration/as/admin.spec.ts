import { expect } from '../../support/chai';
import { AgentState, AuditLog } from '../../../as/models';
import { demoFlow } from '../../../as/seed-data';
import { body, call, PASSWORD, setUp, tearDown, type Fixture } from './fixture';

describe('AS administration (integration)', () => {
  let f: Fixture;
  before(async () => {
    f = await setUp();
  });
  after(async () => tearDown(f));

  describe('agents', () => {
    it('supervisors and admins list agents (no password hashes); agents are refused', async () => {
      const res = await call(f, 'GET', '/api/v1/agents', { token: f.tokens.supervisor });
      expect(res.statusCode).to.equal(200);
      const agents = body<Record<string, unknown>[]>(res);
      expect(agents.map((a) => a.login)).to.deep.equal(['a1001', 'b1002', 'root', 'super']);
      expect(agents.every((a) => !('passwordHash' in a))).to.equal(true);
      expect((await call(f, 'GET', '/api/v1/agents', { token: f.tokens.agentA })).statusCode).to.equal(403);
      expect(
        (await call(f, 'GET', `/api/v1/agents/${f.ids.agentB}`, { token: f.tokens.agentA })).statusCode,
      ).to.equal(403);
      expect(
        (await call(f, 'GET', `/api/v1/agents/${f.ids.agentB}`, { token: f.tokens.supervisor })).statusCode,
      ).to.equal(200);
    });

    it('create, update, delete are admin-only and audited; the new agent can log in', async () => {
      const payload = {
        login: 'c1003',
        password: 'a-long-enough-password',
        displayName: 'Carla',
        roles: ['agent'],
        skills: [{ name: 'sales', level: 4 }],
        endpoints: { sip: 'PJSIP/agent1003', webrtc: 'PJSIP/webrtc1003' },
        maxTasks: { voice: 1, email: 5 },
      };
      expect(
        (await call(f, 'POST', '/api/v1/agents', { token: f.tokens.supervisor, payload })).statusCode,
      ).to.equal(403);
      const created = await call(f, 'POST', '/api/v1/agents', { token: f.tokens.admin, payload });
      expect(created.statusCode).to.equal(201);
      const id = body<{ id: string }>(created).id;
      expect(body(created)).to.not.have.property('passwordHash');
      const login = await call(f, 'POST', '/api/v1/auth/login', {
        payload: { login: 'c1003', password: 'a-long-enough-password' },
      });
      expect(login.statusCode).to.equal(200);

      const dup = await call(f, 'POST', '/api/v1/agents', { token: f.tokens.admin, payload });
      expect(dup.statusCode).to.equal(409);

      const updated = await call(f, 'PATCH', `/api/v1/agents/${id}`, {
        token: f.tokens.admin,
        payload: { displayName: 'Carla B', password: 'another-long-password' },
      });
      expect(updated.statusCode).to.equal(200);
      expect(body(updated).displayName).to.equal('Carla B');
      expect(
        (await call(f, 'DELETE', `/api/v1/agents/${id}`, { token: f.tokens.admin })).statusCode,
      ).to.equal(204);
      expect(
        (await call(f, 'DELETE', `/api/v1/agents/${id}`, { token: f.tokens.admin })).statusCode,
      ).to.equal(404);

      const audit = await AuditLog.find({ entity: 'agent', entityId: id }).sort({ at: 1 }).lean();
      expect(audit.map((a) => a.action)).to.deep.equal(['create', 'update', 'delete']);
      expect(audit.every((a) => a.actor === f.ids.admin)).to.equal(true);
      expect(JSON.stringify(audit)).to.not.contain('scrypt$');
      expect((audit[1]?.after as { passwordChanged?: boolean }).passwordChanged).to.equal(true);
    });

    it('refuses roles, fields and values outside the schema', async () => {
      const base = { login: 'd1', password: 'a-long-enough-password', displayName: 'D', roles: ['agent'] };
      for (const bad of [
        { ...base, roles: ['ivr'] },
        { ...base, roles: ['root'] },
        { ...base, password: 'short' },
        { ...base, login: 'Bad Login' },
        { ...base, passwordHash: 'scrypt$...' },
        { ...base, endpoints: { sip: 'SIP/x;evil' } },
        { ...base, skills: [{ name: 'sales', level: 11 }] },
      ]) {
        const res = await call(f, 'POST', '/api/v1/agents', { token: f.tokens.admin, payload: bad });
        expect(res.statusCode, JSON.stringify(bad)).to.equal(400);
      }
    });

    it('an administrator cannot delete or demote itself', async () => {
      expect(
        (await call(f, 'DELETE', `/api/v1/agents/${f.ids.admin}`, { token: f.tokens.admin })).statusCode,
      ).to.equal(409);
      const demote = await call(f, 'PATCH', `/api/v1/agents/${f.ids.admin}`, {
        token: f.tokens.admin,
        payload: { roles: ['agent'] },
      });
      expect(demote.statusCode).to.equal(409);
    });

    it("supervisors read an agent's state history", async () => {
      await AgentState.insertMany([
        { agentId: f.ids.agentA, state: 'Ready', at: new Date('2026-02-01T09:00:00Z') },
        { agentId: f.ids.agentA, state: 'NotReady', reason: 'break', at: new Date('2026-02-01T09:30:00Z') },
      ]);
      const res = await call(
        f,
        'GET',
        `/api/v1/agents/${f.ids.agentA}/states?from=2026-02-01T09:10:00Z&to=2026-02-01T10:00:00Z`,
        { token: f.tokens.supervisor },
      );
      expect(res.statusCode).to.equal(200);
      expect(body<{ state: string; reason: string }[]>(res)).to.have.length(1);
      const noRange = await call(f, 'GET', `/api/v1/agents/${f.ids.agentA}/states`, {
        token: f.tokens.supervisor,
      });
      expect(noRange.statusCode).to.equal(400);
    });
  });

  describe('queues, prompts and IVR flows', () => {
    let flowId: string;

    it('creates a queue with the fields the CTI needs; refuses unknown media and bad values', async () => {
      const res = await call(f, 'POST', '/api/v1/queues', {
        token: f.tokens.admin,
        payload: {
          name: 'billing',
          skills: [{ name: 'billing', minLevel: 2 }],
          priority: 3,
          selectionPolicy: 'least-calls',
          ringTimeoutSec: 15,
          wrapUpSec: 20,
          queueTimeoutSec: 120,
          timeoutAction: 'release',
          serviceLevelSec: 15,
          media: { music: 'queue-music' },
          recording: true,
        },
      });
      expect(res.statusCode).to.equal(201);
      expect(body(res)).to.include({
        name: 'billing',
        selectionPolicy: 'least-calls',
        timeoutAction: 'release',
      });
      const noMedia = await call(f, 'POST', '/api/v1/queues', {
        token: f.tokens.admin,
        payload: { name: 'x1', media: { music: 'nope' } },
      });
      expect(noMedia.statusCode).to.equal(400);
      expect(body(noMedia).message).to.equal('prompt "nope" does not exist');
      const badPolicy = await call(f, 'POST', '/api/v1/queues', {
        token: f.tokens.admin,
        payload: { name: 'x2', selectionPolicy: 'random' },
      });
      expect(badPolicy.statusCode).to.equal(400);
      expect(
        (await call(f, 'POST', '/api/v1/queues', { token: f.tokens.supervisor, payload: { name: 'x3' } }))
          .statusCode,
      ).to.equal(403);
      const list = await call(f, 'GET', '/api/v1/queues', { token: f.tokens.supervisor });
      expect(body<{ name: string }[]>(list).map((q) => q.name)).to.deep.equal([
        'billing',
        'sales',
        'support',
      ]);
    });

    it('refuses a flow that references a missing prompt, queue or node, with the reasons', async () => {
      const broken = {
        ...demoFlow,
        calledNumber: '200',
        nodes: demoFlow.nodes.map((n) =>
          n.id === 'to-sales'
            ? { ...n, queue: 'nosuchqueue' }
            : n.id === 'welcome'
              ? { ...n, next: 'ghost' }
              : n,
        ),
      };
      const res = await call(f, 'POST', '/api/v1/ivr-flows', { token: f.tokens.admin, payload: broken });
      expect(res.statusCode).to.equal(400);
      const details = body<{ message: string; details: { path: string; message: string }[] }>(res);
      expect(details.message).to.equal(
        'invalid flow: nodes[0].next: node "ghost" does not exist (and 1 more)',
      );
      expect(details.details).to.deep.equal([
        { path: 'nodes[0].next', message: 'node "ghost" does not exist' },
        { path: 'nodes[2].queue', message: 'queue "nosuchqueue" does not exist' },
      ]);
      const shape = await call(f, 'POST', '/api/v1/ivr-flows', {
        token: f.tokens.admin,
        payload: { ...demoFlow, nodes: [{ id: 'a', type: 'menu', prompt: 'menu' }] },
      });
      expect(shape.statusCode).to.equal(400);
      expect(body(shape).message).to.contain('"nodes[0].choices" is required');
    });

    it('checks a graph without saving it', async () => {
      const res = await call(f, 'POST', '/api/v1/ivr-flows/check', {
        token: f.tokens.admin,
        payload: { entry: 'a', nodes: [{ id: 'a', type: 'play', prompt: 'welcome', next: 'a' }] },
      });
      expect(res.statusCode).to.equal(200);
      expect(body<{ errors: { message: string }[] }>(res).errors[0]?.message).to.contain('loop forever');
    });

    it('creates, reads, replaces and deletes a valid flow (audited)', async () => {
      const created = await call(f, 'POST', '/api/v1/ivr-flows', {
        token: f.tokens.admin,
        payload: demoFlow,
      });
      expect(created.statusCode).to.equal(201);
      flowId = body<{ id: string }>(created).id;
      const dup = await call(f, 'POST', '/api/v1/ivr-flows', { token: f.tokens.admin, payload: demoFlow });
      expect(dup.statusCode).to.equal(409);
      const read = await call(f, 'GET', `/api/v1/ivr-flows/${flowId}`, { token: f.tokens.supervisor });
      expect(body<{ nodes: unknown[] }>(read).nodes).to.deep.equal(demoFlow.nodes);
      const replaced = await call(f, 'PUT', `/api/v1/ivr-flows/${flowId}`, {
        token: f.tokens.admin,
        payload: { ...demoFlow, name: 'Renamed' },
      });
      expect(replaced.statusCode).to.equal(200);
      expect(body(replaced).name).to.equal('Renamed');
      expect(await AuditLog.countDocuments({ entity: 'ivrflow', entityId: flowId })).to.equal(2);
    });

    it('refuses to delete or rename a queue or prompt that a flow uses', async () => {
      const del = await call(f, 'DELETE', `/api/v1/queues/${f.ids.sales}`, { token: f.tokens.admin });
      expect(del.statusCode).to.equal(409);
      expect(body(del).details).to.deep.equal({ flows: ['Renamed'] });
      const rename = await call(f, 'PATCH', `/api/v1/queues/${f.ids.sales}`, {
        token: f.tokens.admin,
        payload: { name: 'sales2' },
      });
      expect(rename.statusCode).to.equal(409);
      const prompts = body<{ id: string; name: string }[]>(
        await call(f, 'GET', '/api/v1/prompts', { token: f.tokens.admin }),
      );
      const music = prompts.find((p) => p.name === 'queue-music');
      const delPrompt = await call(f, 'DELETE', `/api/v1/prompts/${music?.id}`, { token: f.tokens.admin });
      expect(delPrompt.statusCode).to.equal(409);
      expect(body(delPrompt).details).to.deep.equal({ flows: [], queues: ['billing', 'sales'] });
    });

    it('prompts: create, update, delete an unused one (audited)', async () => {
      const created = await call(f, 'POST', '/api/v1/prompts', {
        token: f.tokens.admin,
        payload: { name: 'holiday', description: 'Closed today', formats: ['ulaw', 'vp8'] },
      });
      expect(created.statusCode).to.equal(201);
      const id = body<{ id: string }>(created).id;
      expect(
        (
          await call(f, 'PATCH', `/api/v1/prompts/${id}`, {
            token: f.tokens.admin,
            payload: { formats: ['ulaw'] },
          })
        ).statusCode,
      ).to.equal(200);
      expect(
        (await call(f, 'DELETE', `/api/v1/prompts/${id}`, { token: f.tokens.admin })).statusCode,
      ).to.equal(204);
      expect((await call(f, 'GET', `/api/v1/prompts/${id}`, { token: f.tokens.admin })).statusCode).to.equal(
        404,
      );
      const badName = await call(f, 'POST', '/api/v1/prompts', {
        token: f.tokens.admin,
        payload: { name: '../etc/passwd' },
      });
      expect(badName.statusCode).to.equal(400);
    });

    it('queues: update and delete an unused one; the flow can be deleted first', async () => {
      expect(
        (await call(f, 'DELETE', `/api/v1/ivr-flows/${flowId}`, { token: f.tokens.admin })).statusCode,
      ).to.equal(204);
      const upd = await call(f, 'PATCH', `/api/v1/queues/${f.ids.support}`, {
        token: f.tokens.admin,
        payload: { wrapUpSec: 45 },
      });
      expect(upd.statusCode).to.equal(200);
      expect(body(upd).wrapUpSec).to.equal(45);
      expect(
        (await call(f, 'DELETE', `/api/v1/queues/${f.ids.support}`, { token: f.tokens.admin })).statusCode,
      ).to.equal(204);
      expect(
        (await call(f, 'GET', `/api/v1/queues/${f.ids.support}`, { token: f.tokens.admin })).statusCode,
      ).to.equal(404);
    });

    it('audit log: admins read it newest first, filtered; others are refused', async () => {
      const res = await call(f, 'GET', '/api/v1/audit-log?entity=queue', { token: f.tokens.admin });
      expect(res.statusCode).to.equal(200);
      const rows = body<{ action: string; entity: string }[]>(res);
      expect(rows.map((r) => r.action)).to.deep.equal(['delete', 'update', 'create']);
      expect((await call(f, 'GET', '/api/v1/audit-log', { token: f.tokens.supervisor })).statusCode).to.equal(
        403,
      );
      expect(
        (await call(f, 'GET', '/api/v1/audit-log?entity=$ne', { token: f.tokens.admin })).statusCode,
      ).to.equal(400);
    });
  });

  it('the admin login used by the fixture works with the fixture password', async () => {
    const res = await call(f, 'POST', '/api/v1/auth/login', {
      payload: { login: 'root', password: PASSWORD },
    });
    expect(res.statusCode).to.equal(200);
  });
});
