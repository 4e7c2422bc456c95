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
 * Three-way conference on real parts (Asterisk, RabbitMQ, FerretDB, SoftACD, IVR, CTI, sipp): agent 1003
 * answers a support call, consults agent 1002 and merges the consultation (interface A `conference`).
 * Every phone sends its own tone (caller 400 Hz, 1003 650 Hz, 1002 1050 Hz); tcpdump on `lo` counts
 * each phone's RTP both ways while the three are together and measures which tones each one receives:
 * each must hear the two others and not itself (Asterisk's softmix sends each party the others' mix).
 * sipp ports 5420-5429, media 17200-17299; agents 1002/1003 as in hold-transfer-recording.spec.ts.
 */
describe('three-way conference: caller, agent and a consulted agent', function () {
  this.timeout(90_000);
  const f = new CallControlFixture();
  let talkers: Talker[] = [];
  let caller: Talker;
  let agent: Talker;
  let third: Talker;

  before(async () => {
    await f.start();
    caller = await talker('caller', 17200, 400);
    agent = await talker('agent1003', 17210, 650);
    third = await talker('agent1002', 17220, 1050);
    talkers = [caller, agent, third];
  });
  afterEach(() => f.signOutAll());
  after(async () => {
    await f.stop();
    await removeTalkers(talkers);
  });

  const PPS = 50; // PCMU, 20 ms a packet
  const SHARE = 0.5; // at least half of the packets the window should carry
  const minPackets = (ms: number) => Math.floor((SHARE * PPS * ms) / 1000);

  /** Caller in the support queue answered by 1003, who consults 1002 and merges: all three talking. */
  async function conference(o: {
    number: string;
    callerHoldMs: number;
    agentScenario: string;
    agentHoldMs: number;
    thirdScenario: string;
    thirdHoldMs: number;
    work: string;
  }) {
    const since = new Date();
    const first = await f.signIn(f.a3, true);
    const target = await f.signIn(f.a2, false);
    const capture = new LoopbackCapture(o.work, talkers);
    await capture.start();
    const phone3 = sipp(o.agentScenario, {
      service: 'agent1003',
      localPort: 5411,
      holdMs: o.agentHoldMs,
      extra: ['-mp', String(agent.audio)],
      cwd: agent.dir,
    });
    const phone2 = sipp(o.thirdScenario, {
      service: 'agent1002',
      localPort: 5401,
      holdMs: o.thirdHoldMs,
      extra: ['-mp', String(third.audio)],
      cwd: third.dir,
    });
    await new Promise((r) => setTimeout(r, 300));
    const call = sipp('rtp-caller.xml', {
      service: '201',
      localPort: 5421,
      holdMs: o.callerHoldMs,
      vars: { caller: o.number, caller_name: 'Conference' },
      extra: ['-mp', String(caller.audio)],
      cwd: caller.dir,
    });
    const offer = await eventually('offer to 1003', () => first.of('offer')[0], 15_000);
    const contactId = offer.contactId;
    await eventually('established', () => first.of('established').find((m) => m.contactId === contactId));
    target.send({ type: 'ready' });
    await eventually('1002 ready', () => target.of('state').some((s) => s.state === 'ready'));
    first.send({ type: 'consult', contactId, to: { kind: 'agent', agent: '1002' } });
    await eventually('consulted pushed', () => first.of('consulted')[0], 15_000);
    first.send({ type: 'conference', contactId });
    await eventually('conferenced pushed to 1003', () => first.of('conferenced')[0]);
    await eventually('conferenced pushed to 1002', () => target.of('conferenced')[0]);
    // ARI answers bridges.addChannel before the channel has joined (it first leaves the consult bridge):
    // the three are together shortly after Conferenced, not necessarily at once.
    const bridge = await eventually(
      'caller, agent and third party in the call bridge',
      async () => {
        const b = await f.bridge(contactId);
        return b.channels.length === 3 ? b : undefined;
      },
      3000,
    );
    const conferencedAt = Date.parse(
      String(f.forContact(contactId).find((s) => s.body.type === 'Conferenced')?.body.at),
    );
    return { since, first, target, capture, phone2, phone3, call, contactId, bridge, conferencedAt };
  }

  it('all three hear each other (RTP both ways for each, each hears the two other tones); the caller leaving ends it for all', async () => {
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'ipcc-conference-'));
    const number = '15557772001';
    const c = await conference({
      number,
      callerHoldMs: 16_000,
      agentScenario: 'rtp-agent.xml',
      agentHoldMs: 500,
      thirdScenario: 'rtp-agent.xml',
      thirdHoldMs: 500,
      work,
    });
    expect(c.bridge.channels, 'caller, agent and third party in the call bridge').to.have.length(3);
    expect(c.bridge.technology, 'three parties are mixed').to.equal('softmix');
    sippOk(await c.call, 'caller');
    sippOk(await c.phone3, 'agent 1003');
    sippOk(await c.phone2, 'agent 1002');
    const cleared = await f.clearedOnce(c.contactId);
    expect(cleared.body).to.include({ releasedBy: 'caller', stage: 'talking' });
    const datagrams = await c.capture.stop();
    const clearedAt = Date.parse(String(cleared.body.at));
    // From half a second after the merge to just before the caller's BYE.
    const from = c.conferencedAt + 500;
    const to = clearedAt - 300;
    const seen = flows(datagrams, talkers, from, to);
    console.log(
      `      conference ${to - from} ms (bridge ${c.bridge.technology}, video_mode ${String(c.bridge.video_mode)}); ` +
        `min ${minPackets(to - from)} packets each way: ${JSON.stringify(seen)}`,
    );
    expect(to - from, 'time the three were together').to.be.greaterThan(5000);
    for (const t of talkers) {
      const s = seen[t.name];
      expect(s?.sent, `${t.name} sent`).to.be.at.least(minPackets(to - from));
      expect(s?.received, `${t.name} received`).to.be.at.least(minPackets(to - from));
      for (const other of talkers) {
        const share = s?.hears[other.name] ?? 0;
        if (other === t) expect(share, `${t.name} does not hear itself`).to.be.below(0.05);
        else expect(share, `${t.name} hears ${other.name}`).to.be.at.least(0.15);
      }
    }
    f.inOrder(c.contactId, [
      'DivertCall:a3',
      'Established:a3',
      'ConsultCall:a3',
      'Held:a3',
      'Consulted:a3',
      'ConferenceCall:a3',
      'Conferenced:a3',
      'ConnectionCleared',
    ]);
    expect(f.labels(c.contactId)).to.not.include('ConferenceEnded:a3');
    f.expectRun(
      await f.agentStates(f.a3, c.since, (s) => s.includes('wrap-up')),
      ['reserved', 'ringing', 'talking', 'wrap-up'],
      'a3 states',
    );
    // Offered by name (the consultation), it follows a routed offer's states.
    f.expectRun(
      await f.agentStates(f.a2, c.since, (s) => s.includes('wrap-up')),
      ['reserved', 'ringing', 'talking', 'wrap-up'],
      'a2 states',
    );
    expect(c.first.of('cleared').map((m) => m.contactId)).to.include(c.contactId);
    expect(c.target.of('cleared').map((m) => m.contactId)).to.include(c.contactId);
    const doc = await f.interaction(c.contactId, (d) => d.state === 'cleared');
    const timeline = (doc.timeline as Array<{ type: string }>).map((e) => e.type);
    f.expectOrdered(timeline, ['Consulted', 'Conferenced', 'ConnectionCleared'], 'timeline');
    await f.clean(c.contactId, number);
    await fs.rm(work, { recursive: true, force: true });
  });

  it('the third party leaving leaves agent and caller talking (two-party again)', async () => {
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'ipcc-conference-'));
    const number = '15557772002';
    const c = await conference({
      number,
      callerHoldMs: 18_000,
      agentScenario: 'rtp-agent.xml',
      agentHoldMs: 500,
      thirdScenario: 'rtp-agent-bye.xml',
      thirdHoldMs: 7000,
      work,
    });
    expect(c.bridge.channels).to.have.length(3);
    sippOk(await c.phone2, 'agent 1002 (leaves)');
    const ended = await eventually('ConferenceEnded', () =>
      f.forContact(c.contactId).find((s) => s.body.type === 'ConferenceEnded'),
    );
    expect(ended.body).to.include({ left: 'third-party', agentId: f.a3 });
    await eventually('conference-ended pushed', () => c.first.of('conference-ended')[0]);
    const after = await f.bridge(c.contactId);
    expect(after.channels, 'caller and agent left in the bridge').to.have.length(2);
    expect(after.channels).to.include(f.callerChannel(c.contactId));
    sippOk(await c.call, 'caller');
    sippOk(await c.phone3, 'agent 1003');
    const cleared = await f.clearedOnce(c.contactId);
    const datagrams = await c.capture.stop();
    const from = Date.parse(String(ended.body.at)) + 500;
    const to = Date.parse(String(cleared.body.at)) - 300;
    const seen = flows(datagrams, talkers, from, to);
    console.log(`      two-party again for ${to - from} ms: ${JSON.stringify(seen)}`);
    for (const t of [caller, agent]) {
      expect(seen[t.name]?.sent, `${t.name} sent`).to.be.at.least(minPackets(to - from));
      expect(seen[t.name]?.received, `${t.name} received`).to.be.at.least(minPackets(to - from));
    }
    expect(seen.caller?.hears.agent1003).to.be.at.least(0.5);
    expect(seen.agent1003?.hears.caller).to.be.at.least(0.5);
    f.inOrder(c.contactId, ['Conferenced:a3', 'ConferenceEnded:a3', 'ConnectionCleared']);
    f.expectRun(
      await f.agentStates(f.a3, c.since, (s) => s.includes('wrap-up')),
      ['reserved', 'ringing', 'talking', 'wrap-up'],
      'a3 states',
    );
    // Offered by name (the consultation), it follows a routed offer's states.
    f.expectRun(
      await f.agentStates(f.a2, c.since, (s) => s.includes('wrap-up')),
      ['reserved', 'ringing', 'talking', 'wrap-up'],
      'a2 states',
    );
    const doc = await f.interaction(c.contactId, (d) => d.state === 'cleared');
    expect(doc).to.include({ agentId: f.a3 });
    await f.clean(c.contactId, number);
    await fs.rm(work, { recursive: true, force: true });
  });

  it('the agent leaving leaves the caller with the consulted agent, who owns the call from then on', async () => {
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'ipcc-conference-'));
    const number = '15557772003';
    const c = await conference({
      number,
      callerHoldMs: 20_000,
      agentScenario: 'rtp-agent-bye.xml',
      agentHoldMs: 11_000,
      thirdScenario: 'rtp-agent.xml',
      thirdHoldMs: 500,
      work,
    });
    expect(c.bridge.channels).to.have.length(3);
    sippOk(await c.phone3, 'agent 1003 (leaves)');
    const ended = await eventually('ConferenceEnded', () =>
      f.forContact(c.contactId).find((s) => s.body.type === 'ConferenceEnded'),
    );
    expect(ended.body).to.include({ left: 'agent', agentId: f.a3 });
    await eventually('established pushed to 1002', () => c.target.of('established')[0]);
    const after = await f.bridge(c.contactId);
    expect(after.channels).to.have.length(2);
    sippOk(await c.call, 'caller');
    sippOk(await c.phone2, 'agent 1002');
    const cleared = await f.clearedOnce(c.contactId);
    const datagrams = await c.capture.stop();
    const from = Date.parse(String(ended.body.at)) + 500;
    const to = Date.parse(String(cleared.body.at)) - 300;
    const seen = flows(datagrams, talkers, from, to);
    console.log(`      caller and 1002 for ${to - from} ms: ${JSON.stringify(seen)}`);
    for (const t of [caller, third]) {
      expect(seen[t.name]?.sent, `${t.name} sent`).to.be.at.least(minPackets(to - from));
      expect(seen[t.name]?.received, `${t.name} received`).to.be.at.least(minPackets(to - from));
    }
    expect(seen.caller?.hears.agent1002).to.be.at.least(0.5);
    expect(seen.agent1002?.hears.caller).to.be.at.least(0.5);
    f.inOrder(c.contactId, ['Conferenced:a3', 'ConferenceEnded:a3', 'Established:a2', 'ConnectionCleared']);
    f.expectRun(
      await f.agentStates(f.a3, c.since, (s) => s.includes('wrap-up')),
      ['reserved', 'ringing', 'talking', 'wrap-up'],
      'a3 states',
    );
    // Offered by name (the consultation), it follows a routed offer's states.
    f.expectRun(
      await f.agentStates(f.a2, c.since, (s) => s.includes('wrap-up')),
      ['reserved', 'ringing', 'talking', 'wrap-up'],
      'a2 states',
    );
    expect(c.target.of('cleared').map((m) => m.contactId)).to.include(c.contactId);
    const doc = await f.interaction(c.contactId, (d) => d.state === 'cleared');
    expect(doc).to.include({ agentId: f.a2 });
    await f.clean(c.contactId, number);
    await fs.rm(work, { recursive: true, force: true });
  });
});
