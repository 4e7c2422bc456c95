/**
 * Benchmark 1 (issue 5): the full call path against Asterisk's own app_queue, same Asterisk, same load.
 *
 *   npx tsx bench/full-path.ts [--rates 2,4,8,16] [--step-s 20] [--hold-ms 10000] [--agents 200] [--modes a,b]
 *
 * Needs the system up (scripts/up.sh) and the system lock (/tmp/ipcc-system.lock; `npm run bench` takes
 * it): it restarts Asterisk and the project's processes before every run. For each rate and mode a sipp
 * caller places rate × step-s calls at `rate` calls/s; each call stays hold-ms after the 200 OK.
 *   (a) app_queue: Answer, Playback(ipcc/welcome), Queue(bench) with N static PJSIP members.
 *   (b) the project: SoftACD → CTI (RabbitMQ) → IVR plays the welcome (flow of number 9902) → AgentRequest
 *       → CTI picks a Ready agent (signed in over interface A) → SoftACD rings it → bridge.
 * The agents are N PJSIP endpoints (bench001…) all registered (bench/support/register.ts) to one sipp UAS that rings 200 ms and answers.
 * Everything the bench adds (agents, queue, flow, Asterisk files) is removed at the end and the system is
 * brought back up as scripts/up.sh leaves it. Writes bench/results/full-path.{json,md} and the chart.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { sipPassword } from '../stasis-app/provisioning/agent-endpoints';
import { AgentClient } from '../spec/support/agent-client';
import { BusObserver } from '../spec/support/bus-observer';
import { EXCHANGES } from '../lib/bus/topology';
import { mongoUri, requireSystem } from '../spec/support/servers';
import { cpuSeconds, loadAverage, pidsByComm, type ProcGroup } from './support/proc';
import { lastStats, rttSamples, startSipp, stopSipp, traceFile } from './support/sipp';
import { fmt, percentile } from './support/stats';
import { writeJson } from './support/json';
import { registerMany } from './support/register';
import { renderFullPathChart } from './chart';
import { DEFAULT_OUT as PROMPTS_BUILT } from '../stasis-app/media/build';

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(__dirname, 'results');
const NATIVE_NUMBER = '9901';
export const PROJECT_NUMBER = '9902';
const BENCH_QUEUE = 'bench';
const AGENT_PORT = 5301;
const CALLER_PORT = 5401;
const RING_MS = 200;

type Mode = 'a' | 'b';

/** Read or measured when a run sets up, stored with its results: the report types none of them. */
export interface Setup {
  node: string;
  cores: number;
  cpu: string;
  /** The built welcome prompt's length (its µ-law file: 8,000 bytes a second). */
  promptS: number;
  /** Static members written to the app_queue baseline's queues.conf. */
  members: number;
}

interface Options {
  rates: number[];
  stepS: number;
  holdMs: number;
  agents: number;
  modes: Mode[];
  /** Run the project's processes under --cpu-prof (profiles in $IPCC_RUN/bench/profile-<mode>-<rate>). */
  profile: boolean;
  /** Add to (replace the same rate and mode in) the results already in bench/results/full-path.json. */
  merge: boolean;
}

export interface RunResult {
  mode: Mode;
  rate: number;
  calls: number;
  callerOk: number;
  callerFailed: number;
  /** Calls whose caller reached an agent that answered (a: the agent saw the caller's X-Bench header; b: Established). */
  connected: number;
  failureFree: number;
  invite200: { p50: number; p95: number; p99: number; n: number };
  /** Entering the queue (a: dialplan just before Queue(); b: the IVR's AgentRequest) to the agent phone's INVITE. */
  agentRing: { p50: number; p99: number; n: number };
  /** b only: AgentRequest to SoftACD's CallDelivered(agent) (the agent leg's Ringing state). */
  agentDelivered?: { p50: number; p99: number; n: number };
  /** b only: p50/p99 ms of each hop of the answer path, from the bus messages' own times. */
  hops?: Record<string, { p50: number; p99: number; n: number }>;
  /** % of one core over the caller's whole run, per process group. */
  cpu: Record<string, number>;
  wallS: number;
  loadBefore: [number, number, number];
  loadAfter: [number, number, number];
  command: string;
  /** The benchmark command (and its start time) that produced this row. */
  by?: string;
}

function parseArgs(argv: string[]): Options {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    rates: (get('rates') ?? '2,4,8,16').split(',').map(Number),
    stepS: Number(get('step-s') ?? 20),
    holdMs: Number(get('hold-ms') ?? 10_000),
    agents: Number(get('agents') ?? 200),
    modes: (get('modes') ?? 'a,b').split(',') as Mode[],
    merge: argv.includes('--merge'),
    profile: argv.includes('--profile'),
  };
}

