import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqplib from 'amqplib';
import { MongoClient } from 'mongodb';
import { EXCHANGES, routingKeys } from '../../lib/bus/topology';
import { makeMessage, type Draft } from '../../lib/messages';
import { AgentClient } from '../support/agent-client';
import { agentIdOf, registerPhone } from '../support/agents';
import { BusObserver, eventually, type Seen } from '../support/bus-observer';
import { expect } from '../support/chai';
import { writePhoneMedia } from '../support/rtp-pcap';
import { amqpUrl, mongoUri, requireSystem } from '../support/servers';
import { crash, start } from '../support/processes';
import { sipp } from '../support/sipp';

/**
 * CTI's side of the agent desktop on the real system (docs/agent-desktop.md, interface A): the snapshot
 * after welcome, device choice, exclusive sessions, click-to-dial through the `outside` trunk with a
 * real agent phone and far end (sipp), and a desk phone's feature codes as SoftACD publishes them.
 * Agent 1003 (desk PJSIP/agent1003, softphone PJSIP/webrtc1003, skill support). SIP ports 5471 and
 * 5090 (outside), RTP 17400-17450.
 */
describe('agent desktop: CTI side of interface A on real parts', function () {
  this.timeout(180_000);
  const bus = new BusObserver();
  const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  const clients: AgentClient[] = [];
  let agent = '';
  let work = '';
  const NUMBER = '15558880001';
  const PHONE = { vars: { vcodec: 'H264', vpt: '96', vfmtp: 'packetization-mode=1' } };

  const page = async (exclusive = false) => {
    const c = new AgentClient();
    await c.connect();
    clients.push(c);
    c.send({ type: 'auth', token: AgentClient.tokenFor(agent), ...(exclusive ? { exclusive: true } : {}) });
    await eventually('snapshot after welcome', () => c.of('snapshot')[0]);
    return c;
  };
  /** Logs the agent out whatever it was doing (a contact left by an earlier run is hung up first). */
  const loggedOut = async (c: AgentClient) => {
    c.send({ type: 'status' });
    const now = await eventually('status', () => c.of('snapshot').at(-1));
    const left = now.contact?.contactId;
    if (left !== undefined) {
      if (now.contact?.phase === 'held') c.send({ type: 'retrieve', contactId: left });
      c.send({ type: 'hangup', contactId: left });
      await eventually(
        'left contact cleared',
        () => c.of('cleared').find((m) => m.contactId === left),
        15_000,
      ).catch(() => undefined);
    }
    c.send({ type: 'logout' });
    c.send({ type: 'status' });
    await eventually('logged out', () => c.of('snapshot').at(-1)?.state === 'logged-out', 15_000);
  };
  const valid = () => bus.seen.filter((s) => typeof s.body.type === 'string');
  const of = (contactId: string, type: string): Seen[] =>
    valid().filter((s) => s.body.contactId === contactId && s.body.type === type);

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'cti']);
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
    await mongo.connect();
    agent = await agentIdOf('1003');
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'ipcc-desktop-cti-'));
    await writePhoneMedia({
      dir: work,
      promptDir: path.resolve(__dirname, '..', '..', 'asterisk', 'prompts', 'build'),
      prompt: 'goodbye',
      codec: 'h264',
      videoPayloadType: 96,
      durationMs: 5000,
      ssrc: 0x22230001,
    });
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  after(async () => {
    const c = await page();
    await loggedOut(c).catch(() => undefined);
    c.close();
    await bus.stop();
    await mongo.close();
    if (work !== '') await fs.rm(work, { recursive: true, force: true });
  });

  it('sends state and snapshot after welcome; login takes a device; an exclusive tab supersedes the older one', async () => {
    const first = await page(true);
    await loggedOut(first);
    expect(first.received.slice(0, 3).map((m) => m.type)).to.deep.equal(['welcome', 'state', 'snapshot']);
    expect(first.of('snapshot')[0]?.devices).to.deep.equal({ softphone: true, desk: true });
    first.send({ type: 'login', device: 'softphone' });
    first.send({ type: 'status' });
    const snap = await eventually('logged in on the softphone', () =>
      first.of('snapshot').find((s) => s.state === 'not-ready' && s.device === 'softphone'),
    );
    expect(snap.contact).to.equal(undefined);
    const script = await page();
    const second = await page(true);
    await eventually('older tab superseded', () => first.closed);
    expect(first.of('superseded')).to.have.length(1);
    expect(first.closed?.code).to.equal(4409);
    expect(script.closed).to.equal(undefined);
    // The newer tab sees the agent as it is: logged in on the softphone.
    expect(second.of('snapshot')[0]).to.deep.include({ state: 'not-ready', device: 'softphone' });
    second.send({ type: 'device', device: 'desk' });
    await eventually('device changed to desk', () => second.of('snapshot').find((s) => s.device === 'desk'));
    await loggedOut(second);
  });

  it('the chosen device survives a CTI crash (kill -9) and restart', async () => {
    const c = await page(true);
    await loggedOut(c);
    c.send({ type: 'login' });
    c.send({ type: 'device', device: 'softphone' });
    await eventually('softphone chosen', () => c.of('snapshot').find((s) => s.device === 'softphone'));
    await new Promise((r) => setTimeout(r, 300));
    await crash('cti');
    await start('cti');
    const again = await eventually(
      'CTI back',
      async () => {
        try {
          return await page(true);
        } catch {
          return undefined;
        }
      },
      20_000,
    );
    expect(again.of('snapshot')[0]).to.deep.include({ state: 'not-ready', device: 'softphone' });
    await loggedOut(again);
    again.send({ type: 'login' });
    again.send({ type: 'status' });
    // Logging out ended the choice: the next login takes the default (the desk phone).
    await eventually('desk by default after logout', () =>
      again.of('snapshot').find((s) => s.state === 'not-ready' && s.device === 'desk'),
    );
    await loggedOut(again);
  });

  it('click-to-dial: the desk phone rings, then the number; an outbound interaction in the store', async () => {
    await registerPhone('agent1003', 5471);
    const c = await page(true);
    await loggedOut(c);
    c.send({ type: 'login' }); // desk by default: the agent has one
    await eventually('logged in', () => c.of('state').some((s) => s.state === 'not-ready'));
    const agentPhone = sipp('video-agent.xml', {
      service: 'agent1003',
      localPort: 5471,
      holdMs: 2_000,
      timeoutSec: 40,
      cwd: work,
      ...PHONE,
      extra: ['-mp', '17400'],
    });
    const farEnd = sipp('video-agent.xml', {
      service: 'outside',
      localPort: 5090,
      holdMs: 6_000,
      timeoutSec: 40,
      cwd: work,
      ...PHONE,
      extra: ['-mp', '17440'],
    });
    await new Promise((r) => setTimeout(r, 300));
    const started = new Date();
    c.send({ type: 'dial', number: NUMBER, queueId: 'support' });
    const offer = await eventually('outbound offer', () => c.of('offer').find((o) => o.kind === 'outbound'));
    expect(offer).to.include({ queueId: 'support', number: NUMBER });
    expect(Date.parse(offer.enteredAt ?? '')).to.be.at.least(started.getTime() - 1000);
    const contactId = offer.contactId;
    const dial = await eventually('DialCallback', () => of(contactId, 'DialCallback')[0]);
    expect(dial.body).to.include({
      agentId: agent,
      endpoint: 'PJSIP/agent1003',
      number: NUMBER,
      customerEndpoint: `PJSIP/${NUMBER}@outside`,
    });
    await eventually('customer dialled', () => of(contactId, 'CallbackDialing')[0], 15_000);
    await eventually('established', () => of(contactId, 'Established')[0], 15_000);
    c.send({ type: 'status' });
    const talking = await eventually('snapshot while talking', () =>
      c.of('snapshot').find((s) => s.contact?.contactId === contactId && s.contact.phase === 'talking'),
    );
    expect(talking).to.deep.include({ state: 'talking', device: 'desk' });
    expect(talking.contact).to.deep.include({ kind: 'outbound', number: NUMBER, recoverable: false });
    // A second dial during the call is refused.
    c.send({ type: 'dial', number: NUMBER });
    await eventually('busy', () => c.of('error').find((e) => e.code === 'busy'));
    c.send({ type: 'hangup', contactId });
    await eventually('cleared', () => c.of('cleared').find((m) => m.contactId === contactId), 10_000);
    const doc = await eventually('interaction stored', async () => {
      const d = await mongo
        .db()
        .collection('interactions')
        .findOne({ _id: contactId as never });
      return d?.state === 'cleared' ? d : undefined;
    });
    expect(doc).to.include({ direction: 'outbound', to: NUMBER, queueId: 'support', agentId: agent });
    expect(doc.answeredAt).to.be.instanceOf(Date);
    const types = (doc.timeline as Array<{ type: string }>).map((e) => e.type);
    const order = [
      'OutboundDial',
      'Offered',
      'Ringing',
      'CallbackDialing',
      'Connected',
      'Established',
      'Ended',
    ].map((t) => types.indexOf(t));
    expect(
      order.every((i, n) => i >= 0 && (n === 0 || i > (order[n - 1] ?? 0))),
      types.join(','),
    ).to.equal(true);
    for (const [name, run] of [
      ['agent phone', await agentPhone],
      ['far end', await farEnd],
    ] as const)
      expect(run.code, `${name}: ${run.stdout.slice(-600)}`).to.equal(0);
    await loggedOut(c);
  });

  it('desk phone feature codes: CTI answers the SoftACD that asked; log in on the desk, not ready 3, log out', async () => {
    const c = await page();
    await loggedOut(c);
    const conn = await amqplib.connect(amqpUrl());
    const ch = await conn.createConfirmChannel();
    const source = { service: 'softacd' as const, instance: 'spec-desk' };
    const feature = async (contactId: string, f: Omit<Draft<'AgentFeature'>, 'type' | 'contactId'>) => {
      const m = makeMessage<'AgentFeature'>(source, { type: 'AgentFeature', contactId, ...f });
      ch.publish(EXCHANGES.events, routingKeys.event(m.type), Buffer.from(JSON.stringify(m)), {
        persistent: true,
      });
      await ch.waitForConfirms();
      const reply = await eventually(`${f.feature} answered`, () =>
        valid().find((s) => s.body.type === 'AgentFeatureResult' && s.body.contactId === contactId),
      );
      expect(reply.routingKey).to.equal(routingKeys.softacd('spec-desk'));
      return reply.body;
    };
    try {
      const stamp = Date.now().toString(36);
      expect(await feature(`f1-${stamp}`, { endpoint: 'PJSIP/agent1003', feature: 'login' })).to.include({
        ok: true,
        agentId: agent,
        state: 'not-ready',
      });
      await eventually('snapshot pushed: desk', () =>
        c.of('snapshot').find((s) => s.state === 'not-ready' && s.device === 'desk'),
      );
      // The AS's reasons by name: after-call, break, lunch, meeting, training: 3 is lunch.
      expect(
        await feature(`f2-${stamp}`, { endpoint: 'PJSIP/agent1003', feature: 'not-ready', reasonDigit: 3 }),
      ).to.include({ ok: true });
      await eventually('not-ready lunch pushed', () => c.of('state').find((s) => s.reason === 'lunch'));
      expect(
        await feature(`f3-${stamp}`, { endpoint: 'PJSIP/agent1003', feature: 'not-ready', reasonDigit: 9 }),
      ).to.include({
        ok: false,
        error: 'unknown_reason',
      });
      expect(await feature(`f4-${stamp}`, { endpoint: 'PJSIP/nobody', feature: 'login' })).to.include({
        ok: false,
        error: 'unknown_phone',
      });
      expect(await feature(`f5-${stamp}`, { endpoint: 'PJSIP/agent1003', feature: 'logout' })).to.include({
        ok: true,
        state: 'logged-out',
      });
      await eventually('logged out pushed', () => c.of('state').some((s) => s.state === 'logged-out'));
    } finally {
      await conn.close();
    }
  });
});
