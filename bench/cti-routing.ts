/**
 * Benchmark 2 (issue 5): CTI routing alone, no Asterisk, no broker. Drives cti/domain with a steady
 * arrival rate and agent churn (ring, answer, ring-no-answer, hang-up, wrap-up, abandon, breaks) on a
 * simulated clock, timing every façade call on the wall clock.
 *
 *   npx tsx bench/cti-routing.ts            # 1,000 / 10,000 / 100,000 agents: bench/results/cti-routing.{json,md}
 *   npx tsx bench/cti-routing.ts --sizes 1000,10000   # a smaller form, same files
 *   npx tsx bench/cti-routing.ts --one 10000  # one size, prints its JSON line (used for a fresh process per size)
 *
 * Each size runs in its own process so resident memory is that size's alone.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';
import { renderReport, type CtiRoutingRun, type SizeResult, type Workload } from './cti-routing-report';
import { writeJson } from './support/json';
import { Agenda, ContactTable, rng, Samples } from './support/routing-sim';
import {
  createCtiDomain,
  type Channel,
  type Outcome,
  type Result,
  type SelectionPolicy,
} from '../cti/domain';

const DEFAULT_SIZES = [1_000, 10_000, 100_000];
const QUEUES = 10_000;
const SKILLS = 50;
const SKILLS_PER_AGENT = 4;
const OCCUPANCY = 0.95;
const VOICE_HANDLE_MS = 60_000;
const EMAIL_HANDLE_MS = 120_000;
const WRAP_UP_MS = 5_000;
const RING_TIMEOUT_MS = 20_000;
const NO_ANSWER_RATE = 0.05;
const BREAK_RATE = 0.02;
const PATIENCE_MS = 180_000;
/** Simulated time per size: two handle times at least, and at least 60k arrivals. */
const MIN_SIM_MS = 120_000;
const MIN_ARRIVALS = 60_000;

/** Simulated event kinds; the agenda stores a kind code and one integer argument, no objects. */
const ARRIVE = 0;
const RING = 1;
const ANSWER = 2;
const RELEASE = 3;
const ABANDON = 4;
const TIMER = 5;
const BACK = 6;
const BREAK = 7;

const NONE = 0;
const WAITING = 1;
const OFFERED = 2;
const CONNECTED = 3;
const numberOf = (id: string): number => Number(id.slice(1));

