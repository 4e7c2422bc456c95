import winston from 'winston';
import type { Draft, MessageOf, MessageType } from '../../../lib/messages';
import type { CallMediaControl } from '../../../stasis-app/ari/call-media';
import type { ChannelControl } from '../../../stasis-app/ari/channels';
import { SoftAcdService } from '../../../stasis-app/softacd/service';
import { expect } from '../../support/chai';

type Emitted = Draft<MessageType>;

/** Plain-object ports: what SoftACD asked Asterisk to do and what it reported, in order. */
function harness(
  opts: { gone?: Set<string>; media?: 'audio' | 'audio+video'; unreachable?: Set<string> } = {},
) {
  const gone = opts.gone ?? new Set<string>();
  const asked: string[] = [];
  const emitted: Emitted[] = [];
  const channels: ChannelControl = {
    media: (id) => {
      asked.push(`media ${id}`);
      return Promise.resolve(gone.has(id) ? undefined : (opts.media ?? 'audio'));
    },
    move: (id, app, args) => {
      asked.push(`move ${id} ${app} ${args.join(',')}`);
      return Promise.resolve(!gone.has(id));
    },
    hangup: (id) => {
      asked.push(`hangup ${id}`);
      return Promise.resolve();
    },
    answer: () => Promise.resolve(true),
    tag: (id, value) => {
      asked.push(`tag ${id} ${value}`);
      return Promise.resolve(!gone.has(id));
    },
    follow: (_app, id) => Promise.resolve(!gone.has(id)),
    originate: (o) => {
      asked.push(
        `originate ${o.endpoint} ${o.channelId} ${o.timeoutSec}${o.originator ? ` for ${o.originator}` : ''}`,
      );
      if (opts.unreachable?.has(o.endpoint)) return Promise.reject(new Error('Allocation failed'));
      return Promise.resolve();
    },
    bridge: (b, ids) => {
      asked.push(`bridge ${b} ${ids.join('+')}`);
      return Promise.resolve(true);
    },
    destroyBridge: (b) => {
      asked.push(`destroy ${b}`);
      return Promise.resolve();
    },
  };
  const step = (line: string, ok: boolean) => {
    asked.push(line);
    return Promise.resolve(ok);
  };
  const callMedia: CallMediaControl = {
    startMoh: (id, cls) => step(`moh ${id} ${cls}`, !gone.has(id)),
    stopMoh: (id) => step(`unmoh ${id}`, !gone.has(id)),
    play: (id, pb, media) => step(`play ${id} ${pb} ${media[0]} x${media.length}`, !gone.has(id)),
    stopPlayback: (pb) => step(`stop ${pb}`, true),
    removeFromBridge: (b, id) => step(`remove ${b} ${id}`, !gone.has(id)),
    addToBridge: (b, id) => step(`add ${b} ${id}`, !gone.has(id)),
    recordChannel: (o) =>
      step(
        `record ${o.channelId} via ${o.snoopId} ${o.app} ${o.appArgs.join(',')} ${o.format}`,
        !gone.has(o.channelId),
      ),
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
    releaseIvr: (d) => {
      emitted.push(d);
      return Promise.resolve();
    },
    handoverTimeoutMs: 60_000,
  });
  return { svc, asked, emitted, types: () => emitted.map((e) => e.type) };
}

const incoming = { channelId: 'c1', callingNumber: '+15551230000', callingName: 'Ann', calledNumber: '200' };

/** A call in the IVR whose agent (a1) is ringing. */
async function ringingCall() {
  const h = harness();
  await h.svc.callArrived(incoming);
  const contactId = h.emitted[0]!.contactId;
  await h.svc.routeSelect({ ...envelope(contactId), type: 'RouteSelect', destination: { kind: 'ivr' } });
  await h.svc.divertCall({
    ...envelope(contactId),
    type: 'DivertCall',
    agentId: 'a1',
    endpoint: 'PJSIP/agent1001',
    ringTimeoutSec: 5,
  });
  const leg = h.svc.calls.byContactId(contactId)!.agentChannelId!;
  return { h, contactId, leg };
}

async function talkingCall(opts: { media?: 'audio' | 'audio+video'; unreachable?: Set<string> } = {}) {
  const h = harness(opts);
  await h.svc.callArrived(incoming);
  const contactId = h.emitted[0]!.contactId;
  await h.svc.routeSelect({
    ...envelope(contactId),
    type: 'RouteSelect',
    destination: { kind: 'queue', queueId: 'sales' },
  });
  await h.svc.divertCall({
    ...envelope(contactId),
    type: 'DivertCall',
    agentId: 'a1',
    endpoint: 'PJSIP/agent1001',
    ringTimeoutSec: 15,
  });
  const agentLeg = h.svc.calls.byContactId(contactId)!.agentChannelId!;
  await h.svc.agentRinging(agentLeg);
  await h.svc.agentAnswered(agentLeg);
  await h.svc.callerReturned('c1');
  return { ...h, contactId, agentLeg };
}

function envelope(contactId: string) {
  return {
    id: '00000000-0000-4000-8000-000000000000',
    contactId,
    source: { service: 'cti' as const, instance: 'cti-t' },
    at: new Date().toISOString(),
    v: 1 as const,
  };
}

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
  describe('agent call control', () => {
    const cmd = (contactId: string) => ({ ...envelope(contactId), agentId: 'a1' });

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

    const consultTarget = {
      kind: 'agent' as const,
      agentId: 'a2',
      endpoint: 'PJSIP/agent1002',
      ringTimeoutSec: 20,
    };

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

    it('records both directions of the caller once per call, reports it when finished, then forgets it', async () => {
      const h = await talkingCall();
      h.asked.splice(0);
      await h.svc.recordCall({ ...envelope(h.contactId), type: 'RecordCall', format: 'wav' });
      await h.svc.recordCall({ ...envelope(h.contactId), type: 'RecordCall', format: 'wav' });
      expect(h.asked).to.deep.equal([`record c1 via ${h.contactId}-snoop softacd snoop,${h.contactId} wav`]);
      const [name] = [...h.svc.recordings.keys()];
      await h.svc.recordingEnded(name!, 7, false);
      await h.svc.recordingEnded(name!, 7, false);
      const stored = h.emitted.filter((e) => e.type === 'RecordingStored');
      expect(stored).to.have.length(1);
      expect(stored[0]).to.include({ name, format: 'wav', durationSec: 7 });
      expect(stored[0])
        .to.have.property('path')
        .that.match(/\/recording\/.+\.wav$/);
      expect(h.svc.recordings.size).to.equal(0);
      // The caller leaving takes the snoop channel with it.
      await h.svc.channelDestroyed('c1', 16, 'Normal Clearing');
      expect(h.asked).to.include(`hangup ${h.contactId}-snoop`);
    });

    it('does not record a call that is not bridged, and sweeps recordings whose end never came', async () => {
      const h = harness();
      await h.svc.callArrived(incoming);
      const contactId = h.emitted[0]!.contactId;
      await h.svc.recordCall({ ...envelope(contactId), type: 'RecordCall', format: 'wav' });
      expect(h.svc.recordings.size).to.equal(0);
      const t = await talkingCall();
      await t.svc.recordCall({ ...envelope(t.contactId), type: 'RecordCall', format: 'wav' });
      expect(t.svc.sweepRecordings(Date.now() + 10_000, 1_000)).to.have.length(1);
      expect(t.svc.recordings.size).to.equal(0);
    });
  });
});
