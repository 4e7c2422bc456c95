import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import amqplib from 'amqplib';
import { MongoClient, type Collection, type Db } from 'mongodb';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { MessageDoc } from '../../../isag/core/types';
import { EXCHANGES, routingKeys } from '../../../lib/bus/topology';
import { makeMessage } from '../../../lib/messages';
import { tokenVersionOf } from '../../support/accounts';
import { AgentClient } from '../../support/agent-client';
import { agentIdOf } from '../../support/agents';
import { AsApi } from '../../support/as-api';
import { asUrl, demoPassword } from '../../support/browser';
import { eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { amqpUrl, mongoUri, requireSystem } from '../../support/servers';

/**
 * The e-mail path end to end on the real system (issue 14): a customer's mail sent to ISAG's SMTP server,
 * the task offered to an agent over CTI's WebSocket and accepted, the agent's reply through the AS and
 * ISAG out through the machine's postfix into the customer's mailbox, threaded on the customer's mail;
 * the customer's answer to it joins the same interaction; a reply to an unknown user comes back as a
 * bounce that marks it failed. Postfix: scripts/provision/postfix.sh (mailboxes under /var/mail/ipcc-test).
 * The mail goes to a queue of this run's own (its address and a skill only the test's agent has), so a
 * ready agent another test left behind is not offered it.
 */

const ISAG_SMTP = { host: '127.0.0.1', port: Number(process.env.ISAG_SMTP_PORT ?? 2525) };
const MAILDIR = '/var/mail/ipcc-test/alice';
const AGENT = '1004';

/** The customer's own mail client: straight to ISAG, as the queue's MX would hand it over. */
const customerMail = nodemailer.createTransport({ ...ISAG_SMTP, secure: false, ignoreTLS: true });

/** The delivered files in a Maildir whose Message-ID is `id` (without brackets). */
async function deliveredAll(dir: string, id: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const sub of ['new', 'cur']) {
    const names = await readdir(path.join(dir, sub)).catch((): string[] => []);
    for (const name of names) {
      const raw = await readFile(path.join(dir, sub, name));
      if (!raw.toString('latin1').includes(`<${id}>`)) continue;
      if ((await simpleParser(raw)).messageId === `<${id}>`) out.push(raw);
    }
  }
  return out;
}

const delivered = async (dir: string, id: string) => (await deliveredAll(dir, id))[0];

/** Publishes a SendReply as the AS would, with the operator's credentials. */
async function publishSendReply(contactId: string, messageId: string): Promise<void> {
  const conn = await amqplib.connect(amqpUrl());
  try {
    const ch = await conn.createConfirmChannel();
    const m = makeMessage<'SendReply'>(
      { service: 'as', instance: 'spec' },
      { type: 'SendReply', contactId, messageId },
    );
    ch.publish(EXCHANGES.commands, routingKeys.isagReply, Buffer.from(JSON.stringify(m)), {
      persistent: true,
    });
    await ch.waitForConfirms();
  } finally {
    await conn.close();
  }
}

