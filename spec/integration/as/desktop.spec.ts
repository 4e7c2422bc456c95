import { expect } from '../../support/chai';
import { signToken } from '../../../lib/auth-token';
import { hashPassword } from '../../../as/domain/password';
import { Agent, NotReadyReason } from '../../../as/models';
import { sipPassword } from '../../../stasis-app/provisioning/agent-endpoints';
import { AGENT_SIP_SECRET, body, call, SECRET, setUp, tearDown, type Fixture } from './fixture';

/**
 * The agent desktop's API (issue 11): its settings and the softphone's SIP account. Agent A has a browser
 * endpoint as well as its desk phone; agent B has only a desk phone.
 */
describe('AS agent desktop: /me/desktop and /me/sip (integration)', () => {
  let f: Fixture;
  let inactive: string;
  before(async () => {
    f = await setUp();
    await Agent.updateOne(
      { _id: f.ids.agentA },
      { $set: { endpoints: { sip: 'PJSIP/agenta1001', webrtc: 'PJSIP/webrtca1001' } } },
    );
    const gone = await Agent.create({
      login: 'gone',
      displayName: 'Gone Agent',
      roles: ['agent'],
      passwordHash: await hashPassword('unused-password-1'),
      active: false,
    });
    inactive = gone._id.toHexString();
    // Eleven reasons: only the first nine (by name, CTI's order) get a desk-phone digit.
    await NotReadyReason.insertMany(
      ['k', 'c', 'a', 'j', 'b', 'e', 'i', 'd', 'h', 'g', 'f'].map((n) => ({
        name: `r-${n}`,
        label: `R ${n}`,
      })),
    );
  });
  after(async () => tearDown(f));

  interface Desktop {
    agent: { id: string; login: string; displayName: string; roles: string[] };
    devices: { softphone: boolean; desk: boolean };
    ctiUrl: string;
    notReadyReasons: Array<{ name: string; label: string; digit?: number }>;
    dispositionCodes: Array<{ name: string; label: string }>;
    queues: Array<{ name: string; channel: string }>;
    agents: Array<{ id: string; login: string; displayName: string }>;
    publicNumbers: string[];
  }

  it('desktop: 401 without a token, 403 for a supervisor or admin without the agent role', async () => {
    expect((await call(f, 'GET', '/api/v1/me/desktop')).statusCode).to.equal(401);
    for (const token of [f.tokens.supervisor, f.tokens.admin, f.tokens.ivr]) {
      expect((await call(f, 'GET', '/api/v1/me/desktop', { token })).statusCode).to.equal(403);
    }
  });

  it('desktop: the agent, its devices, CTI, reasons with digits, codes, transfer targets, numbers', async () => {
    const res = await call(f, 'GET', '/api/v1/me/desktop', { token: f.tokens.agentA });
    expect(res.statusCode).to.equal(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    const d = body<Desktop>(res);
    expect(d.agent).to.deep.equal({
      id: f.ids.agentA,
      login: 'a1001',
      displayName: 'Test a1001',
      roles: ['agent'],
    });
    expect(d.devices).to.deep.equal({ softphone: true, desk: true });
    expect(d.ctiUrl).to.equal('ws://127.0.0.1:8091');
    expect(d.notReadyReasons.map((r) => r.name)).to.deep.equal(
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'].map((n) => `r-${n}`),
    );
    expect(d.notReadyReasons.map((r) => r.digit)).to.deep.equal([
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      9,
      undefined,
      undefined,
    ]);
    expect(d.notReadyReasons[0]).to.deep.equal({ name: 'r-a', label: 'R a', digit: 1 });
    expect(d.dispositionCodes.map((c) => c.name)).to.deep.equal([
      'callback-requested',
      'follow-up',
      'no-sale',
      'resolved',
      'sale',
      'wrong-number',
    ]);
    expect(d.dispositionCodes.find((c) => c.name === 'no-sale')?.label).to.equal('No sale');
    expect(d.queues).to.deep.equal([
      { name: 'sales', channel: 'voice' },
      { name: 'support', channel: 'voice' },
    ]);
    // Active agents other than the caller: not itself, not the inactive one, not supervisor or admin.
    expect(d.agents).to.deep.equal([{ id: f.ids.agentB, login: 'b1002', displayName: 'Test b1002' }]);
    expect(d.agents.map((a) => a.id)).not.to.include(inactive);
    expect(d.publicNumbers).to.deep.equal(['100']);
  });

  it('desktop: an agent with a desk phone only has no softphone', async () => {
    const d = body<Desktop>(await call(f, 'GET', '/api/v1/me/desktop', { token: f.tokens.agentB }));
    expect(d.devices).to.deep.equal({ softphone: false, desk: true });
    expect(d.agents.map((a) => a.login)).to.deep.equal(['a1001']);
  });

  it('desktop: a supervisor who also takes calls is an agent here', async () => {
    const token = signToken({ sub: f.ids.supervisor, roles: ['supervisor', 'agent'] }, SECRET).token;
    await Agent.updateOne({ _id: f.ids.supervisor }, { $set: { roles: ['supervisor', 'agent'] } });
    f.server.plugins['ipcc-auth'].accounts.forget(f.ids.supervisor);
    try {
      const res = await call(f, 'GET', '/api/v1/me/desktop', { token });
      expect(res.statusCode).to.equal(200);
      expect(body<Desktop>(res).agent.roles).to.deep.equal(['supervisor', 'agent']);
    } finally {
      await Agent.updateOne({ _id: f.ids.supervisor }, { $set: { roles: ['supervisor'] } });
      f.server.plugins['ipcc-auth'].accounts.forget(f.ids.supervisor);
    }
  });

  it('sip: the softphone account with the derived password, never cached', async () => {
    const res = await call(f, 'GET', '/api/v1/me/sip', { token: f.tokens.agentA });
    expect(res.statusCode).to.equal(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(body(res)).to.deep.equal({
      wsUrl: 'ws://127.0.0.1:8088/ws',
      uri: 'sip:webrtca1001@127.0.0.1',
      username: 'webrtca1001',
      password: sipPassword(AGENT_SIP_SECRET, 'webrtca1001'),
      displayName: 'Test a1001',
    });
    // The same derivation Asterisk's configuration is written with, and not the desk phone's password.
    expect(body(res).password).to.have.length(24);
    expect(body(res).password).not.to.equal(sipPassword(AGENT_SIP_SECRET, 'agenta1001'));
  });

  it('sip: 404 without a browser endpoint (supervisors and admins too), 401 without a token, 403 for a service', async () => {
    const none = await call(f, 'GET', '/api/v1/me/sip', { token: f.tokens.agentB });
    expect(none.statusCode).to.equal(404);
    expect(body(none).message).to.equal('webrtc endpoint of this agent not found');
    expect((await call(f, 'GET', '/api/v1/me/sip')).statusCode).to.equal(401);
    // Supervisors and administrators may have a softphone (call supervision rings it); these have none.
    expect((await call(f, 'GET', '/api/v1/me/sip', { token: f.tokens.supervisor })).statusCode).to.equal(404);
    expect((await call(f, 'GET', '/api/v1/me/sip', { token: f.tokens.admin })).statusCode).to.equal(404);
    expect((await call(f, 'GET', '/api/v1/me/sip', { token: f.tokens.ivr })).statusCode).to.equal(403);
  });

  it('both routes are in the OpenAPI description with their response schemas', async () => {
    const doc = body<{ paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> }>(
      await call(f, 'GET', '/openapi.json'),
    );
    for (const p of ['/api/v1/me/desktop', '/api/v1/me/sip']) {
      const op = doc.paths[p]?.get;
      expect(op, p).to.be.an('object');
      expect(JSON.stringify(op?.responses), p).to.match(/Desktop|SoftphoneAccount/);
    }
  });
});
