import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { mongoUri } from '../../support/servers';
import { OPS_PORTS, type OpsService } from '../../../lib/ops/start';

/**
 * What the ISAG hostile-input suites watch besides the answers: the process (its child pid, its ops
 * health probe, its logs) and the store (every accepted case stored once, as a message or quarantined).
 */
const RUN_DIR = process.env.IPCC_RUN ?? path.resolve(__dirname, '..', '..', '..', '.run');

export const smtpHost = () => process.env.ISAG_SMTP_HOST ?? '127.0.0.1';
export const smtpPort = () => Number(process.env.ISAG_SMTP_PORT ?? 2525);
export const httpBase = () =>
  `http://${process.env.ISAG_HTTP_HOST ?? '127.0.0.1'}:${process.env.ISAG_HTTP_PORT ?? 8095}`;

/** GET /health/ready on a service's ops port (lib/ops): the status, 0 when it does not answer. */
export async function readyStatus(service: OpsService): Promise<number> {
  const { variable, port } = OPS_PORTS[service];
  try {
    const res = await fetch(
      `http://${process.env.OPS_HOST ?? '127.0.0.1'}:${process.env[variable] ?? port}/health/ready`,
      {
        signal: AbortSignal.timeout(3000),
      },
    );
    return res.status;
  } catch {
    return 0;
  }
}

export const isagReady = () => readyStatus('isag');

/** A service's own process (its supervisor restarts it under a new pid after a crash). */
export function childPid(service: OpsService): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(RUN_DIR, 'pids', `${service}.child.pid`), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const LOGS = ['isag.log', 'isag.supervisor.log'];

/**
 * ISAG's process across a suite: `start` notes its pid and where its logs end, `problems` lists what
 * went wrong since (not ready, restarted, a crash or an unhandled error in its logs).
 */
export class IsagProcess {
  private pid: number | undefined;
  private readonly offsets = new Map<string, number>();

  async start(): Promise<void> {
    const ready = await isagReady();
    if (ready !== 200) throw new Error(`ISAG /health/ready answers ${ready} before the suite`);
    this.pid = childPid('isag');
    if (this.pid === undefined) throw new Error('no .run/pids/isag.child.pid: is ISAG running?');
    for (const f of LOGS) {
      try {
        this.offsets.set(f, statSync(path.join(RUN_DIR, 'logs', f)).size);
      } catch {
        this.offsets.set(f, 0);
      }
    }
  }

  async problems(): Promise<string[]> {
    const out: string[] = [];
    const ready = await isagReady();
    if (ready !== 200) out.push(`ISAG /health/ready answers ${ready}`);
    const pid = childPid('isag');
    if (pid !== this.pid) out.push(`ISAG restarted during the suite: pid ${this.pid} then ${pid}`);
    for (const [f, offset] of this.offsets) {
      let text: string;
      try {
        text = readFileSync(path.join(RUN_DIR, 'logs', f))
          .subarray(offset)
          .toString('utf8');
      } catch {
        continue;
      }
      for (const l of text.split('\n'))
        if (/unhandled|uncaught|exited with|killed by signal|FATAL/i.test(l))
          out.push(`${f}: ${l.slice(0, 400)}`);
    }
    return out;
  }
}

/** The text a stored document offers to find a marker in (quarantine keeps raw bytes, maybe as Binary). */
function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
  if (typeof value === 'object' && 'buffer' in value && value.buffer instanceof Uint8Array)
    return Buffer.from(value.buffer).toString('latin1');
  return JSON.stringify(value) ?? '';
}

interface StoredMessage {
  _id: string;
  subject?: unknown;
  from?: unknown;
  text?: unknown;
  messageId?: unknown;
  to?: unknown;
  createdAt: Date;
}

interface Quarantined {
  _id: string;
  raw?: unknown;
  from?: unknown;
  receivedAt: Date;
}

const MARKER = /fz[a-z0-9]+-\d+/g;

/**
 * Finds a suite's cases in the store by their markers: in `messages` (subject, sender, text,
 * Message-ID, recipients) and in `quarantine` (raw, sender). A marker stored twice is a duplicate, zero
 * times for an accepted case a loss. Read per batch (documents since the batch started), so a long run
 * never reads the whole quarantine at once; the documents it matched are the suite's to remove.
 */
export class StoredCases {
  private readonly quarantineIds: string[] = [];
  private readonly messageIds: string[] = [];

  constructor(private readonly db: Db) {}

  async counts(markers: readonly string[], since: Date): Promise<Map<string, number>> {
    const counts = new Map(markers.map((m) => [m, 0]));
    const count = (text: string): boolean => {
      let mine = false;
      for (const m of new Set(text.match(MARKER) ?? [])) {
        const n = counts.get(m);
        if (n === undefined) continue;
        counts.set(m, n + 1);
        mine = true;
      }
      return mine;
    };
    const messages = this.db.collection<StoredMessage>('messages').find({ createdAt: { $gte: since } });
    for await (const d of messages) {
      const to = Array.isArray(d.to) ? (d.to as unknown[]) : [];
      if (count([d.subject, d.from, d.text, d.messageId, ...to].map(textOf).join('\n')))
        this.messageIds.push(d._id);
    }
    const quarantined = this.db.collection<Quarantined>('quarantine').find({ receivedAt: { $gte: since } });
    for await (const d of quarantined)
      if (count([d.raw, d.from].map(textOf).join('\n'))) this.quarantineIds.push(d._id);
    return counts;
  }

  /**
   * Removes every document `counts` matched so far. A suite calls it after each batch: the collections
   * have no index on their dates, so each `counts` reads all that is left in them, which must stay little.
   */
  async remove(): Promise<void> {
    for (const [name, ids] of [
      ['quarantine', this.quarantineIds],
      ['messages', this.messageIds],
    ] as const) {
      const unique = [...new Set(ids.splice(0))];
      for (let i = 0; i < unique.length; i += 500)
        await this.db
          .collection<{ _id: string }>(name)
          .deleteMany({ _id: { $in: unique.slice(i, i + 500) } });
    }
  }
}

/**
 * One ISAG suite's fixture, its mocha hooks registered by `isagSuite()`: before, ISAG must be ready and
 * the store is opened; after, what the suite stored is removed and the store closed. The suite's last
 * test asserts `process.problems()` is empty.
 */
export class IsagSuite {
  readonly process = new IsagProcess();
  private mongo: MongoClient | undefined;
  private found: StoredCases | undefined;

  get db(): Db {
    if (this.mongo === undefined) throw new Error('the suite has not started');
    return this.mongo.db();
  }

  get stored(): StoredCases {
    this.found ??= new StoredCases(this.db);
    return this.found;
  }

  async start(): Promise<void> {
    await this.process.start();
    this.mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  }

  async stop(): Promise<void> {
    await this.found?.remove().catch((err: unknown) => console.log(`      cleanup failed: ${String(err)}`));
    await this.mongo?.close();
  }
}

export function isagSuite(): IsagSuite {
  const suite = new IsagSuite();
  before(() => suite.start());
  after(() => suite.stop());
  return suite;
}