export function log(msg: string): void {
  console.error(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

export function script(name: string, ...args: string[]): string {
  return scriptWith({}, name, ...args);
}

function scriptWith(env: Record<string, string>, name: string, ...args: string[]): string {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', name), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, ...env },
  });
  if (r.status !== 0)
    throw new Error(`scripts/${name} ${args.join(' ')} failed: ${r.stderr || String(r.error)}`);
  return r.stdout;
}

export function runDir(): string {
  const dir = process.env.IPCC_RUN;
  if (!dir) throw new Error('IPCC_RUN not set (export it and load_env as in scripts/lib.sh)');
  return dir;
}

export const endpointOf = (i: number): string => `bench${String(i + 1).padStart(3, '0')}`;

/** The bench's agents, queue and flow in the document store (CTI reads them when it starts). */
export async function seedDirectory(n: number): Promise<string[]> {
  const mongo = new MongoClient(mongoUri());
  await mongo.connect();
  try {
    const db = mongo.db();
    const now = new Date();
    await db.collection('queues').updateOne(
      { name: BENCH_QUEUE },
      {
        $set: {
          name: BENCH_QUEUE,
          skills: [{ name: 'bench', minLevel: 1 }],
          priority: 1,
          selectionPolicy: 'longest-idle',
          ringTimeoutSec: 20,
          wrapUpSec: 0,
          queueTimeoutSec: 300,
          timeoutAction: 'release',
          serviceLevelSec: 20,
          recording: false,
          updatedAt: now,
        },
      },
      { upsert: true },
    );
    await db.collection('ivrflows').updateOne(
      { calledNumber: PROJECT_NUMBER },
      {
        $set: {
          name: 'Benchmark: welcome then queue',
          calledNumber: PROJECT_NUMBER,
          media: 'audio',
          entry: 'welcome',
          nodes: [
            { id: 'welcome', type: 'play', prompt: 'welcome', next: 'queue' },
            { id: 'queue', type: 'queue', queue: BENCH_QUEUE },
          ],
          updatedAt: now,
        },
      },
      { upsert: true },
    );
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const login = endpointOf(i);
      await db.collection('agents').updateOne(
        { login },
        {
          $set: {
            login,
            displayName: `Bench ${login}`,
            roles: ['agent'],
            active: true,
            skills: [{ name: 'bench', level: 1 }],
            endpoints: { sip: `PJSIP/${login}` },
            maxTasks: { voice: 1, video: 1, email: 0, sms: 0, fax: 0 },
            updatedAt: now,
          },
        },
        { upsert: true },
      );
      const doc = await db.collection('agents').findOne({ login });
      if (doc === null) throw new Error(`bench agent ${login} not stored`);
      ids.push(doc._id.toHexString());
    }
    return ids;
  } finally {
    await mongo.close();
  }
}

/** Removes everything seedDirectory and the runs stored (agents, their states, the queue, the flow, contacts). */
export async function cleanDirectory(): Promise<void> {
  const mongo = new MongoClient(mongoUri());
  await mongo.connect();
  try {
    const db = mongo.db();
    const agents = await db
      .collection('agents')
      .find({ login: /^bench\d{3}$/ })
      .toArray();
    const ids = agents.map((a) => a._id.toHexString());
    await db.collection('agentstates').deleteMany({ agentId: { $in: ids } });
    await db.collection('agents').deleteMany({ login: /^bench\d{3}$/ });
    await db.collection('queues').deleteMany({ name: BENCH_QUEUE });
    await db.collection('ivrflows').deleteMany({ calledNumber: PROJECT_NUMBER });
    await db
      .collection('interactions')
      .deleteMany({ $or: [{ queueId: BENCH_QUEUE }, { to: PROJECT_NUMBER }] });
  } finally {
    await mongo.close();
  }
}

