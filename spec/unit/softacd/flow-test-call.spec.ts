import winston from 'winston';
import type { ChannelControl } from '../../../stasis-app/ari/channels';
import type { MessageOf } from '../../../lib/messages';
import { FLOW_TEST_ARG, FlowTestCalls } from '../../../stasis-app/softacd/test-call';
import { expect } from '../../support/chai';
import { envelope, harness } from './service-harness';

const CONTACT = '6f1c1c1e-7a0e-4c55-9a55-0b3c9b1f0a01';
const TEST_CALL = '0d4f6a52-63a4-4b0f-8a51-5a1d8c4e7b22';

function command(): MessageOf<'FlowTestCall'> {
  return {
    ...envelope(CONTACT),
    source: { service: 'as', instance: 'as-t' },
    type: 'FlowTestCall',
    testCallId: TEST_CALL,
    endpoint: 'PJSIP/webrtc-admin',
    calledNumber: '7152',
    requestedBy: 'admin-1',
    ringTimeoutSec: 20,
  };
}

function testCalls(opts: { unreachable?: Set<string> } = {}) {
  const h = harness();
  /** What the test-call module asked of Asterisk (the service's own asks are in `h.asked`). */
  const rang: string[] = [];
  const channels: ChannelControl = {
    media: () => Promise.resolve('audio'),
    move: () => Promise.resolve(true),
    hangup: (id) => {
      rang.push(`hangup ${id}`);
      return Promise.resolve();
    },
    answer: () => Promise.resolve(true),
    tag: () => Promise.resolve(true),
    follow: () => Promise.resolve(true),
    originate: (o) => {
      rang.push(
        `originate ${o.endpoint} ${o.channelId} ${o.timeoutSec} ${o.app} ${o.args.join(',')} ${o.callerId}`,
      );
      return opts.unreachable?.has(o.endpoint)
        ? Promise.reject(new Error('Allocation failed'))
        : Promise.resolve();
    },
    bridge: () => Promise.resolve(true),
    destroyBridge: () => Promise.resolve(),
  };
  const calls = new FlowTestCalls(h.svc, {
    channels,
    log: winston.createLogger({ silent: true }),
    softacdApp: 'softacd',
  });
  return { ...h, calls, rang };
}

/** The flow editor's test call in SoftACD (stasis-app/softacd/test-call.ts and arrival.ts). */
describe("SoftACD: a flow editor's test call", () => {
  const leg = FlowTestCalls.channelIdOf(CONTACT);

  it("rings the admin's phone into SoftACD's app with arguments the dialplan cannot produce, once", async () => {
    const t = testCalls();
    await t.calls.dial(command());
    await t.calls.dial(command()); // redelivered
    expect(t.rang).to.deep.equal([
      `originate PJSIP/webrtc-admin ${leg} 20 softacd ${FLOW_TEST_ARG},${CONTACT} "Flow test" <7152>`,
    ]);
    expect(t.calls.size).to.equal(1);
  });

  it('answered: an ordinary arrival for the number under the contact id the AS chose; a route to the IVR carries the draft', async () => {
    const t = testCalls();
    await t.calls.dial(command());
    await t.calls.answered(leg);
    expect(t.calls.size).to.equal(0);
    expect(t.types()).to.deep.equal(['CallDelivered', 'RouteRequest']);
    expect(t.emitted[0]).to.deep.include({
      contactId: CONTACT,
      calledNumber: '7152',
      callingNumber: 'flow-test',
      channelId: leg,
    });
    await t.svc.routeSelect({ ...envelope(CONTACT), type: 'RouteSelect', destination: { kind: 'ivr' } });
    expect(t.asked.filter((a) => a.startsWith('move'))).to.deep.equal([
      `move ${leg} ivr ${CONTACT},7152,audio,draft,${TEST_CALL}`,
    ]);
    // A redelivered command for a call under way rings nobody again.
    await t.calls.dial(command());
    expect(t.rang.filter((a) => a.startsWith('originate'))).to.have.length(1);
  });

  it('an ordinary caller is never routed with a draft, even when CTI names a flow', async () => {
    const t = testCalls();
    await t.svc.callArrived({ channelId: 'c9', callingNumber: '555', callingName: '', calledNumber: '7152' });
    const contactId = t.emitted[0]!.contactId;
    await t.svc.routeSelect({
      ...envelope(contactId),
      type: 'RouteSelect',
      destination: { kind: 'ivr', flow: 'draft' },
    });
    expect(t.asked.filter((a) => a.startsWith('move'))).to.deep.equal([
      `move c9 ivr ${contactId},7152,audio,flow,draft`,
    ]);
  });

  it('a leg SoftACD did not ring is hung up; an unanswered one and an unreachable phone are forgotten', async () => {
    const t = testCalls({ unreachable: new Set(['PJSIP/webrtc-admin']) });
    await t.calls.answered('stranger');
    expect(t.rang).to.deep.equal(['hangup stranger']);
    expect(t.types()).to.deep.equal([]);
    await t.calls.dial(command());
    expect(t.calls.size).to.equal(0);

    const u = testCalls();
    await u.calls.dial(command());
    u.calls.gone(leg, 19);
    expect(u.calls.size).to.equal(0);
    await u.calls.dial(command());
    expect(u.calls.sweep(Date.now() + 11 * 60_000, 10 * 60_000)).to.deep.equal([CONTACT]);
    expect(u.calls.size).to.equal(0);
  });
});
