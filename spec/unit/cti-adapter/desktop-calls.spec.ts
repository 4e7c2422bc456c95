import { makeMessage, type Draft, type MessageType } from '../../../lib/messages';
import { expect } from '../../support/chai';
import { desktopHarness, settle, type DesktopHarness } from './desktop-harness';

const softacd = (instance = 'softacd-1') => ({ service: 'softacd' as const, instance });
const event = <T extends MessageType>(draft: Draft<T>, instance?: string) =>
  makeMessage(softacd(instance), draft);

/** a1 logged in on `device`, ready, talking with inbound caller c1 (support). */
async function talking(t: DesktopHarness, device: 'softphone' | 'desk') {
  const page = t.client();
  await page.say({ type: 'auth', token: 'a1', exclusive: true });
  await page.say({ type: 'login', device });
  await page.say({ type: 'ready' });
  await t.inbound('c1', 'support');
  await t.routing.answered('c1');
  return page;
}

describe('CTI desktop: a lost client mid-call', () => {
  it('the last connection closing holds a softphone call (HoldCall to its SoftACD); the snapshot offers it back', async () => {
    const t = desktopHarness();
    const page = await talking(t, 'softphone');
    const script = t.client();
    await script.say({ type: 'auth', token: 'a1' });
    script.socket.close(1000, 'bye');
    await settle();
    expect(t.commands('HoldCall'), 'another connection is still open').to.deep.equal([]);
    page.socket.close(1001, 'reload');
    await settle();
    expect(
      t.commands('HoldCall').map((c) => `${c.to}:${c.draft.contactId}:${c.draft.agentId}`),
    ).to.deep.equal(['softacd-1:c1:a1']);
    expect(t.lost.recoverable('c1')).to.equal(true);
    await t.routing.held('c1'); // SoftACD's Held
    const again = t.client();
    await again.say({ type: 'auth', token: 'a1', exclusive: true });
    expect(again.of('snapshot')[0]?.contact).to.deep.include({
      contactId: 'c1',
      phase: 'held',
      recoverable: true,
    });
    t.lost.stop();
  });

  it('a desk phone call is not held when the page goes away', async () => {
    const t = desktopHarness();
    const page = await talking(t, 'desk');
    page.socket.close(1001, 'reload');
    await settle();
    expect(t.commands('HoldCall')).to.deep.equal([]);
    expect(t.lost.recoverable('c1')).to.equal(false);
  });

  it('take-back rings the current device (ReconnectAgent); AgentReconnected -> taken-back, ReconnectFailed -> take-back-failed', async () => {
    const t = desktopHarness();
    const page = await talking(t, 'softphone');
    page.socket.close(1001, 'reload');
    await settle();
    await t.routing.held('c1');
    const again = t.client();
    await again.say({ type: 'auth', token: 'a1', exclusive: true });
    await again.say({ type: 'take-back', contactId: 'c1' });
    expect(t.commands('ReconnectAgent').map((c) => ({ to: c.to, ...c.draft }))).to.deep.equal([
      {
        to: 'softacd-1',
        type: 'ReconnectAgent',
        contactId: 'c1',
        agentId: 'a1',
        endpoint: 'PJSIP/webrtc1001',
        ringTimeoutSec: 30,
      },
    ]);
    t.lost.reconnectFailed(
      event<'ReconnectFailed'>({
        type: 'ReconnectFailed',
        contactId: 'c1',
        agentId: 'a1',
        reason: 'no-answer',
      }),
    );
    expect(again.of('take-back-failed')).to.deep.equal([
      { type: 'take-back-failed', contactId: 'c1', reason: 'no-answer' },
    ]);
    expect(t.lost.recoverable('c1')).to.equal(true);
    await t.lost.reconnected(
      event<'AgentReconnected'>({
        type: 'AgentReconnected',
        contactId: 'c1',
        agentId: 'a1',
        agentChannelId: 'c1-agent-2',
      }),
    );
    expect(again.of('taken-back')).to.deep.equal([{ type: 'taken-back', contactId: 'c1' }]);
    // The agent asked for the call: it is retrieved from hold at once.
    expect(t.commands('RetrieveCall').map((c) => c.draft)).to.deep.equal([
      { type: 'RetrieveCall', contactId: 'c1', agentId: 'a1' },
    ]);
    expect(t.lost.recoverable('c1')).to.equal(false);
  });

  it('take-back is refused for a call that is not held or not the agent’s', async () => {
    const t = desktopHarness();
    const page = await talking(t, 'softphone');
    await page.say({ type: 'take-back', contactId: 'c1' });
    await page.say({ type: 'take-back', contactId: 'nope' });
    expect(page.codes()).to.deep.equal(['illegal_state', 'gone']);
    expect(t.commands('ReconnectAgent')).to.deep.equal([]);
  });

  it('an agent that never comes back: the caller is transferred back to its queue after the timeout', async () => {
    const t = desktopHarness({ lostTimeoutMs: 30 });
    const page = await talking(t, 'softphone');
    page.socket.close(1001, 'gone');
    await settle();
    await t.routing.held('c1');
    await new Promise((r) => setTimeout(r, 60));
    expect(t.commands('TransferCall').map((c) => c.draft)).to.deep.equal([
      { type: 'TransferCall', contactId: 'c1', agentId: 'a1', target: { kind: 'queue', queueId: 'support' } },
    ]);
    expect(t.lost.recoverable('c1')).to.equal(false);
  });

  it('an agent that comes back and takes the call: no transfer at the timeout', async () => {
    const t = desktopHarness({ lostTimeoutMs: 30 });
    const page = await talking(t, 'softphone');
    page.socket.close(1001, 'gone');
    await settle();
    await t.lost.reconnected(
      event<'AgentReconnected'>({
        type: 'AgentReconnected',
        contactId: 'c1',
        agentId: 'a1',
        agentChannelId: 'x',
      }),
    );
    await new Promise((r) => setTimeout(r, 60));
    expect(t.commands('TransferCall')).to.deep.equal([]);
  });
});

