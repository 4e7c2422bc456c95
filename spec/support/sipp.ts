import { execFile } from 'node:child_process';
import path from 'node:path';

export interface SippRun {
  code: number;
  stdout: string;
  stderr: string;
}

const scenarios = path.resolve(__dirname, '..', 'sipp');

/** Runs a real sipp against Asterisk's SIP port on loopback and resolves with its exit code. */
export function sipp(
  scenario: string,
  opts: {
    service: string;
    localPort: number;
    vars?: Record<string, string>;
    holdMs?: number;
    calls?: number;
    extra?: string[];
    /** sipp's own limit on the whole run (-timeout), seconds; 30 unless given. */
    timeoutSec?: number;
    /** Ends sipp early (SIGTERM), e.g. a phone still waiting for a call when a test gives up. */
    signal?: AbortSignal;
    /** sipp's working directory: where scenarios that stream media find their files (audio.ulaw). */
    cwd?: string;
  },
): Promise<SippRun> {
  const target = `${process.env.SIP_HOST ?? '127.0.0.1'}:${process.env.SIP_PORT ?? '5060'}`;
  const args = [target, '-sf', path.join(scenarios, scenario), '-s', opts.service, '-i', '127.0.0.1'];
  args.push('-p', String(opts.localPort), '-m', String(opts.calls ?? 1), '-d', String(opts.holdMs ?? 3000));
  const timeoutSec = opts.timeoutSec ?? 30;
  args.push('-nostdin', '-timeout', `${timeoutSec}s`, '-timeout_error');
  for (const [k, v] of Object.entries(opts.vars ?? {})) args.push('-set', k, v);
  args.push(...(opts.extra ?? []));
  return new Promise((resolve, reject) => {
    execFile(
      'sipp',
      args,
      {
        timeout: (timeoutSec + 10) * 1000,
        signal: opts.signal,
        ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
      },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new Error('sipp is not installed (Debian package sip-tester)'));
          return;
        }
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
