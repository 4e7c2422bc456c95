/**
 * ISAG's throughput and latency (issue 14's benchmark), on the running system:
 *
 *   flock -o /tmp/ipcc-system.lock npx tsx bench/isag-email.ts [--senders 1,10,50] [--messages 200]
 *       [--sms 300] [--sms-parallel 10] [--agents 4]      (npm run bench:isag)
 *   npx tsx bench/isag-email-report.ts                    (the report again from the JSON)
 *
 * The bench stores its own e-mail and SMS queues and agents (bench/support/bench-agents.ts), restarts CTI and
 * ISAG so both read them, and signs its agents in over CTI's WebSocket (interface A); each agent accepts
 * and completes every task offered to it at once. Per step, N parallel SMTP senders (one nodemailer
 * connection each, messages one after another) send `--messages` e-mails in all. Clocks, all on this host:
 *  - acked: the sender's 250 (ISAG stored the message, the interaction and the outbox record);
 *  - created: TaskCreated on cc.tasks (a queue of the bench's own bound to task.#);
 *  - offered: the task-offer frame at the agent's WebSocket.
 * E-mails accepted per second = acknowledged / (first send to last 250). SMS: `--sms` neutral webhooks
 * from distinct numbers (each a new conversation, so a new task), `--sms-parallel` at a time.
 * Raw samples, the command, git revision and core count go to bench/results/isag-email.json; the
 * figures in isag-email.md are computed from it. At the end everything the bench stored is removed and
 * CTI and ISAG restarted again.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { EXCHANGES } from '../lib/bus/topology';
import { neutralSms } from '../spec/fuzz/support/isag-sms';
import { readyStatus, smtpHost, smtpPort } from '../spec/fuzz/support/isag-watch';
import { AgentClient } from '../spec/support/agent-client';
import { BusObserver } from '../spec/support/bus-observer';
import { writeReport, type IsagBenchResult, type Sample, type Step } from './isag-email-report';
import { BENCH_EMAIL, BENCH_SMS, cleanTaskBench, seedTaskBench, signIn } from './support/bench-agents';
import { ROOT, log, script, sleep } from './support/bench-system';
import { writeJson } from './support/json';

const OUT = path.join(ROOT, 'bench', 'results', 'isag-email.json');

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : (process.argv[at + 1] ?? fallback);
}

/** CTI and ISAG restarted (they read queues and agents at start); resolves once both are ready. */
async function restartCtiAndIsag(): Promise<void> {
  script('services.sh', 'stop', 'cti', 'isag');
  script('services.sh', 'start', 'cti', 'isag');
  const deadline = Date.now() + 90_000;
  while ((await readyStatus('cti')) !== 200 || (await readyStatus('isag')) !== 200) {
    if (Date.now() > deadline) throw new Error('CTI or ISAG not ready 90 s after the restart');
    await sleep(200);
  }
}

/**
 * CTI closes an agent's client that sends over 20 frames a second (bursts of 40): at 70 tasks a second
 * over 4 agents, accept and complete at once would be 35 a second each, and the dropped accepts would
 * let offers time out (60 s) and come again. So each agent's frames go out one per FRAME_GAP_MS.
 */
const FRAME_GAP_MS = 60;

class PacedFrames {
  private readonly queue: object[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly client: AgentClient) {}

  get busy(): boolean {
    return this.timer !== undefined;
  }

  send(frame: object): void {
    this.queue.push(frame);
    if (this.timer === undefined) this.next();
  }

  private next(): void {
    const frame = this.queue.shift();
    if (frame === undefined) {
      this.timer = undefined;
      return;
    }
    this.client.send(frame);
    this.timer = setTimeout(() => this.next(), FRAME_GAP_MS);
  }
}

/** When each task was offered at an agent's socket; every offer is accepted and completed, paced. */
class TaskAgents {
  readonly offeredAt = new Map<string, number>();
  private readonly clients: AgentClient[] = [];
  private readonly paced = new Map<AgentClient, PacedFrames>();

