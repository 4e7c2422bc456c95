import { expect } from '../../support/chai';
import { cmd, envelope, talkingCall } from './service-harness';

/** Agent call control: the agent's originate, hold and retrieve, blind transfer to a queue, an agent or a number. */
describe('SoftACD service (plain ports)', () => {
  describe('agent call control', () => {
    it("originates the agent of a video caller with the caller as originator (video offered at once), not an audio caller's", async () => {
      const video = await talkingCall({ media: 'audio+video' });
      expect(video.asked).to.include(`originate PJSIP/agent1001 ${video.agentLeg} 15 for c1`);
      const audio = await talkingCall();
      expect(audio.asked).to.include(`originate PJSIP/agent1001 ${audio.agentLeg} 15`);
    });

    it('holds an audio caller on MOH with the agent out of the bridge, then retrieves it', async () => {
      const h = await talkingCall();
      const bridge = `${h.contactId}-bridge`;
      h.asked.splice(0);
      await h.svc.holdCall({ ...cmd(h.contactId), type: 'HoldCall' });
      expect(h.asked).to.deep.equal([`remove ${bridge} ${h.agentLeg}`, 'moh c1 default']);
      expect(h.svc.calls.byContactId(h.contactId)?.state).to.equal('held');
      await h.svc.retrieveCall({ ...cmd(h.contactId), type: 'RetrieveCall' });
      expect(h.asked.slice(2)).to.deep.equal(['unmoh c1', `add ${bridge} ${h.agentLeg}`]);
      expect(h.types().slice(-2)).to.deep.equal(['Held', 'Retrieved']);
      expect(h.svc.calls.byContactId(h.contactId)?.state).to.equal('talking');
    });

    it('shows a video caller on hold the looped hold prompt instead of MOH, stopped on retrieve', async () => {
      const h = await talkingCall({ media: 'audio+video' });
      h.asked.splice(0);
      await h.svc.holdCall({ ...cmd(h.contactId), type: 'HoldCall' });
      expect(h.asked[1]).to.match(new RegExp(`^play c1 ${h.contactId}-hold sound:ipcc/hold x\\d+$`));
      await h.svc.retrieveCall({ ...cmd(h.contactId), type: 'RetrieveCall' });
      expect(h.asked[2]).to.equal(`stop ${h.contactId}-hold`);
    });

    it('refuses hold from another agent, a second hold and a retrieve without hold (logged, no effect)', async () => {
      const h = await talkingCall();
      const before = h.emitted.length;
      h.asked.splice(0);
      await h.svc.holdCall({ ...cmd(h.contactId), agentId: 'intruder', type: 'HoldCall' });
      await h.svc.retrieveCall({ ...cmd(h.contactId), type: 'RetrieveCall' });
      await h.svc.holdCall({ ...cmd(h.contactId), type: 'HoldCall' });
      await h.svc.holdCall({ ...cmd(h.contactId), type: 'HoldCall' });
      expect(h.emitted.slice(before).map((e) => e.type)).to.deep.equal(['Held']);
      expect(h.asked).to.have.length(2);
    });

    it('a caller hanging up on hold clears the call once, stage talking, and forgets every leg', async () => {
      const h = await talkingCall();
      await h.svc.holdCall({ ...cmd(h.contactId), type: 'HoldCall' });
      await h.svc.channelDestroyed('c1', 16, 'Normal Clearing');
      await h.svc.channelDestroyed(h.agentLeg, 16, 'Normal Clearing');
      const cleared = h.emitted.filter((e) => e.type === 'ConnectionCleared');
      expect(cleared).to.have.length(1);
      expect(cleared[0]).to.include({ stage: 'talking', releasedBy: 'caller' });
      expect(h.asked).to.include(`hangup ${h.agentLeg}`);
      expect(h.svc.calls.size).to.equal(0);
      expect(h.svc.calls.byChannelId(h.agentLeg)).to.equal(undefined);
    });

    it('blind transfer to a queue: agent leg and bridge go, the caller returns to the IVR with the queue', async () => {
      const h = await talkingCall();
      await h.svc.holdCall({ ...cmd(h.contactId), type: 'HoldCall' });
      h.asked.splice(0);
      const target = { kind: 'queue' as const, queueId: 'support' };
      await h.svc.transferCall({ ...cmd(h.contactId), type: 'TransferCall', target });
      expect(h.asked).to.deep.equal([
        'unmoh c1',
        `destroy ${h.contactId}-bridge`,
        `hangup ${h.agentLeg}`,
        `move c1 ivr ${h.contactId},200,audio,queue,support`,
      ]);
      expect(h.emitted.at(-1)).to.include({ type: 'Transferred', agentId: 'a1' });
      const call = h.svc.calls.byContactId(h.contactId)!;
      expect(call).to.include({ state: 'ivr' });
      expect(call.bridgeId).to.equal(undefined);
      // The first agent's leg ending is no longer this call's business; the next agent takes it as usual.
      await h.svc.channelDestroyed(h.agentLeg, 16, 'Normal Clearing');
      expect(h.types()).to.not.include('ConnectionCleared');
      await h.svc.divertCall({
        ...envelope(h.contactId),
        type: 'DivertCall',
        agentId: 'a2',
        endpoint: 'PJSIP/agent1002',
        ringTimeoutSec: 15,
      });
      const second = h.svc.calls.byContactId(h.contactId)!.agentChannelId!;
      await h.svc.agentAnswered(second);
      await h.svc.callerReturned('c1');
      expect(h.types().at(-1)).to.equal('Established');
      expect(h.emitted.at(-1)).to.include({ agentId: 'a2' });
    });

    it('blind transfer to an agent: first leg goes, caller on MOH while the target rings, then bridged', async () => {
      const h = await talkingCall();
      h.asked.splice(0);
      const target = {
        kind: 'agent' as const,
        agentId: 'a2',
        endpoint: 'PJSIP/agent1002',
        ringTimeoutSec: 20,
      };
      await h.svc.transferCall({
        ...cmd(h.contactId),
        type: 'TransferCall',
        target,
        fallbackQueueId: 'support',
      });
      const leg = h.svc.calls.byContactId(h.contactId)!.agentChannelId!;
      expect(leg).to.not.equal(h.agentLeg);
      expect(h.asked).to.deep.equal([
        `hangup ${h.agentLeg}`,
        'moh c1 default',
        `originate PJSIP/agent1002 ${leg} 20`,
      ]);
      expect(h.emitted.at(-1)).to.include({ type: 'Transferred', agentId: 'a1' });
      expect(h.svc.calls.byContactId(h.contactId)?.state).to.equal('transferring');
      // The target ringing is reported for it (CTI follows its agent state); the first agent's leg
      // ending changes nothing.
      await h.svc.agentRinging(leg);
      expect(h.emitted.at(-1)).to.deep.include({
        type: 'CallDelivered',
        deliveredTo: { kind: 'agent', agentId: 'a2' },
      });
      await h.svc.channelDestroyed(h.agentLeg, 16, 'Normal Clearing');
      expect(h.types().at(-1)).to.equal('CallDelivered');
      await h.svc.transferAnswered(leg);
      expect(h.asked.slice(3)).to.deep.equal(['unmoh c1', `add ${h.contactId}-bridge ${leg}`]);
      expect(h.emitted.at(-1)).to.include({ type: 'Established', agentId: 'a2', agentChannelId: leg });
      expect(h.svc.calls.byContactId(h.contactId)?.transfer).to.equal(undefined);
      await h.svc.channelDestroyed('c1', 16, 'Normal Clearing');
      expect(h.emitted.filter((e) => e.type === 'ConnectionCleared')).to.have.length(1);
      expect(h.asked.at(-2)).to.equal(`hangup ${leg}`);
      expect(h.svc.calls.size).to.equal(0);
    });

    it('a transfer target that does not answer sends the caller back to its queue (TransferFailed)', async () => {
      const h = await talkingCall();
      const target = {
        kind: 'agent' as const,
        agentId: 'a2',
        endpoint: 'PJSIP/agent1002',
        ringTimeoutSec: 20,
      };
      await h.svc.transferCall({
        ...cmd(h.contactId),
        type: 'TransferCall',
        target,
        fallbackQueueId: 'support',
      });
      const leg = h.svc.calls.byContactId(h.contactId)!.agentChannelId!;
      h.asked.splice(0);
      await h.svc.channelDestroyed(leg, 19, 'No answer');
      expect(h.asked).to.deep.equal([
        'unmoh c1',
        `destroy ${h.contactId}-bridge`,
        `move c1 ivr ${h.contactId},200,audio,queue,support`,
      ]);
      expect(h.emitted.at(-1)).to.deep.include({
        type: 'TransferFailed',
        agentId: 'a1',
        reason: 'no-answer',
        fallbackQueueId: 'support',
        target,
      });
      expect(h.svc.calls.byContactId(h.contactId)).to.include({ state: 'ivr' });
      expect(h.svc.calls.byChannelId(leg)).to.equal(undefined);
    });

    it('an unreachable number without a fallback queue releases the caller', async () => {
      const h = await talkingCall({ unreachable: new Set(['PJSIP/5551234@outside']) });
      const target = {
        kind: 'number' as const,
        number: '5551234',
        endpoint: 'PJSIP/5551234@outside',
        ringTimeoutSec: 20,
      };
      await h.svc.transferCall({ ...cmd(h.contactId), type: 'TransferCall', target });
      expect(h.emitted.at(-1)).to.include({ type: 'TransferFailed', reason: 'unreachable' });
      expect(h.asked.at(-1)).to.equal('hangup c1');
      await h.svc.channelDestroyed('c1', 16, 'Normal Clearing');
      expect(h.emitted.at(-1)).to.include({ type: 'ConnectionCleared', releasedBy: 'system' });
    });
  });
});
