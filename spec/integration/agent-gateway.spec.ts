import { MongoClient } from 'mongodb';
import { AgentClient } from '../support/agent-client';
import { agentIdOf } from '../support/agents';
import { storedAgentStates } from '../support/agent-states';
import { eventually } from '../support/bus-observer';
import { expect } from '../support/chai';
import { mongoUri, requireSystem } from '../support/servers';

/** Interface A on the real CTI: authentication, an agent acting only as itself, state pushes, bad input. */
describe('CTI agent WebSocket (interface A)', function () {
  this.timeout(20_000);
  let agentId = '';
  const clients: AgentClient[] = [];
  const client = async () => {
    const c = new AgentClient();
    await c.connect();
    clients.push(c);
    return c;
  };

  before(async () => {
    await requireSystem(['rabbitmq', 'docstore', 'cti']);
    agentId = await agentIdOf('1003');
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));

  it('closes a connection whose token is invalid, and one that acts before authenticating', async () => {
    const forged = await client();
    forged.send({ type: 'auth', token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' });
    await eventually('forged token refused', () => forged.closed);
    expect(forged.closed?.code).to.equal(4401);

    const early = await client();
    early.send({ type: 'ready' });
    await eventually('unauthenticated action refused', () => early.closed);
    expect(early.closed?.code).to.equal(4401);

    const supervisorOnly = await client();
    supervisorOnly.send({ type: 'auth', token: AgentClient.tokenFor(agentId, ['supervisor']) });
    await eventually('non-agent token refused', () => supervisorOnly.closed);
    expect(supervisorOnly.closed?.code).to.equal(4401);
  });

  it('signs in, becomes ready and not-ready with a reason, each change pushed and stored', async () => {
    const c = await client();
    c.send({ type: 'auth', token: AgentClient.tokenFor(agentId) });
    await eventually('welcome', () => c.of('welcome')[0]);
    expect(c.of('welcome')[0]?.agentId).to.equal(agentId);
    // CTI keeps agents' states across test runs: start from logged-out, whatever the agent was.
    c.send({ type: 'logout' });
    await new Promise((r) => setTimeout(r, 300));
    c.received.splice(0);
    const since = new Date();
    c.send({ type: 'login' });
    c.send({ type: 'ready' });
    c.send({ type: 'not-ready', reason: 'lunch' });
    const lunch = await eventually('not-ready for lunch pushed', () =>
      c.of('state').find((m) => m.state === 'not-ready' && m.reason === 'lunch'),
    );
    // Other tests' callers may be offered to the agent meanwhile; what must hold is this order.
    const states = c.of('state');
    const login = states.findIndex((m) => m.state === 'not-ready');
    const ready = states.findIndex((m, i) => i > login && m.state === 'ready');
    expect(login, JSON.stringify(states)).to.be.greaterThan(-1);
    expect(ready, JSON.stringify(states)).to.be.greaterThan(login);
    expect(states.indexOf(lunch)).to.be.greaterThan(ready);
    const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    try {
      const stored = await storedAgentStates(
        mongo.db(),
        { agentId, at: { $gte: new Date(since.getTime() - 1000) } },
        (seen) => seen.includes('not-ready:lunch'),
        5_000,
      );
      expect(stored).to.include.members(['ready', 'not-ready:lunch']);
      expect(stored.indexOf('not-ready:lunch')).to.be.greaterThan(stored.indexOf('ready'));
    } finally {
      await mongo.close();
    }
    c.send({ type: 'logout' });
    await eventually('logged out', () => c.of('state').some((s) => s.state === 'logged-out'));
  });

  it('answers malformed and hostile frames with an error and keeps the connection', async () => {
    const c = await client();
    c.send({ type: 'auth', token: AgentClient.tokenFor(agentId) });
    await eventually('welcome', () => c.of('welcome')[0]);
    c.send('{not json');
    c.send({ type: 'ready', agentId: 'someone-else' });
    c.send({ type: 'not-ready', reason: { $gt: '' } });
    c.send({ type: 'hangup', contactId: 'a-contact-never-offered-to-me' });
    const errors = await eventually('four errors', () =>
      c.of('error').length >= 4 ? c.of('error') : undefined,
    );
    expect(errors.map((e) => e.code)).to.deep.equal([
      'bad_message',
      'bad_message',
      'bad_message',
      'not_your_contact',
    ]);
    expect(c.closed).to.equal(undefined);
  });
});