/** The app_queue baseline's Asterisk files (scripts/asterisk.sh copies them only while they exist). */
/** Writes the app_queue baseline's Asterisk files; returns the number of queue members written. */
export function writeNativeConfig(n: number): number {
  const dir = path.join(runDir(), 'bench-asterisk');
  mkdirSync(dir, { recursive: true });
  // The bench's caller identifies as this endpoint (From user), so only it reaches the baseline's context.
  writeFileSync(
    path.join(dir, 'pjsip_bench.conf'),
    [
      '; bench/full-path.ts: the app_queue baseline caller',
      '[benchnative](customer)',
      'context = bench-native',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'extensions_bench.conf'),
    [
      '; bench/full-path.ts: the same job as the project, natively: answer, the same welcome prompt, a queue.',
      '[bench-native]',
      'exten => _X.,1,Answer()',
      ' same => n,Playback(ipcc/welcome)',
      // Queue entry time and the caller's Call-ID travel to the agent's phone in a header (predial below).
      ' same => n,Set(__BENCH_ENTER=${STRFTIME(,,%s.%3q)})',
      ' same => n,Set(__BENCH_CALL=${CHANNEL(pjsip,call-id)})',
      ' same => n,Queue(bench,b(bench-predial^s^1))',
      ' same => n,Hangup()',
      '',
      '[bench-predial]',
      'exten => s,1,Set(PJSIP_HEADER(add,X-Bench)=${BENCH_CALL} ${BENCH_ENTER})',
      ' same => n,Return()',
      '',
    ].join('\n'),
  );
  const members = Array.from({ length: n }, (_, i) => `member => PJSIP/${endpointOf(i)}`);
  writeFileSync(
    path.join(dir, 'queues.conf'),
    [
      '; bench/full-path.ts: N static members, longest idle first (the project queue uses longest-idle).',
      '[general]',
      'persistentmembers = no',
      '',
      '[bench]',
      'strategy = leastrecent',
      'ringinuse = no',
      'timeout = 20',
      'retry = 1',
      'wrapuptime = 0',
      'autofill = yes',
      'joinempty = yes',
      'leavewhenempty = no',
      ...members,
      '',
    ].join('\n'),
  );
  return members.length;
}

/** Seconds of the built prompt `name`, from its µ-law file (8 kHz, one byte a sample). */
export function promptSeconds(name: string): number {
  return statSync(path.join(PROMPTS_BUILT, `${name}.ulaw`)).size / 8000;
}

export function removeNativeConfig(): void {
  rmSync(path.join(runDir(), 'bench-asterisk'), { recursive: true, force: true });
}

export function agentEndpoints(): void {
  const r = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    ['scripts/agent-endpoints.ts', path.join(runDir(), 'pjsip_agents.conf')],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
  );
  if (r.status !== 0) throw new Error(`agent-endpoints failed: ${r.stderr}`);
}

async function waitForSystem(): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
      // The IVR reads each call's flow from the AS (interface D): a call before the AS listens gets the default flow.
      const as = await fetch(
        `http://${process.env.AS_HOST ?? '127.0.0.1'}:${process.env.AS_PORT ?? '8090'}/openapi.json`,
      );
      if (!as.ok) throw new Error(`AS answers ${as.status}`);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(500);
    }
  }
}

/** Asterisk and every project process restarted (the brief: an overloaded Asterisk can keep channels). */
/** `profileDir`: the project's processes are CPU-profiled and write their profiles there when stopped. */
export async function restartSystem(profileDir?: string): Promise<void> {
  script('services.sh', 'stop');
  script('asterisk.sh', 'stop');
  script('asterisk.sh', 'start');
  scriptWith(
    profileDir === undefined
      ? {}
      : {
          // node refuses --cpu-prof in NODE_OPTIONS: a preloaded inspector session profiles instead.
          NODE_OPTIONS: `--require ${path.join(__dirname, 'support', 'cpu-profile.cjs')}`,
          IPCC_CPU_PROFILE_DIR: profileDir,
        },
    'services.sh',
    'start',
  );
  await waitForSystem();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function processGroups(): ProcGroup[] {
  const pidOf = (name: string): number[] => {
    const file = path.join(runDir(), 'pids', `${name}.pid`);
    return existsSync(file) ? [Number(readFileSync(file, 'utf8').trim())] : [];
  };
  return [
    { name: 'asterisk', roots: pidOf('asterisk') },
    { name: 'softacd', roots: pidOf('softacd') },
    { name: 'ivr', roots: pidOf('ivr') },
    { name: 'cti', roots: pidOf('cti') },
    { name: 'as', roots: pidOf('as') },
    { name: 'rabbitmq', roots: pidsByComm('beam.smp') },
    { name: 'docstore', roots: [...pidOf('ferretdb'), ...pidsByComm('postgres')] },
  ];
}

async function registerAgents(n: number): Promise<void> {
  const secret = process.env.AGENT_SIP_SECRET;
  if (!secret) throw new Error('AGENT_SIP_SECRET not set');
  await registerMany({
    host: process.env.SIP_HOST ?? '127.0.0.1',
    port: Number(process.env.SIP_PORT ?? 5060),
    localPort: AGENT_PORT,
    phones: Array.from({ length: n }, (_, i) => ({
      user: endpointOf(i),
      password: sipPassword(secret, endpointOf(i)),
    })),
  });
}

/** Interface A: each bench agent's client authenticates, logs in and becomes Ready. */
export async function signIn(ids: string[]): Promise<AgentClient[]> {
  const clients: AgentClient[] = [];
  for (const id of ids) {
    const c = new AgentClient();
    await c.connect();
    c.send({ type: 'auth', token: AgentClient.tokenFor(id) });
    c.send({ type: 'login' });
    c.send({ type: 'ready' });
    clients.push(c);
  }
  const deadline = Date.now() + 30_000;
  while (clients.some((c) => !c.of('state').some((s) => s.state === 'ready'))) {
    if (Date.now() > deadline) {
      const notReady = clients.filter((c) => !c.of('state').some((s) => s.state === 'ready')).length;
      throw new Error(
        `${notReady} bench agents did not become ready (last: ${JSON.stringify(clients[0]?.received.slice(-3))})`,
      );
    }
    await sleep(200);
  }
  return clients;
}

interface UasInvite {
  t: number;
  agent: string;
  xb: string;
}

function parseUasLog(file: string): { invites: UasInvite[]; answered: Array<{ agent: string; xb: string }> } {
  const invites: UasInvite[] = [];
  const answered: Array<{ agent: string; xb: string }> = [];
  if (!existsSync(file)) return { invites, answered };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const inv = line.indexOf('INVITE;');
    if (inv >= 0) {
      const [, sec, usec, agent, xb] = line.slice(inv).split(';');
      invites.push({
        t: Number(sec) * 1000 + Number(usec) / 1000,
        agent: agent ?? '',
        xb: (xb ?? '').trim(),
      });
    }
    const ans = line.indexOf('ANSWERED;');
    if (ans >= 0) {
      const [, agent, xb] = line.slice(ans).split(';');
      answered.push({ agent: agent ?? '', xb: (xb ?? '').trim() });
    }
  }
  return { invites, answered };
}

