import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { EXCHANGES } from '../../lib/bus/topology';
import { AgentClient } from '../support/agent-client';
import { agentEvents, agentIdOf, registerPhone } from '../support/agents';
import { ari, callChannels, leftInAsterisk } from '../support/ari';
import { BusObserver, eventually, type Seen } from '../support/bus-observer';
import { storedAgentStates } from '../support/agent-states';
import { expect } from '../support/chai';
import { asteriskRtpStats } from '../support/rtp-capture';
import { writePhoneMedia } from '../support/rtp-pcap';
import { mongoUri, requireSystem } from '../support/servers';
import { sipp } from '../support/sipp';
import { sippIvr } from './ivr/fixture';

/**
 * A callback on real parts (queue `callbacks`, called number 202: 20 s queue timeout, action callback).
 * Caller A waits while the only agent for the queue (1003) is not ready, times out, hears the callback
 * confirmation and is hung up; caller B arrives after A and waits. The agent becomes ready: A's
 * callback is dialled first (the agent's phone, then A's number through the `outside` endpoint, both
 * sipp phones that answer and talk), then B is offered. SIP ports 5451-5455 and 5090 (outside), RTP
 * 17200-17250.
 */
describe('callback dialled when it reaches the head of the queue, before a later caller', function () {
  this.timeout(120_000);
  const bus = new BusObserver();
  const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  let agent = '';
  let client: AgentClient | undefined;
  let work = '';
  const A = '15557770001';
  const B = '15557770002';
  const PHONE = { vars: { vcodec: 'H264', vpt: '96', vfmtp: 'packetization-mode=1' } };

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
    await mongo.connect();
    agent = await agentIdOf('1003');
    // Nobody else may serve the support skill; 1003 is signed in but not ready.
    for (const other of ['1002', '1004']) await agentEvents(await agentIdOf(other), ['AgentLogout']);
    await agentEvents(agent, ['AgentLogin', { notReady: 'break' }]);
    await registerPhone('agent1003', 5451);
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'ipcc-callback-'));
    // What both phones send: a prompt's audio (rtp_stream, looped); video-agent.xml also loads a video
    // pcap, which an audio-only call never plays.
    await writePhoneMedia({
      dir: work,
      promptDir: path.resolve(__dirname, '..', '..', 'asterisk', 'prompts', 'build'),
      prompt: 'goodbye',
      codec: 'h264',
      videoPayloadType: 96,
      durationMs: 5000,
      ssrc: 0x22220001,
    });
  });
  after(async () => {
    client?.close();
    await agentEvents(agent, ['AgentLogout']).catch(() => undefined);
    await bus.stop();
    await mongo.close();
    if (work !== '') await fs.rm(work, { recursive: true, force: true });
  });

  const valid = () => bus.seen.filter((s) => typeof s.body.type === 'string');
  const of = (contactId: string, type: string): Seen[] =>
    valid().filter((s) => s.body.contactId === contactId && s.body.type === type);
  const indexOf = (s: Seen | undefined) => (s === undefined ? -1 : bus.seen.indexOf(s));

  it('serves the callback first (agent, then customer, bridged, RTP both ways), then the later caller', async () => {
    const callerA = sippIvr('ivr-wait-bye.xml', {
      service: '202',
      localPort: 5452,
      mediaPort: 17230,
      vars: { caller: A, caller_name: 'Callback A' },
    });
    const deliveredA = await eventually('A delivered', () =>
      valid().find((s) => s.body.type === 'CallDelivered' && s.body.callingNumber === A),
    );
    const a = String(deliveredA.body.contactId);
    await eventually('A queued', () => of(a, 'AgentRequest')[0]);
    const requested = await eventually(
      'A timed out into a callback',
      () => of(a, 'CallbackRequested')[0],
      35_000,
    );
    expect(requested.body).to.include({ queueId: 'callbacks', number: A });

    // B arrives after A (A's entry keeps its earlier place) and waits as a caller.
    const callerB = sippIvr('uac-audio.xml', {
      service: '202',
      localPort: 5453,
      mediaPort: 17236, // A's sipp holds 17230-17233 (audio and video, RTP and RTCP)
      holdMs: 26_000,
      vars: { caller: B, caller_name: 'Later B' },
    });
    const deliveredB = await eventually('B delivered', () =>
      valid().find((s) => s.body.type === 'CallDelivered' && s.body.callingNumber === B),
    );
    const b = String(deliveredB.body.contactId);
    await eventually('B queued', () => of(b, 'AgentRequest')[0]);

    const runA = await callerA;
    expect(runA.code, `caller A: ${runA.stdout.slice(-600)}`).to.equal(0);
    await eventually('A cleared after the confirmation', () => of(a, 'ConnectionCleared')[0]);
    const db = mongo.db();
    const kept = await eventually('A kept as a callback', async () => {
      const d = await db.collection('interactions').findOne({ _id: a as never });
      return d?.state === 'callback' ? d : undefined;
    });
    expect(kept).to.include({ abandoned: false });

    // The phones: the agent's answers both offers in turn, the customer's (outside) answers A's number.
    const agentPhone = sipp('video-agent.xml', {
      service: 'agent1003',
      localPort: 5451,
      holdMs: 800,
      calls: 2,
      timeoutSec: 60,
      cwd: work,
      ...PHONE,
      extra: ['-mp', '17200'],
    });
    const customerPhone = sipp('video-agent.xml', {
      service: 'outside',
      localPort: 5090,
      holdMs: 1200,
      timeoutSec: 60,
      cwd: work,
      ...PHONE,
      extra: ['-mp', '17240'],
    });
    client = new AgentClient();
    await client.connect();
    client.send({ type: 'auth', token: AgentClient.tokenFor(agent) });
    await eventually('welcome', () => client?.of('welcome')[0]);
    await new Promise((r) => setTimeout(r, 300));
    await agentEvents(agent, ['AgentReady']);

    const dial = await eventually('DialCallback for A', () => of(a, 'DialCallback')[0], 10_000);
    expect(dial.body).to.include({ agentId: agent, number: A, customerEndpoint: `PJSIP/${A}@outside` });
    const offer = await eventually('callback offer pushed to the agent', () =>
      client?.of('offer').find((o) => o.contactId === a),
    );
    expect(offer).to.include({ kind: 'callback', number: A, queueId: 'callbacks' });
    await eventually('agent answered, customer dialled', () => of(a, 'CallbackDialing')[0], 15_000);
    const established = await eventually('A established', () => of(a, 'Established')[0], 15_000);
    expect(of(b, 'DivertCall'), 'B is not offered before the callback').to.deep.equal([]);

    // Both legs bridged, RTP flowing both ways on each (Asterisk's own counters, 2 s apart).
    const agentLeg = String(established.body.agentChannelId);
    const channels = await callChannels<{ id: string; name: string }>();
    const customerLeg = channels.find((c) => c.id.startsWith(`${a}-customer-`))?.id ?? '';
    expect(customerLeg, 'customer leg').to.not.equal('');
    const bridge = await ari.get<{ channels: string[] }>(`/bridges/${a}-bridge`);
    expect(bridge.channels).to.have.members([agentLeg, customerLeg]);
    const before = await Promise.all([agentLeg, customerLeg].map((id) => asteriskRtpStats(id, 'audio')));
    await new Promise((r) => setTimeout(r, 2000));
    const later = await Promise.all([agentLeg, customerLeg].map((id) => asteriskRtpStats(id, 'audio')));
    const flow = [0, 1].map((i) => ({
      rx: (later[i]?.rxcount ?? 0) - (before[i]?.rxcount ?? 0),
      tx: (later[i]?.txcount ?? 0) - (before[i]?.txcount ?? 0),
    }));
    console.log(
      `      RTP in 2 s: agent leg rx ${flow[0]?.rx} tx ${flow[0]?.tx}; customer leg rx ${flow[1]?.rx} tx ${flow[1]?.tx}`,
    );
    for (const f of flow) {
      expect(f.rx, 'packets from the phone').to.be.above(50);
      expect(f.tx, 'packets to the phone').to.be.above(50);
    }

    // The agent ends the callback from its client; then B, who waited, is offered to the same agent.
    client.send({ type: 'hangup', contactId: a });
    await eventually('A callback cleared', () => of(a, 'ConnectionCleared')[1], 10_000);
    const clearedA = of(a, 'ConnectionCleared');
    expect(clearedA).to.have.length(2);
    expect(clearedA[1]?.body).to.include({ releasedBy: 'agent', stage: 'talking' });
    const customerRun = await customerPhone;
    expect(customerRun.code, `customer phone: ${customerRun.stdout.slice(-600)}`).to.equal(0);

    const divertB = await eventually('B offered', () => of(b, 'DivertCall')[0], 10_000);
    expect(indexOf(divertB)).to.be.above(indexOf(clearedA[1]));
    expect(divertB.body).to.include({ agentId: agent });
    await eventually('B established', () => of(b, 'Established')[0], 15_000);
    const runB = await callerB;
    expect(runB.code, `caller B: ${runB.stdout.slice(-600)}`).to.equal(0);
    await eventually('B cleared', () => of(b, 'ConnectionCleared')[0], 10_000);
    expect(of(b, 'ConnectionCleared')).to.have.length(1);
    expect(of(b, 'ConnectionCleared')[0]?.body).to.include({ releasedBy: 'caller', stage: 'talking' });
    const agentRun = await agentPhone;
    expect(agentRun.code, `agent phone: ${agentRun.stdout.slice(-600)}`).to.equal(0);

    const events = valid()
      .filter((s) => s.body.contactId === a && s.exchange === EXCHANGES.events)
      .map((s) => String(s.body.type));
    const dialled = events.slice(events.indexOf('CallbackRequested'));
    expect(dialled).to.include.ordered.members([
      'CallbackRequested',
      'ConnectionCleared',
      'CallDiverted',
      'CallDelivered',
      'CallbackDialing',
      'Established',
      'ConnectionCleared',
    ]);
    const states = (contactId: string) =>
      storedAgentStates(db, { agentId: agent, contactId }, (seen) => seen.includes('talking'));
    expect(await states(a)).to.deep.equal(['reserved', 'ringing', 'talking', 'wrap-up']);
    expect((await states(b)).slice(0, 3)).to.deep.equal(['reserved', 'ringing', 'talking']);
    const doc = await eventually('A cleared in the store', async () => {
      const d = await db.collection('interactions').findOne({ _id: a as never });
      return d?.state === 'cleared' ? d : undefined;
    });
    expect(doc).to.include({ abandoned: false, agentId: agent });
    const timeline = (doc.timeline as Array<{ type: string }>).map((t) => t.type);
    expect(timeline).to.include.members(['CallbackRequested', 'Offered', 'CallbackDialing', 'Established']);

    const left = await leftInAsterisk();
    expect(left.channels).to.deep.equal([]);
    expect(left.bridges).to.deep.equal([]);
  });
});
