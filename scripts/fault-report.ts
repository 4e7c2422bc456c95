/**
 * The long fault run's Markdown report, from its JSON only (scripts/fault.ts writes both; this file
 * alone re-renders the Markdown from a kept JSON):
 *
 *   tsx scripts/fault-report.ts [--json bench/results/fault-injection.json] [--out bench/results/fault-injection.md]
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { LoadSize, RoundOutcome } from '../spec/support/fault-load';
import { type LegAroundFault, MIN_PACKETS, RTP_WINDOW_MS } from '../spec/support/fault-rtp';

export interface FaultRun {
  command: string;
  revision: string;
  dirty: boolean;
  startedAt: string;
  finishedAt: string;
  cores: number;
  cpu: string;
  memGiB: number;
  size: LoadSize;
  /** Fault name and what it does, in the order run. */
  faults: Array<{ fault: string; action: string }>;
  rounds: RoundOutcome[];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const spread = (xs: number[], digits = 1) =>
  xs.length === 0
    ? '-'
    : `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})`;
const finite = (xs: number[]) => xs.filter((x) => Number.isFinite(x));

function byFault(rounds: RoundOutcome[]): Map<string, RoundOutcome[]> {
  const m = new Map<string, RoundOutcome[]>();
  for (const r of rounds) m.set(r.fault, [...(m.get(r.fault) ?? []), r]);
  return m;
}

function outcomeRow(name: string, rs: RoundOutcome[]): string {
  const stage = (k: 'talking' | 'ringing' | 'queued' | 'ivr') =>
    `${sum(rs.map((r) => r[k].ok))}/${sum(rs.map((r) => r[k].total))}`;
  return `| ${[
    name,
    String(rs.length),
    spread(finite(rs.map((r) => r.recoverySec))),
    `${sum(rs.map((r) => r.dropped))}/${sum(rs.map((r) => r.talking.total))}`,
    stage('talking'),
    stage('ringing'),
    stage('queued'),
    stage('ivr'),
    String(sum(rs.map((r) => r.lost.length))),
    String(sum(rs.map((r) => r.duplicated.length))),
    String(sum(rs.map((r) => r.agentStates.length))),
    String(sum(rs.map((r) => r.leftInAsterisk))),
    String(sum(rs.map((r) => r.sippFailures.length))),
  ].join(' | ')} |`;
}

/** Per fault, over every leg of every talking call: packets per 2 s window, before and after. */
function rtpRow(name: string, rs: RoundOutcome[]): string {
  const legs: LegAroundFault[] = rs.flatMap((r) => r.rtp.flatMap((t) => [t.caller, t.agentLeg]));
  const cell = (f: (l: LegAroundFault) => number) => {
    const xs = legs.map(f);
    return xs.length === 0 ? '-' : `${median(xs)} (${Math.min(...xs)}-${Math.max(...xs)})`;
  };
  const flowing = legs.filter((l) => l.after.sent >= MIN_PACKETS && l.after.received >= MIN_PACKETS).length;
  return `| ${[
    name,
    String(sum(rs.map((r) => r.rtp.length))),
    String(legs.length),
    cell((l) => l.before.sent),
    cell((l) => l.before.received),
    cell((l) => l.after.sent),
    cell((l) => l.after.received),
    cell((l) => l.maxGapMs),
    `${flowing}/${legs.length}`,
  ].join(' | ')} |`;
}

function asteriskLines(rs: RoundOutcome[]): string[] {
  const lines = [
    '| round | services recovered s | state recovered s | calls cleared | talking dropped | stuck | new call answered | new call RTP sent/received per leg, caller / agent |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rs) {
    const s = r.stateRecovery;
    const n = s?.newCall.rtp;
    lines.push(
      `| ${[
        String(r.round),
        Number.isFinite(r.recoverySec) ? r.recoverySec.toFixed(1) : '-',
        s !== undefined && Number.isFinite(s.stateRecoveredSec) ? s.stateRecoveredSec.toFixed(1) : '-',
        s === undefined ? '-' : `${s.cleared}/${s.total}`,
        `${r.dropped}/${r.talking.total}`,
        s === undefined ? '-' : String(s.stuck.length),
        s === undefined ? '-' : s.newCall.established ? 'yes' : 'no',
        n === undefined
          ? '-'
          : `${n.caller.after.sent}/${n.caller.after.received} / ${n.agentLeg.after.sent}/${n.agentLeg.after.received}`,
      ].join(' | ')} |`,
    );
  }
  return lines;
}

function details(rs: RoundOutcome[]): string[] {
  const lines: string[] = [];
  for (const r of rs) {
    const items = [
      ...r.talking.problems,
      ...r.ringing.problems,
      ...r.queued.problems,
      ...r.ivr.problems,
      ...r.lost.map((l) => `lost: ${l}`),
      ...r.duplicated.map((d) => `duplicated: ${d}`),
      ...r.agentStates.map((a) => `agent state: ${a}`),
      ...r.sippFailures.map((f) => `sipp: ${f.replace(/\s+/g, ' ').slice(0, 200)}`),
      ...(r.stateRecovery?.stuck.map((s) => `stuck: ${s}`) ?? []),
      ...(r.stateRecovery?.newCall.problems.map((p) => `after the restart: ${p}`) ?? []),
      ...(r.leftInAsterisk > 0 ? [`${r.leftInAsterisk} channels/bridges left in Asterisk`] : []),
      ...(r.error === undefined ? [] : [`round failed: ${r.error}`]),
    ];
    if (items.length === 0) continue;
    lines.push(`- ${r.fault}, round ${r.round}:`);
    for (const i of items) lines.push(`  - ${i.replace(/\|/g, '/')}`);
  }
  return lines;
}

