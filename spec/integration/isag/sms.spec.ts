import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import amqplib from 'amqplib';
import { type Db, MongoClient } from 'mongodb';
import type { InteractionDoc, MessageDoc } from '../../../isag/core/types';
import { neutralSignature, neutralSignatureValid, twilioSignature } from '../../../isag/sms/signature';
import { EXCHANGES, routingKeys } from '../../../lib/bus/topology';
import { ari } from '../../support/ari';
import { AsApi } from '../../support/as-api';
import { demoPassword } from '../../support/browser';
import { BusObserver, eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { sipp } from '../../support/sipp';
import { amqpUrl, mongoUri, requireSystem } from '../../support/servers';

const WEBHOOK = `http://127.0.0.1:${process.env.ISAG_HTTP_PORT ?? 8095}`;
const OPS = `http://${process.env.OPS_HOST ?? '127.0.0.1'}:${process.env.ISAG_OPS_PORT ?? 9465}`;
/** The provider's send API as ISAG's defaults name it (ISAG_SMS_PROVIDER_URL, ISAG_TWILIO_URL). */
const PROVIDER_PORT = 8097;
const SID = process.env.ISAG_TWILIO_ACCOUNT_SID ?? 'AC00000000000000000000000000000000';
const secret = () => process.env.ISAG_SMS_SECRET ?? '';
const twilioToken = () => process.env.ISAG_TWILIO_AUTH_TOKEN ?? '';

/** One request that reached the stand-in of the provider's API (the boundary of this test). */
interface ProviderHit {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A number no other run uses: +1555 and seven digits. */
const number = (seed: number) => `+1555${String((Date.now() + seed) % 10_000_000).padStart(7, '0')}`;

function postNeutral(body: Record<string, unknown>, signature?: string) {
  const raw = JSON.stringify(body);
  return fetch(`${WEBHOOK}/sms/inbound`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-ipcc-signature': signature ?? neutralSignature(secret(), Buffer.from(raw)),
    },
    body: raw,
  });
}

function postTwilio(fields: Record<string, string>, token = twilioToken()) {
  const url = `${WEBHOOK}/sms/twilio`;
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(token, url, new Map(Object.entries(fields))),
    },
    body: new URLSearchParams(fields).toString(),
  });
}

/**
 * Issue 14, SMS, on the running system: the two webhooks and SIP MESSAGE through Asterisk each store the
 * message and announce one task; replies leave the way the conversation came, to a real SIP peer
 * (sipp) and to the provider's API (a local HTTP listener in its place). The spec's queue is made
 * through the AS with its own number and a skill no agent has, so its tasks are never offered.
 */
