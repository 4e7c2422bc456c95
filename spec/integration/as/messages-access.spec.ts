import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import mongoose from 'mongoose';
import { signToken } from '../../../lib/auth-token';
import { Agent, AuditLog, Interaction } from '../../../as/models';
import { Message } from '../../../as/models/message';
import { OutboxCommand } from '../../../as/models/command-outbox';
import { expect } from '../../support/chai';
import { mongoUri } from '../../support/servers';
import { body, call, PASSWORD, SECRET, setUp, tearDown, type Fixture } from './fixture';

/**
 * Who reads a contact's messages and who replies (issue 14), on the real store through the real server:
 * the agent holding the contact, its queue's supervisors and administrators read; only the holder
 * replies; anyone else is told the contact does not exist.
 */

interface Msg {
  id: string;
  direction: string;
  to: string[];
  subject?: string;
  text?: string;
  status: string;
  via?: string;
  inReplyTo?: string;
  references?: string[];
  attachments: Array<{ fileId: string; name: string; contentType: string; size: number }>;
}

const CRLF = '\r\n';

/** A multipart/form-data body of text fields and files. */
function multipart(
  fields: Record<string, string>,
  files: Array<{ name: string; filename: string; type: string; content: Buffer }> = [],
) {
  const boundary = `----ipcc${randomUUID()}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(
        `--${boundary}${CRLF}Content-Disposition: form-data; name="${name}"${CRLF}${CRLF}${value}${CRLF}`,
      ),
    );
  }
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}${CRLF}Content-Disposition: form-data; name="${f.name}"; filename="${f.filename}"${CRLF}` +
          `Content-Type: ${f.type}${CRLF}${CRLF}`,
      ),
      f.content,
      Buffer.from(CRLF),
    );
  }
  parts.push(Buffer.from(`--${boundary}--${CRLF}`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describe('AS: contact messages and replies, by who holds the contact (issue 14)', function () {
  let f: Fixture;
  const c = { email: randomUUID(), sms: randomUUID(), optedOut: randomUUID(), fax: randomUUID() };
  let fileId = '';
  let htmlFileId = '';
  const tokens = { idle: '', salesSupervisor: '' };
  const inboundId = 'customer-2@customer.test';

  before(async function () {
    process.env.MONGODB_URI ??= mongoUri();
    f = await setUp();
    const [idle, salesSupervisor] = await Agent.insertMany([
      { login: 'c1003', displayName: 'Idle agent', roles: ['agent'], passwordHash: PASSWORD },
      {
        login: 'ssales',
        displayName: 'Sales supervisor',
        roles: ['supervisor'],
        passwordHash: PASSWORD,
        supervises: ['sales'],
      },
    ]);
    tokens.idle = signToken({ sub: String(idle?._id), roles: ['agent'] }, SECRET).token;
    tokens.salesSupervisor = signToken(
      { sub: String(salesSupervisor?._id), roles: ['supervisor'] },
      SECRET,
    ).token;
    const base = {
      direction: 'inbound' as const,
      state: 'accepted',
      createdAt: new Date(),
      agentId: f.ids.agentA,
      queueId: 'support',
    };
    await Interaction.insertMany([
      { _id: c.email, ...base, channel: 'email', from: 'alice@customer.test', to: 'support@ipcc.local' },
      { _id: c.sms, ...base, channel: 'sms', from: '+15550001', to: '+15550100' },
      { _id: c.optedOut, ...base, channel: 'sms', from: '+15550002', to: '+15550100' },
      { _id: c.fax, ...base, channel: 'fax', from: '+15550003', to: '7000' },
    ]);
    const db = mongoose.connection.db as mongoose.mongo.Db;
    await db
      .collection<{ _id: string; at: Date; keyword: string }>('smsOptOuts')
      .insertOne({ _id: '+15550002', at: new Date(), keyword: 'STOP' });
    const bucket = new mongoose.mongo.GridFSBucket(db, { bucketName: 'attachments' });
    const put = async (name: string, content: string, contentType: string) => {
      const id = new mongoose.mongo.ObjectId();
      const up = bucket.openUploadStreamWithId(id, name, {
        metadata: { interactionId: c.email, messageId: 'in2', contentType },
      });
      await pipeline(Readable.from([Buffer.from(content)]), up);
      return id.toHexString();
    };
    fileId = await put('invoice.txt', 'invoice 42: 100 EUR', 'text/plain');
    htmlFileId = await put('page.html', '<script>alert(1)</script>', 'text/html');
    const t0 = Date.now() - 60_000;
    await Message.insertMany([
      {
        _id: 'in1',
        interactionId: c.email,
        channel: 'email',
        direction: 'inbound',
        from: 'alice@customer.test',
        to: ['support@ipcc.local'],
        subject: 'Invoice 42',
        text: 'first',
        messageId: 'customer-1@customer.test',
        status: 'received',
        via: 'smtp',
        createdAt: new Date(t0),
        attachments: [],
      },
      {
        _id: 'in2',
        interactionId: c.email,
        channel: 'email',
        direction: 'inbound',
        from: 'alice@customer.test',
        to: ['support@ipcc.local'],
        subject: 'Re: Invoice 42',
        text: 'second',
        messageId: inboundId,
        references: ['customer-1@customer.test'],
        inReplyTo: 'customer-1@customer.test',
        status: 'received',
        via: 'smtp',
        createdAt: new Date(t0 + 1000),
        attachments: [
          { fileId, name: 'invoice.txt', contentType: 'text/plain', size: 19 },
          { fileId: htmlFileId, name: 'page.html', contentType: 'text/html', size: 25 },
        ],
      },
      {
        _id: 'sms1',
        interactionId: c.sms,
        channel: 'sms',
        direction: 'inbound',
        from: '+15550001',
        to: ['+15550100'],
        text: 'hello',
        status: 'received',
        via: 'webhook',
        provider: 'neutral',
        createdAt: new Date(t0),
        attachments: [],
      },
      {
        _id: 'sms2',
        interactionId: c.optedOut,
        channel: 'sms',
        direction: 'inbound',
        from: '+15550002',
        to: ['+15550100'],
        text: 'STOP',
        status: 'received',
        via: 'webhook',
        createdAt: new Date(t0),
        attachments: [],
      },
    ]);
  });

  after(async () => tearDown(f));

  const thread = (id: string, token: string) =>
    call(f, 'GET', `/api/v1/interactions/${id}/messages`, { token });
  const file = (id: string, token: string) => call(f, 'GET', `/api/v1/attachments/${id}`, { token });
  const reply = (
    id: string,
    token: string,
    fields: Record<string, string>,
    files?: Parameters<typeof multipart>[1],
  ) => call(f, 'POST', `/api/v1/interactions/${id}/replies`, { token, ...multipart(fields, files) });

  it('gives agent A its own thread, oldest first, with attachment metadata', async () => {
    const res = await thread(c.email, f.tokens.agentA);
    expect(res.statusCode).to.equal(200);
    const list = body<Msg[]>(res);
    expect(list.map((m) => m.id)).to.deep.equal(['in1', 'in2']);
    expect(list[1]?.attachments).to.deep.equal([
      { fileId, name: 'invoice.txt', contentType: 'text/plain', size: 19 },
      { fileId: htmlFileId, name: 'page.html', contentType: 'text/html', size: 25 },
    ]);
  });

  it('serves agent A its attachment as a download, HTML as bytes, never inline', async () => {
    const res = await file(fileId, f.tokens.agentA);
    expect(res.statusCode).to.equal(200);
    expect(res.payload).to.equal('invoice 42: 100 EUR');
    expect(res.headers['content-type']).to.match(/^text\/plain/);
    expect(res.headers['content-disposition']).to.equal(
      `attachment; filename="invoice.txt"; filename*=UTF-8''invoice.txt`,
    );
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    const html = await file(htmlFileId, f.tokens.agentA);
    expect(html.statusCode).to.equal(200);
    expect(html.headers['content-type']).to.equal('application/octet-stream');
    expect(html.headers['content-disposition']).to.match(/^attachment;/);
  });

  it('answers 404 to agent B, to an agent with no task and to a supervisor of another queue', async () => {
    for (const token of [f.tokens.agentB, tokens.idle, tokens.salesSupervisor]) {
      const t = await thread(c.email, token);
      expect(t.statusCode, 'thread').to.equal(404);
      expect(body(t).message).to.equal('contact not found');
      const a = await file(fileId, token);
      expect(a.statusCode, 'attachment').to.equal(404);
      expect(body(a).message).to.equal('attachment not found');
    }
  });

  it('gives the thread and the file to the queue’s supervisor and to an administrator', async () => {
    for (const token of [f.tokens.supervisor, f.tokens.admin]) {
      expect((await thread(c.email, token)).statusCode).to.equal(200);
      expect((await file(fileId, token)).statusCode).to.equal(200);
    }
    expect((await thread(randomUUID(), f.tokens.admin)).statusCode).to.equal(404);
    expect((await file('0123456789abcdef01234567', f.tokens.admin)).statusCode).to.equal(404);
  });

  it('queues agent A’s e-mail reply: To the customer, Re:, threaded on the last inbound message, and a SendReply', async () => {
    const res = await reply(c.email, f.tokens.agentA, { text: 'Paid, thank you.' }, [
      { name: 'files', filename: 'receipt.txt', type: 'text/plain', content: Buffer.from('receipt') },
    ]);
    expect(res.statusCode, res.payload).to.equal(202);
    const m = body<Msg>(res);
    expect(m).to.include({
      direction: 'outbound',
      subject: 'Re: Invoice 42',
      text: 'Paid, thank you.',
      status: 'queued',
      via: 'smtp',
      inReplyTo: inboundId,
    });
    expect(m.to).to.deep.equal(['alice@customer.test']);
    expect(m.references).to.deep.equal(['customer-1@customer.test', inboundId]);
    expect(m.attachments.map((a) => [a.name, a.contentType, a.size])).to.deep.equal([
      ['receipt.txt', 'text/plain', 7],
    ]);
    const command = await OutboxCommand.findOne({ message: { $regex: m.id } }).lean();
    expect(command?.routingKey).to.equal('isag.reply');
    expect(JSON.parse(command?.message ?? '{}')).to.include({
      type: 'SendReply',
      contactId: c.email,
      messageId: m.id,
    });
    const contact = await Interaction.findById(c.email).lean();
    expect(contact?.timeline.map((t) => t.type)).to.include('ReplyQueued');
    const download = await file(m.attachments[0]?.fileId ?? '', f.tokens.agentA);
    expect(download.payload).to.equal('receipt');
  });

  it('refuses header injection in the subject, control characters in the text and fields such as bcc: 400', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [
        { text: 'hi', subject: 'Hi\r\nBcc: evil@attacker.test' },
        /"subject" must not contain control characters/,
      ],
      [{ text: 'hi', subject: 'Hi\nX-Evil: 1' }, /"subject" must not contain control characters/],
      [{ text: 'a\u001bb' }, /"text" must not contain control characters/],
      [{ text: 'hi', bcc: 'evil@attacker.test' }, /"bcc" is not allowed/],
      [{ text: 'hi', to: 'evil@attacker.test' }, /"to" is not allowed/],
    ];
    for (const [fields, message] of cases) {
      const res = await reply(c.email, f.tokens.agentA, fields);
      expect(res.statusCode, JSON.stringify(fields)).to.equal(400);
      expect(body(res).message).to.match(message);
    }
    expect(await Message.countDocuments({ interactionId: c.email, direction: 'outbound' })).to.equal(1);
  });

  it('lets only the holder reply: agent B 404, the queue’s supervisor 403', async () => {
    expect((await reply(c.email, f.tokens.agentB, { text: 'x' })).statusCode).to.equal(404);
    expect((await reply(c.email, tokens.idle, { text: 'x' })).statusCode).to.equal(404);
    expect((await reply(c.email, f.tokens.supervisor, { text: 'x' })).statusCode).to.equal(403);
  });

  it('sends SMS as text only, 1,600 characters at most, on the path it came in', async () => {
    const ok = await reply(c.sms, f.tokens.agentA, { text: 'On our way' });
    expect(ok.statusCode, ok.payload).to.equal(202);
    expect(body<Msg>(ok)).to.include({ via: 'webhook', status: 'queued', text: 'On our way' });
    expect(body<Msg>(ok).to).to.deep.equal(['+15550001']);
    const long = await reply(c.sms, f.tokens.agentA, { text: 'x'.repeat(1601) });
    expect(long.statusCode).to.equal(400);
    expect(body(long).message).to.equal('an SMS reply is at most 1600 characters (this one has 1601)');
    const html = await reply(c.sms, f.tokens.agentA, { text: 'x', html: '<b>x</b>' });
    expect(html.statusCode).to.equal(400);
  });

  it('refuses an SMS to a number that opted out (409) and any fax reply (405)', async () => {
    const stop = await reply(c.optedOut, f.tokens.agentA, { text: 'Still there?' });
    expect(stop.statusCode).to.equal(409);
    expect(body(stop).message).to.equal('+15550002 opted out of SMS: no message can be sent to it');
    const fax = await reply(c.fax, f.tokens.agentA, { text: 'x' });
    expect(fax.statusCode).to.equal(405);
    expect(body(fax).message).to.equal('fax contacts take no replies');
    expect(
      await Message.countDocuments({ interactionId: { $in: [c.optedOut, c.fax] }, direction: 'outbound' }),
    ).to.equal(0);
  });

  it('lets administrators write reply templates (audited) and agents list and use them', async () => {
    const created = await call(f, 'POST', '/api/v1/admin/reply-templates', {
      token: f.tokens.admin,
      payload: { name: 'Thanks', channel: 'email', text: 'Thank you for writing to us.' },
    });
    expect(created.statusCode, created.payload).to.equal(201);
    const id = body(created).id as string;
    expect(
      await AuditLog.countDocuments({ entity: 'replytemplate', entityId: id, action: 'create' }),
    ).to.equal(1);
    const refused = await call(f, 'POST', '/api/v1/admin/reply-templates', {
      token: f.tokens.agentA,
      payload: { name: 'Mine', channel: 'email', text: 'x' },
    });
    expect(refused.statusCode).to.equal(403);
    const listed = await call(f, 'GET', '/api/v1/reply-templates?channel=email', { token: f.tokens.agentA });
    expect(body<Array<{ name: string }>>(listed).map((t) => t.name)).to.deep.equal(['Thanks']);
    const none = await call(f, 'GET', '/api/v1/reply-templates?channel=sms', { token: f.tokens.agentA });
    expect(body<unknown[]>(none)).to.deep.equal([]);
    const used = await reply(c.email, f.tokens.agentA, { templateId: id });
    expect(used.statusCode, used.payload).to.equal(202);
    expect(body<Msg>(used).text).to.equal('Thank you for writing to us.');
    const wrongChannel = await reply(c.sms, f.tokens.agentA, { templateId: id });
    expect(wrongChannel.statusCode).to.equal(400);
    const removed = await call(f, 'DELETE', `/api/v1/admin/reply-templates/${id}`, { token: f.tokens.admin });
    expect(removed.statusCode).to.equal(204);
    expect(await AuditLog.countDocuments({ entity: 'replytemplate', entityId: id })).to.equal(2);
  });
});