describe('CTI desktop: click-to-dial', () => {
  it('dial: an outbound contact of this agent, DialCallback on its device, offer kind outbound, interaction outbound', async () => {
    const t = desktopHarness();
    const page = t.client();
    await page.say({ type: 'auth', token: 'a1' });
    await page.say({ type: 'login', device: 'softphone' });
    await page.say({ type: 'dial', number: '5550199' });
    expect(page.codes()).to.deep.equal([]);
    const [dial] = t.commands('DialCallback');
    expect(dial?.to).to.equal('softacd-1');
    const contactId = dial?.draft.contactId ?? '';
    // Without queueId: the first queue whose skills the agent has (a1: support, not sales).
    expect(dial?.draft).to.deep.equal({
      type: 'DialCallback',
      contactId,
      agentId: 'a1',
      queueId: 'support',
      endpoint: 'PJSIP/webrtc1001',
      ringTimeoutSec: 15,
      callerIdNumber: '5551001',
      number: '5550199',
      customerEndpoint: 'PJSIP/5550199@outside',
      customerRingTimeoutSec: 25,
    });
    expect(t.created).to.have.length(1);
    expect(t.created[0]).to.deep.include({
      _id: contactId,
      direction: 'outbound',
      to: '5550199',
      queueId: 'support',
      agentId: 'a1',
    });
    expect(page.of('offer')).to.deep.equal([
      {
        type: 'offer',
        contactId,
        queueId: 'support',
        kind: 'outbound',
        number: '5550199',
        enteredAt: new Date(t.now()).toISOString(),
      },
    ]);
    expect(t.routing.agentState('a1')?.state).to.equal('reserved');
    // The callback's events follow: the agent answers (dialling), the customer answers (talking).
    await t.routing.ringing(contactId, 'a1');
    await t.routing.callbackDialing(contactId);
    t.phases.observe(
      event<'CallbackDialing'>({ type: 'CallbackDialing', contactId, agentId: 'a1', number: '5550199' }),
    );
    await page.say({ type: 'status' });
    expect(page.of('snapshot').at(-1)?.contact).to.deep.include({
      kind: 'outbound',
      phase: 'dialling',
      number: '5550199',
    });
    t.phases.observe(
      event<'Established'>({ type: 'Established', contactId, agentId: 'a1', agentChannelId: 'x' }),
    );
    await page.say({ type: 'status' });
    expect(page.of('snapshot').at(-1)?.contact?.phase).to.equal('talking');
    expect(t.owners.agent(contactId)).to.equal('a1');
    expect(t.owners.softacd(contactId)).to.equal('softacd-1');
  });

  it('dial is refused logged out, on a contact, or to an unknown queue', async () => {
    const t = desktopHarness();
    const page = t.client();
    await page.say({ type: 'auth', token: 'a1' });
    await page.say({ type: 'dial', number: '555' });
    await page.say({ type: 'login' });
    await page.say({ type: 'dial', number: '555', queueId: 'nope' });
    await page.say({ type: 'ready' });
    await t.inbound('c1', 'support');
    await page.say({ type: 'dial', number: '555' });
    await page.say({ type: 'dial', number: 'abc' });
    expect(page.codes()).to.deep.equal(['logged_out', 'unknown_queue', 'busy', 'bad_message']);
    expect(t.commands('DialCallback')).to.deep.equal([]);
    expect(t.created).to.deep.equal([]);
  });

  it('the customer not answering ends the outbound contact: agent ready, page told callback-failed (no retry)', async () => {
    const t = desktopHarness();
    const page = t.client();
    await page.say({ type: 'auth', token: 'a1' });
    await page.say({ type: 'login' });
    await page.say({ type: 'dial', number: '555' });
    const contactId = t.commands('DialCallback')[0]?.draft.contactId ?? '';
    await t.routing.callbackDialing(contactId);
    const failed = event<'CallbackFailed'>({
      type: 'CallbackFailed',
      contactId,
      agentId: 'a1',
      number: '555',
      reason: 'busy',
    });
    expect(t.outbound.handles(failed)).to.equal(true);
    await t.outbound.failed(failed);
    expect(t.routing.agentState('a1')?.state).to.equal('ready');
    expect(page.of('callback-failed')).to.deep.equal([
      { type: 'callback-failed', contactId, reason: 'busy', retry: false },
    ]);
    expect(
      t.timeline.filter((e) => e.contactId === contactId && e.type === 'CallbackFailed')[0]?.set,
    ).to.deep.include({
      state: 'cleared',
      abandoned: false,
    });
    expect(t.owners.knows(contactId)).to.equal(false);
  });

  it("the agent's device not answering ends it: agent not-ready", async () => {
    const t = desktopHarness();
    const page = t.client();
    await page.say({ type: 'auth', token: 'a1' });
    await page.say({ type: 'login' });
    await page.say({ type: 'ready' });
    await page.say({ type: 'dial', number: '555' });
    const contactId = t.commands('DialCallback')[0]?.draft.contactId ?? '';
    await t.outbound.failed(
      event<'DivertFailed'>({ type: 'DivertFailed', contactId, agentId: 'a1', reason: 'no-answer' }),
    );
    expect(t.routing.agentState('a1')).to.deep.equal({ state: 'not-ready', reason: 'ring-no-answer' });
    expect(t.domain.contactView(contactId).ok).to.equal(false);
  });
});

