import { makeMessage } from '../../../lib/messages';
import { expect } from '../../support/chai';
import { desktopHarness } from './desktop-harness';

/** Interface A's desktop additions on the real gateway, routing domain and CTI parts (no servers). */
describe('CTI desktop: devices', () => {
  it('login without a device rings the desk phone if the agent has one, else the softphone', async () => {
    const t = desktopHarness();
    const a1 = t.client();
    const a2 = t.client();
    await a1.say({ type: 'auth', token: 'a1' });
    await a2.say({ type: 'auth', token: 'a2' });
    await a1.say({ type: 'login' });
    await a2.say({ type: 'login' });
    await a1.say({ type: 'ready' });
    await a2.say({ type: 'ready' });
    await t.inbound('c1', 'support');
    await t.inbound('c2', 'sales');
    expect(t.commands('DivertCall').map((c) => `${c.draft.contactId}:${c.draft.endpoint}`)).to.deep.equal([
      'c1:PJSIP/1001',
      'c2:PJSIP/webrtc1002',
    ]);
  });

  it('login {device: softphone} rings the softphone; the choice is cleared at logout', async () => {
    const t = desktopHarness();
    const a1 = t.client();
    await a1.say({ type: 'auth', token: 'a1' });
    await a1.say({ type: 'login', device: 'softphone' });
    await a1.say({ type: 'status' });
    expect(a1.of('snapshot').at(-1)).to.deep.include({
      state: 'not-ready',
      device: 'softphone',
      devices: { softphone: true, desk: true },
    });
    await a1.say({ type: 'ready' });
    await t.inbound('c1', 'support');
    expect(t.commands('DivertCall')[0]?.draft.endpoint).to.equal('PJSIP/webrtc1001');
    await t.routing.ended('c1');
    await a1.say({ type: 'logout' });
    expect(t.devices.get('a1')).to.equal(undefined);
    expect(t.devices.takeChanged()).to.deep.equal(['a1']);
  });

  it('device: changes while idle (snapshot pushed), refused during a contact, and for a device the agent lacks', async () => {
    const t = desktopHarness();
    const a1 = t.client();
    const a2 = t.client();
    await a1.say({ type: 'auth', token: 'a1' });
    await a2.say({ type: 'auth', token: 'a2' });
    await a1.say({ type: 'device', device: 'softphone' });
    expect(a1.codes()).to.deep.equal(['logged_out']);
    await a1.say({ type: 'login' });
    await a1.say({ type: 'device', device: 'softphone' });
    expect(a1.of('snapshot').at(-1)?.device).to.equal('softphone');
    await a1.say({ type: 'ready' });
    await t.inbound('c1', 'support');
    await a1.say({ type: 'device', device: 'desk' });
    expect(a1.codes()).to.deep.equal(['logged_out', 'busy']);
    expect(t.devices.get('a1')).to.equal('softphone');
    // The page re-sends its choice after every welcome: the same device during a contact is fine.
    await a1.say({ type: 'login', device: 'softphone' });
    expect(a1.codes()).to.deep.equal(['logged_out', 'busy']);
    await a2.say({ type: 'login', device: 'desk' });
    expect(a2.codes()).to.deep.equal(['no_device']);
    expect(t.routing.agentState('a2')?.state).to.equal('logged-out');
  });
});