  async signIn(ids: string[]): Promise<void> {
    // Stamped on arrival, before anything else runs: the frame's own time at the agent.
    const clients = await signIn(ids, (c, f) => {
      if (f.type !== 'task-offer' || typeof f.contactId !== 'string') return;
      if (!this.offeredAt.has(f.contactId)) this.offeredAt.set(f.contactId, Date.now());
      let out = this.paced.get(c);
      if (out === undefined) this.paced.set(c, (out = new PacedFrames(c)));
      out.send({ type: 'accept-task', contactId: f.contactId });
      out.send({ type: 'complete-task', contactId: f.contactId });
    });
    this.clients.push(...clients);
  }

  async signOut(): Promise<void> {
    // The last completes first: CTI logs out no agent holding an accepted task.
    const deadline = Date.now() + 30_000;
    while ([...this.paced.values()].some((p) => p.busy) && Date.now() < deadline) await sleep(100);
    for (const c of this.clients) c.send({ type: 'logout' });
    await sleep(500);
    for (const c of this.clients) c.close();
  }
}

/** TaskCreated per subject (e-mail) or sender (SMS), with the time it crossed the bus. */
function created(
  bus: BusObserver,
  stamp: Map<string, number>,
): Map<string, { contactId: string; at: number }> {
  const out = new Map<string, { contactId: string; at: number }>();
  for (const s of bus.seen) {
    const b = s.body;
    if (b.type !== 'TaskCreated' || typeof b.contactId !== 'string') continue;
    const key = typeof b.subject === 'string' && b.channel === 'email' ? b.subject : String(b.from);
    if (!out.has(key)) out.set(key, { contactId: b.contactId, at: stamp.get(b.contactId) ?? NaN });
  }
  return out;
}

async function emailStep(
  senders: number,
  total: number,
  step: number,
  agents: TaskAgents,
  bus: BusObserver,
  seen: Map<string, number>,
): Promise<Step> {
  const perSender = Math.ceil(total / senders);
  const samples: Sample[] = [];
  const failures: string[] = [];
  const startedAt = Date.now();
  await Promise.all(
    Array.from({ length: senders }, async (_, s) => {
      const transport = nodemailer.createTransport({
        host: smtpHost(),
        port: smtpPort(),
        ignoreTLS: true,
        pool: true,
        maxConnections: 1,
        maxMessages: Infinity,
      });
      try {
        for (let n = 0; n < perSender; n++) {
          const key = `isag-bench-${step}-${s}-${n}-${Date.now().toString(36)}`;
          const sentAt = Date.now();
          try {
            await transport.sendMail({
              from: `customer${s}@customer.test`,
              to: BENCH_EMAIL.address,
              subject: key,
              text: `bench ${key}`,
            });
            samples.push({ key, sentAt, ackedAt: Date.now() });
          } catch (err) {
            failures.push(`${key}: ${String(err).slice(0, 200)}`);
          }
        }
      } finally {
        transport.close();
      }
    }),
  );
  const finishedAt = Date.now();
  await settle(samples, agents, bus, seen);
  return {
    kind: 'email',
    parallel: senders,
    asked: perSender * senders,
    startedAt,
    finishedAt,
    samples,
    failures,
  };
}