describe('CTI desktop: desk phone feature codes (AgentFeature)', () => {
  const feature = (
    t: DesktopHarness,
    f: Omit<Draft<'AgentFeature'>, 'type' | 'contactId'>,
    contactId = 'ch-1',
  ) => t.desk.handle(event<'AgentFeature'>({ type: 'AgentFeature', contactId, ...f }, 'softacd-7'));
  const results = (t: DesktopHarness) =>
    t.commands('AgentFeatureResult').map((c) => ({ to: c.to, ...c.draft }));

  it('login from the desk phone logs its agent in on the desk device and answers the asking SoftACD', async () => {
    const t = desktopHarness();
    const page = t.client();
    await page.say({ type: 'auth', token: 'a1' });
    await feature(t, { endpoint: 'PJSIP/1001', feature: 'login' });
    expect(results(t)).to.deep.equal([
      {
        to: 'softacd-7',
        type: 'AgentFeatureResult',
        contactId: 'ch-1',
        feature: 'login',
        ok: true,
        agentId: 'a1',
        state: 'not-ready',
      },
    ]);
    expect(t.devices.get('a1')).to.equal('desk');
    expect(page.of('snapshot').at(-1)).to.deep.include({ state: 'not-ready', device: 'desk' });
  });

  it('a phone that is no agent’s desk phone is refused (unknown_phone); a softphone cannot use codes', async () => {
    const t = desktopHarness();
    await feature(t, { endpoint: 'PJSIP/9999', feature: 'login' });
    await feature(t, { endpoint: 'PJSIP/webrtc1002', feature: 'login' });
    expect(results(t).map((r) => `${r.ok}:${r.error}`)).to.deep.equal([
      'false:unknown_phone',
      'false:unknown_phone',
    ]);
    expect(t.routing.agentState('a2')?.state).to.equal('logged-out');
  });

  it('ready, not-ready N (the N-th reason in the AS order), unknown reason, logout', async () => {
    const t = desktopHarness();
    await feature(t, { endpoint: 'PJSIP/1001', feature: 'login' });
    await feature(t, { endpoint: 'PJSIP/1001', feature: 'ready' });
    await feature(t, { endpoint: 'PJSIP/1001', feature: 'not-ready', reasonDigit: 2 });
    expect(t.routing.agentState('a1')).to.deep.equal({ state: 'not-ready', reason: 'lunch' });
    await feature(t, { endpoint: 'PJSIP/1001', feature: 'not-ready', reasonDigit: 3 });
    await feature(t, { endpoint: 'PJSIP/1001', feature: 'logout' });
    expect(results(t).map((r) => `${r.feature}:${r.ok}:${r.state}:${r.error}`)).to.deep.equal([
      'login:true:not-ready:undefined',
      'ready:true:ready:undefined',
      'not-ready:true:not-ready:undefined',
      'not-ready:false:not-ready:unknown_reason',
      'logout:true:logged-out:undefined',
    ]);
    expect(t.devices.get('a1')).to.equal(undefined);
  });

  it('dial: the phone channel becomes an outbound contact, the agent talks, the reply carries the dial', async () => {
    const t = desktopHarness();
    const page = t.client();
    await page.say({ type: 'auth', token: 'a1' });
    await feature(t, { endpoint: 'PJSIP/1001', feature: 'login' });
    await feature(t, { endpoint: 'PJSIP/1001', feature: 'dial', number: '5550123' }, 'ch-dial');
    expect(results(t)[1]).to.deep.equal({
      to: 'softacd-7',
      type: 'AgentFeatureResult',
      contactId: 'ch-dial',
      feature: 'dial',
      ok: true,
      agentId: 'a1',
      state: 'talking',
      dial: {
        queueId: 'support',
        number: '5550123',
        customerEndpoint: 'PJSIP/5550123@outside',
        customerRingTimeoutSec: 25,
        callerIdNumber: '5551001',
      },
    });
    expect(t.domain.contactView('ch-dial').ok && t.domain.contactView('ch-dial')).to.deep.include({
      ok: true,
    });
    expect(t.routing.contact('ch-dial')).to.deep.include({ state: 'connected', agentId: 'a1' });
    expect(t.owners.softacd('ch-dial')).to.equal('softacd-7');
    expect(t.created[0]).to.deep.include({ _id: 'ch-dial', direction: 'outbound', to: '5550123' });
    expect(page.of('offer').at(-1)).to.deep.include({
      contactId: 'ch-dial',
      kind: 'outbound',
      number: '5550123',
    });
    // A second dial while on it: busy. The call ends as any call: wrap-up (support: none) -> ready.
    await feature(t, { endpoint: 'PJSIP/1001', feature: 'dial', number: '5550124' }, 'ch-2');
    expect(results(t)[2]).to.deep.include({ ok: false, error: 'busy' });
    await t.routing.ended('ch-dial');
    expect(t.routing.agentState('a1')?.state).to.equal('ready');
  });

  it('a desk phone that dials while its agent is on the softphone moves the agent to the desk device', async () => {
    const t = desktopHarness();
    const page = t.client();
    await page.say({ type: 'auth', token: 'a1' });
    await page.say({ type: 'login', device: 'softphone' });
    await feature(t, { endpoint: 'PJSIP/1001', feature: 'dial', number: '5550123' }, 'ch-dial');
    expect(results(t)[0]).to.deep.include({ ok: true });
    expect(t.devices.get('a1')).to.equal('desk');
    // The page goes away: the call is on the desk phone, so it is not held.
    page.socket.close(1001, 'reload');
    await settle();
    expect(t.commands('HoldCall')).to.deep.equal([]);
  });

  it('dial while logged out is refused', async () => {
    const t = desktopHarness();
    await feature(t, { endpoint: 'PJSIP/1001', feature: 'dial', number: '5550123' });
    expect(results(t)[0]).to.deep.include({ ok: false, error: 'refused', state: 'logged-out' });
    expect(t.created).to.deep.equal([]);
  });
});
