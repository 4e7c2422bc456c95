import type { MessageOf } from '../../../lib/messages';
import { expect } from '../../support/chai';
import { cmd, consultTarget, envelope, talkingCall } from './service-harness';

/** Agent call control: attended transfer (consultation) and the three-party conference it can become. */
describe('SoftACD service (plain ports)', () => {
  describe('agent call control', () => {
    it('attended transfer: consult (caller held), target answers in its own bridge, complete hands the caller over', async () => {
      const h = await talkingCall();
      h.asked.splice(0);
      await h.svc.consultCall({ ...cmd(h.contactId), type: 'ConsultCall', target: consultTarget });
      const leg = h.svc.calls.byContactId(h.contactId)!.consult!.channelId;
      expect(h.asked).to.deep.equal([
        `remove ${h.contactId}-bridge ${h.agentLeg}`,
        'moh c1 default',
        `originate PJSIP/agent1002 ${leg} 20`,
      ]);
      expect(h.types().at(-1)).to.equal('Held');
      await h.svc.agentRinging(leg);
      expect(h.emitted.at(-1)).to.deep.include({
        type: 'CallDelivered',
        deliveredTo: { kind: 'agent', agentId: 'a2' },
      });
      await h.svc.consultAnswered(leg);
      expect(h.asked.at(-1)).to.equal(`bridge ${h.contactId}-consult ${h.agentLeg}+${leg}`);
      expect(h.types().at(-1)).to.equal('Consulted');
      h.asked.splice(0);
      await h.svc.completeTransfer({ ...cmd(h.contactId), type: 'CompleteTransfer' });
      expect(h.asked).to.deep.equal([
        `destroy ${h.contactId}-consult`,
        `hangup ${h.agentLeg}`,
        'unmoh c1',
        `add ${h.contactId}-bridge ${leg}`,
      ]);
      expect(h.types().slice(-2)).to.deep.equal(['Transferred', 'Established']);
      expect(h.emitted.at(-1)).to.include({ agentId: 'a2', agentChannelId: leg });
      const call = h.svc.calls.byContactId(h.contactId)!;
      expect(call).to.include({ state: 'talking', agentId: 'a2', agentChannelId: leg });
      await h.svc.channelDestroyed(h.agentLeg, 16, 'Normal Clearing');
      expect(h.types()).to.not.include('ConnectionCleared');
      await h.svc.channelDestroyed(leg, 16, 'Normal Clearing');
      expect(h.emitted.at(-1)).to.include({ type: 'ConnectionCleared', releasedBy: 'agent' });
      expect(h.svc.calls.size).to.equal(0);
    });

    it('attended transfer cancelled, or the target never answers: the agent is back with the caller', async () => {
      for (const how of ['cancel', 'no-answer'] as const) {
        const h = await talkingCall();
        await h.svc.consultCall({ ...cmd(h.contactId), type: 'ConsultCall', target: consultTarget });
        const leg = h.svc.calls.byContactId(h.contactId)!.consult!.channelId;
        if (how === 'cancel') {
          await h.svc.consultAnswered(leg);
          h.asked.splice(0);
          await h.svc.cancelConsult({ ...cmd(h.contactId), type: 'CancelConsult' });
        } else {
          h.asked.splice(0);
          await h.svc.channelDestroyed(leg, 19, 'No answer');
        }
        expect(h.asked).to.deep.equal([
          `hangup ${leg}`,
          `destroy ${h.contactId}-consult`,
          'unmoh c1',
          `add ${h.contactId}-bridge ${h.agentLeg}`,
        ]);
        expect(h.emitted.at(-2)).to.include({
          type: 'ConsultEnded',
          outcome: how === 'cancel' ? 'cancelled' : 'failed',
        });
        expect(h.types().at(-1)).to.equal('Retrieved');
        expect(h.svc.calls.byContactId(h.contactId)).to.include({
          state: 'talking',
          agentChannelId: h.agentLeg,
        });
        expect(h.svc.calls.byChannelId(leg)).to.equal(undefined);
      }
    });

    it('the caller leaving during a consultation ends every leg and both bridges, cleared once', async () => {
      const h = await talkingCall();
      await h.svc.consultCall({ ...cmd(h.contactId), type: 'ConsultCall', target: consultTarget });
      const leg = h.svc.calls.byContactId(h.contactId)!.consult!.channelId;
      await h.svc.consultAnswered(leg);
      await h.svc.channelDestroyed('c1', 16, 'Normal Clearing');
      expect(h.asked).to.include.members([
        `hangup ${h.agentLeg}`,
        `hangup ${leg}`,
        `destroy ${h.contactId}-bridge`,
        `destroy ${h.contactId}-consult`,
      ]);
      expect(h.emitted.filter((e) => e.type === 'ConnectionCleared')).to.have.length(1);
      expect(h.svc.calls.byChannelId(leg)).to.equal(undefined);
    });

    /** A talking call whose agent consulted agent a2 (or a number), answered: ready to merge. */
    async function consultingCall(target: MessageOf<'ConsultCall'>['target'] = consultTarget) {
      const h = await talkingCall();
      await h.svc.consultCall({ ...cmd(h.contactId), type: 'ConsultCall', target });
      const leg = h.svc.calls.byContactId(h.contactId)!.consult!.channelId;
      await h.svc.consultAnswered(leg);
      h.asked.splice(0);
      return { ...h, leg };
    }

    it('conference: merges the consultation, all three in the call bridge; refused before the target answers', async () => {
      const early = await talkingCall();
      await early.svc.consultCall({ ...cmd(early.contactId), type: 'ConsultCall', target: consultTarget });
      await early.svc.conferenceCall({ ...cmd(early.contactId), type: 'ConferenceCall' });
      expect(early.svc.calls.byContactId(early.contactId)?.state).to.equal('consulting');
      expect(early.types()).to.not.include('Conferenced');

      const h = await consultingCall();
      await h.svc.conferenceCall({ ...cmd(h.contactId), agentId: 'intruder', type: 'ConferenceCall' });
      expect(h.asked).to.deep.equal([]);
      await h.svc.conferenceCall({ ...cmd(h.contactId), type: 'ConferenceCall' });
      expect(h.asked).to.deep.equal([
        `destroy ${h.contactId}-consult`,
        'unmoh c1',
        `add ${h.contactId}-bridge ${h.agentLeg}`,
        `add ${h.contactId}-bridge ${h.leg}`,
      ]);
      expect(h.emitted.at(-1)).to.include({ type: 'Conferenced', agentId: 'a1' });
      expect(h.svc.calls.byContactId(h.contactId)).to.include({ state: 'conferenced', agentId: 'a1' });
      // No hold while three talk.
      await h.svc.holdCall({ ...cmd(h.contactId), type: 'HoldCall' });
      expect(h.types().at(-1)).to.equal('Conferenced');
    });

    it('conference: the third party leaving leaves agent and caller talking', async () => {
      const h = await consultingCall();
      await h.svc.conferenceCall({ ...cmd(h.contactId), type: 'ConferenceCall' });
      await h.svc.channelDestroyed(h.leg, 16, 'Normal Clearing');
      expect(h.emitted.at(-1)).to.include({ type: 'ConferenceEnded', left: 'third-party', agentId: 'a1' });
      expect(h.svc.calls.byContactId(h.contactId)).to.include({
        state: 'talking',
        agentChannelId: h.agentLeg,
      });
      expect(h.svc.calls.byChannelId(h.leg)).to.equal(undefined);
      expect(h.types()).to.not.include('ConnectionCleared');
    });

    it('conference: the agent leaving leaves the caller with the agent target, who owns the call', async () => {
      const h = await consultingCall();
      await h.svc.conferenceCall({ ...cmd(h.contactId), type: 'ConferenceCall' });
      await h.svc.channelDestroyed(h.agentLeg, 16, 'Normal Clearing');
      expect(h.types().slice(-2)).to.deep.equal(['ConferenceEnded', 'Established']);
      expect(h.emitted.at(-2)).to.include({ left: 'agent', agentId: 'a1' });
      expect(h.emitted.at(-1)).to.include({ agentId: 'a2', agentChannelId: h.leg });
      expect(h.svc.calls.byContactId(h.contactId)).to.include({
        state: 'talking',
        agentId: 'a2',
        agentChannelId: h.leg,
      });
      await h.svc.channelDestroyed('c1', 16, 'Normal Clearing');
      expect(h.asked).to.include(`hangup ${h.leg}`);
      expect(h.emitted.filter((e) => e.type === 'ConnectionCleared')).to.have.length(1);
    });

    it('conference: an agent hanging up from its client leaves the conference, not the whole call', async () => {
      const h = await consultingCall();
      await h.svc.conferenceCall({ ...cmd(h.contactId), type: 'ConferenceCall' });
      h.asked.splice(0);
      await h.svc.clearCall({ ...envelope(h.contactId), type: 'ClearCall', by: 'agent', agentId: 'a2' });
      await h.svc.clearCall({ ...envelope(h.contactId), type: 'ClearCall', by: 'agent', agentId: 'a1' });
      expect(h.asked).to.deep.equal([`hangup ${h.leg}`, `hangup ${h.agentLeg}`]);
    });

    it('conference with a number: the agent leaving ends the call (no agent would own it), cleared once', async () => {
      const h = await consultingCall({
        kind: 'number',
        number: '5551000',
        endpoint: 'PJSIP/5551000@outside',
        ringTimeoutSec: 20,
      });
      await h.svc.conferenceCall({ ...cmd(h.contactId), type: 'ConferenceCall' });
      await h.svc.channelDestroyed(h.agentLeg, 16, 'Normal Clearing');
      expect(h.asked).to.include.members(['hangup c1', `hangup ${h.leg}`, `destroy ${h.contactId}-bridge`]);
      const cleared = h.emitted.filter((e) => e.type === 'ConnectionCleared');
      expect(cleared).to.have.length(1);
      expect(cleared[0]).to.include({ releasedBy: 'agent', stage: 'talking' });
      expect(h.svc.calls.size).to.equal(0);
    });

    it('conference: the caller leaving ends every leg, cleared once', async () => {
      const h = await consultingCall();
      await h.svc.conferenceCall({ ...cmd(h.contactId), type: 'ConferenceCall' });
      await h.svc.channelDestroyed('c1', 16, 'Normal Clearing');
      await h.svc.channelDestroyed(h.agentLeg, 16, 'Normal Clearing');
      await h.svc.channelDestroyed(h.leg, 16, 'Normal Clearing');
      expect(h.asked).to.include.members([
        `hangup ${h.agentLeg}`,
        `hangup ${h.leg}`,
        `destroy ${h.contactId}-bridge`,
      ]);
      const cleared = h.emitted.filter((e) => e.type === 'ConnectionCleared');
      expect(cleared).to.have.length(1);
      expect(cleared[0]).to.include({ releasedBy: 'caller', stage: 'talking' });
      expect(h.types()).to.not.include('ConferenceEnded');
    });
  });
});
