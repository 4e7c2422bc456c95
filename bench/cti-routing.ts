/**
 * Benchmark 2 (issue 5): CTI routing alone, no Asterisk, no broker. Drives cti/domain with a steady
 * arrival rate and agent churn (ring, answer, ring-no-answer, hang-up, wrap-up, abandon, breaks) on a
 * simulated clock, timing every façade call on the wall clock.
 *
 *   npx tsx bench/cti-routing.ts            # 1,000 / 10,000 / 100,000 agents, writes bench/results/cti-routing.md
 *   npx tsx bench/cti-routing.ts --one 10000  # one size, prints its JSON line (used for a fresh process per size)
 *
 * Each size runs in its own process so resident memory is that size's alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createCtiDomain,
  type Channel,
  type Outcome,
  type Result,
  type SelectionPolicy,
} from '../cti/domain';

const SIZES = [1_000, 10_000, 100_000];
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

interface SizeResult {
  agents: number;
  queues: number;
  skills: number;
  setupMs: number;
  simulatedS: number;
  commands: number;
  offers: number;
  domainMs: number;
  commandsPerS: number;
  offersPerS: number;
  p50us: number;
  p99us: number;
  p99RoutingUs: number;
  maxUs: number;
  rssMb: number;
  rssAfterGcMb: number;
  heapMb: number;
  waitingAtEnd: number;
}

/** mulberry32: a seeded generator so every run routes the same traffic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Ev =
  | { kind: 'arrive' }
  | { kind: 'ring' | 'answer' | 'release' | 'abandon'; contactId: string }
  | { kind: 'timer'; timerId: string; dueAt: number }
  | { kind: 'back' | 'break'; agentId: string };

/** Binary min-heap of simulated events by time (then insertion order). */
class Agenda {
  private readonly at: number[] = [];
  private readonly seq: number[] = [];
  private readonly evs: Ev[] = [];
  private n = 0;
  get size(): number {
    return this.evs.length;
  }
  push(at: number, ev: Ev): void {
    let i = this.evs.length;
    const s = this.n++;
    this.at.push(at);
    this.seq.push(s);
    this.evs.push(ev);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(at, s, p)) break;
      this.move(p, i);
      i = p;
    }
    this.set(i, at, s, ev);
  }
  pop(): { at: number; ev: Ev } | undefined {
    if (this.evs.length === 0) return undefined;
    const top = { at: this.at[0] as number, ev: this.evs[0] as Ev };
    const at = this.at.pop() as number;
    const s = this.seq.pop() as number;
    const ev = this.evs.pop() as Ev;
    const n = this.evs.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && this.lessIdx(l + 1, l) ? l + 1 : l;
      if (!this.before(this.at[c] as number, this.seq[c] as number, i, at, s)) break;
      this.move(c, i);
      i = c;
    }
    this.set(i, at, s, ev);
    return top;
  }
  private before(at: number, s: number, j: number, at2?: number, s2?: number): boolean {
    const bAt = at2 ?? this.at[j] ?? Infinity;
    const bS = s2 ?? this.seq[j] ?? Infinity;
    return at < bAt || (at === bAt && s < bS);
  }
  private lessIdx(i: number, j: number): boolean {
    return this.before(this.at[i] as number, this.seq[i] as number, j);
  }
  private move(from: number, to: number): void {
    this.set(to, this.at[from] as number, this.seq[from] as number, this.evs[from] as Ev);
  }
  private set(i: number, at: number, s: number, ev: Ev): void {
    this.at[i] = at;
    this.seq[i] = s;
    this.evs[i] = ev;
  }
}