async function smsStep(
  total: number,
  parallel: number,
  agents: TaskAgents,
  bus: BusObserver,
  seen: Map<string, number>,
): Promise<Step> {
  const samples: Sample[] = [];
  const failures: string[] = [];
  const base = `+1555031${String(Date.now() % 1000).padStart(3, '0')}`;
  let next = 0;
  const startedAt = Date.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < total) {
        const n = next++;
        const key = `${base}${String(n).padStart(4, '0')}`;
        const sentAt = Date.now();
        try {
          const a = await neutralSms({
            from: key,
            to: BENCH_SMS.address,
            text: `bench ${n}`,
            id: `bench-${base.slice(1)}-${n}`,
          });
          if (a.status === 200) samples.push({ key, sentAt, ackedAt: Date.now() });
          else failures.push(`${key}: ${a.status} ${a.body.slice(0, 200)}`);
        } catch (err) {
          failures.push(`${key}: ${String(err).slice(0, 200)}`);
        }
      }
    }),
  );
  const finishedAt = Date.now();
  await settle(samples, agents, bus, seen);
  return { kind: 'sms', parallel, asked: total, startedAt, finishedAt, samples, failures };
}

/** Waits (at most 60 s) until every acknowledged message was offered, then fills in the times. */
async function settle(
  samples: Sample[],
  agents: TaskAgents,
  bus: BusObserver,
  seen: Map<string, number>,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const byKey = created(bus, seen);
    let missing = 0;
    for (const s of samples) {
      const c = byKey.get(s.key);
      if (c === undefined) {
        missing += 1;
        continue;
      }
      s.contactId = c.contactId;
      if (Number.isFinite(c.at)) s.createdAt = c.at;
      const offered = agents.offeredAt.get(c.contactId);
      if (offered === undefined) missing += 1;
      else s.offeredAt = offered;
    }
    if (missing === 0 || Date.now() > deadline) return;
    await sleep(200);
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--report')) {
    writeReport(OUT);
    return;
  }
  const senders = arg('senders', '1,10,50').split(',').map(Number);
  const messages = Number(arg('messages', '200'));
  const smsTotal = Number(arg('sms', '300'));
  const smsParallel = Number(arg('sms-parallel', '10'));
  const agentCount = Number(arg('agents', '4'));
  const git = (...a: string[]) => execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim();
  const result: IsagBenchResult = {
    command: `npx tsx bench/isag-email.ts ${process.argv.slice(2).join(' ')}`.trim(),
    revision: git('rev-parse', 'HEAD'),
    dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
    startedAt: new Date().toISOString(),
    finishedAt: '',
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadBefore: os.loadavg(),
    loadAfter: [],
    agents: agentCount,
    steps: [],
  };
  log(`seeding ${agentCount} bench agents and the bench queues; restarting CTI and ISAG`);
  await cleanTaskBench();
  const ids = await seedTaskBench(agentCount, 200);
  const bus = new BusObserver();
  const agents = new TaskAgents();
  try {
    await restartCtiAndIsag();
    await bus.start([EXCHANGES.tasks]);
    // The bus observer keeps no arrival time: stamp each TaskCreated as it is recorded.
    const seen = new Map<string, number>();
    const push = bus.seen.push.bind(bus.seen);
    bus.seen.push = (...items) => {
      for (const s of items)
        if (s.body.type === 'TaskCreated' && typeof s.body.contactId === 'string')
          seen.set(s.body.contactId, Date.now());
      return push(...items);
    };
    await agents.signIn(ids);
    // One e-mail first, not measured: connections, caches and JIT warmed.
    await emailStep(1, 3, 0, agents, bus, seen);
    for (const [i, n] of senders.entries()) {
      log(`e-mail: ${n} parallel senders, ${messages} messages`);
      result.steps.push(await emailStep(n, messages, i + 1, agents, bus, seen));
    }
    log(`SMS: ${smsTotal} webhooks, ${smsParallel} at a time`);
    result.steps.push(await smsStep(smsTotal, smsParallel, agents, bus, seen));
  } finally {
    await agents.signOut();
    await bus.stop();
    result.finishedAt = new Date().toISOString();
    result.loadAfter = os.loadavg();
    log('removing the bench queues, agents and tasks; restarting CTI and ISAG');
    await cleanTaskBench();
    await restartCtiAndIsag();
  }
  await writeJson(OUT, result);
  writeReport(OUT);
  log(`wrote ${OUT} and the report`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
