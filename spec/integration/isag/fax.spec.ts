import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GridFSBucket, MongoClient, ObjectId } from 'mongodb';
import { EXCHANGES } from '../../../lib/bus/topology';
import { ari } from '../../support/ari';
import { BusObserver, eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { faxTiff, intoChroot, pdfinfoPages, sendFax, textPdf } from '../../support/fax';
import { mongoUri, requireSystem } from '../../support/servers';

/**
 * Fax on real parts (docs/fax.md): Asterisk itself is the fax machine. An ARI originate dials the fax
 * number over SIP to Asterisk's own address (PJSIP/outside/sip:7000@127.0.0.1:5060), so the call comes
 * in as any caller's does (anonymous endpoint, [from-customers], [acd], [fax-in], ReceiveFAX); the
 * originated leg runs [fax-send], SendFAX of a TIFF made here from a known 3-page PDF. ISAG's watcher
 * turns the received TIFF into a PDF, a `messages` document and a TaskCreated on cc.tasks.
 */
const chroot = process.env.IPCC_CHROOT ?? '/var/lib/ipcc/sid';
const spool = process.env.ISAG_FAX_DIR ?? path.join(chroot, 'var/spool/asterisk/fax');

interface FaxMessage {
  _id: string;
  interactionId: string;
  from: string;
  status: string;
  statusReason?: string;
  pages?: number;
  attachments: Array<{ fileId: string; name: string; contentType: string; size: number }>;
}

/** Pages whose directory a TIFF being written already has (walks the IFD chain as far as it goes). */
function tiffPages(buf: Buffer): number {
  if (buf.length < 8) return 0;
  const le = buf.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const seen = new Set<number>();
  let offset = u32(4);
  let pages = 0;
  while (offset !== 0 && offset + 2 <= buf.length && !seen.has(offset)) {
    seen.add(offset);
    const next = offset + 2 + u16(offset) * 12;
    if (next + 4 > buf.length) break;
    pages++;
    offset = u32(next);
  }
  return pages;
}

const root = path.resolve(__dirname, '..', '..', '..');
const runDir = process.env.IPCC_RUN ?? path.join(root, '.run');
const pidFile = (name: string) => path.join(runDir, 'pids', name);

/** kill -9 of ISAG with its supervisor (the process group), as a crash of its unit would. */
function crashIsag(): void {
  const pid = Number(readFileSync(pidFile('isag.pid'), 'utf8').trim());
  process.kill(-pid, 'SIGKILL');
  rmSync(pidFile('isag.pid'), { force: true });
  rmSync(pidFile('isag.child.pid'), { force: true });
}

function startIsag(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      ['scripts/services.sh', 'start', 'isag'],
      { cwd: root, timeout: 60_000 },
      (err, _out, stderr) =>
        err ? reject(new Error(`services.sh start isag: ${err.message}\n${stderr}`)) : resolve(),
    );
  });
}

async function channelGone(id: string): Promise<boolean> {
  const channels = await ari.get<Array<{ id: string }>>('/channels');
  return !channels.some((c) => c.id === id);
}

