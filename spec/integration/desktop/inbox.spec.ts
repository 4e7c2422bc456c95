import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import nodemailer from 'nodemailer';
import type { Browser, BrowserContext } from 'playwright-core';
import { STRINGS } from '../../../agent-ui/src/strings';
import { agentEvents, agentIdOf } from '../../support/agents';
import { demoPassword, launchBrowser, newContext } from '../../support/browser';
import { AsApi } from '../../support/as-api';
import { eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
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
import { pdfinfoPages, sendFax } from '../../support/fax';
import { mongoUri, requireSystem } from '../../support/servers';

/**
 * The agent's inbox on real parts: ISAG's SMTP server and SMS webhook, CTI's task routing, the AS's
 * message routes, the desktop in Chromium. An e-mail whose HTML carries a script and a remote image
 * (served here, counting requests) reaches the agent as an offer; accepted, its body shows without the
 * script running and without the image loading until "Show images"; its attachment downloads byte for
 * byte; the reply is stored and sent by ISAG; Complete ends the task. An SMS over the neutral webhook
 * is offered, answered (the provider stand-in here receives the reply) and completed. A 3-page fax sent
 * by Asterisk itself (SendFAX, as spec/integration/isag/fax.spec.ts does) shows its PDF of 3 pages.
 */
/** `text` matched literally inside a RegExp. */
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const BANNER =
  '<svg xmlns="http://www.w3.org/2000/svg" width="360" height="48"><rect width="360" height="48" rx="8" fill="#13805b"/>' +
  '<text x="16" y="31" font-family="sans-serif" font-size="20" fill="#fff">Customer newsletter banner</text></svg>';

describe('agent desktop inbox: e-mail and SMS tasks end to end (ISAG, CTI, AS, Chromium)', function () {
  this.timeout(180_000);
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let desktop: Desktop | undefined;
  let mongo: MongoClient;
  let images: Counter | undefined;
  let provider: Counter | undefined;
  let agentId = '';
  let admin: AsApi | undefined;
  /** This run's reply templates, one per channel (made by the administrator, removed after). */
  const templates = new Map<'email' | 'sms', { id: string; name: string; text: string }>();
  const why = () => `\npage log:\n${desktop?.log.tail()}`;

  before(async function () {
    this.timeout(300_000);
    await requireSystem(['rabbitmq', 'docstore', 'cti']);
    const ready = await fetch(`http://127.0.0.1:${process.env.ISAG_OPS_PORT ?? '9465'}/health/ready`).catch(
      (err: unknown) => err as Error,
    );
    if (ready instanceof Error || !ready.ok) throw new Error('required server missing: isag (health/ready)');
    mongo = new MongoClient(mongoUri());
    await mongo.connect();
    agentId = await agentIdOf('1001');
    admin = await AsApi.signIn('admin', await demoPassword());
    const texts = {
      email: 'Thank you for writing to us. We have your message and answer within one working day.',
      sms: 'Thanks! Your order is on its way and arrives within two working days.',
    };
    for (const channel of ['email', 'sms'] as const) {
      const t = { name: `Inbox spec ${channel} ${Date.now()}`, channel, text: texts[channel] };
      const made = await admin.ok<{ id: string }>('POST', '/api/v1/admin/reply-templates', t);
      templates.set(channel, { id: made.id, name: t.name, text: t.text });
    }
    images = await recorder(0, 'image/svg+xml', BANNER);
    provider = await recorder(PROVIDER_PORT, 'application/json', '{"ok":true}');
    browser = await launchBrowser({ video: false });
    context = await newContext(browser);
    desktop = await inboxAgent(context);
  });

  after(async () => {
    await desktop?.signOutAll().catch(() => undefined);
    await context?.close().catch(() => undefined);
    await browser?.close();
    if (agentId !== '') await agentEvents(agentId, ['AgentLogout']).catch(() => undefined);
    images?.server.close();
    for (const t of templates.values())
      await admin?.request('DELETE', `/api/v1/admin/reply-templates/${t.id}`).catch(() => undefined);
    provider?.server.close();
    await mongo?.close();
  });

  it('an e-mail: offer, safe body, images on request, attachment, reply sent, Complete', async () => {
    const page = desktop!.page;
    const tag = `${Date.now()}-${randomInt(1000, 9999)}`;
    // alice is one of the relay's test mailboxes (scripts/provision/postfix.sh): the reply is delivered.
    const from = `alice+inbox-${tag}@customer.test`;
    const subject = `Invoice question ${tag}`;
    const attachment = randomBytes(20_000);
    const fileName = `statement-${tag}.bin`;
    const imageUrl = `http://127.0.0.1:${images!.port}/banner-${tag}.svg`;
    const mailer = nodemailer.createTransport({
      host: '127.0.0.1',
      port: SMTP_PORT,
      secure: false,
      ignoreTLS: true,
    });
    await mailer.sendMail({
      from: `Ann Customer <${from}>`,
      to: 'support@ipcc.local',
      subject,
      text: `Hello, a question about my invoice ${tag}.`,
      html:
        `<p>Hello, a question about my <b>invoice</b> ${tag}.</p>` +
        '<script>window.__inboxPwned = "script"; try { parent.__inboxPwned = "script"; } catch (e) {}</script>' +
        `<p><img src="${imageUrl}" alt="banner" width="360" height="48"></p>` +
        '<img src="x" onerror="window.__inboxPwned = \'onerror\'">' +
        '<p>Best regards,<br>Ann</p>',
      attachments: [{ filename: fileName, content: attachment, contentType: 'application/octet-stream' }],
    });
    const stored = await eventually(
      'the stored e-mail',
      () =>
        mongo
          .db()
          .collection('messages')
          .findOne({ subject, direction: 'inbound' })
          .then((d) => d ?? undefined),
      20_000,
    );
    const contactId = String(stored.interactionId);

    const card = offerCard(page, STRINGS.taskChannelEmail, from);
    await card.waitFor({ timeout: 30_000 }).catch((e: Error) => {
      throw new Error(e.message + why());
    });
    expect(await card.getByText(subject).isVisible()).to.equal(true);
    await card.getByRole('button', { name: STRINGS.accept, exact: true }).click();

    const conv = conversation(page, STRINGS.taskChannelEmail);
    await conv.waitFor({ timeout: 15_000 });
    const frame = conv.frameLocator(`iframe[title="${STRINGS.mailBody(subject)}"]`);
    await frame
      .getByText(`a question about my invoice ${tag}`)
      .waitFor({ timeout: 15_000 })
      .catch((e: Error) => {
        throw new Error(e.message + why());
      });
    // The script and the handler are gone (DOMPurify) and nothing ran: in the frame nor in the page.
    expect(await frame.locator('script').count()).to.equal(0);
    expect(await frame.locator('[onerror]').count()).to.equal(0);
    expect(await page.evaluate(() => (window as unknown as { __inboxPwned?: string }).__inboxPwned)).to.equal(
      undefined,
    );
    const mailFrame = page.frames().find((f) => f.url() === 'about:srcdoc');
    expect(mailFrame, 'the mail body frame').to.not.equal(undefined);
    const sandbox = (await conv.locator('iframe').getAttribute('sandbox')) ?? '';
    expect(sandbox.split(' ')).to.not.include.members(['allow-scripts', 'allow-same-origin']);
    // The frame runs no script of its own; the page's test driver can still read its window.
    const inFrame = await mailFrame!.evaluate(
      () => (window as unknown as { __inboxPwned?: string }).__inboxPwned,
    );
    expect(inFrame, 'global set by the mail in its frame').to.equal(undefined);
    // No request for the remote image until the agent asks for it, then exactly one.
    await page.waitForTimeout(1500);
    expect(
      images!.hits.filter((h) => h.includes(tag)),
      'image requests before "Show images"',
    ).to.deep.equal([]);
    await conv.getByRole('button', { name: STRINGS.showImages, exact: true }).click();
    await eventually('the image requested', () => images!.hits.some((h) => h.includes(tag)), 10_000);
    await page.waitForTimeout(1000);
    expect(images!.hits.filter((h) => h.includes(tag))).to.have.length(1);
    await frame.getByRole('img', { name: 'banner' }).waitFor();

    // The attachment, fetched with the agent's token, downloads with the same bytes.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      conv.getByRole('button', { name: STRINGS.downloadFile(fileName), exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).to.equal(fileName);
    const got = await fs.readFile(await download.path());
    expect(got.equals(attachment), `downloaded ${got.length} bytes`).to.equal(true);

    // The reply, with the quote of the customer's message.
    const reply = conv.getByRole('region', { name: STRINGS.replyHeading, exact: true });
    // A template fills the text (the agent then writes its own), and a file goes with the reply.
    const template = templates.get('email')!;
    await reply.getByLabel(STRINGS.replyTemplate).selectOption({ label: template.name });
    expect(await reply.getByLabel(STRINGS.replyText).inputValue()).to.equal(template.text);
    await reply.getByLabel(STRINGS.replyText).fill(`Thank you, Ann: your invoice ${tag} is paid.`);
    const receipt = Buffer.from(`receipt ${tag}\n`);
    await reply.getByLabel(STRINGS.attachFiles).setInputFiles({
      name: `receipt-${tag}.txt`,
      mimeType: 'text/plain',
      buffer: receipt,
    });
    await reply.getByRole('list', { name: STRINGS.chosenFiles }).getByText(`receipt-${tag}.txt`).waitFor();
    expect(await reply.getByRole('checkbox', { name: STRINGS.quoteLast }).isChecked()).to.equal(true);
    await shot(page, 'inbox-email');
    await reply.getByRole('button', { name: STRINGS.sendReply, exact: true }).click();
    // Queued, unless ISAG sent it before the page looked: the line follows the reply itself.
    await reply
      .getByRole('status')
      .getByText(new RegExp(`^(${escaped(STRINGS.replyQueued)}|${escaped(STRINGS.replySent)})$`))
      .waitFor({ timeout: 10_000 });
    const sent = await eventually(
      'the reply stored sent',
      () =>
        mongo
          .db()
          .collection('messages')
          .findOne({ interactionId: contactId, direction: 'outbound' })
          .then((d) => (d?.status === 'sent' || d?.status === 'failed' ? d : undefined)),
      30_000,
    );
    expect(sent.status, String(sent.statusReason)).to.equal('sent');
    expect(sent.subject).to.equal(`Re: ${subject}`);
    expect(String(sent.text)).to.include(`your invoice ${tag} is paid`);
    expect(String(sent.text)).to.include(`> Hello, a question about my invoice ${tag}.`);
    const files = (sent.attachments as Array<{ name: string; size: number }>).map((a) => [a.name, a.size]);
    expect(files).to.deep.equal([[`receipt-${tag}.txt`, receipt.length]]);
    await conv.getByText(STRINGS.msgSent, { exact: true }).waitFor({ timeout: 30_000 });
    // The queued line does not outlive the reply's sending.
    await reply.getByRole('status').getByText(STRINGS.replySent, { exact: true }).waitFor({ timeout: 5_000 });

    // The customer answers our reply: ISAG threads it into the task by In-Reply-To, CTI tells the page
    // (task-message) and the open thread shows it without a click.
    const ours = `<${String(sent.messageId).replace(/^<|>$/g, '')}>`;
    await mailer.sendMail({
      from: `Ann Customer <${from}>`,
      to: 'support@ipcc.local',
      subject: `Re: ${subject}`,
      inReplyTo: ours,
      references: [ours],
      text: `Thanks, received ${tag}.`,
    });
    await conv
      .getByRole('article')
      .getByText(`Thanks, received ${tag}.`)
      .waitFor({ timeout: 20_000 })
      .catch((e: Error) => {
        throw new Error(e.message + why());
      });
    expect(await conv.getByRole('article').count(), 'customer, reply, customer').to.equal(3);

    await completeTask(conv);
  });

  it('an SMS over the neutral webhook: offer, chat, reply through the provider, Complete', async () => {
    const page = desktop!.page;
    const number = `+1555${randomInt(1_000_000, 9_999_999)}`;
    const tag = randomInt(100_000, 999_999);
    const secret = process.env.ISAG_SMS_SECRET;
    if (!secret) throw new Error('ISAG_SMS_SECRET is not set: run after `source scripts/lib.sh && load_env`');
    const body = Buffer.from(
      JSON.stringify({ from: number, to: '+15550100', text: `Is my order ${tag} on its way?` }),
    );
    const res = await fetch(`${ISAG_HTTP}/sms/inbound`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-ipcc-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      },
    });
    expect(res.status, await res.text()).to.be.within(200, 299);

    const card = offerCard(page, STRINGS.taskChannelSms, number);
    await card.waitFor({ timeout: 30_000 }).catch((e: Error) => {
      throw new Error(e.message + why());
    });
    await card.getByRole('button', { name: STRINGS.accept, exact: true }).click();
    const conv = conversation(page, STRINGS.taskChannelSms);
    const chat = conv.getByRole('log', { name: STRINGS.smsThread(number) });
    await chat.getByText(`Is my order ${tag} on its way?`).waitFor({ timeout: 15_000 });

    const reply = conv.getByRole('region', { name: STRINGS.smsReplyHeading, exact: true });
    // The template's text is the whole reply: chosen, not typed.
    const text = templates.get('sms')!.text;
    await reply.getByLabel(STRINGS.replyTemplate).selectOption({ label: templates.get('sms')!.name });
    expect(await reply.getByLabel(STRINGS.smsText).inputValue()).to.equal(text);
    await reply.getByText(STRINGS.smsCounter(String(text.length), '1600')).waitFor();
    await reply.getByRole('button', { name: STRINGS.sendReply, exact: true }).click();
    await eventually(
      'the reply at the provider',
      () => provider!.bodies.some((b) => b.includes(text)),
      20_000,
    );
    const posted = JSON.parse(provider!.bodies.find((b) => b.includes(text)) ?? '{}') as Record<
      string,
      unknown
    >;
    expect(posted).to.deep.include({ to: number, from: '+15550100', text });
    await chat.getByText(text).waitFor({ timeout: 10_000 });
    await chat.getByText(STRINGS.msgSent, { exact: true }).waitFor({ timeout: 30_000 });
    await reply.getByRole('status').getByText(STRINGS.replySent, { exact: true }).waitFor({ timeout: 5_000 });
    expect(await reply.getByRole('status').textContent()).to.equal(STRINGS.replySent);
    await shot(page, 'inbox-sms');

    await completeTask(conv);
  });

  it('a fax of 3 pages: offer, the PDF with its page count and status, Open and Download, Complete', async () => {
    const page = desktop!.page;
    const from = `1557${randomInt(100_000, 999_999)}`;
    const work = mkdtempSync(path.join(tmpdir(), 'ipcc-inbox-fax-'));
    const fax = faxInChroot(work, 'inbox-fax');
    try {
      await sendFax(from, fax.inside);
      const card = offerCard(page, STRINGS.taskChannelFax, from);
      await card.waitFor({ timeout: 150_000 }).catch((e: Error) => {
        throw new Error(e.message + why());
      });
      await card.getByRole('button', { name: STRINGS.accept, exact: true }).click();
      const conv = conversation(page, STRINGS.taskChannelFax);
      const item = conv.getByRole('article', { name: STRINGS.faxFrom(from) });
      await item.waitFor({ timeout: 15_000 });
      expect(await item.locator('dd.fax-pages').textContent()).to.equal('3');
      expect(await item.locator('dd.fax-status').textContent()).to.equal(STRINGS.faxReceived);
      const name = (await item.getByRole('button', { name: /^Download / }).getAttribute('aria-label')) ?? '';
      const file = name.replace(STRINGS.downloadFile(''), '');
      const [popup] = await Promise.all([
        page.waitForEvent('popup'),
        item.getByRole('button', { name: STRINGS.openFile(file), exact: true }).click(),
      ]);
      expect(popup.url()).to.match(/^blob:/);
      await popup.close();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        item.getByRole('button', { name: STRINGS.downloadFile(file), exact: true }).click(),
      ]);
      const saved = path.join(work, 'got.pdf');
      await download.saveAs(saved);
      expect(pdfinfoPages(saved)).to.equal(3);
      await shot(page, 'inbox-fax');
      await completeTask(conv);
    } finally {
      rmSync(work, { recursive: true, force: true });
      rmSync(fax.outside, { force: true });
    }
  });
});