function runOne(agentCount: number): SizeResult {
  const random = rng(20240611 + agentCount);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const expo = (mean: number): number => -mean * Math.log(1 - random());
  const clock = { t: 0, now: (): number => clock.t };
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage();
  const cti = createCtiDomain({ clock });
  const setupStart = process.hrtime.bigint();

  // Agents: 4 of 50 skills at levels 1-10; all voice, 10% video, 20% e-mail (3 at a time).
  const agentSkills: Record<string, number>[] = [];
  const agentIds: string[] = [];
  const agentTasks: { video: number; email: number }[] = [];
  for (let i = 0; i < agentCount; i++) {
    const skills: Record<string, number> = {};
    while (Object.keys(skills).length < SKILLS_PER_AGENT)
      skills[`s${Math.floor(random() * SKILLS)}`] = 1 + Math.floor(random() * 10);
    agentSkills.push(skills);
    const id = `a${i}`;
    agentIds.push(id);
    agentTasks.push({ video: random() < 0.1 ? 1 : 0, email: random() < 0.2 ? 3 : 0 });
  }
  // Queues: requirements taken from a random agent's skills (so someone can serve each), 1 or 2 skills.
  const policies: SelectionPolicy[] = [
    'longest-idle',
    'longest-idle',
    'longest-idle',
    'least-calls',
    'highest-skill',
  ];
  const queueIds: string[] = [];
  const queueChannel: Channel[] = [];
  for (let q = 0; q < QUEUES; q++) {
    const model = pick(agentSkills);
    const names = Object.keys(model);
    const first = pick(names);
    const reqNames = random() < 0.5 ? [first] : [first, pick(names.filter((n) => n !== first))];
    const r = random();
    const channel: Channel = r < 0.8 ? 'voice' : r < 0.85 ? 'video' : 'email';
    const id = `q${q}`;
    queueIds.push(id);
    queueChannel.push(channel);
    must(
      cti.addQueue({
        id,
        channel,
        skills: reqNames.map((name) => ({
          name,
          minLevel: 1 + Math.floor(random() * Math.min(5, model[name] ?? 1)),
        })),
        priority: 1 + Math.floor(random() * 5),
        policy: pick(policies),
        ringTimeoutMs: RING_TIMEOUT_MS,
        wrapUpMs: random() < 0.7 ? WRAP_UP_MS : 0,
        queueTimeoutMs: 0,
      }),
    );
  }
  // Queues first: a queue added after its agents would count its staff by scanning them.
  agentIds.forEach((id, i) => must(cti.addAgent({ id, skills: agentSkills[i], maxTasks: agentTasks[i] })));
  for (const id of agentIds) {
    must(cti.login(id));
    must(cti.ready(id));
  }
  const setupMs = Number(process.hrtime.bigint() - setupStart) / 1e6;
  gc?.();
  const afterSetup = process.memoryUsage();

  // Steady arrivals sized for the target occupancy of real-time capacity.
  const cycleMs = VOICE_HANDLE_MS + WRAP_UP_MS * 0.7 + 2_000;
  const arrivalsPerMs = (agentCount * OCCUPANCY) / cycleMs;
  const simMs = Math.max(MIN_SIM_MS, MIN_ARRIVALS / arrivalsPerMs);

  const agenda = new Agenda();
  const armed = new Map<string, number>();
  // Timer events carry a slot here; slots are reused once the event is taken off the agenda.
  const timerSlots: (string | undefined)[] = [];
  const freeSlots: number[] = [];
  const contacts = new ContactTable();
  let nextContact = 0;
  const latencies = new Samples();
  const routing = new Samples();
  let offers = 0;
  let domainNs = 0;
  let maxRss = 0;

  const apply = (outcome: Outcome): void => {
    for (const t of outcome.timers) {
      if (t.type === 'schedule') {
        armed.set(t.timer.id, t.timer.dueAt);
        const slot = freeSlots.pop() ?? timerSlots.length;
        timerSlots[slot] = t.timer.id;
        agenda.push(t.timer.dueAt, TIMER, slot);
      } else {
        armed.delete(t.timerId);
      }
    }
    for (const ch of outcome.contactChanges) {
      const n = numberOf(ch.contactId);
      if (ch.to === 'ended') contacts.phase[n] = NONE;
      else if (ch.to === 'waiting') contacts.phase[n] = WAITING;
      else if (ch.to === 'connected') contacts.phase[n] = CONNECTED;
    }
    for (const o of outcome.offers) {
      const n = numberOf(o.contactId);
      contacts.phase[n] = OFFERED;
      contacts.agent[n] = numberOf(o.agentId);
      const realtime = o.channel === 'voice' || o.channel === 'video';
      if (realtime) {
        if (random() < NO_ANSWER_RATE) continue; // the ring timer will fire
        agenda.push(clock.t + 500, RING, n);
        agenda.push(clock.t + 1_000 + random() * 4_000, ANSWER, n);
      } else {
        agenda.push(clock.t + 1_000 + random() * 9_000, ANSWER, n);
      }
    }
    for (const ch of outcome.agentChanges) {
      if (ch.to === 'not-ready') agenda.push(clock.t + 30_000, BACK, numberOf(ch.agentId));
    }
  };

  /** Times one façade call (started at `start`) and applies its outcome. */
  const done = (start: bigint, result: Result<Outcome>): void => {
    const ns = Number(process.hrtime.bigint() - start);
    domainNs += ns;
    latencies.push(ns);
    if ((latencies.length & 0x3fff) === 0) maxRss = Math.max(maxRss, process.memoryUsage().rss);
    if (!result.ok) throw result.error;
    if (result.value.offers.length > 0) {
      offers += result.value.offers.length;
      routing.push(ns);
    }
    apply(result.value);
  };

  agenda.push(0, ARRIVE);
  while (agenda.pop() && agenda.topAt <= simMs) {
    clock.t = agenda.topAt;
    const n = agenda.topArg;
    switch (agenda.topKind) {
      case ARRIVE: {
        const q = Math.floor(random() * QUEUES);
        const c = nextContact++;
        contacts.ensure(c);
        contacts.email[c] = queueChannel[q] === 'email' ? 1 : 0;
        const contactId = `c${c}`;
        const start = process.hrtime.bigint();
        done(start, cti.contactArrived({ contactId, queueId: queueIds[q] as string }));
        if (contacts.phase[c] === WAITING || contacts.phase[c] === OFFERED) {
          agenda.push(clock.t + expo(PATIENCE_MS), ABANDON, c);
        }
        agenda.push(clock.t + expo(1 / arrivalsPerMs), ARRIVE);
        break;
      }
      case RING:
        if (contacts.phase[n] === OFFERED) {
          const start = process.hrtime.bigint();
          done(start, cti.ringing(`c${n}`));
        }
        break;
      case ANSWER:
        if (contacts.phase[n] === OFFERED) {
          const start = process.hrtime.bigint();
          done(start, cti.answered(`c${n}`));
          const mean = contacts.email[n] === 1 ? EMAIL_HANDLE_MS : VOICE_HANDLE_MS;
          agenda.push(clock.t + expo(mean), RELEASE, n);
        }
        break;
      case RELEASE:
        if (contacts.phase[n] === CONNECTED) {
          const start = process.hrtime.bigint();
          done(start, cti.released(`c${n}`));
          if (random() < BREAK_RATE) agenda.push(clock.t + WRAP_UP_MS + 1_000, BREAK, contacts.agent[n]);
        }
        break;
      case ABANDON:
        if (contacts.phase[n] === WAITING) {
          const start = process.hrtime.bigint();
          done(start, cti.contactAbandoned(`c${n}`));
        }
        break;
      case TIMER: {
        const timerId = timerSlots[n] as string;
        timerSlots[n] = undefined;
        freeSlots.push(n);
        if (armed.get(timerId) === clock.t) {
          armed.delete(timerId);
          const start = process.hrtime.bigint();
          done(start, cti.timerFired(timerId));
        }
        break;
      }
      case BACK: {
        const agentId = agentIds[n] as string;
        const view = cti.agentView(agentId);
        if (view.ok && view.value.state === 'not-ready') {
          const start = process.hrtime.bigint();
          done(start, cti.ready(agentId));
        }
        break;
      }
      case BREAK: {
        const agentId = agentIds[n] as string;
        const view = cti.agentView(agentId);
        if (view.ok && view.value.state === 'ready') {
          const start = process.hrtime.bigint();
          done(start, cti.notReady(agentId, 'break'));
        }
        break;
      }
    }
  }
  const count = latencies.length;

  const sorted = latencies.sorted();
  const pct = (xs: ArrayLike<number>, p: number): number =>
    (xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0) / 1e3;
  const routingSorted = routing.sorted();
  maxRss = Math.max(maxRss, process.memoryUsage().rss);
  // Retained heap: the domain plus this harness's own tables (agenda, contact table, latency samples).
  gc?.();
  const mem = process.memoryUsage();
  const young = getHeapSpaceStatistics().find((sp) => sp.space_name === 'new_space')?.space_size ?? 0;
  let waiting = 0;
  for (const id of queueIds) waiting += must(cti.queueStats(id)).waiting;
  return {
    agents: agentCount,
    queues: QUEUES,
    skills: SKILLS,
    setupMs: Math.round(setupMs),
    simulatedS: Math.round(simMs / 1000),
    commands: count,
    offers,
    domainMs: Math.round(domainNs / 1e6),
    commandsPerS: Math.round(count / (domainNs / 1e9)),
    offersPerS: Math.round(offers / (domainNs / 1e9)),
    p50us: round2(pct(sorted, 0.5)),
    p99us: round2(pct(sorted, 0.99)),
    p99RoutingUs: round2(pct(routingSorted, 0.99)),
    maxUs: round2((sorted[sorted.length - 1] ?? 0) / 1e3),
    baseRssMb: mb(base.rss),
    baseHeapMb: mb(base.heapUsed),
    setupRssMb: mb(afterSetup.rss),
    setupHeapMb: mb(afterSetup.heapUsed),
    rssMb: Math.round(maxRss / 2 ** 20),
    rssAfterGcMb: Math.round(mem.rss / 2 ** 20),
    heapTotalMb: Math.round(mem.heapTotal / 2 ** 20),
    youngMb: Math.round(young / 2 ** 20),
    heapMb: Math.round(mem.heapUsed / 2 ** 20),
    externalMb: Math.round(mem.external / 2 ** 20),
    waitingAtEnd: waiting,
  };
}

