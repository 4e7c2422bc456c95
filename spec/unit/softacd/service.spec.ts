import { expect } from '../../support/chai';
import { envelope, harness, incoming, ringingCall, talkingCall } from './service-harness';

/** Arrival and routing, the divert to an agent, release, and recovery after a restart. */
describe('SoftACD service (plain ports)', () => {
  it('reports a new call as CallDelivered then RouteRequest, with the negotiated media', async () => {
    const h = harness();
    await h.svc.callArrived(incoming);
    expect(h.types()).to.deep.equal(['CallDelivered', 'RouteRequest']);
    expect(h.emitted[0]).to.include({ calledNumber: '200', callingName: 'Ann', media: 'audio' });
    expect(h.svc.calls.size).to.equal(1);
  });

  it('asks Asterisk nothing about the media when the dialplan passed it', async () => {
    const h = harness({ media: 'audio' });
    await h.svc.callArrived({ ...incoming, media: 'audio+video' });
    const contactId = h.emitted[0]!.contactId;
    expect(h.asked).to.deep.equal([`tag c1 ${contactId}|audio+video|200`]);
    expect(h.emitted[0]).to.include({ media: 'audio+video' });
  });

  it('reports nothing for a caller that hung up before the report', async () => {
    const h = harness({ gone: new Set(['c1']) });
    await h.svc.callArrived(incoming);
    expect(h.emitted).to.deep.equal([]);
    expect(h.svc.calls.size).to.equal(0);
  });

  it('moves a routed call to the IVR and answers RouteEnd(routed)', async () => {
    const h = harness();
    await h.svc.callArrived(incoming);
    const contactId = h.emitted[0]!.contactId;
    await h.svc.routeSelect({ ...envelope(contactId), type: 'RouteSelect', destination: { kind: 'ivr' } });
    expect(h.asked).to.deep.equal([
      'media c1',
      `tag c1 ${contactId}|audio|200`,
      `move c1 ivr ${contactId},200,audio`,
    ]);
    expect(h.emitted.at(-1)).to.include({ type: 'RouteEnd', outcome: 'routed' });
  });

  it('a RouteSelect sent again (a CTI restarted before it recorded the first) changes nothing', async () => {
    const h = harness();
    await h.svc.callArrived(incoming);
    const contactId = h.emitted[0]!.contactId;
    const select = {
      ...envelope(contactId),
      type: 'RouteSelect' as const,
      destination: { kind: 'ivr' as const },
    };
    await h.svc.routeSelect(select);
    await h.svc.routeSelect(select);
    expect(h.asked.filter((a) => a.startsWith('move'))).to.have.length(1);
    expect(h.types()).to.deep.equal(['CallDelivered', 'RouteRequest', 'RouteEnd']);
    expect(h.svc.calls.byContactId(contactId)?.state).to.equal('ivr');
  });

  it('rings the agent, hands over from the IVR, bridges both legs and reports Established', async () => {
    const h = await talkingCall();
    expect(h.types()).to.deep.equal([
      'CallDelivered',
      'RouteRequest',
      'RouteEnd',
      'CallDiverted',
      'CallDelivered',
      'ReleaseIvr',
      'Established',
    ]);
    expect(h.emitted[4]).to.deep.include({ deliveredTo: { kind: 'agent', agentId: 'a1' } });
    expect(h.emitted[5]).to.include({ channelId: 'c1', app: 'softacd' });
    expect(h.asked.filter((a) => a.startsWith('originate'))).to.deep.equal([
      `originate PJSIP/agent1001 ${h.agentLeg} 15`,
    ]);
    expect(h.asked.at(-1)).to.equal(`bridge ${h.contactId}-bridge c1+${h.agentLeg}`);
  });

  it('an agent that does not answer leaves the caller queued and reports DivertFailed(no-answer)', async () => {
    const { h, contactId, leg } = await ringingCall();
    await h.svc.channelDestroyed(leg, 19, 'No answer');
    expect(h.emitted.at(-1)).to.include({ type: 'DivertFailed', agentId: 'a1', reason: 'no-answer' });
    expect(h.svc.calls.byContactId(contactId)?.state).to.equal('queue');
    expect(h.svc.calls.byChannelId(leg)).to.equal(undefined);
  });

  it('the agent hanging up releases the caller, destroys the bridge and reports ConnectionCleared once', async () => {
    const h = await talkingCall();
    await h.svc.channelDestroyed(h.agentLeg, 16, 'Normal Clearing');
    await h.svc.channelDestroyed('c1', 16, 'Normal Clearing');
    const cleared = h.emitted.filter((e) => e.type === 'ConnectionCleared');
    expect(cleared).to.have.length(1);
    expect(cleared[0]).to.include({ releasedBy: 'agent', stage: 'talking' });
    expect(h.asked).to.include('hangup c1').and.to.include(`destroy ${h.contactId}-bridge`);
    expect(h.svc.calls.size).to.equal(0);
  });

  it('the caller hanging up while the agent rings stops the agent phone', async () => {
    const { h, leg } = await ringingCall();
    await h.svc.channelDestroyed('c1', 16, 'Normal Clearing');
    expect(h.asked).to.include(`hangup ${leg}`);
    expect(h.emitted.at(-1)).to.include({
      type: 'ConnectionCleared',
      releasedBy: 'caller',
      stage: 'ringing',
    });
  });

  it('a divert for a call already gone is answered with DivertFailed(caller-gone)', async () => {
    const h = harness();
    await h.svc.divertCall({
      ...envelope('nope'),
      type: 'DivertCall',
      agentId: 'a1',
      endpoint: 'PJSIP/x',
      ringTimeoutSec: 5,
    });
    expect(h.emitted).to.deep.equal([
      { type: 'DivertFailed', contactId: 'nope', agentId: 'a1', reason: 'caller-gone' },
    ]);
  });

  it('recovers calls after a restart from the channels, tags and bridges Asterisk lists', async () => {
    const h = harness();
    await h.svc.recover(
      [
        { id: 'talk-caller', callingNumber: '+1', tag: 'k1|audio+video|200' },
        { id: 'k1-agent-x', callingNumber: '1001', agentId: 'a1' },
        { id: 'ivr-caller', callingNumber: '+2', tag: 'k2|audio|100' },
        { id: 'ring-caller', callingNumber: '+3', tag: 'k3|audio|200' },
        { id: 'k3-agent-y', callingNumber: '1002', agentId: 'a2' },
        { id: 'stranger', callingNumber: '+4' },
      ],
      [{ id: 'k1-bridge', channels: ['talk-caller', 'k1-agent-x'] }],
    );
    expect(h.svc.calls.size).to.equal(3);
    expect(h.svc.calls.byContactId('k1')).to.include({
      state: 'talking',
      agentChannelId: 'k1-agent-x',
      bridgeId: 'k1-bridge',
      media: 'audio+video',
    });
    expect(h.svc.calls.byContactId('k2')).to.include({ state: 'ivr', calledNumber: '100' });
    expect(h.svc.calls.byContactId('k3')).to.include({ state: 'ringing', agentId: 'a2' });
    // The recovered call is released like any other: the agent hanging up clears it once.
    await h.svc.channelDestroyed('k1-agent-x', 16, 'Normal Clearing');
    expect(h.emitted.filter((e) => e.type === 'ConnectionCleared')).to.have.length(1);
    expect(h.asked).to.include('hangup talk-caller');
  });

  it('after a restart, ends the legs and bridges of calls whose caller left meanwhile', async () => {
    const h = harness();
    await h.svc.recover(
      [
        { id: 'k1-agent-abc', callingNumber: '1001', agentId: 'a1' },
        { id: 'k1-snoop', callingNumber: '' },
        { id: 'live-caller', callingNumber: '+1', tag: 'k2|audio|200' },
        { id: 'k2-agent-def', callingNumber: '1002', agentId: 'a2' },
        { id: 'someone-else', callingNumber: '+9' },
      ],
      [
        { id: 'k1-bridge', channels: ['k1-agent-abc'] },
        { id: 'k2-bridge', channels: ['live-caller', 'k2-agent-def'] },
      ],
    );
    expect(h.asked.filter((a) => a.startsWith('hangup') || a.startsWith('destroy'))).to.deep.equal([
      'hangup k1-agent-abc',
      'hangup k1-snoop',
      'destroy k1-bridge',
    ]);
    expect(h.svc.calls.byContactId('k2')).to.include({ state: 'talking', agentChannelId: 'k2-agent-def' });
  });

  it('resync clears calls whose channel vanished during an ARI outage', async () => {
    const h = harness();
    await h.svc.callArrived(incoming);
    await h.svc.resync(new Set());
    expect(h.types().at(-1)).to.equal('ConnectionCleared');
    expect(h.svc.calls.size).to.equal(0);
  });
});