function runOne(agentCount: number): SizeResult {
  const random = rng(20240611 + agentCount);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const expo = (mean: number): number => -mean * Math.log(1 - random());
  const clock = { t: 0, now: (): number => clock.t };
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

  // Steady arrivals sized for the target occupancy of real-time capacity.
  const cycleMs = VOICE_HANDLE_MS + WRAP_UP_MS * 0.7 + 2_000;
  const arrivalsPerMs = (agentCount * OCCUPANCY) / cycleMs;
  const simMs = Math.max(MIN_SIM_MS, MIN_ARRIVALS / arrivalsPerMs);

  const agenda = new Agenda();
  const armed = new Map<string, number>();
  const phase = new Map<string, 'waiting' | 'offered' | 'connected'>();
  const channelOf = new Map<string, Channel>();
  const agentOf = new Map<string, string>();
  let nextContact = 0;
  let latencies = new Float64Array(1 << 20);
  let count = 0;
  let offers = 0;
  const routing: number[] = [];
  let domainNs = 0;
  let maxRss = 0;

  const apply = (outcome: Outcome): void => {
    for (const t of outcome.timers) {
      if (t.type === 'schedule') {
        armed.set(t.timer.id, t.timer.dueAt);
        agenda.push(t.timer.dueAt, { kind: 'timer', timerId: t.timer.id, dueAt: t.timer.dueAt });
      } else {
        armed.delete(t.timerId);
      }
    }
    for (const ch of outcome.contactChanges) {
      if (ch.to === 'ended') phase.delete(ch.contactId);
      else if (ch.to === 'waiting') phase.set(ch.contactId, 'waiting');
      else if (ch.to === 'connected') phase.set(ch.contactId, 'connected');
    }
    for (const o of outcome.offers) {
      phase.set(o.contactId, 'offered');
      agentOf.set(o.contactId, o.agentId);
      const realtime = o.channel === 'voice' || o.channel === 'video';
      if (realtime) {
        if (random() < NO_ANSWER_RATE) continue; // the ring timer will fire
        agenda.push(clock.t + 500, { kind: 'ring', contactId: o.contactId });
        agenda.push(clock.t + 1_000 + random() * 4_000, { kind: 'answer', contactId: o.contactId });
      } else {
        agenda.push(clock.t + 1_000 + random() * 9_000, { kind: 'answer', contactId: o.contactId });
      }
    }
    for (const ch of outcome.agentChanges) {
      if (ch.to === 'not-ready') agenda.push(clock.t + 30_000, { kind: 'back', agentId: ch.agentId });
    }
  };

  const call = (run: () => Result<Outcome>): Outcome | undefined => {
    const start = process.hrtime.bigint();
    const result = run();
    const ns = Number(process.hrtime.bigint() - start);
    domainNs += ns;
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = ns;
    if ((count & 0x3fff) === 0) maxRss = Math.max(maxRss, process.memoryUsage().rss);
    if (!result.ok) throw result.error;
    if (result.value.offers.length > 0) {
      offers += result.value.offers.length;
      routing.push(ns);
    }
    apply(result.value);
    return result.value;
  };

  agenda.push(0, { kind: 'arrive' });
  for (let item = agenda.pop(); item && item.at <= simMs; item = agenda.pop()) {
    clock.t = item.at;
    const ev = item.ev;
    switch (ev.kind) {
      case 'arrive': {
        const q = Math.floor(random() * QUEUES);
        const contactId = `c${nextContact++}`;
        channelOf.set(contactId, queueChannel[q] as Channel);
        call(() => cti.contactArrived({ contactId, queueId: queueIds[q] as string }));
        if (phase.get(contactId) === 'waiting' || phase.get(contactId) === 'offered') {
          agenda.push(clock.t + expo(PATIENCE_MS), { kind: 'abandon', contactId });
        }
        agenda.push(clock.t + expo(1 / arrivalsPerMs), { kind: 'arrive' });
        break;
      }
      case 'ring':
        if (phase.get(ev.contactId) === 'offered') call(() => cti.ringing(ev.contactId));
        break;
      case 'answer':
        if (phase.get(ev.contactId) === 'offered') {
          call(() => cti.answered(ev.contactId));
          const mean = channelOf.get(ev.contactId) === 'email' ? EMAIL_HANDLE_MS : VOICE_HANDLE_MS;
          agenda.push(clock.t + expo(mean), { kind: 'release', contactId: ev.contactId });
        }
        break;
      case 'release':
        if (phase.get(ev.contactId) === 'connected') {
          call(() => cti.released(ev.contactId));
          const agentId = agentOf.get(ev.contactId) as string;
          if (random() < BREAK_RATE) agenda.push(clock.t + WRAP_UP_MS + 1_000, { kind: 'break', agentId });
          channelOf.delete(ev.contactId);
          agentOf.delete(ev.contactId);
        }
        break;
      case 'abandon':
        if (phase.get(ev.contactId) === 'waiting') call(() => cti.contactAbandoned(ev.contactId));
        break;
      case 'timer':
        if (armed.get(ev.timerId) === ev.dueAt) {
          armed.delete(ev.timerId);
          call(() => cti.timerFired(ev.timerId));
        }
        break;
      case 'back': {
        const view = cti.agentView(ev.agentId);
        if (view.ok && view.value.state === 'not-ready') call(() => cti.ready(ev.agentId));
        break;
      }
      case 'break': {
        const view = cti.agentView(ev.agentId);
        if (view.ok && view.value.state === 'ready') call(() => cti.notReady(ev.agentId, 'break'));
        break;
      }
    }
  }

  const sorted = latencies.subarray(0, count).sort();
  const pct = (xs: ArrayLike<number>, p: number): number =>
    (xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0) / 1e3;
  const routingSorted = Float64Array.from(routing).sort();
  maxRss = Math.max(maxRss, process.memoryUsage().rss);
  // Retained heap: the domain plus this harness's own tables (agenda, maps, latency samples).
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const mem = process.memoryUsage();
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
    rssMb: Math.round(maxRss / 2 ** 20),
    rssAfterGcMb: Math.round(mem.rss / 2 ** 20),
    heapMb: Math.round(mem.heapUsed / 2 ** 20),
    waitingAtEnd: waiting,
  };
}

