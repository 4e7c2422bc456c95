/**
 * Benchmark 2's report: the JSON a run of bench/cti-routing.ts writes, and the Markdown rendered from it.
 * Every figure in the report is read from that JSON (measured by the run), none typed by hand.
 */

/** One size, measured in a process of its own. Memory in MB (2^20 bytes). */
export interface SizeResult {
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
  /** Before the domain exists (node, the loader, loaded modules), after a collection. */
  baseRssMb: number;
  baseHeapMb: number;
  /** After setup (agents and queues added, logged in, ready), after a collection. */
  setupRssMb: number;
  setupHeapMb: number;
  /** Highest RSS sampled during the simulation (every 16,384 calls and at the end). */
  rssMb: number;
  /** At the end, after a collection. */
  rssAfterGcMb: number;
  /** V8's heap as reserved (young generation included) and as used. */
  heapTotalMb: number;
  /** Of the reserved heap, V8's young generation (empty after the collection). */
  youngMb: number;
  heapMb: number;
  /** Memory outside V8's heap (this harness's typed arrays mostly). */
  externalMb: number;
  waitingAtEnd: number;
}

export interface Workload {
  queues: number;
  skills: number;
  skillsPerAgent: number;
  occupancy: number;
  voiceHandleMs: number;
  emailHandleMs: number;
  wrapUpMs: number;
  ringTimeoutMs: number;
  noAnswerRate: number;
  breakRate: number;
  patienceMs: number;
}

export interface CtiRoutingRun {
  command: string;
  revision: string;
  /** Uncommitted changes to tracked files when the run started. */
  dirty: boolean;
  startedAt: string;
  finishedAt: string;
  node: string;
  platform: string;
  cores: number;
  cpu: string;
  /** How each size's process was started (node's flags: the TypeScript loader, --expose-gc). */
  execArgv: string[];
  loadavgStart: number[];
  loadavgEnd: number[];
  workload: Workload;
  sizes: SizeResult[];
}

const n = (x: number): string => x.toLocaleString('en');
const load = (xs: number[]): string => xs.map((x) => x.toFixed(2)).join(' / ');

function table(results: SizeResult[]): string {
  const head =
    '| agents | queues | skills | setup ms | simulated s | commands | offers | commands/s | offers/s | p50 µs | p99 µs | p99 routing µs | max µs | RSS before domain MB | heap before domain MB | RSS after setup MB | heap after setup MB | peak RSS MB | RSS at end MB | heap reserved MB | of which young gen. MB | heap at end MB | external MB | waiting at end |';
  const rule = '|' + ' ---: |'.repeat(24);
  const rows = results.map(
    (r) =>
      `| ${n(r.agents)} | ${n(r.queues)} | ${r.skills} | ${r.setupMs} | ${r.simulatedS} | ${n(r.commands)} | ${n(r.offers)} | ${n(r.commandsPerS)} | ${n(r.offersPerS)} | ${r.p50us} | ${r.p99us} | ${r.p99RoutingUs} | ${r.maxUs} | ${r.baseRssMb} | ${r.baseHeapMb} | ${r.setupRssMb} | ${r.setupHeapMb} | ${r.rssMb} | ${r.rssAfterGcMb} | ${r.heapTotalMb} | ${r.youngMb} | ${r.heapMb} | ${r.externalMb} | ${n(r.waitingAtEnd)} |`,
  );
  return [head, rule, ...rows].join('\n');
}

/** Where the memory went, per size, from the measured figures. */
function memoryLines(results: SizeResult[]): string[] {
  return results.map(
    (r) =>
      `- ${n(r.agents)} agents: ${r.baseRssMb} MB RSS (heap ${r.baseHeapMb} MB) before the domain; after setup ${r.setupRssMb} MB RSS, heap ${r.setupHeapMb} MB ` +
      `(+${r.setupHeapMb - r.baseHeapMb} MB for agents and queues); peak ${r.rssMb} MB during the simulation; at the end ${r.rssAfterGcMb} MB RSS, ` +
      `heap ${r.heapMb} MB used of ${r.heapTotalMb} MB reserved (${r.youngMb} MB young generation), ${r.externalMb} MB outside the heap.`,
  );
}

export function renderReport(run: CtiRoutingRun): string {
  const w = run.workload;
  return [
    '# Benchmark 2: CTI routing alone (cti/domain, no Asterisk, no broker)',
    '',
    `Command: \`${run.command}\` (raw figures: \`bench/results/cti-routing.json\`).`,
    '',
    `Revision ${run.revision}${run.dirty ? ' (with uncommitted changes to tracked files)' : ''}; ${run.startedAt} to ${run.finishedAt}; ` +
      `Node ${run.node}, ${run.platform}, ${run.cores} cores (${run.cpu}); one process per size, started as \`node ${run.execArgv.join(' ')}\`. ` +
      `Load average (1 / 5 / 15 min) at start ${load(run.loadavgStart)}, at end ${load(run.loadavgEnd)}: other work on the machine is not stopped, and figures vary with it.`,
    '',
    `Workload: ${n(w.queues)} queues (80% voice, 5% video, 15% e-mail; 1-2 required skills, priority 1-5, policies 60% longest-idle / 20% least-calls / 20% highest-skill), ` +
      `${w.skills} skills, ${w.skillsPerAgent} skills per agent (levels 1-10; 10% of agents take video, 20% e-mail x3; every agent keeps the domain's default SMS 3 / fax 1, which no queue serves). ` +
      `Poisson arrivals spread uniformly over the queues at ${w.occupancy * 100}% of real-time capacity; handle time exponential (voice ${w.voiceHandleMs / 1000} s, e-mail ${w.emailHandleMs / 1000} s), ` +
      `wrap-up ${w.wrapUpMs / 1000} s on 70% of queues, ${w.noAnswerRate * 100}% ring-no-answer (${w.ringTimeoutMs / 1000} s ring timer), ${w.breakRate * 100}% of releases followed by a break, not-ready agents back after 30 s, callers abandon after an exponential ${w.patienceMs / 1000} s. ` +
      'Simulated clock; every façade call (arrival, ringing, answer, release, abandon, timer, ready/not-ready) is timed on the wall clock with `process.hrtime.bigint()`.',
    '',
    'commands/s = façade calls / time spent in them; offers/s = routing decisions (offers) / the same time; p50/p99 over all calls; "p99 routing" over the calls that produced an offer. Setup (adding agents and queues, log-in, ready) is not in the figures. ' +
      "Memory is the whole process (domain + this harness), from `process.memoryUsage()` after a forced collection (`--expose-gc`) before the domain exists, after setup and at the end; the peak is sampled during the simulation; the young generation is `v8.getHeapSpaceStatistics()`'s `new_space`.",
    '',
    '## Memory, as measured',
    '',
    ...memoryLines(run.sizes),
    '',
    '## Figures',
    '',
    table(run.sizes),
    '',
  ].join('\n');
}