describe('fax in: ReceiveFAX, a PDF and a task (docs/fax.md)', function () {
  this.timeout(240_000);
  let mongo: MongoClient;
  let bus: BusObserver;
  let work: string;
  const chrootFiles: string[] = [];

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'cti']);
    const ready = await fetch(`http://127.0.0.1:${process.env.ISAG_OPS_PORT ?? '9465'}/health/ready`).catch(
      (err: unknown) => err as Error,
    );
    if (ready instanceof Error || !ready.ok) throw new Error('required server missing: isag (health/ready)');
    mongo = new MongoClient(mongoUri());
    await mongo.connect();
    bus = new BusObserver();
    await bus.start([EXCHANGES.tasks]);
    work = mkdtempSync(path.join(tmpdir(), 'ipcc-fax-spec-'));
  });
  after(async () => {
    // A test that failed while ISAG was down leaves it started for the next spec.
    if (!existsSync(pidFile('isag.pid'))) await startIsag();
    await bus.stop();
    await mongo.close();
    rmSync(work, { recursive: true, force: true });
    for (const f of chrootFiles) rmSync(f, { force: true });
  });

  /** The TIFF where Asterisk can read it (inside its chroot), as the path Asterisk knows. */
  function inChroot(tiff: string, name: string): string {
    const { inside, outside } = intoChroot(tiff, name);
    chrootFiles.push(outside);
    return inside;
  }

  /** A PDF of `pages` pages of text, and the fax TIFF made of it. */
  function makeFax(pages: number): { pdf: string; tiff: string } {
    const pdf = textPdf(work, pages, (n) => `ipcc fax test, page ${n} of ${pages}`);
    return { pdf, tiff: faxTiff(pdf, path.join(work, 'doc.tif')) };
  }

  const faxFrom = (from: string) =>
    mongo.db().collection<FaxMessage>('messages').findOne({ channel: 'fax', from, direction: 'inbound' });

  function tasksFor(contactId: string) {
    return bus.seen.filter((s) => s.routingKey === 'task.created' && s.body.contactId === contactId);
  }

  it('a 3-page fax reaches a task once, with a PDF of 3 pages', async () => {
    const { pdf, tiff } = makeFax(3);
    expect(pdfinfoPages(pdf)).to.equal(3);
    const from = `1555${randomInt(100000, 999999)}`;
    const started = Date.now();
    const sender = await sendFax(from, inChroot(tiff, 'fax3'));
    await eventually('the sender to finish', () => channelGone(sender), 180_000);
    const m = await eventually('the fax message', () => faxFrom(from).then((d) => d ?? undefined), 30_000);
    const sentMs = Date.now() - started;
    expect(m.status, m.statusReason).to.equal('received');
    expect(m.pages).to.equal(3);
    expect(m.attachments).to.have.length(1);
    expect(m.attachments[0]?.contentType).to.equal('application/pdf');

    const file = path.join(work, 'received.pdf');
    const chunks: Buffer[] = [];
    for await (const c of new GridFSBucket(mongo.db(), { bucketName: 'attachments' }).openDownloadStream(
      new ObjectId(m.attachments[0]?.fileId),
    ))
      chunks.push(c as Buffer);
    writeFileSync(file, Buffer.concat(chunks));
    expect(pdfinfoPages(file)).to.equal(3);

    await eventually('TaskCreated on cc.tasks', () => tasksFor(m.interactionId).length > 0, 15_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(tasksFor(m.interactionId)).to.have.length(1);
    expect(tasksFor(m.interactionId)[0]?.body).to.deep.include({
      channel: 'fax',
      from,
      to: '7000',
      queueId: 'fax',
    });
    const interaction = await mongo
      .db()
      .collection('interactions')
      .findOne({ _id: m.interactionId as never });
    expect(interaction?.channel).to.equal('fax');
    // The spool keeps nothing of a fax once it is stored.
    const left = readdirSync(spool).filter((n) => n.endsWith('.status'));
    expect(left).to.deep.equal([]);
    console.log(`      fax of 3 pages: sent, received and stored in ${sentMs} ms`);
  });

  it('a sender that hangs up after the first page: a task, failed, with the pages and the reason', async () => {
    const { tiff } = makeFax(3);
    const from = `1556${randomInt(100000, 999999)}`;
    const before = new Set(readdirSync(spool));
    const sender = await sendFax(from, inChroot(tiff, 'fax3-cut'));
    // Hang up once the receiving side has written its first page: ReceiveFAX's TIFF gains a directory.
    await eventually(
      'the first page received',
      () =>
        readdirSync(spool).some((n) => {
          if (!n.endsWith('.tif') || before.has(n)) return false;
          const f = path.join(spool, n);
          return existsSync(f) && tiffPages(readFileSync(f)) >= 1;
        }),
      120_000,
    );
    await fetch(`${process.env.ARI_URL ?? 'http://127.0.0.1:8088'}/ari/channels/${sender}`, {
      method: 'DELETE',
      headers: {
        authorization: `Basic ${Buffer.from(`${process.env.ARI_USER ?? ''}:${process.env.ARI_PASSWORD ?? ''}`).toString('base64')}`,
      },
    });
    // The intake stores every message as received; the fax part sets a partial one failed right after.
    const m = await eventually(
      'the fax message, failed',
      () => faxFrom(from).then((d) => (d?.status === 'failed' ? d : undefined)),
      30_000,
    );
    expect(m.pages).to.be.at.least(1).and.below(3);
    expect(m.statusReason).to.match(/^partial fax: \d pages? received; [A-Za-z]/);
    expect(m.attachments).to.have.length(1);
    await eventually('TaskCreated on cc.tasks', () => tasksFor(m.interactionId).length > 0, 15_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(tasksFor(m.interactionId)).to.have.length(1);
    console.log(`      cut fax: ${m.pages} page(s), reason "${m.statusReason}"`);
  });

  it('a fax that arrives while ISAG is down is a task once ISAG is back (the scan at start)', async () => {
    const { tiff } = makeFax(1);
    const from = `1557${randomInt(100000, 999999)}`;
    crashIsag();
    const sender = await sendFax(from, inChroot(tiff, 'fax1-down'));
    await eventually('the sender to finish', () => channelGone(sender), 120_000);
    const waiting = readdirSync(spool).filter((n) => n.endsWith('.status'));
    expect(waiting).to.have.length(1);
    expect(await faxFrom(from)).to.equal(null);
    await startIsag();
    const m = await eventually('the fax message', () => faxFrom(from).then((d) => d ?? undefined), 30_000);
    expect(m.status, m.statusReason).to.equal('received');
    expect(m.pages).to.equal(1);
    await eventually('TaskCreated on cc.tasks', () => tasksFor(m.interactionId).length > 0, 15_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(tasksFor(m.interactionId)).to.have.length(1);
    expect(readdirSync(spool).filter((n) => n.endsWith('.status') || n.endsWith('.tif'))).to.deep.equal([]);
  });
});
