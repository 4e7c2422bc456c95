import winston from 'winston';
import type { Draft, MessageOf, MessageType } from '../../../lib/messages';
import type { CallMediaControl } from '../../../stasis-app/ari/call-media';
import type { ChannelControl } from '../../../stasis-app/ari/channels';
import { SoftAcdService } from '../../../stasis-app/softacd/service';
import { expect } from '../../support/chai';

/** SoftACD dialling a callback, on plain ports: what it asked of Asterisk and what it reported. */
function harness(o: { unreachable?: Set<string> } = {}) {
  const asked: string[] = [];
  const emitted: Array<Draft<MessageType>> = [];
  const step = (line: string, ok = true) => {
    asked.push(line);
    return Promise.resolve(ok);
  };
  const channels: ChannelControl = {
    media: () => Promise.resolve('audio'),
    move: () => Promise.resolve(true),
    hangup: (id) => step(`hangup ${id}`).then(() => undefined),
    answer: () => Promise.resolve(true),
    tag: () => Promise.resolve(true),
    follow: () => Promise.resolve(true),
    originate: (x) => {
      asked.push(`originate ${x.endpoint} ${x.channelId} ${x.args.join(',')} ${x.timeoutSec}`);
      return o.unreachable?.has(x.endpoint)
        ? Promise.reject(new Error('Allocation failed'))
        : Promise.resolve();
    },
    bridge: (b, ids) => step(`bridge ${b} ${ids.join('+')}`),
    destroyBridge: (b) => step(`destroy ${b}`).then(() => undefined),
  };
  const callMedia: CallMediaControl = {
    startMoh: (id) => step(`moh ${id}`),
    stopMoh: (id) => step(`unmoh ${id}`),
    play: (id, pb, media) => step(`play ${id} ${pb} ${media.join(',')}`),
    stopPlayback: (pb) => step(`stop ${pb}`),
    removeFromBridge: (b, id) => step(`remove ${b} ${id}`),
    addToBridge: (b, id) => step(`add ${b} ${id}`),
    recordChannel: () => Promise.resolve(true),
  };
  const svc = new SoftAcdService({
    channels,
    callMedia,
    emit: <T extends MessageType>(d: Draft<T>) => {
      emitted.push(d);
      return Promise.resolve();
    },
    log: winston.createLogger({ silent: true }),
    instanceId: 'softacd-t',
    ivrApp: 'ivr',
    softacdApp: 'softacd',
    releaseIvr: () => Promise.resolve(),
  });
  return { svc, asked, emitted, types: () => emitted.map((e) => e.type) };
}

const command = (agentId = 'a1'): MessageOf<'DialCallback'> => ({
  id: '00000000-0000-4000-8000-000000000000',
  contactId: 'k1',
  source: { service: 'cti', instance: 'cti-t' },
  at: new Date().toISOString(),
  v: 1,
  type: 'DialCallback',
  agentId,
  queueId: 'support',
  endpoint: `PJSIP/agent-${agentId}`,
  ringTimeoutSec: 20,
  number: '15550001',
  customerEndpoint: 'PJSIP/15550001@outside',
  customerRingTimeoutSec: 30,
});

/** Agent a1 rang and answered; the customer is being dialled. */
async function dialling(o: { unreachable?: Set<string> } = {}) {
  const h = harness(o);
  await h.svc.dialCallback(command());
  const call = h.svc.calls.byContactId('k1')!;
  const agentLeg = call.agentChannelId!;
  await h.svc.agentRinging(agentLeg);
  await h.svc.callbackAnswered(agentLeg);
  return { h, call, agentLeg, customerLeg: call.channelId };
}

