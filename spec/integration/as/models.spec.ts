import mongoose from 'mongoose';
import { expect } from '../../support/chai';
import {
  Agent,
  AgentState,
  Customer,
  DispositionCode,
  Interaction,
  IvrFlow,
  NotReadyReason,
  Prompt,
  Queue,
} from '../../../as/models';
import { listEndpoints } from '../../../as/outbox/endpoints';
import { seed } from '../../../as/seed';
import { demoAgents } from '../../../as/seed-data';
import { renderAgentEndpoints } from '../../../stasis-app/provisioning/agent-endpoints';
import { call, setUp, tearDown, type Fixture } from './fixture';

async function validationError(doc: { validate(): Promise<void> }): Promise<string[]> {
  try {
    await doc.validate();
    return [];
  } catch (err) {
    return Object.keys((err as mongoose.Error.ValidationError).errors).sort();
  }
}

describe('AS models, seed and store outage (integration)', () => {
  let f: Fixture;
  before(async () => {
    f = await setUp();
  });
  after(async () => tearDown(f));

  it('model validation refuses what the CTI or an admin must never store', async () => {
    expect(
      await validationError(
        new Interaction({ _id: 'x', direction: 'sideways', from: 'a', to: 'b', state: 's' }),
      ),
    ).to.deep.equal(['channel', 'direction']);
    expect(await validationError(new Customer({ phones: ['0199000001'] }))).to.deep.equal(['phones.0']);
    expect(
      await validationError(new Agent({ login: 'x', passwordHash: 'h', displayName: 'X', roles: ['ivr'] })),
    ).to.deep.equal(['roles.0']);
    expect(
      await validationError(new Queue({ name: 'Bad Name', selectionPolicy: 'random', ringTimeoutSec: 1 })),
    ).to.deep.equal(['name', 'ringTimeoutSec', 'selectionPolicy']);
    expect(await validationError(new AgentState({ agentId: 'a', state: 'Ready' }))).to.deep.equal(['at']);
    expect(() => new Prompt({ name: 'ok', colour: 'red' })).to.throw(/not in schema/);
  });

  it('unique indexes hold on the store (login, queue name, called number)', async () => {
    await expectDuplicate(() =>
      Agent.create({ login: 'a1001', passwordHash: 'h', displayName: 'X', roles: ['agent'] }),
    );
    await expectDuplicate(() => Queue.create({ name: 'sales' }));
    await IvrFlow.create({
      name: 'a',
      calledNumber: '555',
      entry: 'x',
      nodes: [{ id: 'x', type: 'hangup' }],
    });
    await expectDuplicate(() =>
      IvrFlow.create({ name: 'b', calledNumber: '555', entry: 'x', nodes: [{ id: 'x', type: 'hangup' }] }),
    );
  });

  it("a fresh seed gives the administrator a browser softphone, generated like the agents' phones", async () => {
    // This test's database has no `admin` before the seed (the fixture's administrator is `root`).
    expect(await Agent.countDocuments({ login: 'admin' })).to.equal(0);
    await seed('seed-password-for-tests');
    const admin = await Agent.findOne({ login: 'admin' }).lean();
    expect(admin?.roles).to.deep.equal(['admin']);
    expect(admin?.endpoints).to.deep.equal({ webrtc: 'PJSIP/webrtc-admin' });
    // What scripts/agent-endpoints.ts writes at provisioning and SoftACD on every agent change.
    const listed = await listEndpoints();
    expect(listed.filter((e) => e.login === 'admin')).to.deep.equal([
      { login: 'admin', webrtc: 'PJSIP/webrtc-admin' },
    ]);
    const conf = renderAgentEndpoints(listed, 'test-secret');
    expect(conf).to.include('\n[webrtc-admin](agent-webrtc)\nauth = webrtc-admin\naors = webrtc-admin\n');
    expect(conf).to.include('\n[webrtc-admin]\ntype = aor\n');
  });

  it('the seed loads the demo tenant and is idempotent', async () => {
    const counts = async () =>
      Promise.all([Agent, Queue, Prompt, IvrFlow, Customer].map((m) => (m as typeof Agent).countDocuments()));
    await seed('seed-password-for-tests');
    const first = await counts();
    await seed('seed-password-for-tests');
    expect(await counts()).to.deep.equal(first);
    const agent = await Agent.findOne({ login: demoAgents[0]?.login }).lean();
    expect(agent?.endpoints?.sip).to.equal('PJSIP/agent1001');
    expect(agent?.endpoints?.webrtc).to.equal('PJSIP/webrtc1001');
    const flow = await IvrFlow.findOne({ calledNumber: '100' }).lean();
    expect(flow?.media).to.equal('video');
    const login = await call(f, 'POST', '/api/v1/auth/login', {
      payload: { login: '1001', password: 'seed-password-for-tests' },
    });
    expect(login.statusCode).to.equal(200);
  });

  it('the seed fills an empty disposition list and leaves a managed one alone', async () => {
    await DispositionCode.deleteMany({});
    await seed('seed-password-for-tests');
    const names = async () => (await DispositionCode.find().sort({ name: 1 }).lean()).map((d) => d.name);
    expect(await names()).to.deep.equal([
      'callback-requested',
      'follow-up',
      'no-sale',
      'resolved',
      'sale',
      'wrong-number',
    ]);
    await DispositionCode.deleteOne({ name: 'sale' });
    await seed('seed-password-for-tests');
    expect(await names()).not.to.include('sale');
    expect(await NotReadyReason.countDocuments()).to.equal(5);
  });

  it('answers 503 at once, without buffering, while the store is down', async () => {
    // The same URI as the fixture's (credentials and options from MONGODB_URI), this test's database.
    const uri = new URL(process.env.MONGODB_URI ?? '');
    uri.pathname = `/${mongoose.connection.name}`;
    await mongoose.disconnect();
    try {
      const started = Date.now();
      const res = await call(f, 'GET', '/api/v1/queues', { token: f.tokens.supervisor });
      expect(res.statusCode).to.equal(503);
      expect(Date.now() - started).to.be.lessThan(2000);
    } finally {
      await mongoose.connect(uri.toString(), { bufferCommands: false });
    }
  });
});

async function expectDuplicate(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (err) {
    expect((err as { code?: number }).code).to.equal(11000);
    return;
  }
  expect.fail('duplicate accepted');
}
