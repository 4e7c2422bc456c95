import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Db, MongoClient } from 'mongodb';
import type { MessageDoc } from '../../../isag/core/types';
import { parseSpoolEntry } from '../../../isag/sms/spool-file';
import { EXCHANGES } from '../../../lib/bus/topology';
import { childPid, isagReady } from '../../fuzz/support/isag-watch';
import { BusObserver, eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { mongoUri, requireSystem } from '../../support/servers';
import { type SipSms, sendSipSms } from '../../support/sip-messages';
import { SmsTestQueue } from '../../support/sms-queue';

const COUNT = 20;
/**
 * MESSAGEs a second: faster than ISAG stores them one customer after another (8 at a time), so the kill
 * falls with stores in flight and more MESSAGEs spooled behind them.
 */
const RATE = 40;
/** ISAG dies once this many are stored. */
const KILL_AFTER = 6;
const SPOOL =
  process.env.ISAG_SMS_SPOOL_DIR ??
  `${process.env.IPCC_CHROOT ?? '/var/lib/ipcc/sid'}/var/spool/asterisk/sms`;

/** ISAG's log lines since `since` (JSON, one a line) with that message: what the restart redid. */
function logged(since: number, message: string, outcome?: string): number {
  const file = path.join(
    process.env.IPCC_RUN ?? path.resolve(__dirname, '../../../.run'),
    'logs',
    'isag.log',
  );
  let n = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes(message)) continue;
    try {
      const e = JSON.parse(line) as { message?: string; timestamp?: string; outcome?: string };
      if (
        e.message === message &&
        Date.parse(e.timestamp ?? '') >= since &&
        (outcome === undefined || e.outcome === outcome)
      )
        n++;
    } catch {
      // not a JSON line
    }
  }
  return n;
}

/** The texts of the MESSAGEs waiting in the spool. */
const spooledTexts = () =>
  readdirSync(SPOOL)
    .filter((n) => n.endsWith('.sms'))
    .map((n) => {
      try {
        return parseSpoolEntry(readFileSync(path.join(SPOOL, n), 'latin1'));
      } catch {
        return undefined; // removed meanwhile
      }
    })
    .flatMap((p) => (p?.kind === 'ok' ? [p.message.body] : []));

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

/**
 * Issue 14, SIP MESSAGE: Asterisk answers 202 before ISAG sees a MESSAGE, so the dialplan writes each
 * to the spool and ISAG deletes a file only once the message is stored (docs/sms.md). Here a real SIP
 * peer (sipp) sends 20 MESSAGEs (40 a second), each from its own number (its own conversation: one TaskCreated each),
 * while ISAG's process is killed with SIGKILL once 6 are stored; its supervisor restarts it. Every
 * MESSAGE answered 202 must then be stored exactly once, with one interaction, one TaskCreated outbox
 * record and one TaskCreated on the bus, and the spool must be empty.
 */
