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
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { BusObserver } from '../spec/support/bus-observer';
import { EXCHANGES } from '../lib/bus/topology';
import { renderFullPathChart } from './chart';
import { nativeConnections, parseUasLog, projectConnections } from './full-path-calls';
import { report } from './full-path-report';
import { RING_MS, type Mode, type Options, type RunResult, type Setup } from './full-path-results';
import {
  NATIVE_NUMBER,
  promptSeconds,
  removeNativeConfig,
  writeNativeConfig,
} from './support/app-queue-baseline';
import {
  AGENT_PORT,
  PROJECT_NUMBER,
  cleanDirectory,
  registerAgents,
  seedDirectory,
  signIn,
} from './support/bench-agents';
import {
  ROOT,
  agentEndpoints,
  log,
  processGroups,
  restartSystem,
  runDir,
  script,
  sleep,
} from './support/bench-system';
import { toneUlaw } from '../spec/support/tones';
import { CALLER_MEDIA_PORT, startCapture } from './support/first-rtp';
import { cpuSeconds, loadAverage, type ProcGroup } from './support/proc';
import { opsPorts, perCall, readCounters, scrape, uncleanStart } from './support/step-metrics';
import { lastStats, rttSamples, startSipp, stopSipp, traceFile } from './support/sipp';
import { fmt, percentile } from './support/stats';
import { writeJson } from './support/json';

const RESULTS = path.join(__dirname, 'results');
const CALLER_PORT = 5401;

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
    silent: argv.includes('--silent-callers'),
    store: !argv.includes('--no-store'),
  };
}

/** Asterisk's RTP port range (asterisk/etc/rtp.conf): where the callers' RTP comes from. */
function asteriskRtpRange(): [number, number] {
  const conf = readFileSync(path.join(ROOT, 'asterisk', 'etc', 'rtp.conf'), 'utf8');
  const value = (key: string): number => {
    const m = new RegExp(`^\\s*${key}\\s*=\\s*(\\d+)`, 'm').exec(conf);
    if (m === null) throw new Error(`asterisk/etc/rtp.conf has no ${key}`);
    return Number(m[1]);
  };
  return [value('rtpstart'), value('rtpend')];
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

  // A clean, checked start: no contact in CTI (one restored from the step before is cleared when CTI's
  // reconciliation window ends), and in (b) every agent Ready; else the run stops here, loudly.
  for (const deadline = Date.now() + 60_000; ;) {
    const unclean = uncleanStart(await scrape(opsPorts().get('cti') ?? 0), mode === 'b' ? o.agents : 0);
    if (unclean === undefined) break;
    if (Date.now() > deadline) throw new Error(`step ${mode}@${rate} does not start clean: ${unclean}`);
    await sleep(1000);
  }

  const calls = rate * o.stepS;
  // The callers talk (a 400 Hz tone from sipp's working directory), as phones do.
  writeFileSync(path.join(dir, 'audio.ulaw'), toneUlaw(400));
  const callerArgs = [
    '-sf',
    path.join(ROOT, 'spec', 'sipp', o.silent ? 'uac-audio.xml' : 'rtp-caller.xml'),
    '-mp',
    String(CALLER_MEDIA_PORT),
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
  const capture = await startCapture(dir, CALLER_PORT, asteriskRtpRange());
  const counters0 = mode === 'b' ? await readCounters() : undefined;
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
  const counters1 = mode === 'b' ? await readCounters() : undefined;
  const firstRtp = await capture.stop();
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

  if (mode === 'b')
    writeFileSync(path.join(dir, 'bus.jsonl'), bus.seen.map((x) => JSON.stringify(x.body)).join('\n') + '\n');
  const { connected, ring, delivered, hops } =
    mode === 'a' ? nativeConnections(uasLog) : projectConnections(bus.seen, uasLog);
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
    firstRtp: {
      p50: percentile(firstRtp.delays, 0.5),
      p95: percentile(firstRtp.delays, 0.95),
      p99: percentile(firstRtp.delays, 0.99),
      n: firstRtp.delays.length,
      invites: firstRtp.invites,
      withoutRtp: firstRtp.withoutRtp,
      dropped: firstRtp.dropped,
    },
    ...(counters0 === undefined || counters1 === undefined
      ? {}
      : { perCall: perCall(counters0, counters1, calls) }),
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
  if (mode === 'b' && connected === 0)
    throw new Error(`step b@${rate} connected nobody (${calls} calls): see ${dir}/bus.jsonl and CTI's log`);
  return result;
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
  if (o.profile || !o.store) {
    // A profiled run is a diagnosis (the profiler slows the processes), as is a --no-store one: its
    // figures are printed, not stored.
    console.log(JSON.stringify(results, null, 2));
    for (const r of o.profile ? results : []) {
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
