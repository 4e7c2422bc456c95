import type { Draft, MessageType } from '../../lib/messages';
import { ari } from '../support/ari';
import { eventually } from '../support/bus-observer';
import { CallControlFixture, sippOk } from '../support/call-control';
import { expect } from '../support/chai';
import { publishCommand } from '../support/softacd-commands';
import { sipp } from '../support/sipp';

/**
 * Taking a held call back (issue 11: the agent's page reloaded) on real parts. CTI's take-back is built
 * elsewhere: the test is CTI here, publishing HoldCall/ReconnectAgent/RetrieveCall/ClearCall to the
 * SoftACD that owns the call, as CTI would. Agent 1002's phone (sipp 5401) takes a support call (201);
 * the new leg rings agent 1003's endpoint (sipp 5411) or a WebRTC leg (`PJSIP/guest/<uri>`: a
 * webrtc=yes endpoint, sipp 5521 answering like a browser). Media ports 17400-17490.
 */
describe('take-back: a held call gets a new agent leg and the caller stays', function () {
  this.timeout(90_000);
  const fx = new CallControlFixture();

  before(() => fx.start());
  afterEach(() => fx.signOutAll());
  after(() => fx.stop());

  const command = <T extends MessageType>(draft: Draft<T>) => publishCommand(draft);
  const types = (contactId: string) => fx.forContact(contactId).map((s) => String(s.body.type));
  const seen = (contactId: string, type: string) =>
    fx.forContact(contactId).filter((s) => s.body.type === type);

  /** A support call answered by 1002's phone; resolves once Established, with the sipp runs going on. */
  async function established(
    number: string,
    callerHoldMs: number,
    mediaPort: number,
    scenario = 'uac-audio.xml',
  ) {
    await fx.signIn(fx.a2, true);
    const firstPhone = sipp('agent-answer.xml', {
      service: 'agent1002',
      localPort: 5401,
      holdMs: 300,
      extra: ['-mp', String(mediaPort)],
      timeoutSec: 60,
    });
    await new Promise((r) => setTimeout(r, 300));
    const caller = sipp(scenario, {
      service: '201',
      localPort: 5402,
      holdMs: callerHoldMs,
      vars: { caller: number, caller_name: 'Take Back' },
      extra: ['-mp', String(mediaPort + 10)],
      timeoutSec: 60,
    });
    const delivered = await eventually(
      'call delivered',
      () => fx.bus.seen.find((s) => s.body.type === 'CallDelivered' && s.body.callingNumber === number),
      15_000,
    );
    const contactId = String(delivered.body.contactId);
    const est = await eventually('Established', () => seen(contactId, 'Established')[0], 20_000);
    return { contactId, firstLeg: String(est.body.agentChannelId), firstPhone, caller };
  }

  async function hold(contactId: string): Promise<void> {
    await command<'HoldCall'>({ type: 'HoldCall', contactId, agentId: fx.a2 });
    await eventually('Held', () => seen(contactId, 'Held')[0], 5000);
  }

  const alive = async (channelId: string) =>
    ari.get(`/channels/${encodeURIComponent(channelId)}`).then(
      () => true,
      () => false,
    );

  it('ReconnectAgent: new leg answers, old leg hung up, the call stays held; retrieve, then cleared once', async () => {
    const number = '15554470001';
    const { contactId, firstLeg, firstPhone, caller } = await established(number, 16_000, 17400);
    await hold(contactId);
    const newPhone = sipp('agent-answer.xml', {
      service: 'agent1003',
      localPort: 5411,
      holdMs: 300,
      extra: ['-mp', '17420'],
      timeoutSec: 60,
    });
    await new Promise((r) => setTimeout(r, 300));
    await command<'ReconnectAgent'>({
      type: 'ReconnectAgent',
      contactId,
      agentId: fx.a2,
      endpoint: 'PJSIP/agent1003',
      ringTimeoutSec: 10,
    });
    const back = await eventually('AgentReconnected', () => seen(contactId, 'AgentReconnected')[0], 10_000);
    const newLeg = String(back.body.agentChannelId);
    expect(back.body.agentId).to.equal(fx.a2);
    expect(newLeg).to.not.equal(firstLeg);
    sippOk(await firstPhone, 'first phone (hung up by the take-back)');
    const callerChannel = fx.callerChannel(contactId);
    expect(await alive(callerChannel), 'caller still there').to.equal(true);
    expect(await alive(firstLeg), 'old agent leg gone').to.equal(false);
    expect(types(contactId)).to.not.include('ConnectionCleared');
    // SoftACD keeps the call held; CTI, whose agent asked for the call back, retrieves it at once
    // (cti/app/lost-calls.ts): the new leg joins the caller in the bridge.
    await eventually('Retrieved', () => seen(contactId, 'Retrieved')[0], 5000);
    expect((await fx.bridge(contactId)).channels.sort()).to.deep.equal([callerChannel, newLeg].sort());

    sippOk(await caller, 'caller');
    sippOk(await newPhone, 'new phone');
    const cleared = await fx.clearedOnce(contactId);
    expect(cleared.body).to.include({ releasedBy: 'caller', stage: 'talking' });
    fx.expectOrdered(
      types(contactId),
      ['Established', 'Held', 'AgentReconnected', 'Retrieved', 'ConnectionCleared'],
      'events',
    );
    await fx.clean(contactId, number);
  });

  it('refusals: not held, and a busy phone; the held caller stays either way', async () => {
    const number = '15554470002';
    const { contactId, firstPhone, caller } = await established(number, 0, 17430, 'caller-until-bye.xml');
    const reconnect = () =>
      command<'ReconnectAgent'>({
        type: 'ReconnectAgent',
        contactId,
        agentId: fx.a2,
        endpoint: 'PJSIP/agent1003',
        ringTimeoutSec: 5,
      });
    await reconnect();
    const notHeld = await eventually('ReconnectFailed', () => seen(contactId, 'ReconnectFailed')[0], 5000);
    expect(notHeld.body.reason).to.equal('not-held');

    await hold(contactId);
    const busy = sipp('agent-busy.xml', { service: 'agent1003', localPort: 5411, holdMs: 300 });
    await new Promise((r) => setTimeout(r, 300));
    await reconnect();
    sippOk(await busy, 'busy phone');
    const failed = await eventually(
      'second ReconnectFailed',
      () => seen(contactId, 'ReconnectFailed')[1],
      10_000,
    );
    expect(failed.body.reason).to.equal('busy');
    expect(await alive(fx.callerChannel(contactId)), 'caller still there').to.equal(true);
    expect(types(contactId)).to.not.include('AgentReconnected');

    // The agent leaves through CTI (ClearCall): released as before.
    await command<'ClearCall'>({ type: 'ClearCall', contactId, by: 'agent', agentId: fx.a2 });
    const cleared = await fx.clearedOnce(contactId);
    expect(cleared.body).to.include({ releasedBy: 'agent', stage: 'talking' });
    sippOk(await caller, 'caller (hung up by the agent)');
    sippOk(await firstPhone, 'first phone');
    await fx.clean(contactId, number);
  });

  it('a softphone leg lost while held keeps the caller on hold; the agent takes it back', async () => {
    const number = '15554470003';
    const { contactId, firstPhone, caller } = await established(number, 20_000, 17440);
    await hold(contactId);
    // The call moves to a WebRTC leg (a browser), which then goes away by itself once held again.
    const softphone = sipp('softphone-bye.xml', {
      service: 'softphone',
      localPort: 5521,
      holdMs: 4000,
      extra: ['-mp', '17470'],
    });
    await new Promise((r) => setTimeout(r, 300));
    await command<'ReconnectAgent'>({
      type: 'ReconnectAgent',
      contactId,
      agentId: fx.a2,
      endpoint: 'PJSIP/guest/sip:softphone@127.0.0.1:5521',
      ringTimeoutSec: 10,
    });
    const first = await eventually('AgentReconnected', () => seen(contactId, 'AgentReconnected')[0], 10_000);
    // CTI retrieves a taken-back call at once; the agent holds it again before its browser goes away.
    await eventually('Retrieved', () => seen(contactId, 'Retrieved')[0], 5000);
    await command<'HoldCall'>({ type: 'HoldCall', contactId, agentId: fx.a2 });
    await eventually('held again', () => seen(contactId, 'Held')[1], 3000);
    sippOk(await firstPhone, 'desk phone (hung up by the take-back)');
    sippOk(await softphone, 'softphone (its leg ended by itself)');
    await eventually('softphone leg gone', async () => !(await alive(String(first.body.agentChannelId))));
    await new Promise((r) => setTimeout(r, 1500));
    expect(types(contactId), 'not released').to.not.include('ConnectionCleared');
    const callerChannel = fx.callerChannel(contactId);
    expect(await alive(callerChannel), 'caller still on hold').to.equal(true);

    const deskAgain = sipp('agent-answer.xml', {
      service: 'agent1003',
      localPort: 5411,
      holdMs: 300,
      extra: ['-mp', '17480'],
      timeoutSec: 60,
    });
    await new Promise((r) => setTimeout(r, 300));
    await command<'ReconnectAgent'>({
      type: 'ReconnectAgent',
      contactId,
      agentId: fx.a2,
      endpoint: 'PJSIP/agent1003',
      ringTimeoutSec: 10,
    });
    await eventually('second AgentReconnected', () => seen(contactId, 'AgentReconnected')[1], 10_000);
    // Retrieved by CTI again, now with the desk phone's leg.
    await eventually('Retrieved again', () => seen(contactId, 'Retrieved')[1], 5000);
    sippOk(await caller, 'caller');
    sippOk(await deskAgain, 'desk phone after the take-back');
    const cleared = await fx.clearedOnce(contactId);
    expect(cleared.body).to.include({ releasedBy: 'caller', stage: 'talking' });
    await fx.clean(contactId, number, /agent100[23]|guest/);
  });
});
