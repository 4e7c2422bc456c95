import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface SippProcess {
  child: ChildProcess;
  done: Promise<number>;
  output: () => string;
}

/** Starts sipp in `cwd` (its trace files land there) against Asterisk's SIP port on loopback. */
export function startSipp(cwd: string, args: string[], remote = true): SippProcess {
  const target = `${process.env.SIP_HOST ?? '127.0.0.1'}:${process.env.SIP_PORT ?? '5060'}`;
  const child = spawn('sipp', [...(remote ? [target] : []), '-i', '127.0.0.1', '-nostdin', ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer): void => {
    out = (out + d.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const done = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
  return { child, done, output: () => out };
}

/** Ends a sipp (SIGUSR1: stop taking calls and quit), killing it if it has not gone after `ms`. */
export async function stopSipp(p: SippProcess, ms = 8000): Promise<number> {
  p.child.kill('SIGUSR1');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), ms);
  try {
    return await p.done;
  } finally {
    clearTimeout(timer);
  }
}

/** The first file in `dir` whose name ends with `suffix` (sipp names its traces <scenario>_<pid>_…). */
export function traceFile(dir: string, suffix: string): string | undefined {
  const name = readdirSync(dir).find((f) => f.endsWith(suffix));
  return name === undefined ? undefined : path.join(dir, name);
}

/** The last row of sipp's -trace_stat CSV as a column → value map. */
export function lastStats(file: string): Map<string, string> {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const head = (lines[0] ?? '').split(';');
  const last = (lines[lines.length - 1] ?? '').split(';');
  return new Map(head.map((h, i) => [h, last[i] ?? '']));
}

/** Response times (ms) from sipp's -trace_rtt file (`date_ms;response_time_ms;rtd_no`). */
export function rttSamples(file: string | undefined): number[] {
  if (file === undefined) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.split(';'))
    .filter((f) => f.length >= 2 && /^[\d.]+$/.test((f[1] ?? '').trim()))
    .map((f) => Number(f[1]));
}
