import { expect } from '../../support/chai';
import { deskHarness, envelope, talking } from './desk-harness';

const reconnect = (contactId: string, endpoint = 'PJSIP/agent1003') => ({
  ...envelope(contactId),
  type: 'ReconnectAgent' as const,
  agentId: 'a1',
  endpoint,
  ringTimeoutSec: 10,
});

async function held(o: Parameters<typeof deskHarness>[0] = {}, endpoint?: string) {
  const h = deskHarness(o);
  const { contactId, agentLeg } = await talking(h, endpoint);
  await h.svc.holdCall({ ...envelope(contactId), type: 'HoldCall', agentId: 'a1' });
  h.asked.splice(0);
  h.emitted.splice(0);
  return { h, contactId, agentLeg };
}

describe('take-back: ReconnectAgent and a softphone leg lost while held', () => {
  it('a new leg answers: the old one is hung up without releasing the call, which stays held', async () => {
    const { h, contactId, agentLeg } = await held();
    await h.takeBack.reconnect(reconnect(contactId));
    const leg = h.svc.calls.byContactId(contactId)!.reconnect!.channelId;
    expect(leg).to.match(new RegExp(`^${contactId}-agent-[0-9a-z]+r`));
    expect(h.asked).to.deep.equal([`originate PJSIP/agent1003 ${leg} reconnect,${contactId} 10`]);
    await h.takeBack.answered(leg);
    expect(h.asked.slice(1)).to.deep.equal([`hangup ${agentLeg}`]);
    await h.svc.channelDestroyed(agentLeg, 16, 'Normal Clearing', 'PJSIP/agent1001-00000001');
    const call = h.svc.calls.byContactId(contactId)!;
    expect(call).to.include({ state: 'held', agentChannelId: leg, agentId: 'a1' });
    expect(call.reconnect).to.equal(undefined);
    expect(h.emitted).to.deep.equal([
      { type: 'AgentReconnected', contactId, agentId: 'a1', agentChannelId: leg },
    ]);
    await h.svc.retrieveCall({ ...envelope(contactId), type: 'RetrieveCall', agentId: 'a1' });
    expect(h.asked).to.include(`add ${contactId}-bridge ${leg}`);
    await h.svc.channelDestroyed('c1', 16, 'Normal Clearing');
    expect(h.types().filter((t) => t === 'ConnectionCleared')).to.have.length(1);
    expect(h.asked).to.include(`hangup ${leg}`);
  });

  it('refuses a call that is not held or gone, and reports a phone that did not answer', async () => {
    const h = deskHarness({ unreachable: new Set(['PJSIP/nowhere']) });
    const { contactId } = await talking(h);
    await h.takeBack.reconnect(reconnect(contactId));
    await h.takeBack.reconnect(reconnect('no-such-call'));
    expect(h.emitted.slice(-2).map((e) => (e as { reason?: string }).reason)).to.deep.equal([
      'not-held',
      'gone',
    ]);
    await h.svc.holdCall({ ...envelope(contactId), type: 'HoldCall', agentId: 'a1' });
    await h.takeBack.reconnect(reconnect(contactId, 'PJSIP/nowhere'));
    expect(h.emitted.at(-1)).to.include({ type: 'ReconnectFailed', reason: 'unreachable' });
    expect(h.svc.calls.byContactId(contactId)!.reconnect).to.equal(undefined);
    await h.takeBack.reconnect(reconnect(contactId));
    const leg = h.svc.calls.byContactId(contactId)!.reconnect!.channelId;
    await h.svc.channelDestroyed(leg, 17, 'User busy');
    expect(h.emitted.at(-1)).to.include({ type: 'ReconnectFailed', reason: 'busy' });
    expect(h.svc.calls.byContactId(contactId)!.state).to.equal('held');
    expect(h.types()).to.not.include('ConnectionCleared');
  });

  it('the caller leaving while the new leg rings releases everything once', async () => {
    const { h, contactId } = await held();
    await h.takeBack.reconnect(reconnect(contactId));
    const leg = h.svc.calls.byContactId(contactId)!.reconnect!.channelId;
    await h.svc.channelDestroyed('c1', 16, 'Normal Clearing');
    expect(h.asked).to.include(`hangup ${leg}`);
    await h.svc.channelDestroyed(leg, 16, 'Normal Clearing');
    await h.takeBack.answered(leg);
    expect(h.types()).to.deep.equal(['ConnectionCleared']);
    expect(h.svc.calls.size).to.equal(0);
  });

  it('a softphone leg lost while held keeps the caller on hold; a desk phone leg releases', async () => {
    const soft = await held({ softphones: ['PJSIP/webrtc1001'] }, 'PJSIP/webrtc1001');
    await soft.h.svc.channelDestroyed(soft.agentLeg, 16, 'Normal Clearing', 'PJSIP/webrtc1001-0000000a');
    const call = soft.h.svc.calls.byContactId(soft.contactId)!;
    expect(call).to.include({ state: 'held', agentId: 'a1' });
    expect(call.agentChannelId).to.equal(undefined);
    expect(soft.h.emitted).to.deep.equal([]);
    expect(soft.h.asked).to.deep.equal([]);
    // ... and is taken back later.
    await soft.h.takeBack.reconnect(reconnect(soft.contactId, 'PJSIP/webrtc1001'));
    await soft.h.takeBack.answered(call.reconnect!.channelId);
    expect(soft.h.types()).to.deep.equal(['AgentReconnected']);

    const desk = await held({ softphones: ['PJSIP/webrtc1001'] });
    await desk.h.svc.channelDestroyed(desk.agentLeg, 16, 'Normal Clearing', 'PJSIP/agent1001-0000000b');
    expect(desk.h.emitted.at(-1)).to.include({ type: 'ConnectionCleared', releasedBy: 'agent' });
  });

  it('a softphone agent who hangs up through CTI (ClearCall) releases the held call', async () => {
    const { h, contactId, agentLeg } = await held({ softphones: ['PJSIP/webrtc1001'] }, 'PJSIP/webrtc1001');
    await h.svc.clearCall({ ...envelope(contactId), type: 'ClearCall', by: 'agent', agentId: 'a1' });
    await h.svc.channelDestroyed('c1', 16, 'Normal Clearing');
    expect(h.emitted.at(-1)).to.include({ type: 'ConnectionCleared', releasedBy: 'agent' });
    expect(h.asked).to.include(`hangup ${agentLeg}`);
  });
});
