import { sipPassword } from '../../../stasis-app/provisioning/agent-endpoints';
import { agentEvents, agentIdOf, registerPhone } from '../../support/agents';
import { type Seen, eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { CallBus, freshNumber, logOutAgents } from '../../support/desktop-call';
import { requireSystem } from '../../support/servers';
import { type SippRun, sipp } from '../../support/sipp';

/**
 * An agent with only a desk SIP phone, no browser: sipp phones dial the feature codes (*61 log in, *63
 * ready, *62 log out) as endpoint agent1001; each is answered, confirmed by a spoken prompt and hung up
 * by Asterisk, and CTI's answer on the bus says what it did. Ready, the agent's registered phone then
 * rings for a caller to the sales queue (200) and answers it.
 */
const PHONE_PORT = 5361; // the registered phone, which rings
const FEATURE_PORT = 5362; // the same endpoint dialling the codes

describe('desk phone: feature codes log in, ready and log out; the phone takes a call', function () {
  this.timeout(90_000);
  const bus = new CallBus();
  let agentId = '';

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await bus.start();
    agentId = await agentIdOf('1001');
    await logOutAgents(['1001', '1002', '1003', '1004']);
    await registerPhone('agent1001', PHONE_PORT);
  });

  after(async () => {
    await agentEvents(agentId, ['AgentLogout']).catch(() => undefined);
    await bus.stop();
  });

  async function dial(code: string): Promise<{ run: SippRun; result: Seen }> {
    const since = bus.observer.seen.length;
    const secret = process.env.AGENT_SIP_SECRET ?? '';
    const run = await sipp('../integration/desktop/sipp/desk-feature.xml', {
      service: code,
      localPort: FEATURE_PORT,
      timeoutSec: 20,
      vars: { endpoint: 'agent1001' },
      extra: ['-au', 'agent1001', '-ap', sipPassword(secret, 'agent1001'), '-mp', '16900'],
    });
    const result = await eventually(`AgentFeatureResult for ${code}`, () =>
      bus.observer.seen.slice(since).find((s) => s.body.type === 'AgentFeatureResult'),
    );
    return { run, result };
  }

  it('*61 logs in, *63 makes ready, a call rings the desk phone and is answered, *62 logs out', async () => {
    const login = await dial('*61');
    expect(login.run.code, login.run.stdout.slice(-600)).to.equal(0);
    expect(login.result.body).to.include({ feature: 'login', ok: true, agentId });

    const ready = await dial('*63');
    expect(ready.run.code, ready.run.stdout.slice(-600)).to.equal(0);
    expect(ready.result.body).to.include({ feature: 'ready', ok: true, agentId, state: 'ready' });

    const number = freshNumber();
    const phone = sipp('agent-answer.xml', { service: 'agent1001', localPort: PHONE_PORT, holdMs: 300 });
    await new Promise((r) => setTimeout(r, 300));
    const call = await sipp('uac-audio.xml', {
      service: '200',
      localPort: 5363,
      holdMs: 3000,
      vars: { caller: number, caller_name: 'Desk Caller' },
    });
    const answered = await phone;
    expect(call.code, `caller: ${call.stdout.slice(-600)}`).to.equal(0);
    expect(answered.code, `desk phone: ${answered.stdout.slice(-600)}`).to.equal(0);
    const { contactId } = await bus.delivered(number);
    const divert = await bus.message(contactId, 'DivertCall');
    expect(divert.body).to.include({ agentId, endpoint: 'PJSIP/agent1001' });
    await bus.message(contactId, 'Established');

    // After the call's wrap-up (sales: 10 s) or during it, *62 logs the agent out.
    const logout = await dial('*62');
    expect(logout.run.code, logout.run.stdout.slice(-600)).to.equal(0);
    expect(logout.result.body).to.include({ feature: 'logout', ok: true, agentId });
  });
});
