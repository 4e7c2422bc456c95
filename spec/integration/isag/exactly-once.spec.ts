import { MongoClient, type Db } from 'mongodb';
import nodemailer from 'nodemailer';
import { EXCHANGES } from '../../../lib/bus/topology';
import { childPid, isagReady, readyStatus, smtpHost, smtpPort } from '../../fuzz/support/isag-watch';
import { neutralSms } from '../../fuzz/support/isag-sms';
import { AgentClient } from '../../support/agent-client';
import { agentEvents, agentIdOf } from '../../support/agents';
import { BusObserver, eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { mongoUri, requireSystem } from '../../support/servers';

/**
 * Issue 14's durability test: e-mails and neutral-webhook SMS sent in parallel while ISAG and then CTI
 * are killed with SIGKILL between receipt and routing (their supervisors restart them). A sender that
 * got no answer acts as real ones do: an MTA retries with the same Message-ID, a provider resends the
 * webhook with the same id; a quarter of them give up instead. Afterwards, for every message:
 * acknowledged ones are stored exactly once, with one interaction, routed once (CTI took the task
 * past `received`, an agent on CTI's WebSocket is offered it exactly once, on the socket and on the
 * bus); unacknowledged ones are stored once (and then routed once too) or not at all. Nothing stays
 * stored but unannounced (a message whose interaction never left `received`).
 */
const EMAILS = 40;
const SMS = 20;
const RUN = `eo${Date.now().toString(36)}`;
const EMAIL_TO = 'support@ipcc.local';
const SMS_TO = '+15550100';
const DEMO_AGENTS = ['1001', '1002', '1003', '1004'];
/** The agent that drains the queues at the end; the others stay logged out. */
const DRAINER = '1003';

type Fate = 'acked' | 'unacked';
interface Sent {
  key: string;
  channel: 'email' | 'sms';
  fate?: Fate;
  attempts: number;
  /** Attempts that were cut (connection lost, no answer) rather than refused before anything was sent. */
  cut: number;
  smsFrom?: string;
}

/** A message as a failure names it: its key, whether it was acknowledged, after how many attempts. */
const who = (s: Sent) => `${s.key} (${s.fate ?? 'unsent'} after ${s.attempts} attempts, ${s.cut} cut)`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function killChild(service: 'isag' | 'cti'): number {
  const pid = childPid(service);
  if (pid === undefined) throw new Error(`no .run/pids/${service}.child.pid`);
  process.kill(pid, 'SIGKILL');
  return pid;
}

/** "Connection refused": nothing reached ISAG, so a retry cannot duplicate anything. */
const refused = (err: unknown) =>
  /ECONNREFUSED/.test(`${String(err)} ${String((err as { cause?: unknown }).cause)}`);

describe('ISAG: kill -9 of ISAG and CTI between receipt and routing loses and duplicates nothing', function () {
  this.timeout(360_000);
  let mongo: MongoClient;
  let db: Db;
  const bus = new BusObserver();
  const since = new Date();
  const sent: Sent[] = [];
  let acked = 0;
  let killed: { isag: number; cti: number; at: number } | undefined;

  before(async () => {
    await requireSystem(['rabbitmq', 'docstore', 'cti']);
    expect(await isagReady(), 'ISAG /health/ready').to.equal(200);
    mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    db = mongo.db();
    // No agent takes tasks while the processes die: routing is checked once they are back.
    for (const login of DEMO_AGENTS) await agentEvents(await agentIdOf(login), ['AgentLogout']);
    await bus.start([EXCHANGES.tasks]);
  });
  after(async () => {
    await bus.stop();
    await mongo.close();
  });

  /** Half of the messages acknowledged: ISAG dies, and CTI right after it. */
  function onAck(): void {
    acked += 1;
    if (killed !== undefined || acked < (EMAILS + SMS) / 2) return;
    const at = Date.now();
    killed = { isag: killChild('isag'), cti: killChild('cti'), at };
  }

  async function sendEmail(s: Sent, i: number): Promise<void> {
    const giveUp = i % 4 === 3;
    const transport = nodemailer.createTransport({ host: smtpHost(), port: smtpPort(), ignoreTLS: true });
    try {
      for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
        s.attempts += 1;
        try {
          await transport.sendMail({
            from: `${s.key}@customer.test`,
            to: EMAIL_TO,
            subject: s.key,
            text: `durability ${s.key}`,
            messageId: `<${s.key}@customer.test>`,
          });
          s.fate = 'acked';
          onAck();
          return;
        } catch (err) {
          if (!refused(err)) {
            s.cut += 1;
            if (giveUp) {
              s.fate = 'unacked';
              return;
            }
          }
          await sleep(300);
        }
      }
      s.fate = 'unacked';
    } finally {
      transport.close();
    }
  }

  async function sendSms(s: Sent, i: number): Promise<void> {
    const giveUp = i % 4 === 3;
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(300)) {
      s.attempts += 1;
      let status: number;
      let body: string;
      try {
        ({ status, body } = await neutralSms({
          from: s.smsFrom ?? '',
          to: SMS_TO,
          text: `durability ${s.key}`,
          id: s.key,
        }));
      } catch (err) {
        if (refused(err)) continue;
        s.cut += 1;
        if (giveUp) {
          s.fate = 'unacked';
          return;
        }
        continue;
      }
      if (status === 200) {
        s.fate = 'acked';
        onAck();
        return;
      }
      // 503 asks the provider to resend (not stored); any other answer is wrong for a valid SMS.
      if (status !== 503) throw new Error(`${s.key}: webhook answered ${status} ${body}`);
    }
    s.fate = 'unacked';
  }

  it(`${EMAILS} e-mails and ${SMS} SMS sent through two kill -9: each stored, routed and offered once`, async () => {
    for (let i = 0; i < EMAILS; i++)
      sent.push({ key: `${RUN}-e${i}`, channel: 'email', attempts: 0, cut: 0 });
    for (let i = 0; i < SMS; i++)
      sent.push({
        key: `${RUN}-s${i}`,
        channel: 'sms',
        attempts: 0,
        cut: 0,
        smsFrom: `+1555021${String(Date.now() % 10_000).padStart(4, '0')}${String(i).padStart(2, '0')}`,
      });
    // Eight SMTP senders and four webhook senders at a time, as a relay and a provider would.
    const run = async (items: Sent[], width: number, one: (s: Sent, i: number) => Promise<void>) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: width }, async () => {
          while (next < items.length) {
            const i = next++;
            await one(items[i] as Sent, i);
          }
        }),
      );
    };
    await Promise.all([
      run(
        sent.filter((s) => s.channel === 'email'),
        8,
        (s, i) => sendEmail(s, i),
      ),
      run(
        sent.filter((s) => s.channel === 'sms'),
        4,
        (s, i) => sendSms(s, i),
      ),
    ]);
    expect(killed, 'the processes were killed during the sends').to.not.equal(undefined);
    await eventually(
      'ISAG and CTI ready again',
      async () => (await readyStatus('isag')) === 200 && (await readyStatus('cti')) === 200,
      90_000,
    );
    const cut = sent.filter((s) => s.cut > 0);
    console.log(
      `      ${sent.filter((s) => s.fate === 'acked').length} acknowledged, ${sent.filter((s) => s.fate === 'unacked').length} given up; ${cut.length} had an attempt cut by the kill (${cut.reduce((n, s) => n + s.cut, 0)} attempts)`,
    );

    await eventually(
      'the ISAG outbox published everything',
      async () =>
        (await db
          .collection('isagOutbox')
          .countDocuments({ createdAt: { $gte: since }, sentAt: { $exists: false } })) === 0,
      60_000,
    );

    // A receipt cut before its outbox record whose sender gave up is removed by ISAG's orphan sweep
    // once it is 30 s old (isag/core/orphans.ts); until then it is neither stored for good nor gone.
    await eventually(
      'no receipt left uncommitted (orphans swept)',
      async () =>
        (await db.collection('messages').countDocuments({ createdAt: { $gte: since }, committed: false })) ===
        0,
      90_000,
    );

    // Stored: one message and one interaction per acknowledged message; at most one per given-up one.
    const stored = new Map<string, { messageId: string; interactionId: string }>();
    const problems: string[] = [];
    for (const s of sent) {
      const query =
        s.channel === 'email'
          ? { channel: 'email', subject: s.key }
          : { channel: 'sms', text: `durability ${s.key}` };
      const docs = await db
        .collection<{ _id: string; interactionId: string }>('messages')
        .find(query)
        .toArray();
      const allowed = s.fate === 'acked' ? [1] : [0, 1];
      if (!allowed.includes(docs.length)) problems.push(`${who(s)}: ${docs.length} messages stored`);
      const doc = docs[0];
      if (doc === undefined) continue;
      const interactions = await db
        .collection('interactions')
        .countDocuments(
          s.channel === 'email' ? { subject: s.key } : { from: s.smsFrom, createdAt: { $gte: since } },
        );
      if (interactions !== 1) problems.push(`${who(s)}: ${interactions} interactions`);
      const outbox = await db
        .collection('isagOutbox')
        .countDocuments({ 'message.contactId': doc.interactionId, kind: 'TaskCreated' });
      if (outbox !== 1)
        problems.push(`${who(s)}: ${outbox} TaskCreated outbox records (stored but never announced if 0)`);
      // Only an announced task can be offered; one that is not is a failure above already.
      if (outbox > 0) stored.set(s.key, { messageId: doc._id, interactionId: doc.interactionId });
    }

    // Drained even when something failed above: no test task is left for a later test's agent.
    const ids = [...stored.values()].map((x) => x.interactionId);

    // Offered once: one agent takes every task CTI offers it, accepts and completes each.
    const offers = new Map<string, number>();
    const agent = new AgentClient();
    await agent.connect();
    try {
      agent.send({ type: 'auth', token: AgentClient.tokenFor(await agentIdOf(DRAINER)) });
      agent.send({ type: 'login' });
      agent.send({ type: 'ready' });
      let read = 0;
      const mine = new Set(ids);
      // Routed once: every stored task reaches the agent (a TaskCreated CTI lost would never be offered).
      for (
        const deadline = Date.now() + 120_000;
        !ids.every((id) => offers.has(id)) && Date.now() < deadline;
      ) {
        const frames = agent.received.slice(read) as Array<{ type: string; contactId?: unknown }>;
        read += frames.length;
        for (const m of frames) {
          if (m.type !== 'task-offer' || typeof m.contactId !== 'string') continue;
          if (mine.has(m.contactId)) offers.set(m.contactId, (offers.get(m.contactId) ?? 0) + 1);
          agent.send({ type: 'accept-task', contactId: m.contactId });
          agent.send({ type: 'complete-task', contactId: m.contactId });
          // Under interface A's rate limit (20 frames a second, bursts of 40): a dropped accept lets the
          // offer time out and come again, which would read here as a second offer.
          await sleep(120);
        }
        await sleep(50);
      }
      const never = ids.filter((id) => !offers.has(id));
      const states = new Map(
        (
          await db
            .collection<{ _id: string; state?: string }>('interactions')
            .find({ _id: { $in: never } })
            .toArray()
        ).map((d) => [d._id, d.state]),
      );
      problems.push(
        ...never.map((id) => `${id}: never offered within 120 s, interaction ${states.get(id) ?? 'missing'}`),
      );
      // Any late second offer of one of them would arrive now.
      await sleep(3000);
      const busOffers = new Map<string, number>();
      for (const x of bus.seen)
        if (
          x.body.type === 'TaskOffered' &&
          typeof x.body.contactId === 'string' &&
          mine.has(x.body.contactId)
        )
          busOffers.set(x.body.contactId, (busOffers.get(x.body.contactId) ?? 0) + 1);
      const twice = ids.filter((id) => offers.has(id) && (offers.get(id) !== 1 || busOffers.get(id) !== 1));
      problems.push(
        ...twice.map(
          (id) => `${id}: ${offers.get(id) ?? 0} task-offer frames, ${busOffers.get(id) ?? 0} TaskOffered`,
        ),
      );
    } finally {
      agent.send({ type: 'logout' });
      await sleep(500);
      agent.close();
    }
    // The problems themselves on the failure's first line (the CI's tail keeps only that line).
    if (problems.length > 0)
      throw new Error(
        `${problems.length} not stored, announced and offered exactly once: ${problems.join('; ')}`,
      );
  });
});