/** "X-Bench: <call-id> <epoch s.ms>" (with or without the header name) → the caller's Call-ID and ms. */
function parseXBench(xb: string): { call: string; enterMs: number } | undefined {
  const parts = xb
    .replace(/^X-Bench:\s*/i, '')
    .trim()
    .split(/\s+/);
  if (parts.length < 2) return undefined;
  const enter = Number(parts[parts.length - 1]);
  return Number.isFinite(enter) ? { call: parts.slice(0, -1).join(' '), enterMs: enter * 1000 } : undefined;
}

async function runOne(mode: Mode, rate: number, o: Options, agentIds: string[]): Promise<RunResult> {
  const dir = path.join(runDir(), 'bench', `full-path-${mode}-${rate}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`run ${mode} at ${rate} calls/s: restarting Asterisk and the services`);
  const profileDir = o.profile ? path.join(runDir(), 'bench', `profile-${mode}-${rate}`) : undefined;
  if (profileDir !== undefined) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }
  await restartSystem(profileDir);
  await registerAgents(o.agents);
  const uas = startSipp(
    dir,
    [
      '-sf',
      path.join(__dirname, 'sipp', 'agent-uas.xml'),
      '-p',
      String(AGENT_PORT),
      '-d',
      String(RING_MS),
      '-trace_logs',
      '-log_file',
      path.join(dir, 'agents.log'),
      '-m',
      '1000000',
    ],
    false,
  );
  const clients = mode === 'b' ? await signIn(agentIds) : [];
  const bus = new BusObserver();
  if (mode === 'b') await bus.start([EXCHANGES.events, EXCHANGES.commands]);
  await sleep(1000);

  const calls = rate * o.stepS;
  const callerArgs = [
    '-sf',
    path.join(ROOT, 'spec', 'sipp', 'uac-audio.xml'),
    '-s',
    mode === 'a' ? NATIVE_NUMBER : PROJECT_NUMBER,
    '-p',
    String(CALLER_PORT),
    '-r',
    String(rate),
    '-rp',
    '1000',
    '-m',
    String(calls),
    '-l',
    '2000',
    '-d',
    String(o.holdMs),
    '-recv_timeout',
    '30000',
    '-timeout',
    `${o.stepS + o.holdMs / 1000 + 120}s`,
    '-trace_rtt',
    '-rtt_freq',
    '1',
    '-trace_stat',
    '-fd',
    '1',
    '-stf',
    path.join(dir, 'caller-stat.csv'),
    '-set',
    'caller',
    mode === 'a' ? 'benchnative' : '15550009902',
    '-set',
    'caller_name',
    'Bench',
  ];
  const command = `sipp 127.0.0.1:5060 ${callerArgs
    .map((a) =>
      a.startsWith(runDir())
        ? a.replace(runDir(), '$IPCC_RUN')
        : a.startsWith('/')
          ? path.relative(ROOT, a)
          : a,
    )
    .join(' ')}`;
  const groups = processGroups();
  const loadBefore = loadAverage();
  const cpu0 = cpuSeconds(groups);
  const t0 = Date.now();
  const caller = startSipp(dir, callerArgs);
  const callerGroup: ProcGroup[] = [{ name: 'sipp', roots: [caller.child.pid ?? 0, uas.child.pid ?? 0] }];
  const sipp0 = cpuSeconds(callerGroup);
  await caller.done;
  const wallS = (Date.now() - t0) / 1000;
  const cpu1 = cpuSeconds(groups);
  const sipp1 = cpuSeconds(callerGroup);
  const loadAfter = loadAverage();
  await sleep(2000);
  await stopSipp(uas);
  for (const c of clients) {
    c.send({ type: 'logout' });
    c.close();
  }
  await bus.stop();

  const stats = lastStats(path.join(dir, 'caller-stat.csv'));
  const num = (k: string): number => Number(stats.get(k) ?? NaN);
  const callerOk = num('SuccessfulCall(C)');
  const callerFailed = num('FailedCall(C)');
  const rtt = rttSamples(traceFile(dir, '_rtt.csv'));
  const uasLog = parseUasLog(path.join(dir, 'agents.log'));

  let connected: number;
  let hops: RunResult['hops'];
  const ring: number[] = [];
  const delivered: number[] = [];
  if (mode === 'a') {
    const answeredCalls = new Set(
      uasLog.answered.map((a) => parseXBench(a.xb)?.call).filter((c): c is string => c !== undefined),
    );
    connected = answeredCalls.size;
    const seen = new Set<string>();
    for (const inv of uasLog.invites) {
      const x = parseXBench(inv.xb);
      if (x === undefined || seen.has(x.call)) continue; // first ring of each caller only
      seen.add(x.call);
      ring.push(inv.t - x.enterMs);
    }
  } else {
    const at = (s: { body: Record<string, unknown> }): number => Date.parse(String(s.body.at));
    const requests = new Map<string, number>();
    const established = new Set<string>();
    const firstDivert = new Map<string, string>();
    const deliveredAt = new Map<string, number>();
    for (const s of bus.seen) {
      const contact = String(s.body.contactId);
      const type = s.body.type;
      if (type === 'AgentRequest' && !requests.has(contact)) requests.set(contact, at(s));
      if (type === 'Established') established.add(contact);
      if (type === 'DivertCall' && !firstDivert.has(contact))
        firstDivert.set(contact, String(s.body.endpoint).replace(/^PJSIP\//, ''));
      const to = s.body.deliveredTo as { kind?: string } | undefined;
      if (type === 'CallDelivered' && to?.kind === 'agent' && !deliveredAt.has(contact))
        deliveredAt.set(contact, at(s));
    }
    connected = established.size;
    writeFileSync(path.join(dir, 'bus.jsonl'), bus.seen.map((x) => JSON.stringify(x.body)).join('\n') + '\n');
    hops = answerHops(bus.seen.map((x) => x.body));
    const byAgent = new Map<string, number[]>();
    for (const inv of uasLog.invites) byAgent.set(inv.agent, [...(byAgent.get(inv.agent) ?? []), inv.t]);
    for (const [contact, requested] of requests) {
      const endpoint = firstDivert.get(contact);
      const t =
        endpoint === undefined ? undefined : (byAgent.get(endpoint) ?? []).find((x) => x >= requested);
      if (t !== undefined) ring.push(t - requested);
      const d = deliveredAt.get(contact);
      if (d !== undefined) delivered.push(d - requested);
    }
  }
  const cpu: Record<string, number> = {};
  for (const g of groups) cpu[g.name] = (((cpu1.get(g.name) ?? 0) - (cpu0.get(g.name) ?? 0)) / wallS) * 100;
  cpu.sipp = (((sipp1.get('sipp') ?? 0) - (sipp0.get('sipp') ?? 0)) / wallS) * 100;
  const result: RunResult = {
    mode,
    rate,
    calls,
    callerOk,
    callerFailed,
    connected,
    failureFree: Math.min(callerOk, connected),
    invite200: {
      p50: percentile(rtt, 0.5),
      p95: percentile(rtt, 0.95),
      p99: percentile(rtt, 0.99),
      n: rtt.length,
    },
    agentRing: { p50: percentile(ring, 0.5), p99: percentile(ring, 0.99), n: ring.length },
    ...(mode === 'b'
      ? {
          agentDelivered: {
            p50: percentile(delivered, 0.5),
            p99: percentile(delivered, 0.99),
            n: delivered.length,
          },
        }
      : {}),
    ...(hops === undefined ? {} : { hops }),
    cpu,
    wallS,
    loadBefore,
    loadAfter,
    command,
  };
  log(
    `run ${mode} at ${rate}/s: ${result.failureFree}/${calls} failure-free (caller ok ${callerOk}, failed ${callerFailed}, connected ${connected}), ` +
      `INVITE→200 p50 ${fmt(result.invite200.p50)} p99 ${fmt(result.invite200.p99)} ms, ring p50 ${fmt(result.agentRing.p50)} p99 ${fmt(result.agentRing.p99)} ms`,
  );
  return result;
}

/**
 * Where (b)'s INVITE→200 goes: SoftACD's CallDelivered(acd) → CTI's RouteSelect → SoftACD's RouteEnd (the
 * channel moved to the IVR) → the IVR's CallDelivered(ivr) (sent once it has answered). Each message carries
 * its sender's clock (one machine), so each difference is one hop including the broker.
 */
export function answerHops(messages: Array<Record<string, unknown>>): NonNullable<RunResult['hops']> {
  const first = new Map<string, number>();
  for (const m of messages) {
    const kind = (m.deliveredTo as { kind?: string } | undefined)?.kind;
    const key = m.type === 'CallDelivered' ? `CallDelivered(${String(kind)})` : String(m.type);
    const k = `${String(m.contactId)} ${key}`;
    const at = Date.parse(String(m.at));
    if (!first.has(k) && Number.isFinite(at)) first.set(k, at);
  }
  const contacts = new Set(messages.map((m) => String(m.contactId)));
  const chain = ['CallDelivered(acd)', 'RouteSelect', 'RouteEnd', 'CallDelivered(ivr)'];
  const out: NonNullable<RunResult['hops']> = {};
  for (let i = 0; i + 1 < chain.length; i++) {
    const from = chain[i] as string;
    const to = chain[i + 1] as string;
    const d: number[] = [];
    for (const c of contacts) {
      const a = first.get(`${c} ${from}`);
      const b = first.get(`${c} ${to}`);
      if (a !== undefined && b !== undefined) d.push(b - a);
    }
    out[`${from}→${to}`] = { p50: percentile(d, 0.5), p99: percentile(d, 0.99), n: d.length };
  }
  return out;
}

/** The highest rate whose every call was failure-free (and every lower rate too). */
export function highestClean(results: RunResult[], mode: Mode): number | undefined {
  let best: number | undefined;
  for (const r of results.filter((x) => x.mode === mode).sort((x, y) => x.rate - y.rate)) {
    if (r.failureFree !== r.calls) break;
    best = r.rate;
  }
  return best;
}

function report(
  results: RunResult[],
  o: Options,
  started: Date,
  commandLine: string,
  setup: Setup | undefined,
): string {
  const notRecorded = '(not recorded by this run)';
  const rates = [...new Set(results.map((r) => r.rate))].sort((x, y) => x - y);
  const by = (mode: Mode, rate: number): RunResult | undefined =>
    results.find((r) => r.mode === mode && r.rate === rate);
  const ratio = (b: number | undefined, a: number | undefined): string =>
    b === undefined || a === undefined || !(a > 0) || Number.isNaN(b) ? '–' : (b / a).toFixed(2);
  const cpuCell = (r: RunResult): string =>
    `${fmt(r.cpu.asterisk)} | ${fmt(r.cpu.softacd)} | ${fmt(r.cpu.ivr)} | ${fmt(r.cpu.cti)} | ${fmt(r.cpu.as)} | ${fmt(r.cpu.rabbitmq)} | ${fmt(r.cpu.docstore)} | ${fmt(r.cpu.sipp)}`;
  const rows = results
    .slice()
    .sort((x, y) => x.rate - y.rate || x.mode.localeCompare(y.mode))
    .map(
      (r) =>
        `| ${r.rate} | ${r.mode === 'a' ? '(a) app_queue' : '(b) project'} | ${r.failureFree}/${r.calls} | ${r.callerFailed} | ${fmt(r.invite200.p50)} | ${fmt(r.invite200.p95)} | ${fmt(r.invite200.p99)} | ${fmt(r.agentRing.p50)} | ${fmt(r.agentRing.p99)} | ${r.agentDelivered ? `${fmt(r.agentDelivered.p50)} / ${fmt(r.agentDelivered.p99)}` : '–'} | ${cpuCell(r)} | ${r.loadBefore.join(' ')} → ${r.loadAfter.join(' ')} |`,
    );
  const ratioRows = rates.map((rate) => {
    const a = by('a', rate);
    const b = by('b', rate);
    const total = (r: RunResult | undefined): number | undefined =>
      r === undefined
        ? undefined
        : ['asterisk', 'softacd', 'ivr', 'cti', 'as', 'rabbitmq'].reduce((s, k) => s + (r.cpu[k] ?? 0), 0);
    return `| ${rate} | ${ratio(b?.invite200.p50, a?.invite200.p50)} | ${ratio(b?.invite200.p99, a?.invite200.p99)} | ${ratio(b?.agentRing.p50, a?.agentRing.p50)} | ${ratio(b?.agentRing.p99, a?.agentRing.p99)} | ${ratio(b?.cpu.asterisk, a?.cpu.asterisk)} | ${ratio(total(b), total(a))} |`;
  });
  const byOf = (r: RunResult): string => r.by ?? `${commandLine} (${started.toISOString()})`;
  const hopNames = [...new Set(results.flatMap((r) => Object.keys(r.hops ?? {})))];
  const hiA = highestClean(results, 'a');
  const hiB = highestClean(results, 'b');
  const atA = hiA === undefined ? undefined : by('b', hiA);
  const baseA = hiA === undefined ? undefined : by('a', hiA);
  const p99Ratio = atA && baseA ? atA.invite200.p99 / baseA.invite200.p99 : undefined;
  const met =
    hiA !== undefined &&
    hiB !== undefined &&
    hiB >= hiA &&
    atA?.failureFree === atA?.calls &&
    p99Ratio !== undefined &&
    p99Ratio <= 1.2;
  return [
    '# Benchmark 1: the full path against app_queue (same Asterisk, same load)',
    '',
    `Commands (under the system lock, as \`npm run bench\` runs them), Node ${setup?.node ?? notRecorded}, ${setup ? `${setup.cores} cores (${setup.cpu})` : `cores ${notRecorded}`}:`,
    '',
    ...[...new Set(results.map(byOf))].map(
      (by) =>
        `- \`${by.replace(/ \(.*$/, '')}\`${by.includes('(') ? ` started ${by.replace(/^.* \((.*)\)$/, '$1')}` : ''}: rates ${results
          .filter((r) => byOf(r) === by)
          .map((r) => `${r.mode}@${r.rate}`)
          .join(', ')}`,
    ),
    '',
    `Each step's load: \`${results[0]?.command ?? ''}\` ((b): -s ${PROJECT_NUMBER} -set caller 15550009902; -r and -m per rate; the trace files of each step under \`$IPCC_RUN/bench/full-path-<a|b>-<rate>/\`).`,
    '',
    'Nothing stops other work on the machine during a run: the load average (1/5/15 min) before and after each step is in the table, and figures vary with that load.',
    '',
    `Workload per step: sipp (\`spec/sipp/uac-audio.xml\`, PCMU offer, no RTP sent) places rate × ${o.stepS} s calls at a steady rate; each caller stays ${o.holdMs / 1000} s after its 200 OK, then hangs up. ` +
      `N agent endpoints (N = --agents of the command; \`bench001\`…, PJSIP, generated by \`scripts/agent-endpoints.ts\` from bench agents in the document store) are registered to one sipp UAS (\`bench/sipp/agent-uas.xml\`) that rings ${RING_MS} ms and answers. ` +
      'Asterisk and the project processes are restarted before every step.',
    '',
    `- (a) app_queue: number ${NATIVE_NUMBER} from the bench caller endpoint → \`Answer()\`, \`Playback(ipcc/welcome)\` (${setup ? `${setup.promptS.toFixed(2)} s` : `length ${notRecorded}`}), \`Queue(bench)\` (strategy leastrecent, ringinuse no, ${setup?.members ?? notRecorded} static members, wrap-up 0).`,
    `- (b) the project: number ${PROJECT_NUMBER} → Stasis(softacd) → CallDelivered/RouteRequest → CTI → RouteSelect → IVR answers, plays the same \`welcome\`, flow's queue step → AgentRequest → CTI picks the longest-idle Ready agent (queue \`bench\`, wrap-up 0; agents signed in and Ready over interface A) → DivertCall → SoftACD rings the agent → bridge.`,
    '',
    "Columns: failure-free = calls whose caller sipp succeeded and whose caller was connected to an agent that answered (a: the agent phone saw the caller's Call-ID in an X-Bench header set by a Queue predial; b: CTI's Established event for the contact). INVITE→200 = sipp response time (call start to the 200 OK, `-trace_rtt`). Queue→agent INVITE = (a) the dialplan's clock just before `Queue()` to the agent phone receiving the INVITE; (b) the IVR's AgentRequest time to the agent phone receiving the INVITE; (b) also AgentRequest → SoftACD's CallDelivered(agent) (the agent leg ringing). CPU = % of one core over the caller sipp's whole run (process tree from `/proc/<pid>/stat`); docstore = FerretDB + PostgreSQL, which may serve other work on the machine (the (a) rows, which do not touch the store at all, show that background), so it is left out of the ratios and the chart; RabbitMQ likewise ((a) shows its background); sipp = the load generator itself.",
    '',
    '| calls/s | path | failure-free | caller failed | INVITE→200 p50 ms | p95 | p99 | queue→agent INVITE p50 ms | p99 | AgentRequest→CallDelivered(agent) p50 / p99 ms | CPU % asterisk | softacd | ivr | cti | as | rabbitmq | docstore | sipp | load avg before → after |',
    '|' + ' ---: |'.repeat(19),
    ...rows,
    '',
    '## Ratios (b)/(a)',
    '',
    '| calls/s | INVITE→200 p50 | p99 | queue→agent p50 | p99 | Asterisk CPU | CPU of Asterisk + SoftACD + IVR + CTI + AS + RabbitMQ |',
    '|' + ' ---: |'.repeat(7),
    ...ratioRows,
    '',
    '## Where (b) spends its INVITE→200 (bus message times, ms p50 / p99)',
    '',
    '| calls/s | ' + hopNames.join(' | ') + ' |',
    '|' + ' ---: |'.repeat(hopNames.length + 1),
    ...results
      .filter((r) => r.mode === 'b' && r.hops !== undefined)
      .sort((x, y) => x.rate - y.rate)
      .map(
        (r) =>
          `| ${r.rate} | ${hopNames.map((h) => `${fmt(r.hops?.[h]?.p50)} / ${fmt(r.hops?.[h]?.p99)}`).join(' | ')} |`,
      ),
    '',
    "(a)'s INVITE→200 p50 is below sipp's 1 ms resolution (0), so its p50 ratio has no value. The hop table exists for the runs made after it was added.",
    '',
    `Highest failure-free rate: (a) app_queue ${hiA ?? 'none'} calls/s, (b) the project ${hiB ?? 'none'} calls/s (of the steps ${rates.join(', ')}).`,
    '',
    `Target (b sustains a's highest failure-free rate with INVITE→200 p99 no worse than 1.2x): **${met ? 'met' : 'not met'}**` +
      (p99Ratio === undefined || atA === undefined || baseA === undefined
        ? '.'
        : ` (at ${hiA} calls/s: (b) ${atA.failureFree}/${atA.calls} failure-free, INVITE→200 p99 ${fmt(atA.invite200.p99)} ms against ${fmt(baseA.invite200.p99)} ms, ${p99Ratio.toFixed(0)}x).`),
    '',
    '![latency and CPU against load](full-path.png)',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const started = new Date();
  const commandLine = `npx tsx bench/full-path.ts ${process.argv.slice(2).join(' ')}`.trim();
  if (process.argv.includes('--report-only')) {
    // Redraws the report and chart from the stored results (every row names the run that measured it).
    const stored = JSON.parse(readFileSync(path.join(RESULTS, 'full-path.json'), 'utf8')) as {
      options: Options;
      started: string;
      setup?: Setup;
      results: RunResult[];
    };
    writeFileSync(
      path.join(RESULTS, 'full-path.md'),
      report(stored.results, stored.options, new Date(stored.started), commandLine, stored.setup),
    );
    await renderFullPathChart(stored.results, path.join(RESULTS, 'full-path.png'), stored.setup?.cores);
    return;
  }
  const results: RunResult[] = [];
  log(`seeding ${o.agents} bench agents, the bench queue and flow ${PROJECT_NUMBER}`);
  const agentIds = await seedDirectory(o.agents);
  const setup: Setup = {
    node: process.version,
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    promptS: promptSeconds('welcome'),
    members: writeNativeConfig(o.agents),
  };
  agentEndpoints();
  try {
    for (const rate of o.rates) {
      for (const mode of o.modes)
        results.push({
          ...(await runOne(mode, rate, o, agentIds)),
          by: `${commandLine} (${started.toISOString()})`,
        });
    }
  } finally {
    log('cleaning up: bench agents, queue, flow and Asterisk files removed; system back as up.sh leaves it');
    await cleanDirectory();
    removeNativeConfig();
    agentEndpoints();
    script('services.sh', 'stop');
    script('asterisk.sh', 'stop');
    script('up.sh');
  }
  if (o.profile) {
    // A profiled run is a diagnosis (the profiler slows the processes): its figures are printed, not stored.
    console.log(JSON.stringify(results, null, 2));
    for (const r of results) {
      const r2 = spawnSync(
        path.join(ROOT, 'node_modules', '.bin', 'tsx'),
        [
          path.join(__dirname, 'profile-summary.ts'),
          path.join(runDir(), 'bench', `profile-${r.mode}-${r.rate}`),
          '20',
        ],
        { cwd: ROOT, encoding: 'utf8' },
      );
      console.log(r2.stdout, r2.stderr);
    }
    return;
  }
  mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, 'full-path.json');
  let all = results;
  if (o.merge && existsSync(file)) {
    const before = JSON.parse(readFileSync(file, 'utf8')) as { results: RunResult[] };
    const fresh = new Set(results.map((r) => `${r.mode}@${r.rate}`));
    all = [...before.results.filter((r) => !fresh.has(`${r.mode}@${r.rate}`)), ...results];
  }
  await writeJson(file, { options: o, started, setup, results: all });
  writeFileSync(path.join(RESULTS, 'full-path.md'), report(all, o, started, commandLine, setup));
  await renderFullPathChart(all, path.join(RESULTS, 'full-path.png'), setup.cores);
  log('wrote bench/results/full-path.{md,json,png}');
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
