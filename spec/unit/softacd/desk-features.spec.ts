import type { MessageOf } from '../../../lib/messages';
import { expect } from '../../support/chai';
import { deskHarness, envelope } from './desk-harness';

const phone = 'ph1';
const name = 'PJSIP/agent1004-00000001';
const tick = () => new Promise((r) => setTimeout(r, 5));

function result(
  feature: MessageOf<'AgentFeatureResult'>['feature'],
  ok: boolean,
  extra: Partial<MessageOf<'AgentFeatureResult'>> = {},
): MessageOf<'AgentFeatureResult'> {
  return { ...envelope(phone), type: 'AgentFeatureResult', feature, ok, ...extra };
}

const dialGrant = result('dial', true, {
  agentId: 'a4',
  dial: {
    queueId: 'sales',
    number: '5551234',
    customerEndpoint: 'PJSIP/5551234@outside',
    customerRingTimeoutSec: 20,
    callerIdName: 'IPCC Demo',
    callerIdNumber: '100',
  },
});

/** The phone dials `code`; CTI's answer (if any) is given once AgentFeature is out. */
async function dialled(code: string, answer?: MessageOf<'AgentFeatureResult'>) {
  const h = deskHarness();
  const done = h.desk.arrived(phone, code, name);
  await tick();
  if (answer !== undefined) h.desk.result(answer);
  await done;
  return h;
}

describe('desk-phone features: asked, spoken, hung up; a granted dial goes out', () => {
  it('asks CTI with the phone as endpoint, speaks the granted outcome, then hangs up', async () => {
    const h = await dialled('*642', result('not-ready', true, { agentId: 'a4', state: 'not-ready' }));
    expect(h.emitted).to.deep.equal([
      {
        type: 'AgentFeature',
        contactId: phone,
        endpoint: 'PJSIP/agent1004',
        feature: 'not-ready',
        reasonDigit: 2,
      },
    ]);
    expect(h.asked).to.deep.equal([
      `answer ${phone}`,
      `play ${phone} ${phone}-feature sound:ipcc/feature-not-ready`,
      `hangup ${phone}`,
    ]);
    expect(h.desk.size, 'no wait left').to.equal(0);
  });

  it('a refusal, no answer in time and an unknown code are all spoken as refused', async () => {
    const refusedPlay = `play ${phone} ${phone}-feature sound:ipcc/feature-refused`;
    const refused = await dialled('*61', result('login', false, { error: 'unknown_phone' }));
    expect(refused.asked).to.include(refusedPlay);
    const silent = await dialled('*62');
    expect(silent.asked).to.include(refusedPlay);
    const unknown = await dialled('*99');
    expect(unknown.emitted).to.deep.equal([]);
    expect(unknown.asked).to.deep.equal([`answer ${phone}`, refusedPlay, `hangup ${phone}`]);
    // A late answer finds nobody waiting and changes nothing.
    silent.desk.result(result('logout', true));
    expect(silent.asked.at(-1)).to.equal(`hangup ${phone}`);
  });

  it('a granted dial: the phone hears ringback in the bridge, the number is called, its answer is Established', async () => {
    const h = await dialled('95551234', dialGrant);
    const call = h.svc.calls.byContactId(phone)!;
    expect(call).to.include({ state: 'outboundDialling', agentChannelId: phone, agentId: 'a4' });
    const leg = call.channelId;
    expect(h.asked).to.deep.equal([
      `answer ${phone}`,
      `bridge ${phone}-bridge ${phone}`,
      `play ${phone} ${phone}-ringback tone:ring`,
      `originate PJSIP/5551234@outside ${leg} outbound,${phone} 20`,
    ]);
    await h.outbound.answered(leg);
    expect(h.asked.slice(-2)).to.deep.equal([`stop ${phone}-ringback`, `add ${phone}-bridge ${leg}`]);
    expect(h.emitted.at(-1)).to.deep.equal({
      type: 'Established',
      contactId: phone,
      agentId: 'a4',
      agentChannelId: phone,
    });
    // An ordinary call from now on: held, retrieved, released once by the phone's hang-up.
    await h.svc.holdCall({ ...envelope(phone), type: 'HoldCall', agentId: 'a4' });
    expect(h.types().at(-1)).to.equal('Held');
    await h.svc.channelDestroyed(phone, 16, 'Normal Clearing', name);
    expect(h.emitted.at(-1)).to.include({ type: 'ConnectionCleared', releasedBy: 'agent', stage: 'talking' });
    expect(h.asked).to.include(`hangup ${leg}`);
  });

  it('a number that is busy: cleared once (ringing), the phone hears so and is hung up', async () => {
    const h = await dialled('95551234', dialGrant);
    const leg = h.svc.calls.byContactId(phone)!.channelId;
    await h.svc.channelDestroyed(leg, 17, 'User busy');
    await new Promise((r) => setTimeout(r, 60)); // the prompt's (short) limit in the harness
    expect(h.emitted.at(-1)).to.deep.equal({
      type: 'ConnectionCleared',
      contactId: phone,
      releasedBy: 'caller',
      stage: 'ringing',
      cause: 17,
      causeText: 'busy',
    });
    expect(h.asked).to.include(`play ${phone} ${phone}-feature sound:ipcc/feature-dial-failed`);
    expect(h.asked.at(-1)).to.equal(`hangup ${phone}`);
    await h.svc.channelDestroyed(phone, 16, 'Normal Clearing', name);
    expect(h.types().filter((t) => t === 'ConnectionCleared')).to.have.length(1);
    expect(h.svc.calls.size).to.equal(0);
  });

  it('the phone hanging up while the number rings: the number is hung up, cleared once by the agent', async () => {
    const h = await dialled('95551234', dialGrant);
    const leg = h.svc.calls.byContactId(phone)!.channelId;
    await h.svc.channelDestroyed(phone, 16, 'Normal Clearing', name);
    expect(h.emitted.at(-1)).to.include({ type: 'ConnectionCleared', releasedBy: 'agent', stage: 'ringing' });
    expect(h.asked).to.include(`hangup ${leg}`);
    expect(h.asked).to.include(`destroy ${phone}-bridge`);
    await h.outbound.answered(leg);
    expect(h.types().filter((t) => t === 'Established')).to.deep.equal([]);
  });

  it('a grant without a number or agent, or a number Asterisk cannot call, is refused aloud', async () => {
    const bare = await dialled('95551234', result('dial', true));
    expect(bare.asked).to.include(`play ${phone} ${phone}-feature sound:ipcc/feature-refused`);
    const h = deskHarness({ unreachable: new Set(['PJSIP/5551234@outside']) });
    const done = h.desk.arrived(phone, '95551234', name);
    await tick();
    h.desk.result(dialGrant);
    await done;
    await new Promise((r) => setTimeout(r, 60));
    expect(h.emitted.at(-1)).to.include({
      type: 'ConnectionCleared',
      releasedBy: 'system',
      stage: 'ringing',
    });
    expect(h.asked).to.include(`play ${phone} ${phone}-feature sound:ipcc/feature-dial-failed`);
    expect(h.svc.calls.size).to.equal(0);
  });
});
