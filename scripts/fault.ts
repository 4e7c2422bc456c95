/**
 * Fault injection, long form (issue 5): more calls in every stage (20 talking, with RTP both ways)
 * and several rounds of each fault, then the run as JSON and the Markdown report rendered from it
 * (scripts/fault-report.ts). Run by `npm run fault` (scripts/fault.sh), which brings the system up
 * first; the system is left up, with every agent signed out and the extra talking agents removed.
 *
 *   tsx scripts/fault.ts [--reps 3] [--talking 20] [--queued 3] [--ivr 3] [--faults softacd,ivr,...] [--out FILE.md]
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  FaultLoad,
  type LoadSize,
  type RoundOutcome,
  SHORT_LOAD,
  failedRound,
} from '../spec/support/fault-load';
import { FAULTS, FAULT_ACTIONS, type Fault, restoreSystem, unhealthy } from '../spec/support/faults';
import { writeJson } from '../bench/support/json';
import { type FaultRun, renderReport } from './fault-report';

const root = path.resolve(__dirname, '..');

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '3' },
    talking: { type: 'string', default: '20' },
    queued: { type: 'string', default: '3' },
    ivr: { type: 'string', default: '3' },
    faults: { type: 'string', default: FAULTS.join(',') },
    out: { type: 'string', default: path.resolve(__dirname, '..', 'bench', 'results', 'fault-injection.md') },
  },
});
const reps = Number(values.reps);
const size: LoadSize = {
  ...SHORT_LOAD,
  talking: Number(values.talking),
  queuedPerQueue: Number(values.queued),
  ivrCallers: Number(values.ivr),
};
const faults = values.faults.split(',').map((f) => {
  if (!(FAULTS as readonly string[]).includes(f))
    throw new Error(`unknown fault ${f} (${FAULTS.join(', ')})`);
  return f as Fault;
});

const leastAfter = (o: RoundOutcome) =>
  Math.min(...o.rtp.flatMap((t) => [t.caller.after.received, t.agentLeg.after.received]));

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
        o = failedRound(name, round, (err as Error).message);
      }
      console.log(
        `[${new Date().toISOString()}] round ${round} ${name}: recovered ${o.recoverySec.toFixed(1)} s, dropped ${o.dropped}, ` +
          `talking ${o.talking.ok}/${o.talking.total} (least RTP received after by a leg: ${leastAfter(o)}), ` +
          (o.stateRecovery === undefined
            ? ''
            : `state recovered ${o.stateRecovery.stateRecoveredSec.toFixed(1)} s, new call ${o.stateRecovery.newCall.established}, `) +
          `ringing ${o.ringing.ok}/${o.ringing.total}, queued ${o.queued.ok}/${o.queued.total}, ivr ${o.ivr.ok}/${o.ivr.total}, ` +
          `lost ${o.lost.length}, dup ${o.duplicated.length}, agent states ${o.agentStates.length}${o.error ? `, FAILED: ${o.error}` : ''}`,
      );
      outcomes.set(name, [...(outcomes.get(name) ?? []), o]);
      if ((await unhealthy()).length > 0) await restoreSystem();
    }
  } finally {
    await load.close();
  }

  const git = (...a: string[]) => execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();
  const run: FaultRun = {
    command,
    revision: git('rev-parse', 'HEAD'),
    dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    size,
    faults: faults.map((f) => ({ fault: f, action: FAULT_ACTIONS[f] })),
    rounds: [...outcomes.values()].flat().sort((x, y) => x.round - y.round),
  };
  const json = values.out.replace(/\.md$/, '') + '.json';
  await writeJson(json, run);
  await writeFile(values.out, renderReport(run, path.basename(json)));
  console.log(`report: ${values.out} (from ${json})`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
