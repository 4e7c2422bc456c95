import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const run = process.env.IPCC_RUN ?? path.join(root, '.run');

function sh(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', args, { cwd: root, timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

/**
 * kill -9 of one of the system's processes, supervisor included (its whole process group), as a crash
 * of the host's unit would: it stays down until `start`. (Killing the service alone is answered by its
 * supervisor within a second or two: spec/integration/ops/supervision.spec.ts.)
 */
export async function crash(service: 'softacd' | 'ivr' | 'cti' | 'as'): Promise<void> {
  const pid = Number((await readFile(path.join(run, 'pids', `${service}.pid`), 'utf8')).trim());
  process.kill(-pid, 'SIGKILL');
  await sh([
    '-c',
    `rm -f '${path.join(run, 'pids', `${service}.pid`)}' '${path.join(run, 'pids', `${service}.child.pid`)}'`,
  ]);
}

export async function start(service: 'softacd' | 'ivr' | 'cti' | 'as'): Promise<void> {
  await sh(['scripts/services.sh', 'start', service]);
}

/**
 * SIGSTOP (true) / SIGCONT (false) to one of the system's processes (its whole process group): it stops
 * handling messages, which wait in its queue, and takes them up where it left off. A test holds CTI
 * this way to keep a call in routing for as long as it needs.
 */
export async function freeze(service: 'softacd' | 'ivr' | 'cti' | 'as', frozen: boolean): Promise<void> {
  const pid = Number((await readFile(path.join(run, 'pids', `${service}.pid`), 'utf8')).trim());
  process.kill(-pid, frozen ? 'SIGSTOP' : 'SIGCONT');
}