describe('ISAG e-mail: customer mail to agent, reply through postfix, threaded answer, bounce', function () {
  this.timeout(120_000);
  const run = randomBytes(4).toString('hex');
  let mongo: MongoClient;
  let db: Db;
  let messages: Collection<MessageDoc>;
  let agent: AgentClient;
  let agentId: string;
  let token: string;
  const accepted: string[] = [];
  const queue = `e2e-${run}`;
  const support = `${queue}@ipcc.local`;
  let admin: AsApi;
  let skills: Array<{ name: string; level: number }> = [];

  before(async function () {
    await requireSystem(['rabbitmq', 'docstore', 'cti']);
    mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    db = mongo.db();
    messages = db.collection<MessageDoc>('messages');
    agentId = await agentIdOf(AGENT);
    admin = await AsApi.signIn('admin', await demoPassword());
    await admin.ok('POST', '/api/v1/queues', {
      name: queue,
      channel: 'email',
      addresses: [support],
      skills: [{ name: queue, minLevel: 1 }],
      serviceLevelSec: 3600,
      queueTimeoutSec: 0,
    });
    skills = (
      await admin.ok<{ skills: Array<{ name: string; level: number }> }>('GET', `/api/v1/agents/${agentId}`)
    ).skills;
    // Changing the agent revokes its tokens: done before its token is made.
    await admin.ok('PATCH', `/api/v1/agents/${agentId}`, { skills: [...skills, { name: queue, level: 5 }] });
    // ISAG and CTI read the new queue on the AS's change event: until ISAG has, a mail to it is
    // quarantined; until CTI has, its task is `unroutable`. Probes go until CTI queues one; each queued
    // probe is taken and completed by the agent below, so it holds none of the agent's capacity.
    const probes: string[] = [];
    await eventually(
      'ISAG and CTI to know the new queue',
      async () => {
        const info = await customerMail.sendMail({
          from: `probe-${run}@customer.test`,
          to: support,
          subject: 'probe',
          text: 'probe',
        });
        const id = /queued as (\S+)/.exec(String(info.response))?.[1];
        const probe = id === undefined ? null : await messages.findOne({ _id: id });
        if (probe === null) return false;
        const state = await eventually(
          "CTI's answer to the probe",
          async () => {
            const i = await db
              .collection<{ _id: string; state: string }>('interactions')
              .findOne({ _id: probe.interactionId });
            return i === null || i.state === 'received' ? undefined : i.state;
          },
          5_000,
        ).catch(() => undefined);
        if (state === 'queued') probes.push(probe.interactionId);
        return state === 'queued';
      },
      30_000,
    );
    token = AgentClient.tokenFor(agentId, ['agent'], await tokenVersionOf(agentId));
    agent = new AgentClient();
    await agent.connect();
    agent.send({ type: 'auth', token });
    await eventually('welcome', () => agent.of('welcome')[0]);
    agent.send({ type: 'logout' });
    await new Promise((r) => setTimeout(r, 300));
    agent.send({ type: 'login' });
    agent.send({ type: 'ready' });
    await eventually('agent ready', () => agent.of('state').find((s) => s.state === 'ready'));
    for (const contactId of probes) {
      await takeTask(contactId);
      agent.send({ type: 'complete-task', contactId });
      accepted.splice(accepted.indexOf(contactId), 1);
      await eventually(
        'probe completed',
        () => agent.of('task-ended').find((m) => m.contactId === contactId),
        10_000,
      );
    }
  });

  after(async () => {
    for (const contactId of accepted) agent?.send({ type: 'complete-task', contactId });
    await new Promise((r) => setTimeout(r, 300));
    agent?.send({ type: 'logout' });
    agent?.close();
    customerMail.close();
    await mongo?.close();
    await admin?.ok('PATCH', `/api/v1/agents/${agentId}`, { skills });
    await admin?.request('DELETE', `/api/v1/queues/${queue}`);
  });

  /** Sends a customer's mail to ISAG; waits until ISAG stored it; answers the stored message. */
  async function customerSends(mail: SendMailOptions & { messageId: string }): Promise<MessageDoc> {
    const info = await customerMail.sendMail({ to: support, ...mail });
    expect(info.accepted).to.deep.equal([support]);
    const bare = mail.messageId.replace(/^<|>$/g, '');
    return eventually(
      'ISAG stored the mail',
      () => messages.findOne({ messageId: bare }).then((m) => m ?? undefined),
      20_000,
    );
  }

  /** Waits for the task's offer to our agent, accepts it, and waits until the AS lets the agent read it. */
  async function takeTask(contactId: string): Promise<void> {
    await eventually(
      'task offered to the agent',
      () => agent.of('task-offer').find((o) => o.contactId === contactId),
      30_000,
    );
    agent.send({ type: 'accept-task', contactId });
    await eventually(
      'task accepted',
      () => agent.of('task-accepted').find((o) => o.contactId === contactId),
      10_000,
    );
    accepted.push(contactId);
    // CTI writes the contact's agent behind the offer; the AS reads it from the store.
    await eventually(
      'the contact readable by its agent',
      async () => (await as('GET', `/api/v1/interactions/${contactId}/messages`)).status === 200,
      10_000,
    );
  }

  async function as(method: string, url: string, body?: FormData) {
    const res = await fetch(`${asUrl()}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      ...(body ? { body } : {}),
    });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  async function reply(contactId: string, text: string, file?: { name: string; content: string }) {
    const form = new FormData();
    form.set('text', text);
    if (file) form.set('files', new Blob([file.content], { type: 'text/plain' }), file.name);
    const res = await as('POST', `/api/v1/interactions/${contactId}/replies`, form);
    expect(res.status, res.bytes.toString()).to.equal(202);
    return JSON.parse(res.bytes.toString()) as { id: string; subject: string; inReplyTo: string };
  }

  it('delivers the agent’s reply threaded on the customer’s mail, once; the answer joins the interaction', async () => {
    const customer = `alice+${run}@customer.test`;
    const first = `${run}-1@customer.test`;
    const inbound = await customerSends({
      from: customer,
      subject: `Order ${run}`,
      text: 'Where is my order?',
      messageId: `<${first}>`,
      attachments: [{ filename: 'order.txt', content: `order ${run}` }],
    });
    const contactId = inbound.interactionId;
    await takeTask(contactId);

    const thread = await as('GET', `/api/v1/interactions/${contactId}/messages`);
    expect(thread.status).to.equal(200);
    const listed = JSON.parse(thread.bytes.toString()) as Array<{
      id: string;
      attachments: Array<{ fileId: string; name: string }>;
    }>;
    expect(listed.map((m) => m.id)).to.deep.equal([inbound._id]);
    const file = await as('GET', `/api/v1/attachments/${listed[0]?.attachments[0]?.fileId}`);
    expect(file.status).to.equal(200);
    expect(file.bytes.toString()).to.equal(`order ${run}`);

    const sent = await reply(contactId, 'It left our warehouse today.', {
      name: 'tracking.txt',
      content: `track ${run}`,
    });
    expect(sent.subject).to.equal(`Re: Order ${run}`);
    expect(sent.inReplyTo).to.equal(first);
    const stored = await eventually(
      'reply sent by ISAG',
      () => messages.findOne({ _id: sent.id, status: 'sent' }).then((m) => m ?? undefined),
      30_000,
    );
    const ourId = stored.messageId as string;
    expect(ourId).to.match(/^[0-9a-f-]{36}@ipcc\.local$/);

    const raw = await eventually('reply in the customer’s mailbox', () => delivered(MAILDIR, ourId), 30_000);
    const mail = await simpleParser(raw);
    expect(mail.inReplyTo).to.equal(`<${first}>`);
    expect(mail.references).to.equal(`<${first}>`);
    expect(mail.subject).to.equal(`Re: Order ${run}`);
    expect(mail.from?.value.map((a) => a.address)).to.deep.equal([support]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : []).to.deep.equal([
      customer,
    ]);
    expect(mail.text?.trim()).to.equal('It left our warehouse today.');
    expect(mail.attachments.map((a) => [a.filename, a.content.toString()])).to.deep.equal([
      ['tracking.txt', `track ${run}`],
    ]);

    const answer = await customerSends({
      from: customer,
      subject: `Re: Order ${run}`,
      text: 'Thanks!',
      messageId: `<${run}-2@customer.test>`,
      inReplyTo: `<${ourId}>`,
      references: [`<${first}>`, `<${ourId}>`],
    });
    expect(answer.interactionId).to.equal(contactId);
    await eventually(
      'the agent told of the answer',
      () =>
        agent
          .of('task-message' as never)
          .find(
            (m: { contactId?: string; messageId?: string }) =>
              m.contactId === contactId && m.messageId === answer._id,
          ),
      15_000,
    );
    const after = JSON.parse(
      (await as('GET', `/api/v1/interactions/${contactId}/messages`)).bytes.toString(),
    ) as Array<{ id: string; direction: string }>;
    expect(after.map((m) => [m.id, m.direction])).to.deep.equal([
      [inbound._id, 'inbound'],
      [sent.id, 'outbound'],
      [answer._id, 'inbound'],
    ]);

    // The same SendReply again (a redelivery, the AS's sweep after a lost confirm): nothing is sent twice.
    // A later reply goes through the same queue; once it is delivered, the duplicate was handled.
    await publishSendReply(contactId, sent.id);
    const next = await reply(contactId, 'One more thing.');
    const nextStored = await eventually(
      'second reply sent',
      () => messages.findOne({ _id: next.id, status: 'sent' }).then((m) => m ?? undefined),
      30_000,
    );
    await eventually(
      'second reply delivered',
      () => delivered(MAILDIR, nextStored.messageId as string),
      30_000,
    );
    expect(await deliveredAll(MAILDIR, ourId)).to.have.length(1);
    expect((await messages.findOne({ _id: sent.id }))?.sentAt?.getTime()).to.equal(stored.sentAt?.getTime());
  });

  it('marks a reply to an unknown customer.test user failed with the bounce’s reason', async () => {
    const customer = `nobody-${run}@customer.test`;
    const inbound = await customerSends({
      from: customer,
      subject: `Lost ${run}`,
      text: 'hello',
      messageId: `<${run}-3@customer.test>`,
    });
    await takeTask(inbound.interactionId);
    const sent = await reply(inbound.interactionId, 'Who are you?');
    const failed = await eventually(
      'reply marked failed by the bounce',
      () => messages.findOne({ _id: sent.id, status: 'failed' }).then((m) => m ?? undefined),
      45_000,
    );
    // isag/email/dsn.ts's wording: `delivery failed: to <recipient>; status <code>; <diagnostic>`.
    expect(failed.statusReason).to.match(/^delivery failed: to (.+); status 5\.1\.1; /);
    expect(failed.statusReason?.split(';')[0]).to.equal(`delivery failed: to ${customer}`);
    const contact = await db
      .collection<{
        _id: string;
        timeline: Array<{ type: string; data?: { messageId?: string; reason?: string } }>;
      }>('interactions')
      .findOne({ _id: inbound.interactionId });
    const entry = contact?.timeline.find((t) => t.type === 'ReplyFailed' && t.data?.messageId === sent.id);
    expect(entry?.data?.reason).to.equal(failed.statusReason);
  });
});
