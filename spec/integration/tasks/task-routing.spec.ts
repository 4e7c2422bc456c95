import { EXCHANGES } from '../../../lib/bus/topology';
import { agentIdOf, registerPhone } from '../../support/agents';
import { AsApi } from '../../support/as-api';
import { demoPassword } from '../../support/browser';
import { BusObserver, eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { service } from '../../support/cti-restart';
import { requireSystem } from '../../support/servers';
import { sipp } from '../../support/sipp';
import { FakeIsagSide, TaskAgent, sleep } from './task-support';

/**
 * Task routing on the real system (docs/tasks.md): TaskCreated published on `cc.tasks` as ISAG does
 * (its interaction written first), routed by the real CTI to agents connected over CTI's WebSocket,
 * accepted, rejected and completed there, each step on the interaction and on the bus.
 */
describe('tasks: routing and capacity in CTI', function () {
  this.timeout(90_000);
  const isag = new FakeIsagSide();
  const bus = new BusObserver();
  const agents: TaskAgent[] = [];
  let admin: AsApi;
  let a: TaskAgent;
  let b: TaskAgent;

  const connect = async (login: string) => {
    const agent = new TaskAgent(await agentIdOf(login));
    await agent.connect();
    agents.push(agent);
    return agent;
  };
  const ready = async (agent: TaskAgent) => {
    agent.send({ type: 'login' });
    agent.send({ type: 'ready' });
    await agent.state('ready');
  };
  /** The agent's record through the AS (live in CTI by its change event). */
  const setAgent = async (agent: TaskAgent, fields: Record<string, unknown>) => {
    await admin.ok('PATCH', `/api/v1/agents/${agent.agentId}`, fields);
  };
  const published = (contactId: string) =>
    bus
      .forContact(contactId)
      .filter((s) => s.exchange === EXCHANGES.tasks)
      .map((s) => s.body.type);

  before(async () => {
    await requireSystem(['rabbitmq', 'docstore', 'cti']);
    await isag.start();
    await bus.start([EXCHANGES.tasks]);
    admin = await AsApi.signIn('admin', await demoPassword());
    // Nobody else may take the tests' tasks: every demo agent leaves, earlier runs' tasks drained.
    for (const login of ['1003', '1004', '1002', '1001']) {
      const agent = await connect(login);
      await agent.reset(login === '1001');
    }
    a = agents[3] as TaskAgent;
    b = agents[2] as TaskAgent;
  });
  afterEach(async () => {
    for (const agent of [a, b]) await agent.reset();
  });
  after(async () => {
    // The seed's values (as/seed-data.ts), which the later specs expect.
    await setAgent(a, { maxTotal: 7, callBlocksTasks: true }).catch(() => undefined);
    agents.forEach((agent) => agent.close());
    await bus.stop();
    await isag.stop();
  });

  it('queue configuration: channel rules, unique addresses, hours of service level', async () => {
    const email = await admin.ok<Record<string, unknown>>('GET', '/api/v1/queues/email');
    expect(email).to.include({ channel: 'email', queueTimeoutSec: 0, serviceLevelSec: 14_400 });
    expect(email.addresses).to.deep.equal(['support@ipcc.local']);
    const name = `tasks-spec-${Date.now().toString(36)}`;
    const refused = async (body: Record<string, unknown>) => {
      const r = await admin.request<{ message: string }>('POST', '/api/v1/queues', { name, ...body });
      return [r.status, r.body.message];
    };
    expect(await refused({ channel: 'email', addresses: ['Support@IPCC.local'] })).to.deep.equal([
      409,
      'address "support@ipcc.local" already enters queue "email"',
    ]);
    expect(await refused({ addresses: ['x@ipcc.local'] })).to.deep.equal([
      400,
      'addresses are for e-mail, SMS and fax queues',
    ]);
    expect(await refused({ channel: 'sms', timeoutAction: 'callback' })).to.deep.equal([
      400,
      'a sms queue cannot offer a callback',
    ]);
    expect(await refused({ channel: 'sms', addresses: ['not a number'] })).to.deep.equal([
      400,
      '"not a number" is not a phone number (E.164 digits, optional +)',
    ]);
    expect(await refused({ serviceLevelSec: 7200 })).to.deep.equal([
      400,
      'a voice queue has a service level of at most 3600 s',
    ]);
    expect((await admin.request('GET', `/api/v1/queues/${name}`)).status).to.equal(404);
  });

  it('offer, accept, complete: the interaction goes queued, offered, accepted, completed', async () => {
    await ready(a);
    const { contactId, message } = await isag.newTask();
    const offer = await a.offerOf(contactId);
    expect(offer).to.deep.include({
      contactId,
      queueId: 'email',
      channel: 'email',
      from: message.from,
      subject: message.subject,
    });
    expect(Date.parse(offer.expiresAt ?? '') - Date.parse(offer.enteredAt)).to.be.within(59_000, 61_000);
    const offered = await isag.stateBecomes(contactId, 'offered');
    expect(offered).to.include({ agentId: a.agentId, queueId: 'email' });
    expect(offered.offeredAt).to.be.instanceOf(Date);
    expect((await a.snapshot()).tasks).to.deep.equal([
      {
        contactId,
        queueId: 'email',
        channel: 'email',
        from: message.from,
        subject: message.subject,
        state: 'offered',
        since: (offered.offeredAt as Date).toISOString(),
      },
    ]);
    // Only the holding agent may act on it.
    await ready(b);
    b.send({ type: 'accept-task', contactId });
    await eventually('refusal', () => b.client.of('error').find((e) => e.code === 'not_your_contact'));

    a.send({ type: 'accept-task', contactId });
    await eventually('task-accepted', () =>
      a.client.of('task-accepted').find((m) => m.contactId === contactId),
    );
    const accepted = await isag.stateBecomes(contactId, 'accepted');
    expect(accepted.answeredAt).to.be.instanceOf(Date);
    expect((await a.snapshot()).tasks?.map((t) => t.state)).to.deep.equal(['accepted']);
    expect((await a.snapshot()).state).to.equal('ready');

    // The customer writes again (ISAG's TaskUpdated): the holding agent is told, nobody else.
    await isag.publish({ type: 'TaskUpdated', contactId, messageId: 'second-message' });
    expect(
      await eventually('task-message', () =>
        a.client.of('task-message').find((m) => m.contactId === contactId),
      ),
    ).to.deep.equal({ type: 'task-message', contactId, messageId: 'second-message' });
    expect(b.client.of('task-message')).to.deep.equal([]);

    a.send({ type: 'complete-task', contactId });
    expect(await a.ended(contactId)).to.deep.equal({ type: 'task-ended', contactId, reason: 'completed' });
    const done = await isag.stateBecomes(contactId, 'completed');
    expect(done.endedAt).to.be.instanceOf(Date);
    const types = (done.timeline as Array<{ type: string }>).map((e) => e.type);
    expect(types).to.deep.equal(['Received', 'Queued', 'Offered', 'Accepted', 'Completed']);
    await eventually('TaskCompleted on cc.tasks', () => published(contactId).includes('TaskCompleted'));
    expect(published(contactId)).to.deep.equal([
      'TaskCreated',
      'TaskOffered',
      'TaskAccepted',
      'TaskUpdated',
      'TaskCompleted',
    ]);
    const completed = bus.forContact(contactId).find((s) => s.body.type === 'TaskCompleted');
    expect(completed?.routingKey).to.equal('task.completed');
    expect(completed?.body.agentId).to.equal(a.agentId);
    expect(b.offers(contactId)).to.deep.equal([]);
    // The reports count it with the e-mail channel's queues, and only there.
    const range = `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    type Summary = {
      queues: string[];
      byQueue: Array<{ queueId: string; offered: number; answered: number }>;
    };
    const email = await admin.ok<Summary>('GET', `/api/v1/reports/queues/summary?${range}&channel=email`);
    expect(email.queues).to.deep.equal(['email']);
    expect(email.byQueue[0]?.answered).to.be.at.least(1);
    const voice = await admin.ok<Summary>('GET', `/api/v1/reports/queues/summary?${range}&channel=voice`);
    expect(voice.queues).to.not.include('email');
  });

  it('a rejected task is offered to the other agent; the rejecting agent stays ready', async () => {
    await ready(a);
    await ready(b);
    const { contactId } = await isag.newTask();
    // a has been ready longer: it is offered first.
    await a.offerOf(contactId);
    const statesBefore = a.client.of('state').length;
    a.send({ type: 'reject-task', contactId });
    expect(await a.ended(contactId)).to.deep.equal({ type: 'task-ended', contactId, reason: 'rejected' });
    await b.offerOf(contactId);
    expect(await isag.stateBecomes(contactId, 'offered')).to.include({ agentId: b.agentId });
    expect((await a.snapshot()).state).to.equal('ready');
    expect(a.client.of('state').slice(statesBefore)).to.deep.equal([]);
    // The rejecting agent can no longer act on it.
    a.send({ type: 'accept-task', contactId });
    await eventually('refusal', () => a.client.of('error').find((e) => e.code === 'not_your_contact'));
    b.send({ type: 'accept-task', contactId });
    await isag.stateBecomes(contactId, 'accepted');
  });

  it('capacity: the 4th e-mail waits for one of 3 to complete; the total across channels holds too', async () => {
    await ready(a);
    const tasks = [];
    for (let i = 0; i < 4; i++) tasks.push((await isag.newTask()).contactId);
    for (const id of tasks.slice(0, 3)) await a.offerOf(id);
    const fourth = tasks[3] as string;
    await isag.stateBecomes(fourth, 'queued');
    await sleep(1_000);
    expect(a.offers(fourth)).to.deep.equal([]);
    for (const id of tasks.slice(0, 3)) a.send({ type: 'accept-task', contactId: id });
    for (const id of tasks.slice(0, 3)) await isag.stateBecomes(id, 'accepted');
    a.send({ type: 'complete-task', contactId: tasks[0] });
    await a.offerOf(fourth);

    // maxTotal 4: three e-mails held, one SMS fits and the next waits; maxTotal 5 lets it in.
    await setAgent(a, { maxTotal: 4 });
    await sleep(500);
    const sms1 = (await isag.newTask({ channel: 'sms' })).contactId;
    await a.offerOf(sms1);
    const sms2 = (await isag.newTask({ channel: 'sms' })).contactId;
    await isag.stateBecomes(sms2, 'queued');
    await sleep(1_000);
    expect(a.offers(sms2)).to.deep.equal([]);
    await setAgent(a, { maxTotal: 5 });
    await a.offerOf(sms2);
  });

  it('a duplicate TaskCreated is not offered twice, whether the task is held or completed', async () => {
    await ready(a);
    const { contactId, message } = await isag.newTask();
    await a.offerOf(contactId);
    await isag.publish(message);
    a.send({ type: 'accept-task', contactId });
    await isag.stateBecomes(contactId, 'accepted');
    await isag.publish(message);
    a.send({ type: 'complete-task', contactId });
    await isag.stateBecomes(contactId, 'completed');
    await isag.publish(message);
    await sleep(1_500);
    expect(a.offers(contactId)).to.have.length(1);
    expect((await isag.interaction(contactId))?.state).to.equal('completed');
    expect(published(contactId).filter((t) => t === 'TaskOffered')).to.have.length(1);
  });

  it('a task is completed on its interaction before its agent hears it ended; a TaskCreated then is a duplicate', async () => {
    await ready(a);
    const { contactId, message } = await isag.newTask();
    await a.offerOf(contactId);
    // Back to back, as a quick agent (or the benchmark's) does: CTI's history is written behind.
    a.send({ type: 'accept-task', contactId });
    a.send({ type: 'complete-task', contactId });
    await a.ended(contactId);
    expect((await isag.interaction(contactId))?.state).to.equal('completed');
    await isag.publish(message);
    await sleep(1_500);
    expect(a.offers(contactId)).to.have.length(1);
    expect(published(contactId).filter((t) => t === 'TaskOffered')).to.have.length(1);
  });

  it('a call blocks tasks while callBlocksTasks; switched off, the task comes during the call', async () => {
    await requireSystem(['asterisk', 'softacd', 'ivr']);
    await registerPhone('agent1001', 5611);
    await ready(a);
    const phone = sipp('agent-answer.xml', { service: 'agent1001', localPort: 5611, holdMs: 500 });
    await sleep(300);
    const call = sipp('uac-audio.xml', {
      service: '200',
      localPort: 5612,
      holdMs: 9_000,
      vars: { caller: '15557770614', caller_name: 'Task Blocker' },
    });
    await a.state('talking', 15_000);
    const { contactId } = await isag.newTask();
    await isag.stateBecomes(contactId, 'queued');
    await sleep(1_000);
    expect(a.offers(contactId)).to.deep.equal([]);
    await setAgent(a, { callBlocksTasks: false });
    await a.offerOf(contactId);
    expect((await a.snapshot()).state).to.equal('talking');
    a.send({ type: 'accept-task', contactId });
    await isag.stateBecomes(contactId, 'accepted');
    await setAgent(a, { callBlocksTasks: true });
    const [caller, agentSide] = await Promise.all([call, phone]);
    expect(caller.code, caller.stdout.slice(-800)).to.equal(0);
    expect(agentSide.code, agentSide.stdout.slice(-800)).to.equal(0);
    // In wrap-up a blocking call still blocks: a new task waits until the agent is ready again.
    await a.state('wrap-up', 10_000);
    const next = (await isag.newTask()).contactId;
    await isag.stateBecomes(next, 'queued');
    await sleep(500);
    expect(a.offers(next)).to.deep.equal([]);
    a.send({ type: 'ready' });
    await a.offerOf(next);
  });

  it('a CTI restart keeps an accepted task with its agent and a waiting task in its queue', async () => {
    await ready(a);
    const held = (await isag.newTask({ subject: 'Kept across a restart' })).contactId;
    await a.offerOf(held);
    a.send({ type: 'accept-task', contactId: held });
    await isag.stateBecomes(held, 'accepted');
    a.send({ type: 'not-ready', reason: 'break' });
    await a.state('not-ready');
    const waiting = (await isag.newTask()).contactId;
    await isag.stateBecomes(waiting, 'queued');

    await service('stop', 'cti');
    await service('start', 'cti');
    await eventually(
      'CTI answers again',
      async () => {
        try {
          await a.connect();
          return true;
        } catch {
          return false;
        }
      },
      60_000,
    );
    const snapshot = await a.snapshot();
    expect(snapshot.state).to.equal('not-ready');
    expect(snapshot.tasks?.map((t) => [t.contactId, t.state, t.subject])).to.deep.equal([
      [held, 'accepted', 'Kept across a restart'],
    ]);
    a.send({ type: 'ready' });
    await a.offerOf(waiting);
    a.send({ type: 'complete-task', contactId: held });
    await isag.stateBecomes(held, 'completed');
  });
});