function must<T>(r: Result<T>): T {
  if (!r.ok) throw r.error;
  return r.value;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function table(results: SizeResult[]): string {
  const head =
    '| agents | queues | skills | setup ms | simulated s | commands | offers | commands/s | offers/s | p50 µs | p99 µs | p99 routing µs | max µs | peak RSS MB | RSS after GC MB | heap after GC MB | waiting at end |';
  const rule = '|' + ' ---: |'.repeat(17);
  const rows = results.map(
    (r) =>
      `| ${r.agents.toLocaleString('en')} | ${r.queues.toLocaleString('en')} | ${r.skills} | ${r.setupMs} | ${r.simulatedS} | ${r.commands.toLocaleString('en')} | ${r.offers.toLocaleString('en')} | ${r.commandsPerS.toLocaleString('en')} | ${r.offersPerS.toLocaleString('en')} | ${r.p50us} | ${r.p99us} | ${r.p99RoutingUs} | ${r.maxUs} | ${r.rssMb} | ${r.rssAfterGcMb} | ${r.heapMb} | ${r.waitingAtEnd.toLocaleString('en')} |`,
  );
  return [head, rule, ...rows].join('\n');
}

function main(): void {
  const oneAt = process.argv.indexOf('--one');
  if (oneAt >= 0) {
    console.log(JSON.stringify(runOne(Number(process.argv[oneAt + 1]))));
    return;
  }
  const results: SizeResult[] = [];
  for (const size of SIZES) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, '--expose-gc', process.argv[1] as string, '--one', String(size)],
      {
        encoding: 'utf8',
        timeout: 150_000,
        maxBuffer: 1 << 24,
      },
    );
    if (child.status !== 0) throw new Error(`size ${size} failed: ${child.stderr || String(child.error)}`);
    const lines = child.stdout.trim().split('\n');
    const result = JSON.parse(lines[lines.length - 1] as string) as SizeResult;
    console.error(`done: ${size} agents`);
    results.push(result);
  }
  const md = [
    '# Benchmark 2: CTI routing alone (cti/domain, no Asterisk, no broker)',
    '',
    'Command: `npx tsx bench/cti-routing.ts`',
    '',
    `Run: ${new Date().toISOString()}, Node ${process.version}, ${process.platform}/${process.arch}, one process per size.`,
    '',
    `Workload: ${QUEUES.toLocaleString('en')} queues (80% voice, 5% video, 15% e-mail; 1-2 required skills, priority 1-5, policies 60% longest-idle / 20% least-calls / 20% highest-skill), ` +
      `${SKILLS} skills, ${SKILLS_PER_AGENT} skills per agent (levels 1-10; 10% of agents take video, 20% e-mail x3). ` +
      `Poisson arrivals spread uniformly over the queues at ${OCCUPANCY * 100}% of real-time capacity; handle time exponential (voice ${VOICE_HANDLE_MS / 1000} s, e-mail ${EMAIL_HANDLE_MS / 1000} s), ` +
      `wrap-up ${WRAP_UP_MS / 1000} s on 70% of queues, ${NO_ANSWER_RATE * 100}% ring-no-answer (20 s ring timer), ${BREAK_RATE * 100}% of releases followed by a break, not-ready agents back after 30 s, callers abandon after an exponential ${PATIENCE_MS / 1000} s. ` +
      'Simulated clock; every façade call (arrival, ringing, answer, release, abandon, timer, ready/not-ready) is timed on the wall clock with `process.hrtime.bigint()`.',
    '',
    'commands/s = façade calls / time spent in them; offers/s = routing decisions (offers) / the same time; p50/p99 over all calls; "p99 routing" over the calls that produced an offer. Setup (adding agents and queues, log-in, ready) is not in the figures. Memory is the whole process (domain + this harness); "after GC" is measured at the end after a forced collection (`--expose-gc`).',
    '',
    table(results),
    '',
  ].join('\n');
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'cti-routing.md'), md);
  console.log(md);
}

main();
