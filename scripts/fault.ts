/**
 * Fault injection, long form (issue 5): more calls in every stage and several rounds of each fault,
 * then a Markdown report of every fault's outcome. Run by `npm run fault` (scripts/fault.sh), which
 * brings the system up first; the system is left up, with every agent signed out.
 *
 *   tsx scripts/fault.ts [--reps 3] [--queued 3] [--ivr 3] [--faults softacd,ivr,...] [--out FILE]
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FaultLoad, type LoadSize, type RoundOutcome, SHORT_LOAD } from '../spec/support/fault-load';
import { FAULTS, FAULT_ACTIONS, type Fault, restoreSystem, unhealthy } from '../spec/support/faults';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '3' },
    queued: { type: 'string', default: '3' },
    ivr: { type: 'string', default: '3' },
    faults: { type: 'string', default: FAULTS.join(',') },
    out: { type: 'string', default: path.resolve(__dirname, '..', 'bench', 'results', 'fault-injection.md') },
  },
});
const reps = Number(values.reps);
const size: LoadSize = {
  ...SHORT_LOAD,
  queuedPerQueue: Number(values.queued),
  ivrCallers: Number(values.ivr),
};
const faults = values.faults.split(',').map((f) => {
  if (!(FAULTS as readonly string[]).includes(f))
    throw new Error(`unknown fault ${f} (${FAULTS.join(', ')})`);
  return f as Fault;
});

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

function row(name: string, rs: RoundOutcome[]): string {
  // A round that failed before its fault has no recovery time: the column is over the rounds that do.
  const rec = rs.map((r) => r.recoverySec).filter((x) => Number.isFinite(x));
  const stage = (k: 'talking' | 'ringing' | 'queued' | 'ivr') =>
    `${sum(rs.map((r) => r[k].ok))}/${sum(rs.map((r) => r[k].total))}`;
  const cells = [
    name,
    String(rs.length),
    rec.length === 0
      ? '-'
      : `${median(rec).toFixed(1)} (${Math.min(...rec).toFixed(1)}-${Math.max(...rec).toFixed(1)})`,
    `${sum(rs.map((r) => r.dropped))}/${sum(rs.map((r) => r.talking.total))}`,
    stage('ringing'),
    stage('queued'),
    stage('ivr'),
    String(sum(rs.map((r) => r.lost.length))),
    String(sum(rs.map((r) => r.duplicated.length))),
    String(sum(rs.map((r) => r.agentStates.length))),
    String(sum(rs.map((r) => r.leftInAsterisk))),
    String(sum(rs.map((r) => r.sippFailures.length))),
  ];
  return `| ${cells.join(' | ')} |`;
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
      ...(r.leftInAsterisk > 0 ? [`${r.leftInAsterisk} channels/bridges left in Asterisk`] : []),
      ...(r.error === undefined ? [] : [`round failed: ${r.error}`]),
    ];
    if (items.length === 0) continue;
    lines.push(`- ${r.fault}, round ${r.round}:`);
    for (const i of items) lines.push(`  - ${i.replace(/\|/g, '/')}`);
  }
  return lines;
}

async function main(): Promise<void> {
  const command = `npm run fault -- ${process.argv.slice(2).join(' ')}`.trim();
  const started = new Date();
  const load = new FaultLoad(size);
  await load.prepare();
  const outcomes = new Map<Fault | 'none', RoundOutcome[]>();
  let round = 0;
  const plan: Array<Fault | null> = [null];
  for (let r = 0; r < reps; r += 1) plan.push(...faults);
  try {
    for (const fault of plan) {
      round += 1;
      const name = fault ?? 'none';
      let o: RoundOutcome;
      try {
        o = await load.round(fault, round);
      } catch (err) {
        o = FaultLoad.failedRound(name, round, (err as Error).message);
      }
      console.log(
        `[${new Date().toISOString()}] round ${round} ${name}: recovered ${o.recoverySec.toFixed(1)} s, dropped ${o.dropped}, ` +
          `ringing ${o.ringing.ok}/${o.ringing.total}, queued ${o.queued.ok}/${o.queued.total}, ivr ${o.ivr.ok}/${o.ivr.total}, ` +
          `lost ${o.lost.length}, dup ${o.duplicated.length}, agent states ${o.agentStates.length}${o.error ? `, FAILED: ${o.error}` : ''}`,
      );
      outcomes.set(name, [...(outcomes.get(name) ?? []), o]);
      if ((await unhealthy()).length > 0) await restoreSystem();
    }
  } finally {
    await load.close();
  }

  const all = [...outcomes.values()].flat();
  const report = [
    '# Fault injection under load',
    '',
    `Command: \`${command}\` (from the repository root; \`scripts/fault.sh\` brings the system up first).`,
    `Run: ${started.toISOString()} to ${new Date().toISOString()}, on ${os.cpus().length} CPUs ` +
      `(${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB.`,
    '',
    `Load in every round: 1 call talking (agent 1001), 1 ringing (agent 1003, answers after ${size.ringMs / 1000} s),`,
    `${size.queuedPerQueue} queued in each of sales and support (the other agents signed out), ${size.ivrCallers} in the IVR menu`,
    `(pressing 2 from ${size.keyDelayMs / 1000} s after answer, every 2.5 s). The fault hits once every call is in its stage;`,
    'after the recovery agents 1002 and 1004 sign in and must be given two waiting callers, sales ones',
    'first (sales outranks support). The suite then hangs every caller up itself (ARI), so a call that',
    'ended before is dropped. First round: no fault (control).',
    'How each stage is judged, and what each fault does: `docs/fault-injection.md`.',
    '',
    '| fault | rounds | recovery s, median (min-max) | talking dropped | ringing carried on | queued carried on | IVR carried on | events lost | events duplicated | agent state mismatches | left in Asterisk | sipp failures |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...[...outcomes.entries()].map(([name, rs]) => row(name, rs)),
    '',
    'Faults:',
    '',
    ...faults.map((f) => `- \`${f}\`: ${FAULT_ACTIONS[f]}`),
    '',
    '## What went wrong, per round',
    '',
    ...(details(all).length === 0 ? ['Nothing: every target met in every round.'] : details(all)),
    '',
  ].join('\n');
  await writeFile(values.out, report);
  console.log(`report: ${values.out}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
