/**
 * Self time per function from V8 .cpuprofile files (node --cpu-prof), one table per file: where a process
 * spent its CPU during a benchmark run.
 *
 *   npx tsx bench/profile-summary.ts DIR [top=15]
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export function selfTimes(p: Profile): { totalMs: number; rows: Array<{ name: string; ms: number }> } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const ms = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  // Each sample's time is the delta before the next one (V8's own attribution).
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    ms.set(id, (ms.get(id) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  }
  const byName = new Map<string, number>();
  for (const [id, t] of ms) {
    const n = byId.get(id);
    if (n === undefined) continue;
    const file = n.callFrame.url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, 'node_modules/');
    const name =
      `${n.callFrame.functionName || '(anonymous)'} ${file ? `${path.basename(path.dirname(file))}/${path.basename(file)}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
    byName.set(name, (byName.get(name) ?? 0) + t);
  }
  const rows = [...byName.entries()].map(([name, t]) => ({ name, ms: t })).sort((a, b) => b.ms - a.ms);
  return { totalMs: (p.endTime - p.startTime) / 1000, rows };
}

function main(): void {
  const dir = process.argv[2];
  const top = Number(process.argv[3] ?? 15);
  if (dir === undefined) throw new Error('usage: profile-summary.ts DIR [top]');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))) {
    const p = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Profile;
    const { totalMs, rows } = selfTimes(p);
    const busy = rows
      .filter((r) => !/^\((idle|program|garbage collector)\)/.test(r.name))
      .reduce((s, r) => s + r.ms, 0);
    const main = p.nodes
      .map((n) => /(cti|stasis-app\/softacd|stasis-app\/ivr|as)\/main\.ts/.exec(n.callFrame.url)?.[1])
      .find((m) => m !== undefined);
    console.log(
      `\n${f} (${main ?? 'tsx launcher'}): ${Math.round(totalMs)} ms profiled, ${Math.round(busy)} ms in JavaScript/native (not idle)`,
    );
    for (const r of rows.slice(0, top)) console.log(`  ${r.ms.toFixed(0).padStart(7)} ms  ${r.name}`);
  }
}

if (require.main === module) main();