describe('SoftACD callback dialling (plain ports)', () => {
  it('calls the agent first, then the customer; bridges both and reports Established', async () => {
    const { h, call, agentLeg, customerLeg } = await dialling();
    expect(agentLeg).to.match(/^k1-agent-/);
    expect(customerLeg).to.match(/^k1-customer-/);
    expect(h.asked.slice(0, 4)).to.deep.equal([
      `originate PJSIP/agent-a1 ${agentLeg} callback,k1 20`,
      `bridge k1-bridge ${agentLeg}`,
      `play ${agentLeg} k1-ringback tone:ring`,
      `originate PJSIP/15550001@outside ${customerLeg} callback,k1 30`,
    ]);
    expect(h.types()).to.deep.equal(['CallDiverted', 'CallDelivered', 'CallbackDialing']);
    expect(h.emitted[1]).to.deep.include({ deliveredTo: { kind: 'agent', agentId: 'a1' } });
    expect(call.state).to.equal('callbackDialling');
    await h.svc.callbackAnswered(customerLeg);
    expect(h.asked.slice(4)).to.deep.equal(['stop k1-ringback', `add k1-bridge ${customerLeg}`]);
    expect(call.state).to.equal('talking');
    expect(h.emitted.at(-1)).to.deep.include({
      type: 'Established',
      agentId: 'a1',
      agentChannelId: agentLeg,
    });
    // From here it is an ordinary call: the customer hanging up clears it once, stage talking.
    await h.svc.channelDestroyed(customerLeg, 16, 'Normal Clearing');
    await h.svc.channelDestroyed(agentLeg, 16, 'Normal Clearing');
    const cleared = h.emitted.filter((e) => e.type === 'ConnectionCleared');
    expect(cleared).to.have.length(1);
    expect(cleared[0]).to.include({ releasedBy: 'caller', stage: 'talking' });
    expect(h.asked.slice(-2)).to.deep.equal([`hangup ${agentLeg}`, 'destroy k1-bridge']);
    expect(h.svc.calls.size).to.equal(0);
  });

  it('customer busy / not answering: CallbackFailed with the reason, agent leg and bridge gone, no ConnectionCleared', async () => {
    for (const [cause, reason] of [
      [17, 'busy'],
      [19, 'no-answer'],
      [3, 'unreachable'],
    ] as const) {
      const { h, agentLeg, customerLeg } = await dialling();
      await h.svc.channelDestroyed(customerLeg, cause, 'x');
      expect(h.emitted.at(-1)).to.deep.include({
        type: 'CallbackFailed',
        agentId: 'a1',
        number: '15550001',
        reason,
      });
      expect(h.asked).to.include.members([`hangup ${agentLeg}`, 'destroy k1-bridge']);
      expect(h.types()).to.not.include('ConnectionCleared');
      expect(h.svc.calls.size).to.equal(0);
      await h.svc.channelDestroyed(agentLeg, 16, 'late'); // its own hang-up arrives afterwards: ignored
      expect(h.types().filter((t) => t === 'CallbackFailed')).to.have.length(1);
    }
  });

  it('the agent hangs up while the customer rings: agent-hangup, customer leg ended', async () => {
    const { h, agentLeg, customerLeg } = await dialling();
    await h.svc.channelDestroyed(agentLeg, 16, 'Normal Clearing');
    expect(h.emitted.at(-1)).to.deep.include({ type: 'CallbackFailed', reason: 'agent-hangup' });
    expect(h.asked).to.include(`hangup ${customerLeg}`);
  });

  it('an unreachable outside endpoint fails the attempt at once', async () => {
    const { h } = await dialling({ unreachable: new Set(['PJSIP/15550001@outside']) });
    expect(h.emitted.at(-1)).to.deep.include({ type: 'CallbackFailed', reason: 'unreachable' });
    expect(h.svc.calls.size).to.equal(0);
  });

  it('the agent does not answer: DivertFailed (CTI re-queues at the head), no customer leg ever made', async () => {
    const h = harness();
    await h.svc.dialCallback(command());
    const agentLeg = h.svc.calls.byContactId('k1')!.agentChannelId!;
    await h.svc.channelDestroyed(agentLeg, 19, 'No answer');
    expect(h.emitted.at(-1)).to.deep.include({ type: 'DivertFailed', agentId: 'a1', reason: 'no-answer' });
    expect(h.asked.filter((a) => a.includes('outside'))).to.deep.equal([]);
    expect(h.svc.calls.size).to.equal(0);
  });

  it('a second offer while the first agent still rings replaces that agent leg', async () => {
    const h = harness();
    await h.svc.dialCallback(command('a1'));
    const first = h.svc.calls.byContactId('k1')!.agentChannelId!;
    await new Promise((r) => setTimeout(r, 2)); // a distinct leg id (base-36 milliseconds)
    await h.svc.dialCallback(command('a2'));
    const call = h.svc.calls.byContactId('k1')!;
    expect(h.asked).to.include(`hangup ${first}`);
    expect(call.agentId).to.equal('a2');
    await h.svc.channelDestroyed(first, 16, 'hung up by us');
    expect(h.types()).to.not.include('DivertFailed');
  });

  it('refuses to dial while the contact still has the caller call', async () => {
    const h = harness();
    await h.svc.callArrived({ channelId: 'c1', callingNumber: '1', callingName: '', calledNumber: '200' });
    const contactId = h.emitted[0]!.contactId;
    await h.svc.dialCallback({ ...command(), contactId });
    expect(h.emitted.at(-1)).to.deep.include({ type: 'DivertFailed', reason: 'unreachable' });
  });
});
