import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Db, MongoClient } from 'mongodb';
import type { MessageDoc } from '../../../isag/core/types';
import { parseSpoolEntry } from '../../../isag/sms/spool-file';
import { ari } from '../../support/ari';
import { eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { mongoUri, requireSystem } from '../../support/servers';
import { sendSipSms } from '../../support/sip-messages';
import { SmsTestQueue } from '../../support/sms-queue';

const root = path.resolve(__dirname, '..', '..', '..');
const OPS = `http://${process.env.OPS_HOST ?? '127.0.0.1'}:${process.env.ISAG_OPS_PORT ?? 9465}`;
const SPOOL =
  process.env.ISAG_SMS_SPOOL_DIR ??
  `${process.env.IPCC_CHROOT ?? '/var/lib/ipcc/sid'}/var/spool/asterisk/sms`;

function services(action: 'stop' | 'start'): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      ['scripts/services.sh', action, 'isag'],
      { cwd: root, timeout: 60_000 },
      (err, _o, stderr) =>
        err ? reject(new Error(`services.sh ${action} isag: ${err.message}\n${stderr}`)) : resolve(),
    );
  });
}

const ready = () =>
  fetch(`${OPS}/health/ready`).then(
    (r) => r.ok,
    () => false,
  );

/** The spooled MESSAGEs' bodies (what the dialplan wrote and ISAG has not taken yet). */
const spooledBodies = () =>
  readdirSync(SPOOL)
    .filter((n) => n.endsWith('.sms'))
    .map((n) => parseSpoolEntry(readFileSync(path.join(SPOOL, n), 'latin1')))
    .flatMap((p) => (p.kind === 'ok' ? [p.message.body] : []));

/**
 * Asterisk answers a MESSAGE itself, 202 before any handler runs (docs/sms.md); the dialplan puts it in
 * the spool first thing. So a MESSAGE that comes while ISAG is stopped is accepted, waits on disk, and
 * is stored (with its task) once ISAG is back: not refused, and not lost.
 */
describe('ISAG SMS: a SIP MESSAGE while ISAG is stopped waits in the spool and is stored on start', function () {
  this.timeout(120_000);
  const tag = randomUUID().slice(0, 8);
  const queue = new SmsTestQueue(tag);
  const customer = `+1555032${String(Date.now() % 100_000).padStart(5, '0')}`;
  let mongo: MongoClient;
  let db: Db;

  before(async () => {
    await requireSystem(['asterisk', 'docstore']);
    expect(await ready(), 'ISAG /health/ready').to.equal(true);
    mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    await mongo.connect();
    db = mongo.db();
    await queue.create();
  });

  after(async () => {
    if (!(await ready())) {
      await services('start');
      await eventually('ISAG ready again', ready, 60_000);
    }
    await queue.remove(db, [customer]);
    await mongo?.close();
  });

  it('answers 202 while ISAG is stopped, keeps the MESSAGE in the spool, and stores it once on start', async () => {
    const text = `while ISAG is stopped ${tag}`;
    await services('stop');
    expect(await ari.applicationNames()).to.not.include('isag-sms');
    const { sent } = await sendSipSms({
      service: queue.number,
      localPort: 5173,
      messages: [{ customer, text }],
      rate: 1,
      timeoutSec: 10,
    });
    expect(sent.map((s) => s.answer)).to.deep.equal(['202 Accepted']);
    expect(spooledBodies()).to.include(text);

    await services('start');
    await eventually('ISAG ready again', ready, 60_000);
    const msg = await eventually(
      'the spooled MESSAGE stored',
      async () =>
        (await db.collection<MessageDoc>('messages').findOne({ text, direction: 'inbound' })) ?? undefined,
      30_000,
    );
    expect(msg).to.deep.include({ via: 'sip', to: [queue.number], messageId: `sip:${sent[0]?.callId}/1` });
    expect(await db.collection('messages').countDocuments({ text })).to.equal(1);
    expect(
      await db
        .collection('isagOutbox')
        .countDocuments({ 'message.contactId': msg.interactionId, kind: 'TaskCreated' }),
    ).to.equal(1);
    await eventually('its spool file removed', () => !spooledBodies().includes(text), 10_000);
    // One inbound path: ISAG's app is back, holding no endpoint subscription (Asterisk's ARI handler
    // would otherwise take every MESSAGE beside the dialplan).
    await eventually(
      'ISAG app registered',
      async () => (await ari.applicationNames()).includes('isag-sms'),
      30_000,
    );
    const app = await ari.get<{ endpoint_ids: string[] }>('/applications/isag-sms');
    expect(app.endpoint_ids).to.deep.equal([]);
  });
});