describe('ISAG SMS: SIP MESSAGEs through a kill -9 of ISAG are each stored and announced once', function () {
  this.timeout(240_000);
  const tag = randomUUID().slice(0, 8);
  const queue = new SmsTestQueue(tag);
  const bus = new BusObserver();
  let mongo: MongoClient;
  let db: Db;
  const customers: string[] = [];

  before(async () => {
    await requireSystem(['rabbitmq', 'docstore', 'asterisk']);
    expect(await isagReady(), 'ISAG /health/ready').to.equal(200);
    mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    await mongo.connect();
    db = mongo.db();
    await bus.start([EXCHANGES.tasks]);
    await queue.create();
  });

  after(async () => {
    await bus.stop();
    await queue.remove(db, customers);
    await mongo?.close();
  });

  it(`${COUNT} MESSAGEs, ISAG killed after ${KILL_AFTER} are stored: every 202 stored once, one TaskCreated`, async () => {
    const messages: SipSms[] = Array.from({ length: COUNT }, (_, i) => {
      const customer = `+1555031${String(Date.now() % 10_000).padStart(4, '0')}${String(i).padStart(2, '0')}`;
      customers.push(customer);
      return { customer, text: `sip kill ${tag} m${i}` };
    });
    const texts = messages.map((m) => m.text);
    const query = { text: { $in: texts }, direction: 'inbound' as const };
    const inbound = () => db.collection<MessageDoc>('messages').find(query);
    const storedCount = () => db.collection<MessageDoc>('messages').countDocuments(query);
    const pidBefore = childPid('isag');
    expect(pidBefore, '.run/pids/isag.child.pid').to.be.a('number');

    const sending = sendSipSms({ service: queue.number, localPort: 5184, messages, rate: RATE });
    const storedAtKill = await eventually(
      `${KILL_AFTER} MESSAGEs stored`,
      async () => {
        const n = await storedCount();
        return n >= KILL_AFTER ? n : undefined;
      },
      30_000,
    );
    process.kill(pidBefore as number, 'SIGKILL');
    const killedAt = Date.now();
    const { run, sent } = await sending;

    expect(run.code, `sipp: ${run.stderr}${run.stdout.slice(-400)}`).to.equal(0);
    expect(sent.map((s) => s.answer)).to.deep.equal(messages.map(() => '202 Accepted'));
    expect(storedAtKill, 'the kill fell while MESSAGEs were still coming').to.be.below(COUNT);

    await eventually(
      'ISAG restarted and ready',
      async () => childPid('isag') !== pidBefore && (await isagReady()) === 200,
      90_000,
    );
    const readyAt = Date.now();
    // A receipt the kill cut (message written, outbox record not) is "still in progress" for 30 s
    // (isag/core/intake.ts): its file stays and is tried again after that. Done when none of this
    // spec's MESSAGEs is left in the spool (other specs' files may be there).
    await eventually(
      'every MESSAGE of the spec stored and its spool file removed',
      async () => !spooledTexts().some((t) => texts.includes(t)) && (await storedCount()) >= COUNT,
      120_000,
    );
    const doneAt = Date.now();

    const problems: string[] = [];
    const docs = await inbound().toArray();
    const latency: number[] = [];
    for (const s of sent) {
      const mine = docs.filter((d) => d.text === s.text);
      if (mine.length !== 1) {
        problems.push(`${s.text}: ${mine.length} messages stored`);
        continue;
      }
      const doc = mine[0] as MessageDoc;
      if (doc.messageId !== `sip:${s.callId}/1`)
        problems.push(`${s.text}: messageId ${doc.messageId ?? '-'}`);
      const interactions = await db
        .collection<{ _id: string }>('interactions')
        .countDocuments({ _id: doc.interactionId });
      const outbox = await db
        .collection('isagOutbox')
        .countDocuments({ 'message.contactId': doc.interactionId, kind: 'TaskCreated' });
      if (interactions !== 1 || outbox !== 1)
        problems.push(`${s.text}: ${interactions} interactions, ${outbox} TaskCreated outbox records`);
      latency.push(doc.createdAt.getTime() - s.sentAt);
    }
    await eventually(
      'a TaskCreated on the bus for each',
      () =>
        docs.every((d) =>
          bus.seen.some((x) => x.body.type === 'TaskCreated' && x.body.contactId === d.interactionId),
        ),
      60_000,
    ).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 2000)); // a late second TaskCreated would show now
    // One TaskCreated per task: one message id. The same message delivered again is allowed: a kill
    // between the broker's confirm and the outbox record's mark publishes it again (isag/core/outbox.ts),
    // and CTI takes a task once (cti/tasks/service.ts). A second id would be a second announcement.
    let redelivered = 0;
    for (const d of docs) {
      const seen = bus.seen.filter(
        (x) => x.body.type === 'TaskCreated' && x.body.contactId === d.interactionId,
      );
      const ids = new Set(seen.map((x) => String(x.body.id)));
      redelivered += seen.length - ids.size;
      if (ids.size !== 1)
        problems.push(
          `${d.text ?? d._id}: ${ids.size} TaskCreated messages (${seen.length} deliveries) on cc.tasks`,
        );
    }
    const rejected = (() => {
      try {
        return readdirSync(path.join(SPOOL, 'rejected')).length;
      } catch {
        return 0;
      }
    })();

    latency.sort((a, b) => a - b);
    const retried = logged(
      killedAt,
      'sms: SIP MESSAGE not stored yet; its spool file stays and is tried again',
    );
    const again = logged(killedAt, 'SIP MESSAGE stored', 'duplicate');
    console.log(
      `      ${COUNT} MESSAGEs answered 202; ${storedAtKill} stored when ISAG was killed; ready again after ` +
        `${readyAt - killedAt} ms; after it ${retried} store attempts put off (a receipt cut by the kill), ` +
        `${again} files handed over again and found stored; all stored ${doneAt - killedAt} ms after the kill; ` +
        `MESSAGE sent -> stored p50 ${pct(latency, 0.5)} ms, max ${latency.at(-1)} ms; ` +
        `${rejected} files in rejected/; ${redelivered} TaskCreated delivered again after the kill`,
    );
    // The problems themselves on the failure's first line (the CI's tail keeps only that line).
    if (problems.length > 0)
      throw new Error(
        `${problems.length} MESSAGEs not stored and announced exactly once: ${problems.join('; ')}`,
      );
  });
});