describe('ISAG SMS: webhooks and SIP MESSAGE to stored tasks, replies back the same way', function () {
  this.timeout(120_000);
  const tag = randomUUID().slice(0, 8);
  const queue = `isag-sms-${tag}`;
  const ours = number(0);
  const bus = new BusObserver();
  const hits: ProviderHit[] = [];
  let provider: http.Server;
  let amqp: amqplib.ChannelModel;
  let publisher: amqplib.ConfirmChannel;
  let mongo: MongoClient;
  let db: Db;
  let admin: AsApi;
  const customers: string[] = [];
  const customer = (seed: number) => {
    const n = number(seed * 7919 + 13);
    customers.push(n);
    return n;
  };

  const messages = () => db.collection<MessageDoc>('messages');
  const created = (contactId: string) =>
    bus.seen.filter((s) => s.body.type === 'TaskCreated' && s.body.contactId === contactId);
  const updated = (contactId: string) =>
    bus.seen.filter((s) => s.body.type === 'TaskUpdated' && s.body.contactId === contactId);

  /** What the AS does for an agent's reply: the outbound message (queued), then SendReply. */
  async function reply(interactionId: string, to: string, text: string): Promise<string> {
    const id = randomUUID();
    await messages().insertOne({
      _id: id,
      interactionId,
      channel: 'sms',
      direction: 'outbound',
      from: ours,
      to: [to],
      text,
      attachments: [],
      status: 'queued',
      createdAt: new Date(),
      agentId: 'spec',
    });
    const command = {
      id: randomUUID(),
      contactId: interactionId,
      source: { service: 'as', instance: 'spec' },
      at: new Date().toISOString(),
      v: 1,
      type: 'SendReply',
      messageId: id,
    };
    publisher.publish(EXCHANGES.commands, routingKeys.isagReply, Buffer.from(JSON.stringify(command)), {
      persistent: true,
      contentType: 'application/json',
    });
    await publisher.waitForConfirms();
    return id;
  }

  const status = async (id: string) => (await messages().findOne({ _id: id }))?.status;

  before(async () => {
    await requireSystem(['rabbitmq', 'docstore', 'asterisk']);
    const ready = await fetch(`${OPS}/health/ready`).catch(() => undefined);
    expect(ready?.status, 'ISAG /health/ready (bash scripts/services.sh start isag)').to.equal(200);
    expect(await ari.applicationNames(), 'ISAG Stasis app for SIP MESSAGE').to.include('isag-sms');
    expect(secret(), 'ISAG_SMS_SECRET (load_env)').to.not.equal('');
    mongo = new MongoClient(mongoUri());
    await mongo.connect();
    db = mongo.db();
    await bus.start([EXCHANGES.tasks]);
    amqp = await amqplib.connect(amqpUrl());
    publisher = await amqp.createConfirmChannel();
    provider = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hits.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(req.url?.startsWith('/2010-04-01/') ? 201 : 200, {
          'content-type': 'application/json',
        });
        res.end('{"status":"queued"}');
      });
    });
    await new Promise<void>((resolve, reject) => {
      provider.once('error', reject);
      provider.listen(PROVIDER_PORT, '127.0.0.1', resolve);
    });
    admin = await AsApi.signIn('admin', await demoPassword());
    await admin.ok('POST', '/api/v1/queues', {
      name: queue,
      channel: 'sms',
      addresses: [ours],
      skills: [{ name: `nobody-${tag}`, minLevel: 10 }],
      queueTimeoutSec: 0,
      serviceLevelSec: 14_400,
    });
    // ISAG reads the new number on the AS's ConfigChanged: until then a message to it is quarantined.
    const probe = customer(99);
    await eventually(
      'ISAG to route the new SMS number',
      async () => {
        const res = await postNeutral({ from: probe, to: ours, text: 'probe' });
        const body = (await res.json()) as { status?: string };
        return body.status === 'created' || body.status === 'joined';
      },
      15_000,
    );
  });

  after(async () => {
    await bus.stop();
    await new Promise((r) => provider?.close(r));
    await amqp?.close();
    if (db !== undefined) {
      const mine = { $or: [{ from: { $in: customers } }, { to: ours }] };
      const ids = [...new Set((await messages().find(mine).toArray()).map((m) => m.interactionId))];
      await messages().deleteMany({ $or: [mine, { interactionId: { $in: ids } }] });
      await db.collection<InteractionDoc>('interactions').deleteMany({ _id: { $in: ids } });
      await db.collection('isagOutbox').deleteMany({ 'message.contactId': { $in: ids } });
      await db.collection<{ _id: string }>('smsOptOuts').deleteMany({ _id: { $in: customers } });
    }
    await admin?.request('DELETE', `/api/v1/queues/${queue}`);
    await mongo?.close();
  });

  it('stores a signed neutral webhook before answering 200, and announces one TaskCreated', async () => {
    const from = customer(1);
    const res = await postNeutral({ from, to: ours, text: 'Where is my parcel?', id: `n-${tag}` });
    expect(res.status).to.equal(200);
    const body = (await res.json()) as { status: string; messageId: string; interactionId: string };
    expect(body.status).to.equal('created');
    // Read at once: what the 200 promised is stored.
    const msg = await messages().findOne({ _id: body.messageId });
    expect(msg).to.deep.include({
      from,
      to: [ours],
      text: 'Where is my parcel?',
      via: 'webhook',
      provider: 'neutral',
    });
    const interaction = await db
      .collection<InteractionDoc>('interactions')
      .findOne({ _id: body.interactionId });
    expect(interaction).to.deep.include({ channel: 'sms', from, queueId: queue });
    await eventually('TaskCreated', () => created(body.interactionId).length === 1);
    expect(created(body.interactionId)[0]?.body).to.deep.include({
      channel: 'sms',
      messageId: body.messageId,
    });

    // The provider retries the same message id: stored once, answered 200 again, no second task.
    const again = await postNeutral({ from, to: ours, text: 'Where is my parcel?', id: `n-${tag}` });
    expect(again.status).to.equal(200);
    expect(await again.json()).to.deep.include({ status: 'duplicate', messageId: body.messageId });
    expect(await messages().countDocuments({ from, direction: 'inbound' })).to.equal(1);

    // The next message while the task is open joins it; after TaskCompleted the next one opens a new one.
    const next = (await (await postNeutral({ from, to: ours, text: 'Any news?' })).json()) as typeof body;
    expect(next).to.deep.include({ status: 'joined', interactionId: body.interactionId });
    await eventually('TaskUpdated', () => updated(body.interactionId).length === 1);
    const completed = {
      id: randomUUID(),
      contactId: body.interactionId,
      source: { service: 'cti', instance: 'spec' },
      at: new Date().toISOString(),
      v: 1,
      type: 'TaskCompleted',
      agentId: 'spec',
    };
    publisher.publish(EXCHANGES.tasks, routingKeys.task('completed'), Buffer.from(JSON.stringify(completed)));
    await publisher.waitForConfirms();
    await eventually('the conversation to close', async () => {
      const i = await db
        .collection<InteractionDoc & { endedAt?: Date }>('interactions')
        .findOne({ _id: body.interactionId });
      return i?.endedAt !== undefined;
    });
    const later = (await (await postNeutral({ from, to: ours, text: 'Me again' })).json()) as typeof body;
    expect(later.status).to.equal('created');
    expect(later.interactionId).to.not.equal(body.interactionId);
    expect(created(body.interactionId)).to.have.length(1);
  });

  it('stores a Twilio webhook (form fields, X-Twilio-Signature) and answers TwiML', async () => {
    const from = customer(2);
    const sid = `SM${tag}${tag}`;
    const res = await postTwilio({
      MessageSid: sid,
      AccountSid: SID,
      From: from,
      To: ours,
      Body: 'Hi from Twilio',
      NumMedia: '0',
    });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/xml/);
    const msg = await messages().findOne({ from, direction: 'inbound' });
    expect(msg).to.deep.include({
      text: 'Hi from Twilio',
      via: 'webhook',
      provider: 'twilio',
      messageId: `twilio:${sid}`,
    });
    await eventually('TaskCreated', () => msg !== null && created(msg.interactionId).length === 1);
    const again = await postTwilio({
      MessageSid: sid,
      AccountSid: SID,
      From: from,
      To: ours,
      Body: 'Hi from Twilio',
      NumMedia: '0',
    });
    expect(again.status).to.equal(200);
    expect(await messages().countDocuments({ from, direction: 'inbound' })).to.equal(1);
  });

  it('refuses forged signatures (403) and unknown fields (400), storing nothing', async () => {
    const from = customer(3);
    const forged = await postNeutral(
      { from, to: ours, text: 'x' },
      neutralSignature('guess', Buffer.from('{}')),
    );
    const unsigned = await fetch(`${WEBHOOK}/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, to: ours, text: 'x' }),
    });
    const forgedTwilio = await postTwilio(
      { MessageSid: `SMf${tag}`, From: from, To: ours, Body: 'x' },
      'not-the-token',
    );
    expect([forged.status, unsigned.status, forgedTwilio.status]).to.deep.equal([403, 403, 403]);
    const unknown = await postNeutral({ from, to: ours, text: 'x', priority: 'high' });
    expect(unknown.status).to.equal(400);
    expect(((await unknown.json()) as { error: string }).error).to.match(/priority/);
    const unknownTwilio = await postTwilio({
      MessageSid: `SMu${tag}`,
      From: from,
      To: ours,
      Body: 'x',
      Smuggled: '1',
    });
    expect(unknownTwilio.status).to.equal(400);
    expect(await unknownTwilio.json()).to.deep.equal({ error: 'unknown field "Smuggled"' });
    expect(await messages().countDocuments({ from })).to.equal(0);
  });

  it('records STOP, confirms it once through the provider, refuses replies, and START lifts it', async () => {
    const from = customer(4);
    const first = (await (await postNeutral({ from, to: ours, text: 'Hello' })).json()) as {
      interactionId: string;
    };
    const before = hits.length;
    const stop = await postNeutral({ from, to: ours, text: 'STOP' });
    expect(await stop.json()).to.deep.equal({ status: 'opted-out', confirmed: true });
    expect(await db.collection<{ _id: string }>('smsOptOuts').findOne({ _id: from })).to.deep.include({
      keyword: 'STOP',
    });
    expect(await (await postNeutral({ from, to: ours, text: 'stop' })).json()).to.deep.equal({
      status: 'opted-out',
      confirmed: false,
    });
    await eventually('the confirmation at the provider', () => hits.length > before);
    await new Promise((r) => setTimeout(r, 500));
    const confirmations = hits
      .slice(before)
      .filter(
        (h) => h.path === '/sms/send' && (JSON.parse(h.body.toString()) as { to?: string }).to === from,
      );
    expect(confirmations).to.have.length(1);
    const hit = confirmations[0];
    if (hit === undefined) return;
    expect(neutralSignatureValid(secret(), hit.body, hit.headers['x-ipcc-signature'] as string)).to.equal(
      true,
    );
    expect(JSON.parse(hit.body.toString())).to.deep.include({ from: ours, to: from });

    const refused = await reply(first.interactionId, from, 'Are you there?');
    await eventually('the reply to fail', async () => (await status(refused)) === 'failed');
    expect((await messages().findOne({ _id: refused }))?.statusReason).to.equal(
      'the customer opted out (STOP)',
    );

    expect(await (await postNeutral({ from, to: ours, text: 'START' })).json()).to.deep.equal({
      status: 'opted-in',
      confirmed: true,
    });
    expect(await db.collection<{ _id: string }>('smsOptOuts').countDocuments({ _id: from })).to.equal(0);
  });

  it('sends replies to the provider API the conversation came from (neutral JSON, Twilio form)', async () => {
    const neutralFrom = customer(5);
    const n = (await (await postNeutral({ from: neutralFrom, to: ours, text: 'Question' })).json()) as {
      interactionId: string;
    };
    const before = hits.length;
    const id = await reply(n.interactionId, neutralFrom, 'Answer one');
    await eventually('the neutral reply sent', async () => (await status(id)) === 'sent');
    const neutralHits = hits.slice(before).filter((h) => h.path === '/sms/send');
    expect(neutralHits).to.have.length(1);
    const hit = neutralHits[0];
    if (hit === undefined) return;
    expect(JSON.parse(hit.body.toString())).to.deep.equal({
      from: ours,
      to: neutralFrom,
      text: 'Answer one',
      id,
    });
    expect(neutralSignatureValid(secret(), hit.body, hit.headers['x-ipcc-signature'] as string)).to.equal(
      true,
    );

    const twilioFrom = customer(6);
    await postTwilio({ MessageSid: `SMr${tag}`, From: twilioFrom, To: ours, Body: 'Question' });
    const inbound = await messages().findOne({ from: twilioFrom, direction: 'inbound' });
    expect(inbound).to.not.equal(null);
    if (inbound === null) return;
    const mark = hits.length;
    const tid = await reply(inbound.interactionId, twilioFrom, 'Answer two');
    await eventually('the Twilio reply sent', async () => (await status(tid)) === 'sent');
    const twilioHits = hits.slice(mark);
    expect(twilioHits.map((h) => h.path)).to.deep.equal([`/2010-04-01/Accounts/${SID}/Messages.json`]);
    const t = twilioHits[0];
    if (t === undefined) return;
    expect(t.headers.authorization).to.equal(
      `Basic ${Buffer.from(`${SID}:${twilioToken()}`).toString('base64')}`,
    );
    expect(Object.fromEntries(new URLSearchParams(t.body.toString()))).to.deep.equal({
      From: ours,
      To: twilioFrom,
      Body: 'Answer two',
    });
  });

  it('takes a SIP MESSAGE from a real SIP peer to the store and a task, and the reply reaches the peer', async () => {
    const from = customer(7);
    const peerPort = 5172;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sms-sip-'));
    const trace = path.join(dir, 'peer.log');
    try {
      // One sipp is the customer's peer: it sends the MESSAGE (202 expected), then stays 10 s and answers
      // the MESSAGEs that come to it (the out-of-call scenario), tracing everything it saw.
      const peer = sipp('message-send.xml', {
        service: ours,
        localPort: peerPort,
        holdMs: 10_000,
        timeoutSec: 30,
        vars: { customer: from, text: `Hello over SIP ${tag}` },
        extra: [
          '-oocsf',
          path.resolve(__dirname, '../../sipp/message-receive.xml'),
          '-trace_msg',
          '-message_file',
          trace,
        ],
      });
      // Asterisk gives ISAG the From without its port: replies go to where the MESSAGE came from.
      const uri = `sip:${from}@127.0.0.1:${peerPort}`;
      const msg = await eventually(
        'the SIP MESSAGE stored',
        async () => (await messages().findOne({ from: uri, direction: 'inbound' })) ?? undefined,
      );
      expect(msg).to.deep.include({ text: `Hello over SIP ${tag}`, via: 'sip', to: [ours] });
      await eventually('TaskCreated', () => created(msg.interactionId).length === 1);

      const id = await reply(msg.interactionId, uri, `Reply over SIP ${tag}`);
      await eventually('the SIP reply marked sent', async () => (await status(id)) === 'sent');
      const run = await peer;
      expect(run.code, `sipp peer (202, then the reply): ${run.stderr}${run.stdout.slice(-600)}`).to.equal(0);
      const seen = readFileSync(trace, 'utf8');
      expect(seen).to.match(/^SIP\/2\.0 202 Accepted$/m);
      const arrived =
        seen.match(new RegExp(`^MESSAGE sip:\\${from}@127\\.0\\.0\\.1:${peerPort} SIP/2\\.0$`, 'gm')) ?? [];
      expect(arrived, 'MESSAGEs that reached the peer').to.have.length(1);
      expect(seen).to.contain(`Reply over SIP ${tag}`);
      expect(seen).to.match(new RegExp(`^From: <sip:\\${ours}@`, 'm'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
