import os from 'node:os';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CallControlFixture, sippOk } from '../support/call-control';
import { eventually } from '../support/bus-observer';
import { expect } from '../support/chai';
import { LoopbackCapture } from '../support/rtp-capture';
import { sipp } from '../support/sipp';
import { type Talker, flows, removeTalkers, talker } from '../support/talkers';

/**
 * Transfers on real parts that leave the building or are called off: a blind transfer to an outside
 * number (CTI_OUTSIDE_DIAL `PJSIP/{number}@outside`; the `outside` endpoint of asterisk/snippets/pjsip_ipcc.conf
 * points at sip:127.0.0.1:5090, where a sipp UAS stands in for the far end), the outside number not
 * answering, and an attended transfer cancelled. Every phone talks with its own tone (caller 400 Hz,
 * 1003 650 Hz, outside 1050 Hz, 1002 800 Hz). sipp ports 5431 and 5090, media 17300-17399.
 */
describe('transfers to an outside number, and an attended transfer cancelled', function () {
  this.timeout(120_000);
  const f = new CallControlFixture();
  let talkers: Talker[] = [];
  let caller: Talker;
  let agent: Talker;
  let outside: Talker;
  let second: Talker;
  let work = '';

  before(async () => {
    await f.start();
    caller = await talker('caller', 17300, 400);
    agent = await talker('agent1003', 17310, 650);
    outside = await talker('outside', 17320, 1050);
    second = await talker('agent1002', 17330, 800);
    talkers = [caller, agent, outside, second];
  });
  beforeEach(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'ipcc-transfer-outside-'));
  });
  afterEach(async () => {
    await f.signOutAll();
    await fs.rm(work, { recursive: true, force: true });
  });
  after(async () => {
    await f.stop();
    await removeTalkers(talkers);
  });

  const minPackets = (ms: number) => Math.floor((0.5 * 50 * ms) / 1000);

  function phone(who: Talker, scenario: string, o: { service: string; port: number; holdMs: number }) {
    return sipp(scenario, {
      service: o.service,
      localPort: o.port,
      holdMs: o.holdMs,
      extra: ['-mp', String(who.audio)],
      cwd: who.dir,
      timeoutSec: 60,
    });
  }

  function call(number: string, holdMs: number) {
    return sipp('rtp-caller.xml', {
      service: '201',
      localPort: 5431,
      holdMs,
      vars: { caller: number, caller_name: 'Transfer Out' },
      extra: ['-mp', String(caller.audio)],
      cwd: caller.dir,
      timeoutSec: 60,
    });
  }

  it('blind-transfers to an outside number answered by the far end: caller and far end talk, the agent wraps up', async () => {
    const since = new Date();
    const first = await f.signIn(f.a3, true);
    await f.signIn(f.a2, false);
    const capture = new LoopbackCapture(work, talkers);
    await capture.start();
    const phone3 = phone(agent, 'rtp-agent.xml', { service: 'agent1003', port: 5411, holdMs: 500 });
    const far = phone(outside, 'rtp-agent.xml', { service: 'outside', port: 5090, holdMs: 500 });
    await new Promise((r) => setTimeout(r, 300));
    const number = '15557773001';
    const run = call(number, 14_000);
    const offer = await eventually('offer to 1003', () => first.of('offer')[0], 15_000);
    const contactId = offer.contactId;
    await eventually('established', () => first.of('established').find((m) => m.contactId === contactId));
    first.send({ type: 'transfer', contactId, to: { kind: 'number', number: '5551000' } });
    expect(await eventually('transferred pushed', () => first.of('transferred')[0])).to.deep.include({
      contactId,
      target: 'number:5551000',
    });
    const bridged = await eventually('caller and far end in the bridge', async () => {
      const b = await f.bridge(contactId);
      return b.channels.length === 2 ? b : undefined;
    });
    expect(bridged.channels).to.include(f.callerChannel(contactId));
    const joinedAt = Date.now();
    sippOk(await run, 'caller');
    sippOk(await far, 'far end');
    sippOk(await phone3, 'agent 1003');
    const cleared = await f.clearedOnce(contactId);
    expect(cleared.body).to.include({ releasedBy: 'caller' });
    const datagrams = await capture.stop();
    const from = joinedAt + 300;
    const to = Date.parse(String(cleared.body.at)) - 300;
    const seen = flows(datagrams, talkers, from, to);
    console.log(`      caller and far end for ${to - from} ms: ${JSON.stringify(seen)}`);
    expect(to - from).to.be.greaterThan(4000);
    for (const t of [caller, outside]) {
      expect(seen[t.name]?.sent, `${t.name} sent`).to.be.at.least(minPackets(to - from));
      expect(seen[t.name]?.received, `${t.name} received`).to.be.at.least(minPackets(to - from));
    }
    expect(seen.caller?.hears.outside, 'the caller hears the far end').to.be.at.least(0.5);
    expect(seen.outside?.hears.caller, 'the far end hears the caller').to.be.at.least(0.5);
    f.inOrder(contactId, [
      'DivertCall:a3',
      'Established:a3',
      'TransferCall:a3',
      'Transferred:a3',
      'ConnectionCleared',
    ]);
    expect(f.labels(contactId)).to.not.include('TransferFailed:a3');
    f.expectRun(
      await f.agentStates(f.a3, since, (s) => s.includes('wrap-up')),
      ['reserved', 'ringing', 'talking', 'wrap-up'],
      'a3 states',
    );
    const doc = await f.interaction(contactId, (d) => d.state === 'cleared');
    const timeline = doc.timeline as Array<{ type: string; data?: { target?: { number?: string } } }>;
    expect(timeline.find((e) => e.type === 'Transferred')?.data?.target?.number).to.equal('5551000');
    await f.clean(contactId, number);
  });

  it('an outside number that does not answer sends the caller back to its queue, where the next agent takes it', async () => {
    const since = new Date();
    const first = await f.signIn(f.a3, true);
    const next = await f.signIn(f.a2, false);
    const phone3 = phone(agent, 'rtp-agent.xml', { service: 'agent1003', port: 5411, holdMs: 500 });
    const phone2 = phone(second, 'rtp-agent.xml', { service: 'agent1002', port: 5401, holdMs: 500 });
    const far = sipp('agent-noanswer.xml', { service: 'outside', localPort: 5090, timeoutSec: 60 });
    await new Promise((r) => setTimeout(r, 300));
    const number = '15557773002';
    const run = call(number, 40_000);
    const offer = await eventually('offer to 1003', () => first.of('offer')[0], 15_000);
    const contactId = offer.contactId;
    await eventually('established', () => first.of('established').find((m) => m.contactId === contactId));
    first.send({ type: 'transfer', contactId, to: { kind: 'number', number: '5551001' } });
    await eventually('transferred pushed', () => first.of('transferred')[0]);
    next.send({ type: 'ready' });
    const failed = await eventually(
      'TransferFailed (the far end rang out)',
      () => f.forContact(contactId).find((s) => s.body.type === 'TransferFailed'),
      30_000,
    );
    expect(failed.body).to.include({ reason: 'no-answer', fallbackQueueId: 'support' });
    sippOk(await far, 'far end (rang, cancelled)');
    await eventually('offer to 1002', () => next.of('offer').find((m) => m.contactId === contactId), 15_000);
    await eventually('established with 1002', () => next.of('established')[0], 15_000);
    sippOk(await run, 'caller');
    sippOk(await phone3, 'agent 1003');
    sippOk(await phone2, 'agent 1002');
    await f.clearedOnce(contactId);
    f.inOrder(contactId, [
      'Established:a3',
      'TransferCall:a3',
      'Transferred:a3',
      'TransferFailed:a3',
      'CallDelivered(ivr)',
      'AgentRequest',
      'DivertCall:a2',
      'Established:a2',
      'ConnectionCleared',
    ]);
    f.expectRun(
      await f.agentStates(f.a3, since, (s) => s.includes('wrap-up')),
      ['reserved', 'ringing', 'talking', 'wrap-up'],
      `a3 states`,
    );
    f.expectRun(
      await f.agentStates(f.a2, since, (s) => s.includes('wrap-up')),
      ['reserved', 'ringing', 'talking', 'wrap-up'],
      `a2 states`,
    );
    const doc = await f.interaction(contactId, (d) => d.state === 'cleared');
    expect(doc).to.include({ agentId: f.a2, queueId: 'support' });
    await f.clean(contactId, number);
  });

  it('attended transfer cancelled: the target is hung up, the agent is back with the caller, the target wraps up', async () => {
    const since = new Date();
    const first = await f.signIn(f.a3, true);
    const target = await f.signIn(f.a2, false);
    const capture = new LoopbackCapture(work, talkers);
    await capture.start();
    const phone3 = phone(agent, 'rtp-agent.xml', { service: 'agent1003', port: 5411, holdMs: 500 });
    const phone2 = phone(second, 'rtp-agent.xml', { service: 'agent1002', port: 5401, holdMs: 500 });
    await new Promise((r) => setTimeout(r, 300));
    const number = '15557773003';
    const run = call(number, 16_000);
    const offer = await eventually('offer to 1003', () => first.of('offer')[0], 15_000);
    const contactId = offer.contactId;
    await eventually('established', () => first.of('established').find((m) => m.contactId === contactId));
    target.send({ type: 'ready' });
    await eventually('1002 ready', () => target.of('state').some((s) => s.state === 'ready'));
    first.send({ type: 'consult', contactId, to: { kind: 'agent', agent: '1002' } });
    await eventually('consulted pushed', () => first.of('consulted')[0], 15_000);
    first.send({ type: 'cancel-consult', contactId });
    await eventually('consult-ended pushed', () => first.of('consult-ended')[0]);
    await eventually('retrieved pushed', () => first.of('retrieved')[0]);
    sippOk(await phone2, 'agent 1002 (hung up by the cancel)');
    const members = (await f.bridge(contactId)).channels;
    expect(members).to.have.length(2);
    expect(members).to.include(f.callerChannel(contactId));
    const backAt = Date.now();
    sippOk(await run, 'caller');
    sippOk(await phone3, 'agent 1003');
    const cleared = await f.clearedOnce(contactId);
    const datagrams = await capture.stop();
    const from = backAt + 300;
    const to = Date.parse(String(cleared.body.at)) - 300;
    const seen = flows(datagrams, talkers, from, to);
    console.log(`      caller and 1003 again for ${to - from} ms: ${JSON.stringify(seen)}`);
    for (const t of [caller, agent]) {
      expect(seen[t.name]?.sent, `${t.name} sent`).to.be.at.least(minPackets(to - from));
      expect(seen[t.name]?.received, `${t.name} received`).to.be.at.least(minPackets(to - from));
    }
    expect(seen.caller?.hears.agent1003).to.be.at.least(0.5);
    expect(seen.agent1003?.hears.caller).to.be.at.least(0.5);
    expect(seen.agent1002?.received ?? 0, 'the cancelled target hears nothing any more').to.equal(0);
    f.inOrder(contactId, [
      'Established:a3',
      'ConsultCall:a3',
      'Held:a3',
      'Consulted:a3',
      'CancelConsult:a3',
      'ConsultEnded:a3',
      'Retrieved:a3',
      'ConnectionCleared',
    ]);
    const ended = f.forContact(contactId).find((s) => s.body.type === 'ConsultEnded');
    expect(ended?.body).to.include({ outcome: 'cancelled' });
    f.expectRun(
      await f.agentStates(f.a3, since, (s) => s.includes('wrap-up')),
      ['reserved', 'ringing', 'talking', 'wrap-up'],
      `a3 states`,
    );
    // The consulted agent talked (the consultation): wrap-up, then ready when its wrap-up ends.
    f.expectRun(
      await f.agentStates(f.a2, since, (s) => s.includes('wrap-up')),
      ['reserved', 'ringing', 'talking', 'wrap-up'],
      `a2 states`,
    );
    const doc = await f.interaction(contactId, (d) => d.state === 'cleared');
    expect(doc).to.include({ agentId: f.a3 });
    await f.clean(contactId, number);
  });
});