function must<T>(r: Result<T>): T {
  if (!r.ok) throw r.error;
  return r.value;
}

function mb(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

async function main(): Promise<void> {
  const oneAt = process.argv.indexOf('--one');
  if (oneAt >= 0) {
    console.log(JSON.stringify(runOne(Number(process.argv[oneAt + 1]))));
    return;
  }
  const sizesAt = process.argv.indexOf('--sizes');
  const sizes = sizesAt >= 0 ? (process.argv[sizesAt + 1] ?? '').split(',').map(Number) : DEFAULT_SIZES;
  if (sizes.some((x) => !Number.isInteger(x) || x < 1))
    throw new Error('--sizes takes agent counts: 1000,10000');
  const git = (...a: string[]): string =>
    execFileSync('git', a, { cwd: join(__dirname, '..'), encoding: 'utf8' }).trim();
  const startedAt = new Date().toISOString();
  const loadavgStart = loadavg();
  const execArgv = [...process.execArgv, '--expose-gc'];
  const results: SizeResult[] = [];
  for (const size of sizes) {
    const child = spawnSync(
      process.execPath,
      [...execArgv, process.argv[1] as string, '--one', String(size)],
      {
        encoding: 'utf8',
        timeout: 600_000,
        maxBuffer: 1 << 24,
      },
    );
    if (child.status !== 0) throw new Error(`size ${size} failed: ${child.stderr || String(child.error)}`);
    const lines = child.stdout.trim().split('\n');
    results.push(JSON.parse(lines[lines.length - 1] as string) as SizeResult);
    console.error(`done: ${size} agents`);
  }
  const workload: Workload = {
    queues: QUEUES,
    skills: SKILLS,
    skillsPerAgent: SKILLS_PER_AGENT,
    occupancy: OCCUPANCY,
    voiceHandleMs: VOICE_HANDLE_MS,
    emailHandleMs: EMAIL_HANDLE_MS,
    wrapUpMs: WRAP_UP_MS,
    ringTimeoutMs: RING_TIMEOUT_MS,
    noAnswerRate: NO_ANSWER_RATE,
    breakRate: BREAK_RATE,
    patienceMs: PATIENCE_MS,
  };
  const run: CtiRoutingRun = {
    command: `npx tsx bench/cti-routing.ts${sizesAt >= 0 ? ` --sizes ${sizes.join(',')}` : ''}`,
    revision: git('rev-parse', 'HEAD'),
    dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
    startedAt,
    finishedAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    execArgv,
    loadavgStart,
    loadavgEnd: loadavg(),
    workload,
    sizes: results,
  };
  const out = join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  await writeJson(join(out, 'cti-routing.json'), run);
  const md = renderReport(run);
  writeFileSync(join(out, 'cti-routing.md'), md);
  console.log(md);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