export function renderReport(run: FaultRun, jsonName: string): string {
  const groups = byFault(run.rounds);
  const { size } = run;
  const asterisk = groups.get('asterisk') ?? [];
  const others = [...groups.entries()].filter(([name]) => name !== 'asterisk');
  const problems = details(run.rounds);
  return [
    '# Fault injection under load',
    '',
    `Command: \`${run.command}\` (from the repository root; \`scripts/fault.sh\` brings the system up first).`,
    `Revision ${run.revision}${run.dirty ? ' (with uncommitted changes to tracked files)' : ''}; ` +
      `${run.startedAt} to ${run.finishedAt}; ${run.cores} CPUs (${run.cpu}), ${run.memGiB} GiB. ` +
      `Every figure below is computed from \`${jsonName}\` (\`tsx scripts/fault-report.ts\` renders this page from it).`,
    '',
    `Load in every round: ${size.talking} calls talking (agent 1001 and ${size.talking - 1} extra sales agents, every`,
    'caller and phone sending RTP), 1 ringing (agent 1003, answers after ' + `${size.ringMs / 1000} s),`,
    `${size.queuedPerQueue} queued in each of sales and support (the other agents signed out), ${size.ivrCallers} in the IVR menu`,
    `(pressing 2 from ${size.keyDelayMs / 1000} s after answer, every 2.5 s). The fault hits once every call is in its stage;`,
    'after the recovery agents 1002 and 1004 sign in and must be given two waiting callers, sales ones',
    'first (sales outranks support). The suite then hangs every caller up itself (ARI), so a call that',
    'ended before is dropped. First round: no fault (control).',
    'How each stage is judged, and what each fault does: `docs/fault-injection.md`.',
    '',
    '## Outcomes per fault',
    '',
    'Talking carried on: not dropped, and both legs sent and received at least ' +
      `${MIN_PACKETS} RTP packets in the ${RTP_WINDOW_MS / 1000} s after the fault.`,
    '',
    '| fault | rounds | recovery s, median (min-max) | talking dropped | talking carried on (RTP both ways) | ringing carried on | queued carried on | IVR carried on | events lost | events duplicated | agent state mismatches | left in Asterisk | sipp failures |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...others.map(([name, rs]) => outcomeRow(name, rs)),
    ...(asterisk.length > 0 ? [outcomeRow('asterisk', asterisk)] : []),
    '',
    '## RTP of the talking calls around each fault',
    '',
    `PCMU packets per leg (a leg: a caller's or an agent phone's media port, tcpdump on \`lo\`) in the ${RTP_WINDOW_MS / 1000} s`,
    'up to the fault and in the 2 s from the moment the injection command returned (for the process kills',
    'that includes the restart), median (min-max) over every leg of every round. A leg sends and',
    'receives 100 packets in 2 s (20 ms a packet). Max gap: the longest silence in what a leg received',
    `from the start of the first window to the end of the second. Flowing: legs with at least ${MIN_PACKETS} each way after.`,
    '',
    '| fault | talking calls | legs | sent before | received before | sent after | received after | max gap ms | flowing after |',
    '|---|---|---|---|---|---|---|---|---|',
    ...[...groups.entries()].map(([name, rs]) => rtpRow(name, rs)),
    '',
    ...(asterisk.length === 0
      ? []
      : [
          '## Asterisk killed',
          '',
          'Every call drops with Asterisk (its callers keep sending and receive nothing after it). Services',
          'recovered: every health probe passes (both Stasis apps registered again). State recovered: every',
          'call of the round has its ConnectionCleared (time of arrival on the bus) and every agent that was',
          'talking or ringing has a stored state that is neither (its stored time), whichever came last,',
          'from the kill. Then every agent signs out, 1001 signs in and a new sales call must be answered,',
          'with RTP both ways in the 2 s from half a second after its answer.',
          '',
          ...asteriskLines(asterisk),
          '',
        ]),
    'Faults:',
    '',
    ...run.faults.map((f) => `- \`${f.fault}\`: ${f.action}`),
    '',
    '## What went wrong, per round',
    '',
    ...(problems.length === 0 ? ['Nothing: every target met in every round.'] : problems),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const results = path.resolve(__dirname, '..', 'bench', 'results');
  const { values } = parseArgs({
    options: {
      json: { type: 'string', default: path.join(results, 'fault-injection.json') },
      out: { type: 'string', default: path.join(results, 'fault-injection.md') },
    },
  });
  const run = JSON.parse(await readFile(values.json, 'utf8')) as FaultRun;
  await writeFile(values.out, renderReport(run, path.basename(values.json)));
  console.log(`report: ${values.out}`);
}

if (require.main === module)
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
