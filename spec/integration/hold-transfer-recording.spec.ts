import { existsSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { EXCHANGES } from '../../lib/bus/topology';
import { AgentClient } from '../support/agent-client';
import { agentIdOf, registerPhone } from '../support/agents';
import { ari } from '../support/ari';
import { BusObserver, Seen, eventually } from '../support/bus-observer';
import { storedAgentStates } from '../support/agent-states';
import { expect } from '../support/chai';
import { mongoUri, requireSystem } from '../support/servers';
import { SippRun, sipp } from '../support/sipp';

/**
 * Agent-initiated call control on real parts (Asterisk, RabbitMQ, FerretDB, SoftACD, IVR, CTI, sipp):
 * the agent acts through interface A, CTI commands the owning SoftACD, SoftACD drives ARI. Only agents
 * 1002 and 1003, the support queue (201) and, for recording, sales (200); sipp ports 5400-5499 and media
 * ports 17000-17999, so other suites can run at the same time.
 */
describe('agent call control: hold, blind and attended transfers, recording', function () {
  this.timeout(90_000);
  const bus = new BusObserver();
  const clients: AgentClient[] = [];
  let a2 = '';
  let a3 = '';
  const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
    await mongo.connect();
    a2 = await agentIdOf('1002');
    a3 = await agentIdOf('1003');
    await registerPhone('agent1002', 5401);
    await registerPhone('agent1003', 5411);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) {
      c.send({ type: 'logout' });
      await new Promise((r) => setTimeout(r, 200));
      c.close();
    }
  });
  after(async () => {
    await bus.stop();
    await mongo.close();
  });

  /** Signs an agent in through interface A from logged-out, ready or not. */
  async function signIn(agentId: string, ready: boolean): Promise<AgentClient> {
    const c = new AgentClient();
    await c.connect();
    clients.push(c);
    c.send({ type: 'auth', token: AgentClient.tokenFor(agentId) });
    await eventually('welcome', () => c.of('welcome')[0]);
    c.send({ type: 'logout' });
    await new Promise((r) => setTimeout(r, 300));
    c.received.splice(0);
    c.send({ type: 'login' });
    if (ready) c.send({ type: 'ready' });
    await eventually(`${agentId} ${ready ? 'ready' : 'not-ready'}`, () =>
      c.of('state').some((s) => s.state === (ready ? 'ready' : 'not-ready')),
    );
    return c;
  }

  function phone(endpoint: 'agent1002' | 'agent1003', mediaPort: number): Promise<SippRun> {
    return sipp('agent-reinvite.xml', {
      service: endpoint,
      localPort: endpoint === 'agent1002' ? 5401 : 5411,
      holdMs: 500,
      extra: ['-mp', String(mediaPort)],
    });
  }

  function caller(
    service: '200' | '201',
    number: string,
    holdMs: number,
    localPort: number,
    mediaPort: number,
  ): Promise<SippRun> {
    return sipp('uac-audio.xml', {
      service,
      localPort,
      holdMs,
      vars: { caller: number, caller_name: 'Call Control' },
      extra: ['-mp', String(mediaPort)],
    });
  }

  /** This contact's messages (other suites may publish anything, even `null`, on the same exchanges). */
  const forContact = (contactId: string): Seen[] =>
    bus.seen.filter((s) => typeof s.body === 'object' && s.body !== null && s.body.contactId === contactId);

  const ok = (run: SippRun, who: string) =>
    expect(run.code, `${who} sipp failed:\n${run.stdout.slice(-1500)}`).to.equal(0);

  function labels(seen: Seen[]): string[] {
    return seen.map((s) => {
      const to = s.body.deliveredTo as { kind: string } | undefined;
      const agent = typeof s.body.agentId === 'string' ? (s.body.agentId === a2 ? ':a2' : ':a3') : '';
      return to ? `${String(s.body.type)}(${to.kind})` : `${String(s.body.type)}${agent}`;
    });
  }

  function inOrder(seq: string[], expected: string[]): void {
    let from = 0;
    for (const l of expected) {
      const i = seq.indexOf(l, from);
      expect(i, `${l} after position ${from} in ${seq.join(', ')}`).to.be.greaterThan(-1);
      from = i + 1;
    }
  }

  async function clearedOnce(contactId: string): Promise<void> {
    await eventually(
      'ConnectionCleared',
      () => forContact(contactId).some((s) => s.body.type === 'ConnectionCleared'),
      20_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    const cleared = forContact(contactId).filter((s) => s.body.type === 'ConnectionCleared');
    expect(cleared).to.have.length(1);
  }

  function agentStates(agentId: string, contactId: string): Promise<string[]> {
    return storedAgentStates(mongo.db(), { agentId, contactId }, (seen) => seen.includes('wrap-up'));
  }

  async function interaction(contactId: string, ready: (d: Record<string, unknown>) => boolean) {
    return eventually(
      'interaction stored',
      async () => {
        const d = await mongo
          .db()
          .collection('interactions')
          .findOne({ _id: contactId as never });
        return d !== null && ready(d) ? d : undefined;
      },
      15_000,
    );
  }

  /** Nothing of this call left in Asterisk: no leg, no bridge (other suites' calls are not ours). */
  async function leftInAsterisk(contactId: string, callerNumber: string): Promise<string[]> {
    const [channels, bridges] = await Promise.all([
      ari.get<Array<{ id: string; name: string; caller: { number: string } }>>('/channels'),
      ari.get<Array<{ id: string }>>('/bridges'),
    ]);
    return [
      ...channels
        .filter(
          (c) =>
            c.id.startsWith(contactId) || c.caller.number === callerNumber || /agent100[23]/.test(c.name),
        )
        .map((c) => `channel ${c.name}`),
      ...bridges.filter((b) => b.id.startsWith(contactId)).map((b) => `bridge ${b.id}`),
    ];
  }

  async function clean(contactId: string, callerNumber: string): Promise<void> {
    const left = await eventually(
      'Asterisk clean of the call',
      async () => {
        const l = await leftInAsterisk(contactId, callerNumber);
        return l.length === 0 ? l : undefined;
      },
      3000,
    ).catch(() => leftInAsterisk(contactId, callerNumber));
    expect(left).to.deep.equal([]);
  }

  async function bridgeMembers(contactId: string): Promise<string[]> {
    const b = await ari.get<{ channels: string[] }>(`/bridges/${contactId}-bridge`);
    return b.channels;
  }

  it('holds the caller (MOH, agent out of the bridge) and retrieves it; the agent stays talking', async () => {
    const agent = await signIn(a2, true);
    await signIn(a3, false);
    const agentPhone = phone('agent1002', 17000);
    await new Promise((r) => setTimeout(r, 300));
    const number = '15557771001';
    const call = caller('201', number, 9000, 5402, 17010);

    const offer = await eventually('offer to 1002', () => agent.of('offer')[0], 15_000);
    const contactId = offer.contactId;
    await eventually('established', () => agent.of('established').find((m) => m.contactId === contactId));
    const callerChannel = String(
      forContact(contactId).find((s) => s.body.type === 'CallDelivered')?.body.channelId,
    );
    expect(await bridgeMembers(contactId)).to.have.length(2);

    agent.send({ type: 'hold', contactId });
    await eventually('held pushed', () => agent.of('held').find((m) => m.contactId === contactId));
    expect(await bridgeMembers(contactId)).to.deep.equal([callerChannel]);
    // A second hold is refused by CTI: the contact is already held.
    agent.send({ type: 'hold', contactId });
    const refused = await eventually('second hold refused', () => agent.of('error')[0]);
    expect(refused.code).to.equal('illegal_state');

    await new Promise((r) => setTimeout(r, 1000));
    agent.send({ type: 'retrieve', contactId });
    await eventually('retrieved pushed', () => agent.of('retrieved').find((m) => m.contactId === contactId));
    expect(await bridgeMembers(contactId)).to.have.length(2);

    ok(await call, 'caller');
    ok(await agentPhone, 'agent 1002');
    await clearedOnce(contactId);
    const seq = labels(forContact(contactId));
    inOrder(seq, [
      'CallDelivered(acd)',
      'RouteSelect',
      'DivertCall:a2',
      'CallDelivered(agent)',
      'Established:a2',
      'HoldCall:a2',
      'Held:a2',
      'RetrieveCall:a2',
      'Retrieved:a2',
      'ConnectionCleared',
    ]);
    expect(seq.filter((l) => l.startsWith('HoldCall'))).to.have.length(1);
    const body = forContact(contactId).find((s) => s.body.type === 'ConnectionCleared')?.body;
    expect(body).to.include({ releasedBy: 'caller', stage: 'talking' });

    expect(await agentStates(a2, contactId)).to.deep.equal(['reserved', 'ringing', 'talking', 'wrap-up']);
    const doc = await interaction(contactId, (d) => d.state === 'cleared');
    const timeline = (doc.timeline as Array<{ type: string; at: Date }>).map((e) => e.type);
    inOrder(timeline, ['Connected', 'Held', 'Retrieved', 'ConnectionCleared']);
    const connected = (doc.timeline as Array<{ type: string; at: Date }>).find((e) => e.type === 'Connected');
    expect((doc.answeredAt as Date).getTime()).to.equal(connected?.at.getTime());
    await clean(contactId, number);
  });

  it('holds a video caller with the looped hold prompt (music and a still card) instead of MOH', async () => {
    const agent = await signIn(a2, true);
    await signIn(a3, false);
    const agentPhone = phone('agent1002', 17130);
    await new Promise((r) => setTimeout(r, 300));
    const number = '15557771006';
    const call = sipp('ivr-video-caller.xml', {
      service: '201',
      localPort: 5408,
      holdMs: 7000,
      vars: { caller: number, caller_name: 'Video Hold' },
      extra: ['-mp', '17140'],
    });
    const offer = await eventually('offer to 1002', () => agent.of('offer')[0], 15_000);
    expect(offer.media).to.equal('audio+video');
    const contactId = offer.contactId;
    await eventually('established', () => agent.of('established')[0]);
    agent.send({ type: 'hold', contactId });
    await eventually('held pushed', () => agent.of('held')[0]);
    const playback = await ari.get<{ media_uri: string; target_uri: string; state: string }>(
      `/playbacks/${contactId}-hold`,
    );
    const callerChannel = String(
      forContact(contactId).find((s) => s.body.type === 'CallDelivered')?.body.channelId,
    );
    expect(playback).to.include({
      media_uri: 'sound:ipcc/hold',
      target_uri: `channel:${callerChannel}`,
      state: 'playing',
    });
    agent.send({ type: 'retrieve', contactId });
    await eventually('retrieved pushed', () => agent.of('retrieved')[0]);
    const stopped = await ari.get(`/playbacks/${contactId}-hold`).then(
      () => 'still playing',
      (err: Error) => (/404/.test(err.message) ? 'stopped' : err.message),
    );
    expect(stopped).to.equal('stopped');
    ok(await call, 'video caller');
    ok(await agentPhone, 'agent 1002');
    await clearedOnce(contactId);
    await clean(contactId, number);
  });

  it('blind-transfers to a queue: the first agent goes to wrap-up, the next agent gets the caller', async () => {
    const first = await signIn(a2, true);
    const second = await signIn(a3, false);
    const phone2 = phone('agent1002', 17020);
    const phone3 = phone('agent1003', 17030);
    await new Promise((r) => setTimeout(r, 300));
    const number = '15557771002';
    const call = caller('201', number, 14_000, 5403, 17040);

    const offer = await eventually('offer to 1002', () => first.of('offer')[0], 15_000);
    const contactId = offer.contactId;
    await eventually('established', () => first.of('established').find((m) => m.contactId === contactId));
    first.send({ type: 'transfer', contactId, to: { kind: 'queue', queueId: 'no-such-queue' } });
    expect((await eventually('unknown queue refused', () => first.of('error')[0])).code).to.equal(
      'unknown_queue',
    );
    first.send({ type: 'transfer', contactId, to: { kind: 'queue', queueId: 'support' } });
    const done = await eventually('transferred pushed', () => first.of('transferred')[0]);
    expect(done).to.deep.include({ contactId, target: 'queue:support' });
    // The first agent no longer acts on the contact.
    first.send({ type: 'hold', contactId });
    expect((await eventually('no longer yours', () => first.of('error')[1])).code).to.equal(
      'not_your_contact',
    );
    ok(await phone2, 'agent 1002');

    second.send({ type: 'ready' });
    const offer3 = await eventually('offer to 1003', () => second.of('offer')[0], 15_000);
    expect(offer3.contactId).to.equal(contactId);
    await eventually('established with 1003', () => second.of('established')[0], 15_000);
    ok(await call, 'caller');
    ok(await phone3, 'agent 1003');
    await clearedOnce(contactId);

    const seq = labels(forContact(contactId));
    inOrder(seq, [
      'DivertCall:a2',
      'Established:a2',
      'TransferCall:a2',
      'Transferred:a2',
      'CallDelivered(ivr)',
      'AgentRequest',
      'DivertCall:a3',
      'CallDelivered(agent)',
      'ReleaseIvr',
      'Established:a3',
      'ConnectionCleared',
    ]);
    expect(await agentStates(a2, contactId)).to.deep.equal(['reserved', 'ringing', 'talking', 'wrap-up']);
    expect(await agentStates(a3, contactId)).to.deep.equal(['reserved', 'ringing', 'talking', 'wrap-up']);
    const doc = await interaction(contactId, (d) => d.state === 'cleared');
    expect(doc).to.include({ agentId: a3, queueId: 'support', abandoned: false });
    inOrder(
      (doc.timeline as Array<{ type: string }>).map((e) => e.type),
      ['Connected', 'Transferred', 'Ended', 'Queued', 'Offered', 'Connected', 'ConnectionCleared'],
    );
    await clean(contactId, number);
  });

  it('blind-transfers to an agent by login: the target is offered it by name, rings while the caller hears MOH, then takes the call', async () => {
    const first = await signIn(a3, true);
    const target = await signIn(a2, false);
    const phone3 = phone('agent1003', 17070);
    const phone2 = phone('agent1002', 17080);
    await new Promise((r) => setTimeout(r, 300));
    const number = '15557771004';
    const since = new Date();
    const call = caller('201', number, 12_000, 5405, 17090);

    const offer = await eventually('offer to 1003', () => first.of('offer')[0], 15_000);
    const contactId = offer.contactId;
    await eventually('established', () => first.of('established').find((m) => m.contactId === contactId));
    target.send({ type: 'ready' });
    await eventually('1002 ready', () => target.of('state').some((s) => s.state === 'ready'));
    first.send({ type: 'transfer', contactId, to: { kind: 'agent', agent: '1002' } });
    expect(await eventually('transferred pushed', () => first.of('transferred')[0])).to.deep.include({
      contactId,
      target: `agent:${a2}`,
    });
    await eventually('established with 1002', () => target.of('established')[0], 15_000);
    expect(await bridgeMembers(contactId)).to.have.length(2);
    ok(await call, 'caller');
    ok(await phone3, 'agent 1003');
    ok(await phone2, 'agent 1002');
    await clearedOnce(contactId);

    inOrder(labels(forContact(contactId)), [
      'DivertCall:a3',
      'Established:a3',
      'TransferCall:a3',
      'Transferred:a3',
      'Established:a2',
      'ConnectionCleared',
    ]);
    expect(await agentStates(a3, contactId)).to.deep.equal(['reserved', 'ringing', 'talking', 'wrap-up']);
    // Offered the call by name: the states of a routed offer.
    const rows = await eventually('1002 in wrap-up', async () => {
      const r = await mongo
        .db()
        .collection('agentstates')
        .find({ agentId: a2, at: { $gte: since } })
        .sort({ at: 1 })
        .toArray();
      const states = r.map((x) => `${String(x.state)}${x.reason ? `:${String(x.reason)}` : ''}`);
      return states.includes('wrap-up') ? states : undefined;
    });
    expect(rows.slice(-4)).to.deep.equal(['reserved', 'ringing', 'talking', 'wrap-up']);
    const doc = await interaction(contactId, (d) => d.state === 'cleared');
    expect(doc).to.include({ agentId: a2 });
    await clean(contactId, number);
  });

  it('attended transfer: consults 1002 with the caller on hold, then completes; 1003 released', async () => {
    const first = await signIn(a3, true);
    const target = await signIn(a2, false);
    const phone3 = phone('agent1003', 17100);
    const phone2 = phone('agent1002', 17110);
    await new Promise((r) => setTimeout(r, 300));
    const number = '15557771005';
    const call = caller('201', number, 14_000, 5406, 17120);

    const offer = await eventually('offer to 1003', () => first.of('offer')[0], 15_000);
    const contactId = offer.contactId;
    await eventually('established', () => first.of('established').find((m) => m.contactId === contactId));
    const callerChannel = String(
      forContact(contactId).find((s) => s.body.type === 'CallDelivered')?.body.channelId,
    );
    target.send({ type: 'ready' });
    await eventually('1002 ready', () => target.of('state').some((s) => s.state === 'ready'));
    first.send({ type: 'consult', contactId, to: { kind: 'agent', agent: '1002' } });
    await eventually('consulted pushed', () => first.of('consulted')[0], 15_000);
    // Caller alone (on hold) in the call's bridge; agent and target together in the consult bridge.
    expect(await bridgeMembers(contactId)).to.deep.equal([callerChannel]);
    const consult = await ari.get<{ channels: string[] }>(`/bridges/${contactId}-consult`);
    expect(consult.channels).to.have.length(2);
    first.send({ type: 'complete-transfer', contactId });
    await eventually('transferred pushed', () => first.of('transferred')[0]);
    await eventually('established with 1002', () => target.of('established')[0]);
    const members = await bridgeMembers(contactId);
    expect(members).to.have.length(2);
    expect(members).to.include(callerChannel);
    ok(await phone3, 'agent 1003');
    ok(await call, 'caller');
    ok(await phone2, 'agent 1002');
    await clearedOnce(contactId);

    inOrder(labels(forContact(contactId)), [
      'Established:a3',
      'ConsultCall:a3',
      'Held:a3',
      'Consulted:a3',
      'CompleteTransfer:a3',
      'Transferred:a3',
      'Established:a2',
      'ConnectionCleared',
    ]);
    expect(await agentStates(a3, contactId)).to.deep.equal(['reserved', 'ringing', 'talking', 'wrap-up']);
    const doc = await interaction(contactId, (d) => d.state === 'cleared');
    expect(doc).to.include({ agentId: a2 });
    inOrder(
      (doc.timeline as Array<{ type: string }>).map((e) => e.type),
      ['Connected', 'Held', 'Consulted', 'Transferred', 'Established', 'ConnectionCleared'],
    );
    await clean(contactId, number);
  });

  it('records a sales call from Established to the end and stores the metadata on the interaction', async () => {
    const agent = await signIn(a2, true);
    const agentPhone = phone('agent1002', 17050);
    await new Promise((r) => setTimeout(r, 300));
    const number = '15557771003';
    // Sales is shared with other suites' agent 1001: if it is Ready, it is offered the call first and,
    // with no phone answering, rings out (20 s) before 1002 gets it; the caller stays long enough.
    const call = caller('200', number, 26_000, 5404, 17060);
    const offer = await eventually('offer to 1002', () => agent.of('offer')[0], 25_000);
    const contactId = offer.contactId;
    ok(await call, 'caller');
    ok(await agentPhone, 'agent 1002');
    await clearedOnce(contactId);
    const doc = await interaction(contactId, (d) => d.recording !== undefined);
    const recording = doc.recording as { name: string; format: string; durationSec: number; path: string };
    expect(recording.name.startsWith(contactId)).to.equal(true);
    expect(recording.format).to.equal('wav');
    expect(recording.path).to.equal(`/var/spool/asterisk/recording/${recording.name}.wav`);
    expect(recording.durationSec).to.be.within(1, 27);
    const chroot = process.env.IPCC_CHROOT ?? '/var/lib/ipcc/sid';
    expect(existsSync(`${chroot}${recording.path}`), `${chroot}${recording.path}`).to.equal(true);
    await eventually('RecordingStored on the bus', () =>
      forContact(contactId).some((s) => s.body.type === 'RecordingStored'),
    );
    // The recording ends with the bridge, so RecordingStored may come just before or after the clearing.
    const seq = labels(forContact(contactId));
    inOrder(seq, ['Established:a2', 'RecordCall', 'RecordingStored']);
    inOrder(seq, ['RecordCall', 'ConnectionCleared']);
    expect(seq.filter((l) => l === 'RecordingStored')).to.have.length(1);
    await clean(contactId, number);
  });
});
