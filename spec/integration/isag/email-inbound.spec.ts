import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Binary, GridFSBucket, MongoClient, ObjectId, type Db } from 'mongodb';
import nodemailer from 'nodemailer';
import type { InteractionDoc, MessageDoc, OutboxDoc, QuarantineDoc } from '../../../isag/core/types';
import { EXCHANGES } from '../../../lib/bus/topology';
import { AsApi } from '../../support/as-api';
import { demoPassword } from '../../support/browser';
import { BusObserver, eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { unhealthy } from '../../support/faults';
import { mongoUri, requireSystem } from '../../support/servers';

const SMTP_PORT = Number(process.env.ISAG_SMTP_PORT ?? 2525);
const OPS = `http://${process.env.OPS_HOST ?? '127.0.0.1'}:${process.env.ISAG_OPS_PORT ?? 9465}`;
const RUN = process.env.IPCC_RUN ?? path.resolve(__dirname, '../../../.run');

/** A real SMTP client on ISAG's port; STARTTLS is required, checked against the project's own CA. */
function smtp() {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: SMTP_PORT,
    secure: false,
    requireTLS: true,
    tls: { ca: readFileSync(path.join(RUN, 'tls', 'ca.crt')) },
  });
}

const ROOT = path.resolve(__dirname, '../../..');
function sh(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

type SmtpError = { responseCode?: number; response?: string };
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined as SmtpError | undefined,
    (e: SmtpError) => e,
  );

/** The collections as ISAG writes them (a quarantine entry's bytes come back as a BSON Binary). */
const col = {
  messages: (db: Db) => db.collection<MessageDoc>('messages'),
  interactions: (db: Db) => db.collection<InteractionDoc>('interactions'),
  outbox: (db: Db) => db.collection<OutboxDoc>('isagOutbox'),
  quarantine: (db: Db) => db.collection<Omit<QuarantineDoc, 'raw'> & { raw?: Binary }>('quarantine'),
};
const rawOf = (q: { raw?: Binary } | null) => Buffer.from(q?.raw?.buffer ?? []);

async function download(db: Db, fileId: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of new GridFSBucket(db, { bucketName: 'attachments' }).openDownloadStream(
    new ObjectId(fileId),
  ))
    chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Issue 14, e-mail in, on the running system: nodemailer sends over STARTTLS to ISAG's SMTP server,
 * which stores the message, its attachments, the interaction and the outbox record before it answers
 * 250, and publishes the task on cc.tasks. The spec's queue is made through the AS (as an administrator
 * would) with a skill no agent has, so its tasks are never offered to the agents of other specs.
 */
