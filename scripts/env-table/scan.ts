import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Finds every environment variable the processes and scripts read, by reading their source: the table in
 * docs/operations/environment.md is checked against this (spec/unit/lib/settings-catalogue.spec.ts), so a
 * setting added in code without a catalogue entry fails the tests.
 */

/** Where settings are read: the processes' code and the operator's scripts; never the tests. */
export const SCANNED = ['as', 'cti', 'stasis-app', 'lib', 'isag', 'scripts', 'bench'] as const;

const NAME = '([A-Z][A-Z0-9_]*[A-Z0-9])';
const TS_READS = [
  // lib/config.ts env('X'), envInt('X'); as/settings.ts get('X'); lib/supervise positiveInt('X'). A new
  // reading helper needs its name here.
  new RegExp(`\\b(?:env|envInt|envBool|envList|positiveInt|get)\\(\\s*['"]${NAME}['"]`, 'g'),
  // process.env.X, and an environment passed in as a parameter (`environment.X`, `env.X`).
  new RegExp(`\\b(?:process\\.env|environment|env)\\.${NAME}\\b`, 'g'),
  new RegExp(`\\b(?:process\\.env|environment|env)\\[\\s*['"]${NAME}['"]\\s*\\]`, 'g'),
];
// In shell, a variable given a default (`${X:-d}`, `: "${X:=d}"`) is one the operator may set.
const SH_READS = [new RegExp(`\\$\\{${NAME}:[-=]`, 'g')];

export interface Read {
  name: string;
  /** The file, relative to the checkout. */
  file: string;
}

function walk(root: string, dir: string, out: string[]): void {
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') walk(root, rel, out);
    } else if (/\.(ts|mjs|sh)$/.test(entry.name) && !/\.(spec|test)\.ts$/.test(entry.name)) out.push(rel);
  }
}

/** Every read found under the scanned directories of `root`, in file order. */
export function scanReads(root: string): Read[] {
  const files: string[] = [];
  for (const dir of SCANNED) {
    if (statSync(path.join(root, dir), { throwIfNoEntry: false })?.isDirectory()) walk(root, dir, files);
  }
  const reads: Read[] = [];
  for (const file of files.sort()) {
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const re of file.endsWith('.sh') ? SH_READS : TS_READS) {
      for (const m of text.matchAll(re))
        reads.push({ name: m[1] as string, file: file.split(path.sep).join('/') });
    }
  }
  return reads;
}

/** The part of the system a file belongs to, for the table's "read by" column. */
export function areaOf(file: string): string {
  if (file === 'scripts/lib.sh') return 'load_env';
  const [top, sub] = file.split('/');
  if (top === 'stasis-app') return sub === 'softacd' || sub === 'ivr' ? sub : 'softacd, ivr';
  if (top === 'lib') return sub === 'supervise' ? 'supervisor' : 'all services';
  return top as string;
}

/** Variable name → the areas reading it, sorted. */
export function readersByName(reads: readonly Read[]): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const r of reads) {
    const areas = out.get(r.name) ?? new Set<string>();
    for (const a of areaOf(r.file).split(', ')) areas.add(a);
    out.set(r.name, areas);
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, [...v].sort()]));
}
