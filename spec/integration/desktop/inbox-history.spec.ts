import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import nodemailer from 'nodemailer';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { STRINGS } from '../../../agent-ui/src/strings';
import { neutralSignature } from '../../../isag/sms/signature';
import { ari } from '../../support/ari';
import { AsApi } from '../../support/as-api';
import { SCREENSHOTS, asUrl, demoPassword, launchBrowser, newContext } from '../../support/browser';
import { eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { sendFax } from '../../support/fax';
import type { Desktop } from '../../support/desktop';
import {
  ISAG_HTTP,
  PROVIDER_PORT,
  SMTP_PORT,
  completeTask,
  conversation,
  faxInChroot,
  inboxAgent,
  offerCard,
  recorder,
  shot,
  type Counter,
} from '../../support/inbox';
import { mongoUri, requireSystem } from '../../support/servers';
import { sipp } from '../../support/sipp';

/** The demo SMS queue's number (as/seed-data.ts): webhook and SIP MESSAGE both reach it. */
const SMS_NUMBER = '+15550100';
const SIP_PEER_PORT = 5174;
type Channel = 'email' | 'sms' | 'fax';
interface Figures {
  offered: number;
  answered: number;
}

/** The customer's earlier contacts as the open task's "Recent contacts" lists them: channel, state. */
async function historyOf(conv: Locator): Promise<string[][]> {
  const region = conv.getByRole('region', { name: STRINGS.historyHeading, exact: true });
  await region.getByText(/^Customer: /).waitFor({ timeout: 10_000 });
  return region
    .getByRole('listitem')
    .evaluateAll((items) =>
      items.map((li) => [
        li.querySelector('.history-channel')?.textContent ?? '',
        li.querySelector('.history-state')?.textContent ?? '',
      ]),
    );
}

/** A table's text, row by row, as a person reads it. */
function cellsOf(table: Locator): Promise<string[][]> {
  return table.evaluate((t: HTMLTableElement) =>
    [...t.rows].map((r) => [...r.cells].map((c) => (c.textContent ?? '').trim())),
  );
}

/**
 * Issue 14's "Done when" for the customer's history and the reports, on real parts: one customer (an
 * e-mail address and a number) writes an e-mail with an attachment and answers the agent's reply in the
 * same thread, sends an SMS over the webhook and one over SIP MESSAGE from a real SIP peer (sipp), and
 * faxes from the same number (Asterisk's SendFAX). Agent 1001 takes each in the desktop (Chromium),
 * answers where the channel allows (the SIP peer receives its reply), and each task's "Recent
 * contacts" lists the earlier ones with their channel. The AS API the desktop reads gives the same
 * four; the reports API and the console's reports page count them under their channels.
 */
describe('agent desktop inbox: the customer history and the reports of every channel', function () {
  this.timeout(180_000);
  const tag = `${Date.now()}-${randomInt(1000, 9999)}`;
  const number = `+1555${randomInt(1_000_000, 9_999_999)}`;
  // alice is one of the relay's test mailboxes (scripts/provision/postfix.sh): the reply is delivered.
  const address = `alice+history-${tag}@customer.test`;
  const name = `Ann History${tag.slice(-4)}`;
  /** The tasks of this run, by what they came over: their contact ids. */
  const contacts = new Map<'email' | 'sms-webhook' | 'sms-sip' | 'fax', string>();
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let desktop: Desktop | undefined;
  let mongo: MongoClient;
  let provider: Counter | undefined;
  let admin: AsApi;
  let supervisor: AsApi;
  let customerId = '';
  let before0 = new Map<Channel, Figures>();
  const why = () => `\npage log:\n${desktop?.log.tail()}`;
  const fail = (e: Error): never => {
    throw new Error(e.message + why());
  };
  const messages = () => mongo.db().collection('messages');
  const today = new Date().toISOString().slice(0, 10);

  /** Today's offered and answered per task channel, from the summary the reports page reads. */
  async function byChannel(): Promise<Map<Channel, Figures>> {
    const from = `${today}T00:00:00.000Z`;
    const to = new Date(Date.parse(from) + 86_400_000).toISOString();
    const s = await supervisor.ok<{ byChannel: ({ channel: string } & Figures)[] }>(
      'GET',
      `/api/v1/reports/queues/summary?from=${from}&to=${to}&interval=1h`,
    );
    const out = new Map<Channel, Figures>();
    for (const c of s.byChannel)
      if (c.channel === 'email' || c.channel === 'sms' || c.channel === 'fax')
        out.set(c.channel, { offered: c.offered, answered: c.answered });
    return out;
  }

  /** Accepts the offer from `from` and answers its conversation once the thread shows. */
  async function accept(page: Page, channel: string, from: string): Promise<Locator> {
    const card = offerCard(page, channel, from);
    await card.waitFor({ timeout: 150_000 }).catch(fail);
    await card.getByRole('button', { name: STRINGS.accept, exact: true }).click();
    const conv = conversation(page, channel);
    await conv.waitFor({ timeout: 15_000 });
    return conv;
  }

  before(async function () {
    this.timeout(300_000);
    await requireSystem(['rabbitmq', 'docstore', 'cti', 'asterisk']);
    const ready = await fetch(`http://127.0.0.1:${process.env.ISAG_OPS_PORT ?? '9465'}/health/ready`).catch(
      (err: unknown) => err as Error,
    );
    if (ready instanceof Error || !ready.ok) throw new Error('required server missing: isag (health/ready)');
    expect(await ari.applicationNames(), 'ISAG Stasis app for SIP MESSAGE').to.include('isag-sms');
    mongo = new MongoClient(mongoUri());
    await mongo.connect();
    admin = await AsApi.signIn('admin', await demoPassword());
    supervisor = await AsApi.signIn('supervisor', await demoPassword());
    const made = await admin.ok<{ id: string }>('POST', '/api/v1/customers', {
      firstName: 'Ann',
      lastName: `History${tag.slice(-4)}`,
      phones: [number],
      emails: [address],
    });
    customerId = made.id;
    provider = await recorder(PROVIDER_PORT, 'application/json', '{"ok":true}');
    browser = await launchBrowser({ video: false });
    context = await newContext(browser);
    desktop = await inboxAgent(context);
    // After the leftovers are completed: from here on only this run's tasks change today's figures.
    before0 = await byChannel();
  });

  after(async () => {
    await desktop?.signOutAll().catch(() => undefined);
    await context?.close().catch(() => undefined);
    await browser?.close();
    provider?.server.close();
    if (customerId !== '') await admin?.deleteCustomer(customerId).catch(() => undefined);
    await mongo?.close();
  });

  it('an e-mail with an attachment, answered, and the customer’s threaded answer: no earlier contacts', async () => {
    const page = desktop!.page;
    const subject = `Contract question ${tag}`;
    const file = `contract-${tag}.bin`;
    const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: SMTP_PORT, ignoreTLS: true });
    await mailer.sendMail({
      from: `Ann Customer <${address}>`,
      to: 'support@ipcc.local',
      subject,
      text: `Hello, a question about my contract ${tag}.`,
      attachments: [{ filename: file, content: randomBytes(4096) }],
    });
    const conv = await accept(page, STRINGS.taskChannelEmail, address);
    await conv.getByText(`a question about my contract ${tag}`).first().waitFor({ timeout: 15_000 });
    await conv.getByRole('button', { name: STRINGS.downloadFile(file), exact: true }).waitFor();
    expect(await historyOf(conv)).to.deep.equal([]);
    const history = conv.getByRole('region', { name: STRINGS.historyHeading, exact: true });
    expect(await history.getByText(STRINGS.taskCustomer(name), { exact: true }).count()).to.equal(1);
    expect(await history.getByText(STRINGS.noHistory, { exact: true }).count()).to.equal(1);

    const reply = conv.getByRole('region', { name: STRINGS.replyHeading, exact: true });
    await reply.getByLabel(STRINGS.replyText).fill(`Your contract ${tag} runs until June.`);
    await reply.getByRole('button', { name: STRINGS.sendReply, exact: true }).click();
    await conv.getByText(STRINGS.msgSent, { exact: true }).waitFor({ timeout: 30_000 }).catch(fail);
    const sent = await messages().findOne({ subject: `Re: ${subject}`, direction: 'outbound' });
    expect(sent?.status).to.equal('sent');
    contacts.set('email', String(sent?.interactionId));
    const ours = `<${String(sent?.messageId).replace(/^<|>$/g, '')}>`;
    await mailer.sendMail({
      from: `Ann Customer <${address}>`,
      to: 'support@ipcc.local',
      subject: `Re: ${subject}`,
      inReplyTo: ours,
      references: [ours],
      text: `Thanks, that answers it ${tag}.`,
    });
    await conv.getByRole('article').getByText(`Thanks, that answers it ${tag}.`).waitFor({ timeout: 20_000 });
    expect(await conv.getByRole('article').count(), 'customer, reply, customer').to.equal(3);
    await shot(page, 'inbox-history-email');
    await completeTask(conv);
  });

  it('an SMS over the webhook, answered through the provider: the e-mail is in its history', async () => {
    const page = desktop!.page;
    const text = `Can I change my contract ${tag} by text?`;
    const raw = Buffer.from(JSON.stringify({ from: number, to: SMS_NUMBER, text }));
    const res = await fetch(`${ISAG_HTTP}/sms/inbound`, {
      method: 'POST',
      body: raw,
      headers: {
        'content-type': 'application/json',
        'x-ipcc-signature': neutralSignature(process.env.ISAG_SMS_SECRET ?? '', raw),
      },
    });
    const answer = (await res.json()) as { interactionId: string };
    expect(res.status).to.equal(200);
    contacts.set('sms-webhook', answer.interactionId);
    const conv = await accept(page, STRINGS.taskChannelSms, number);
    await conv
      .getByRole('log', { name: STRINGS.smsThread(number) })
      .getByText(text)
      .waitFor();
    expect(await historyOf(conv)).to.deep.equal([[STRINGS.taskChannelEmail, 'completed']]);
    const reply = conv.getByRole('region', { name: STRINGS.smsReplyHeading, exact: true });
    const answerText = `Yes: reply CHANGE ${tag} and we call you.`;
    await reply.getByLabel(STRINGS.smsText).fill(answerText);
    await reply.getByRole('button', { name: STRINGS.sendReply, exact: true }).click();
    await eventually('the reply at the provider', () => provider!.bodies.some((b) => b.includes(answerText)));
    const posted = provider!.bodies.filter((b) => b.includes(answerText)).map((b) => JSON.parse(b) as object);
    expect(posted).to.have.length(1);
    expect(posted[0]).to.deep.include({ to: number, from: SMS_NUMBER, text: answerText });
    await completeTask(conv);
  });

  it('an SMS over SIP MESSAGE from a SIP peer, answered in the desktop: the peer receives the reply', async () => {
    const page = desktop!.page;
    const dir = mkdtempSync(path.join(tmpdir(), 'inbox-history-sip-'));
    const trace = path.join(dir, 'peer.log');
    const uri = `sip:${number}@127.0.0.1:${SIP_PEER_PORT}`;
    try {
      // The customer's SIP peer: its MESSAGE (202 expected), then it stays 30 s and answers (200) the
      // MESSAGEs that come to it, tracing everything it saw.
      const peer = sipp('message-send.xml', {
        service: SMS_NUMBER,
        localPort: SIP_PEER_PORT,
        holdMs: 30_000,
        timeoutSec: 60,
        vars: { customer: number, text: `Over SIP now ${tag}` },
        extra: [
          ...['-oocsf', path.resolve(__dirname, '../../sipp/message-receive.xml')],
          ...['-trace_msg', '-message_file', trace],
        ],
      });
      const conv = await accept(page, STRINGS.taskChannelSms, uri);
      await conv.getByRole('log').getByText(`Over SIP now ${tag}`).waitFor({ timeout: 15_000 });
      expect(await historyOf(conv)).to.deep.equal([
        [STRINGS.taskChannelSms, 'completed'],
        [STRINGS.taskChannelEmail, 'completed'],
      ]);
      const reply = conv.getByRole('region', { name: STRINGS.smsReplyHeading, exact: true });
      await reply.getByLabel(STRINGS.smsText).fill(`Reply over SIP ${tag}`);
      await reply.getByRole('button', { name: STRINGS.sendReply, exact: true }).click();
      await conv.getByRole('log').getByText(STRINGS.msgSent, { exact: true }).waitFor({ timeout: 30_000 });
      const inbound = await messages().findOne({ from: uri, direction: 'inbound', via: 'sip' });
      contacts.set('sms-sip', String(inbound?.interactionId));
      await shot(page, 'inbox-history-sip');
      await completeTask(conv);

      const run = await peer;
      expect(run.code, `sipp peer: ${run.stderr}${run.stdout.slice(-600)}`).to.equal(0);
      const seen = readFileSync(trace, 'utf8');
      expect(seen).to.match(/^SIP\/2\.0 202 Accepted$/m);
      // The trace holds the peer's own MESSAGE (to our number) and what came to it: the reply, once.
      const arrived = (seen.match(/^MESSAGE sip:\S+ SIP\/2\.0$/gm) ?? []).filter(
        (line) => !line.startsWith(`MESSAGE sip:${SMS_NUMBER}@`),
      );
      expect(arrived, 'MESSAGEs that reached the peer').to.deep.equal([
        `MESSAGE sip:${number}@127.0.0.1:${SIP_PEER_PORT} SIP/2.0`,
      ]);
      expect(seen).to.contain(`Reply over SIP ${tag}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a fax from the same number (no "+", as trunks send it): both SMS and the e-mail in its history', async () => {
    const page = desktop!.page;
    const from = number.slice(1);
    const work = mkdtempSync(path.join(tmpdir(), 'inbox-history-fax-'));
    const fax = faxInChroot(work, 'inbox-history-fax', 1);
    try {
      await sendFax(from, fax.inside);
      const conv = await accept(page, STRINGS.taskChannelFax, from);
      const item = conv.getByRole('article', { name: STRINGS.faxFrom(from) });
      await item.waitFor({ timeout: 15_000 });
      expect(await item.locator('dd.fax-pages').textContent()).to.equal('1');
      expect(await historyOf(conv)).to.deep.equal([
        [STRINGS.taskChannelSms, 'completed'],
        [STRINGS.taskChannelSms, 'completed'],
        [STRINGS.taskChannelEmail, 'completed'],
      ]);
      const stored = await messages().findOne({ from, direction: 'inbound', channel: 'fax' });
      contacts.set('fax', String(stored?.interactionId));
      await shot(page, 'inbox-history');
      await completeTask(conv);
    } finally {
      rmSync(work, { recursive: true, force: true });
      rmSync(fax.outside, { force: true });
    }
  });

  it('the AS API the desktop reads: the four contacts under the customer, with their channels', async () => {
    const agent = await AsApi.signIn('1001', await demoPassword());
    const ids = ['fax', 'sms-sip', 'sms-webhook', 'email'].map((k) => contacts.get(k as never));
    const list = await eventually('the four completed', async () => {
      const l = await agent.ok<{ id: string; channel: string; state: string }[]>(
        'GET',
        `/api/v1/interactions?customerId=${customerId}`,
      );
      return l.every((c) => c.state === 'completed') && l.length === 4 ? l : undefined;
    });
    expect(list.map((c) => [c.id, c.channel])).to.deep.equal([
      [ids[0], 'fax'],
      [ids[1], 'sms'],
      [ids[2], 'sms'],
      [ids[3], 'email'],
    ]);
    const pop = await agent.ok<{ customer: { id: string }; history: { id: string; channel: string }[] }>(
      'GET',
      `/api/v1/screen-pop/${ids[0]}`,
    );
    expect(pop.customer.id).to.equal(customerId);
    expect(pop.history.map((h) => [h.id, h.channel])).to.deep.equal([
      [ids[1], 'sms'],
      [ids[2], 'sms'],
      [ids[3], 'email'],
    ]);
  });

  it('the reports count each task under its channel, in the API and on the reports page', async () => {
    const after = await byChannel();
    const delta = (c: Channel) => {
      const a = after.get(c);
      const b = before0.get(c) ?? { offered: 0, answered: 0 };
      return [a === undefined ? NaN : a.offered - b.offered, a === undefined ? NaN : a.answered - b.answered];
    };
    // The e-mail's threaded answer joined its task: one e-mail, two SMS (webhook and SIP), one fax.
    expect({ email: delta('email'), sms: delta('sms'), fax: delta('fax') }).to.deep.equal({
      email: [1, 1],
      sms: [2, 2],
      fax: [1, 1],
    });

    const page = await (await newContext(browser!)).newPage();
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.goto(`${asUrl()}/agent/console.html#/reports`);
    await page.getByLabel(STRINGS.loginLabel).fill('supervisor');
    await page.getByLabel(STRINGS.passwordLabel).fill(await demoPassword());
    await page.getByRole('button', { name: STRINGS.signIn, exact: true }).click();
    await page
      .getByText(STRINGS.reportCovers(STRINGS.reportAllQueues, today, today))
      .waitFor({ timeout: 15_000 });
    const table = page.getByRole('table', { name: STRINGS.reportChannelTable });
    const rows = new Map((await cellsOf(table)).slice(1).map((r) => [r[0], r.slice(1, 3)]));
    const shown = (label: string, c: Channel) => {
      const f = after.get(c);
      return [label, rows.get(label), f === undefined ? [] : [String(f.offered), String(f.answered)]];
    };
    for (const [label, got, want] of [
      shown(STRINGS.channelEmail, 'email'),
      shown(STRINGS.channelSms, 'sms'),
      shown(STRINGS.channelFax, 'fax'),
    ])
      expect(got, `${String(label)}: offered, answered`).to.deep.equal(want);
    // The table with the figures above it: the section of the page a person reads it in.
    await page
      .getByRole('region', { name: STRINGS.reportChannelTable })
      .screenshot({ path: path.join(SCREENSHOTS, 'reports-channels.png') });
    await page.context().close();
  });
});