describe('CTI desktop: snapshot, state and offers', () => {
  it('welcome is followed by the state (older clients) and the snapshot; status answers a snapshot', async () => {
    const t = desktopHarness();
    const a1 = t.client();
    await a1.say({ type: 'auth', token: 'a1' });
    expect(a1.got.map((m) => m.type)).to.deep.equal(['welcome', 'state', 'snapshot']);
    expect(a1.of('snapshot')[0]).to.deep.equal({
      type: 'snapshot',
      state: 'logged-out',
      at: new Date(t.now()).toISOString(),
      device: 'desk',
      devices: { softphone: true, desk: true },
    });
    await a1.say({ type: 'status' });
    expect(a1.of('snapshot')).to.have.length(2);
  });

  it('the offer carries enteredAt; the snapshot shows the contact, its phase and the caller', async () => {
    const t = desktopHarness();
    const a1 = t.client();
    await a1.say({ type: 'auth', token: 'a1' });
    await a1.say({ type: 'login' });
    await a1.say({ type: 'ready' });
    const entered = new Date(t.now()).toISOString();
    await t.inbound('c1', 'support');
    expect(a1.of('offer')[0]).to.deep.equal({
      type: 'offer',
      contactId: 'c1',
      queueId: 'support',
      kind: 'call',
      callingNumber: '5550100',
      callingName: 'Ann',
      media: 'audio',
      enteredAt: entered,
    });
    await a1.say({ type: 'status' });
    expect(a1.of('snapshot').at(-1)?.contact).to.deep.equal({
      contactId: 'c1',
      queueId: 'support',
      kind: 'call',
      phase: 'offered',
      callingNumber: '5550100',
      callingName: 'Ann',
      media: 'audio',
      enteredAt: entered,
      recoverable: false,
    });
    await t.routing.answered('c1');
    await t.routing.held('c1');
    await a1.say({ type: 'status' });
    expect(a1.of('snapshot').at(-1)?.contact?.phase).to.equal('held');
    t.phases.observe(
      makeMessage<'Consulted'>(
        { service: 'softacd', instance: 'softacd-1' },
        {
          type: 'Consulted',
          contactId: 'c1',
          agentId: 'a1',
          target: { kind: 'number', number: '555', endpoint: 'PJSIP/555@outside', ringTimeoutSec: 20 },
        },
      ),
    );
    await a1.say({ type: 'status' });
    expect(a1.of('snapshot').at(-1)?.contact?.phase).to.equal('consulting');
  });

  it('wrap-up: the state push and the snapshot carry wrapUpEndsAt', async () => {
    const t = desktopHarness();
    const a2 = t.client();
    await a2.say({ type: 'auth', token: 'a2' });
    await a2.say({ type: 'login' });
    await a2.say({ type: 'ready' });
    await t.inbound('c1', 'sales');
    await t.routing.answered('c1');
    await t.routing.ended('c1');
    const ends = new Date(t.now() + 5_000).toISOString();
    expect(a2.of('state').at(-1)).to.deep.include({ state: 'wrap-up', wrapUpEndsAt: ends });
    await a2.say({ type: 'status' });
    expect(a2.of('snapshot').at(-1)).to.deep.include({ state: 'wrap-up', wrapUpEndsAt: ends });
    expect(
      a2
        .of('state')
        .filter((s) => s.state !== 'wrap-up')
        .every((s) => s.wrapUpEndsAt === undefined),
    ).to.equal(true);
  });
});

describe('CTI desktop: exclusive sessions', () => {
  it('a newer exclusive session supersedes the older exclusive one (4409); plain sessions stay', async () => {
    const t = desktopHarness();
    const tab1 = t.client();
    const script = t.client();
    const tab2 = t.client();
    const other = t.client();
    await tab1.say({ type: 'auth', token: 'a1', exclusive: true });
    await script.say({ type: 'auth', token: 'a1' });
    await other.say({ type: 'auth', token: 'a2', exclusive: true });
    await tab1.say({ type: 'login' });
    await tab1.say({ type: 'ready' });
    await t.inbound('c1', 'support');
    await t.routing.answered('c1');
    await tab2.say({ type: 'auth', token: 'a1', exclusive: true });
    expect(tab1.of('superseded')).to.have.length(1);
    expect(tab1.closed?.code).to.equal(4409);
    expect(script.closed).to.equal(undefined);
    expect(other.closed).to.equal(undefined);
    expect(tab2.closed).to.equal(undefined);
    expect(t.gateway.connections.of('a1')).to.have.length(2);
    // A superseded tab is not a lost client: the call is not held.
    expect(t.commands('HoldCall')).to.deep.equal([]);
  });
});