describe('ISAG e-mail in: SMTP to stored task (real SMTP client, store and bus)', function () {
  this.timeout(120_000);
  const tag = randomUUID().slice(0, 8);
  const queue = `isag-spec-${tag}`;
  const address = `spec-${tag}@ipcc.local`;
  const customer = `ann-${tag}@customer.test`;
  const bus = new BusObserver();
  let mongo: MongoClient;
  let db: Db;
  let admin: AsApi;
  let customerId: ObjectId;
  const interactions: string[] = [];
  let first: { interactionId: string; messageDocId: string } | undefined;

  before(async () => {
    await requireSystem(['rabbitmq', 'docstore']);
    const ready = await fetch(`${OPS}/health/ready`).catch(() => undefined);
    expect(ready?.status, 'ISAG /health/ready (bash scripts/services.sh start isag)').to.equal(200);
    const report = (await ready?.json()) as { status: string; checks: Record<string, string> };
    expect([report.status, report.checks.smtp, report.checks.store]).to.deep.equal(['ready', 'up', 'up']);
    mongo = new MongoClient(mongoUri());
    await mongo.connect();
    db = mongo.db();
    await bus.start([EXCHANGES.tasks]);
    admin = await AsApi.signIn('admin', await demoPassword());
    await admin.ok('POST', '/api/v1/queues', {
      name: queue,
      channel: 'email',
      addresses: [address],
      skills: [{ name: `nobody-${tag}`, minLevel: 10 }],
      queueTimeoutSec: 0,
      serviceLevelSec: 14_400,
    });
    customerId = (await db.collection('customers').insertOne({ emails: [customer], phones: [], custom: {} }))
      .insertedId;
    // ISAG and CTI read the new queue on the AS's ConfigChanged: until ISAG has, a mail to it is
    // quarantined; until CTI has, its task is `unroutable` (and a reply would not join it). Probes go
    // until one is queued by CTI.
    await eventually(
      'ISAG and CTI to know the new queue',
      async () => {
        const info = await smtp().sendMail({ from: customer, to: address, subject: 'probe', text: 'probe' });
        const id = /queued as (\S+)/.exec(info.response)?.[1];
        if (id === undefined) return false;
        const probe = await col.messages(db).findOne({ _id: id });
        interactions.push(probe?.interactionId ?? '');
        const state = await eventually(
          "CTI's answer to the probe",
          async () => {
            const i = await col.interactions(db).findOne({ _id: probe?.interactionId ?? '' });
            const s: string | undefined = i?.state; // CTI's states, past ISAG's `received`
            return s === 'received' ? undefined : s;
          },
          5_000,
        );
        return state === 'queued';
      },
      30_000,
    );
  });

  after(async () => {
    await bus.stop();
    if (db !== undefined) {
      const mine = { $or: [{ from: customer }, { to: address }, { interactionId: { $in: interactions } }] };
      const ids = (await col.messages(db).find(mine).toArray()).map((m) => m.interactionId);
      const bucket = new GridFSBucket(db, { bucketName: 'attachments' });
      for (const f of await bucket
        .find({ 'metadata.interactionId': { $in: [...ids, ...interactions] } })
        .toArray())
        await bucket.delete(f._id);
      await col.messages(db).deleteMany(mine);
      await col.outbox(db).deleteMany({ 'message.contactId': { $in: [...ids, ...interactions] } });
      await col.interactions(db).deleteMany({ _id: { $in: [...ids, ...interactions] } });
      await col
        .quarantine(db)
        .deleteMany({ $or: [{ from: customer }, { to: address }, { to: `nobody-${tag}@ipcc.local` }] });
      await db.collection('customers').deleteOne({ _id: customerId });
    }
    await admin?.request('DELETE', `/api/v1/queues/${queue}`);
    await mongo?.close();
  });

  it('stores the message and its attachment before the 250, and announces one TaskCreated', async () => {
    const bytes = randomBytes(200_000);
    const messageId = `${tag}-1@customer.test`;
    const info = await smtp().sendMail({
      from: `Ann <${customer}>`,
      to: address,
      subject: `Invoice ${tag}`,
      text: 'Please see the attached invoice.',
      html: '<p>Please see the <b>attached</b> invoice.</p>',
      messageId: `<${messageId}>`,
      attachments: [{ filename: 'invoice.pdf', content: bytes, contentType: 'application/pdf' }],
    });
    // Read at once, without waiting: what the 250 promised is there.
    const msg = await col.messages(db).findOne({ messageId });
    expect(msg, 'message stored when the 250 arrived').to.not.equal(null);
    if (msg === null) return;
    expect(info.response).to.equal(`250 OK: queued as ${msg._id}`);
    const interactionId = msg.interactionId;
    interactions.push(interactionId);
    first = { interactionId, messageDocId: msg._id };
    const outbox = await col.outbox(db).findOne({ 'message.messageId': msg._id });
    expect(outbox?.kind).to.equal('TaskCreated');
    expect(outbox?.createdAt.getTime()).to.be.at.least(msg.createdAt.getTime());

    expect(msg).to.deep.include({
      channel: 'email',
      direction: 'inbound',
      from: customer,
      to: [address],
      subject: `Invoice ${tag}`,
      status: 'received',
      via: 'smtp',
    });
    expect(msg.text).to.equal('Please see the attached invoice.');
    expect(msg.html).to.contain('<b>attached</b>');
    expect(msg.attachments).to.have.length(1);
    expect(msg.attachments[0]).to.deep.include({
      name: 'invoice.pdf',
      contentType: 'application/pdf',
      size: 200_000,
    });
    expect((await download(db, msg.attachments[0]?.fileId ?? '')).equals(bytes)).to.equal(true);

    const interaction = await col.interactions(db).findOne({ _id: interactionId });
    expect(interaction).to.deep.include({
      channel: 'email',
      direction: 'inbound',
      from: customer,
      to: address,
      queueId: queue,
      customerId: customerId.toHexString(),
    });

    const created = await eventually('TaskCreated on cc.tasks', () =>
      bus.seen.find((s) => s.body.type === 'TaskCreated' && s.body.contactId === interactionId),
    );
    expect(created.routingKey).to.equal('task.created');
    expect(created.body).to.deep.include({
      channel: 'email',
      from: customer,
      to: address,
      queueId: queue,
      messageId: msg._id,
      subject: `Invoice ${tag}`,
    });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(bus.forContact(interactionId).filter((s) => s.body.type === 'TaskCreated')).to.have.length(1);
    expect((await col.outbox(db).findOne({ _id: outbox?._id }))?.sentAt).to.be.instanceOf(Date);
  });

  it("joins the customer's threaded reply to the open interaction with TaskUpdated", async () => {
    if (first === undefined) throw new Error('the first mail was not stored');
    const info = await smtp().sendMail({
      from: customer,
      to: address,
      subject: `Re: Invoice ${tag}`,
      text: 'One more thing.',
      messageId: `<${tag}-2@customer.test>`,
      inReplyTo: `<${tag}-1@customer.test>`,
      references: [`<${tag}-1@customer.test>`],
    });
    const reply = await col.messages(db).findOne({ messageId: `${tag}-2@customer.test` });
    expect(info.response).to.equal(`250 OK: queued as ${reply?._id}`);
    expect(reply?.interactionId).to.equal(first.interactionId);
    expect(reply?.inReplyTo).to.equal(`${tag}-1@customer.test`);
    const updated = await eventually('TaskUpdated on cc.tasks', () =>
      bus.seen.find((s) => s.body.type === 'TaskUpdated' && s.body.messageId === reply?._id),
    );
    expect([updated.routingKey, updated.body.contactId]).to.deep.equal(['task.updated', first.interactionId]);
    expect(bus.forContact(first.interactionId).filter((s) => s.body.type === 'TaskCreated')).to.have.length(
      1,
    );
  });

  it('opens a new task naming the completed interaction when the customer writes again', async () => {
    if (first === undefined) throw new Error('the first mail was not stored');
    // What CTI writes when the agent completes the task (docs/tasks.md), written here directly.
    const done = { ...first };
    await db
      .collection<{ _id: string }>('interactions')
      .updateOne({ _id: done.interactionId }, { $set: { state: 'completed', endedAt: new Date() } });
    const info = await smtp().sendMail({
      from: customer,
      to: address,
      subject: `Re: Invoice ${tag}`,
      text: 'Sorry, one more question.',
      messageId: `<${tag}-3@customer.test>`,
      inReplyTo: `<${tag}-1@customer.test>`,
    });
    const again = await col.messages(db).findOne({ messageId: `${tag}-3@customer.test` });
    expect(info.response).to.equal(`250 OK: queued as ${again?._id ?? '?'}`);
    const next = again?.interactionId ?? '';
    interactions.push(next);
    expect(next).to.not.equal(done.interactionId);
    const interaction = await col.interactions(db).findOne({ _id: next });
    expect(interaction).to.deep.include({ previous: done.interactionId, queueId: queue, from: customer });
    const created = await eventually('TaskCreated of the new interaction', () =>
      bus.seen.find((x) => x.body.type === 'TaskCreated' && x.body.contactId === next),
    );
    expect(created.body.messageId).to.equal(again?._id);
  });

  it('refuses another domain with 550 and a message over the size limit with 552', async () => {
    const wrong = await refusal(smtp().sendMail({ from: customer, to: 'someone@customer.test', text: 'x' }));
    expect(wrong?.responseCode).to.equal(550);
    const huge = await refusal(
      smtp().sendMail({
        from: customer,
        to: address,
        text: 'big',
        attachments: [{ filename: 'big.bin', content: Buffer.alloc(31 * 1024 * 1024, 1) }],
      }),
    );
    expect(huge?.responseCode).to.equal(552);
    expect(await col.messages(db).countDocuments({ from: customer, 'attachments.name': 'big.bin' })).to.equal(
      0,
    );
  });

  it('quarantines malformed MIME, 8-bit garbage, an unknown address and an oversize attachment, with reasons', async () => {
    const raw = async (body: Buffer | string, to = address) => {
      const info = await smtp().sendMail({ envelope: { from: customer, to: [to] }, raw: body });
      const id = /^250 OK: held as (\S+)$/.exec(info.response)?.[1];
      expect(id, info.response).to.be.a('string');
      return col.quarantine(db).findOne({ _id: id });
    };
    const noBoundary = await raw(
      `From: ${customer}\r\nTo: ${address}\r\nSubject: broken\r\nContent-Type: multipart/mixed\r\n\r\nno parts here\r\n`,
    );
    expect(noBoundary).to.deep.include({
      channel: 'email',
      reason: 'malformed MIME: multipart without a boundary',
    });
    expect(rawOf(noBoundary).toString()).to.contain('Subject: broken');

    const garbage = Buffer.concat([
      Buffer.from(`From: ${customer}\r\nSubject: `),
      randomBytes(64).map((b) => b | 0x80),
      Buffer.from('\r\n\r\nbody\r\n'),
    ]);
    expect((await raw(garbage))?.reason).to.equal('8-bit data in the headers that is not UTF-8');

    const unknown = await raw(
      `From: ${customer}\r\nSubject: hi\r\n\r\nhello\r\n`,
      `nobody-${tag}@ipcc.local`,
    );
    expect(unknown?.reason).to.equal(`no queue for nobody-${tag}@ipcc.local`);

    const info = await smtp().sendMail({
      from: customer,
      to: address,
      text: 'big attachment',
      attachments: [{ filename: 'eleven.bin', content: Buffer.alloc(11 * 1024 * 1024, 7) }],
    });
    const held = await col.quarantine(db).findOne({ _id: /held as (\S+)/.exec(info.response)?.[1] });
    expect(held?.reason).to.equal(
      `attachment "eleven.bin" is ${11 * 1024 * 1024} bytes, over the limit of 10485760`,
    );
    expect(rawOf(held).length).to.equal(64 * 1024);
  });

  it('keeps a compressed bomb as the blob it is (never decompressed)', async () => {
    const bomb = gzipSync(Buffer.alloc(100 * 1024 * 1024));
    const info = await smtp().sendMail({
      from: customer,
      to: address,
      text: 'archive',
      attachments: [{ filename: 'bomb.gz', content: bomb, contentType: 'application/gzip' }],
    });
    const id = /queued as (\S+)/.exec(info.response)?.[1];
    const msg = await col.messages(db).findOne({ _id: id });
    interactions.push(msg?.interactionId ?? '');
    expect(msg?.attachments[0]).to.deep.include({ name: 'bomb.gz', size: bomb.length });
    expect((await download(db, msg?.attachments[0]?.fileId ?? '')).equals(bomb)).to.equal(true);
  });

  it('sets our bounced reply failed with the diagnostic of the delivery report (no task)', async () => {
    if (first === undefined) throw new Error('the first mail was not stored');
    const outId = randomUUID();
    await col.messages(db).insertOne({
      _id: outId,
      interactionId: first.interactionId,
      channel: 'email',
      direction: 'outbound',
      from: address,
      to: [`gone-${tag}@customer.test`],
      subject: 'Re: Invoice',
      messageId: `${tag}-out@ipcc.local`,
      attachments: [],
      status: 'sent',
      via: 'smtp',
      createdAt: new Date(),
    });
    const before = bus.seen.length;
    const dsn = [
      'From: MAILER-DAEMON@mx.customer.test',
      `To: ${address}`,
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="BB"',
      '',
      '--BB',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--BB',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.customer.test',
      '',
      `Final-Recipient: rfc822; gone-${tag}@customer.test`,
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
      '',
      '--BB',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: <${tag}-out@ipcc.local>`,
      `From: ${address}`,
      '',
      '--BB--',
      '',
    ].join('\r\n');
    const info = await smtp().sendMail({
      envelope: { from: 'mailer-daemon@mx.customer.test', to: [address] },
      raw: dsn,
    });
    expect(info.response).to.equal('250 OK: delivery report recorded');
    const out = await col.messages(db).findOne({ _id: outId });
    expect(out?.status).to.equal('failed');
    expect(out?.statusReason).to.equal(
      `delivery failed: to gone-${tag}@customer.test; status 5.1.1; smtp; 550 5.1.1 user unknown`,
    );
    // No task: nothing stored from the reporting MTA, nothing announced in its name.
    expect(await col.messages(db).countDocuments({ from: 'mailer-daemon@mx.customer.test' })).to.equal(0);
    await new Promise((r) => setTimeout(r, 500));
    const fromDaemon = bus.seen
      .slice(before)
      .filter((s) => s.body.type === 'TaskCreated' && String(s.body.from).startsWith('mailer-daemon'));
    expect(fromDaemon).to.deep.equal([]);
  });

  it('answers 451 while the store is down, and stores the retried message once when it is back', async () => {
    const messageId = `${tag}-down@customer.test`;
    const mail = {
      from: customer,
      to: address,
      subject: 'while the store is down',
      text: 'retry me',
      messageId: `<${messageId}>`,
    };
    await sh('bash', ['scripts/docstore.sh', 'stop']);
    let refused: SmtpError | undefined;
    try {
      refused = await refusal(smtp().sendMail(mail));
    } finally {
      await sh('bash', ['scripts/docstore.sh', 'start']);
    }
    expect(refused?.responseCode, refused?.response).to.equal(451);
    // The sender's retry, once ISAG reaches the store again.
    const info = await eventually(
      'ISAG to store again',
      async () => {
        const r = await smtp()
          .sendMail(mail)
          .catch(() => undefined);
        return r !== undefined && /queued as/.test(r.response) ? r : undefined;
      },
      60_000,
    );
    const stored = await col.messages(db).find({ messageId }).toArray();
    expect(stored.map((m) => m._id)).to.deep.equal([/queued as (\S+)/.exec(info.response)?.[1]]);
    interactions.push(stored[0]?.interactionId ?? '');
    await eventually('the system to be healthy again', async () => (await unhealthy()).length === 0, 60_000);
  });
});
