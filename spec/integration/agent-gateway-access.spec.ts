import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { hashPassword } from '../../as/domain/password';
import { AgentClient } from '../support/agent-client';
import { setAccount, TestAccounts, tokenVersionOf } from '../support/accounts';
import { agentIdOf } from '../support/agents';
import { storedAgentStates } from '../support/agent-states';
import { eventually } from '../support/bus-observer';
import { expect } from '../support/chai';
import { mongoUri, requireSystem } from '../support/servers';

const AS = `http://${process.env.AS_HOST ?? '127.0.0.1'}:${process.env.AS_PORT ?? '8090'}/api/v1`;
/** CTI re-checks open connections' accounts every 5 s and trusts an account read for 2 s. */
const RECHECK_WITHIN_MS = 10_000;

/**
 * Interface A's access rules on the real CTI (issue 10, items 4 and 6): the token's account is checked at
 * `auth` and every few seconds after (the AS's own rule), a connection closes when its token expires
 * unless refreshed over it, and a connection's message rate is limited.
 */
describe('CTI agent WebSocket: accounts, token expiry, message rate', function () {
  this.timeout(30_000);
  const accounts = new TestAccounts();
  const clients: AgentClient[] = [];
  const client = async () => {
    const c = new AgentClient();
    await c.connect();
    clients.push(c);
    return c;
  };
  const errorCodes = (c: AgentClient) => c.of('error').map((e) => e.code);
  /** Whether CTI welcomes a token of this agent now. */
  const welcomed = async (agentId: string, ver: number): Promise<boolean> => {
    const probe = new AgentClient();
    await probe.connect();
    try {
      probe.send({ type: 'auth', token: AgentClient.tokenFor(agentId, ['agent'], ver) });
      await eventually('an answer', () => probe.closed ?? probe.of('welcome')[0], 5_000);
      return probe.of('welcome').length > 0;
    } finally {
      probe.close();
    }
  };

  before(async () => requireSystem(['rabbitmq', 'docstore', 'cti']));
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  after(async () => accounts.removeAll());

  it('refuses a subject with no account, a deactivated account and a revoked version (error frame, 4401)', async () => {
    const inactive = await accounts.create({ active: false });
    const bumped = await accounts.create({ tokenVersion: 2 });
    for (const [token, code] of [
      [AgentClient.tokenFor('0123456789abcdef01234567'), 'unknown_account'],
      [AgentClient.tokenFor('fuzz-agent-not-an-id'), 'unknown_account'],
      [AgentClient.tokenFor(inactive), 'account_inactive'],
      [AgentClient.tokenFor(bumped, ['agent'], 1), 'token_revoked'],
    ] as const) {
      const c = await client();
      c.send({ type: 'auth', token });
      await eventually(`${code} refused`, () => c.closed);
      expect(c.closed?.code, code).to.equal(4401);
      expect(errorCodes(c), code).to.deep.equal([code]);
      expect(c.of('welcome'), code).to.have.length(0);
    }
    const current = await client();
    current.send({ type: 'auth', token: AgentClient.tokenFor(bumped, ['agent'], 2) });
    const welcome = await eventually('welcome', () => current.of('welcome')[0]);
    expect(welcome.agentId).to.equal(bumped);
    expect(Date.parse(welcome.expiresAt)).to.be.greaterThan(Date.now() + 14 * 60_000);
  });

  it('closes a connection when its token expires, and keeps one whose token was refreshed over it', async () => {
    const id = await accounts.create();
    const other = await accounts.create();
    const expiring = await client();
    expiring.send({ type: 'auth', token: AgentClient.tokenFor(id, ['agent'], 0, 2) });
    const kept = await client();
    kept.send({ type: 'auth', token: AgentClient.tokenFor(id, ['agent'], 0, 2) });
    await eventually('both welcomed', () => expiring.of('welcome')[0] && kept.of('welcome')[0]);
    kept.send({ type: 'refresh', token: AgentClient.tokenFor(other) });
    kept.send({ type: 'refresh', token: AgentClient.tokenFor(id, ['agent'], 0, 60) });
    const refreshed = await eventually('refreshed', () => kept.of('refreshed')[0]);
    expect(Date.parse(refreshed.expiresAt)).to.be.greaterThan(Date.now() + 50_000);
    expect(errorCodes(kept)).to.deep.equal(['wrong_agent']);
    await eventually('expired connection closed', () => expiring.closed, 4_000);
    expect(expiring.closed).to.deep.equal({ code: 4401, reason: 'token expired' });
    expect(errorCodes(expiring)).to.deep.equal(['token_expired']);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(kept.closed).to.equal(undefined);
    kept.send({ type: 'ready' }); // still acted on (the account is not in CTI's directory: refused there)
    await new Promise((r) => setTimeout(r, 200));
    expect(kept.closed).to.equal(undefined);
  });

  it("a logout on the AS closes the agent's open CTI connection within seconds", async () => {
    const password = 'access-spec-password-1';
    const id = await accounts.create({ passwordHash: await hashPassword(password) });
    const login = await fetch(`${AS}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: accounts.logins.get(id), password }),
    });
    expect(login.status).to.equal(200);
    const { token } = (await login.json()) as { token: string };
    const c = await client();
    c.send({ type: 'auth', token });
    await eventually('welcome', () => c.of('welcome')[0]);
    const out = await fetch(`${AS}/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.status).to.equal(204);
    const closedAt = Date.now();
    await eventually('connection closed', () => c.closed, RECHECK_WITHIN_MS);
    expect(Date.now() - closedAt).to.be.below(RECHECK_WITHIN_MS);
    expect(c.closed?.code).to.equal(4401);
    expect(errorCodes(c)).to.deep.equal(['token_revoked']);
  });

  it('closes the connection of an agent deactivated while connected, and logs the agent out of CTI', async () => {
    const agentId = await agentIdOf('1003');
    const ver = await tokenVersionOf(agentId);
    const c = await client();
    c.send({ type: 'auth', token: AgentClient.tokenFor(agentId, ['agent'], ver) });
    await eventually('welcome', () => c.of('welcome')[0]);
    c.send({ type: 'logout' });
    await new Promise((r) => setTimeout(r, 300));
    const since = new Date();
    c.send({ type: 'login' });
    await eventually('signed in', () => c.of('state').some((s) => s.state === 'not-ready'));
    try {
      await setAccount(agentId, { active: false });
      await eventually('connection closed', () => c.closed, RECHECK_WITHIN_MS);
      expect(c.closed?.code).to.equal(4401);
      expect(errorCodes(c)).to.deep.equal(['account_inactive']);
      const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
      try {
        const stored = await storedAgentStates(
          mongo.db(),
          { agentId, at: { $gte: new Date(since.getTime() - 1000) } },
          (seen) => seen.at(-1) === 'logged-out',
          5_000,
        );
        expect(stored.at(-1)).to.equal('logged-out');
      } finally {
        await mongo.close();
      }
    } finally {
      await setAccount(agentId, { active: true });
      // CTI trusts its last read of the account for 2 s: the next specs need the agent accepted again.
      await eventually('agent 1003 accepted again', () => welcomed(agentId, ver), 10_000);
    }
  });

  it('refuses frames over 40 at once or 20 a second with an error frame, and closes a flood with 1008', async () => {
    const c = await client();
    for (let i = 0; i < 60; i += 1) c.send('{not json');
    await eventually('60 replies', () => (c.received.length >= 60 ? true : undefined), 5_000);
    const codes = errorCodes(c);
    // The bucket refills at 20 a second while the frames arrive: one or two more may pass.
    expect(codes.filter((x) => x === 'bad_message').length).to.be.within(40, 42);
    expect(codes.filter((x) => x === 'rate_limited').length).to.equal(
      60 - codes.filter((x) => x === 'bad_message').length,
    );
    expect(c.closed).to.equal(undefined);
    for (let i = 0; i < 60; i += 1) c.send('{not json');
    await eventually('closed for the flood', () => c.closed, 5_000);
    expect(c.closed).to.deep.equal({ code: 1008, reason: 'message rate exceeded' });
    const log = await readFile(path.resolve(__dirname, '../../.run/logs/cti.log'), 'utf8');
    expect(log).to.include('message rate exceeded');
  });
});
