import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { requireSystem } from '../../spec/support/servers';
import { pidsByComm, type ProcGroup } from './proc';

/**
 * The system under a benchmark: the operator's scripts run from the checkout, Asterisk and the services
 * restarted (optionally CPU-profiled), and the process groups whose CPU a run measures.
 */

export const ROOT = path.resolve(__dirname, '..', '..');

export function log(msg: string): void {
  console.error(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

export function script(name: string, ...args: string[]): string {
  return scriptWith({}, name, ...args);
}

export function scriptWith(env: Record<string, string>, name: string, ...args: string[]): string {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', name), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, ...env },
  });
  if (r.status !== 0)
    throw new Error(`scripts/${name} ${args.join(' ')} failed: ${r.stderr || String(r.error)}`);
  return r.stdout;
}

export function runDir(): string {
  const dir = process.env.IPCC_RUN;
  if (!dir) throw new Error('IPCC_RUN not set (export it and load_env as in scripts/lib.sh)');
  return dir;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function agentEndpoints(): void {
  const r = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    ['scripts/agent-endpoints.ts', path.join(runDir(), 'pjsip_agents.conf')],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
  );
  if (r.status !== 0) throw new Error(`agent-endpoints failed: ${r.stderr}`);
}

async function waitForSystem(): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
      // The IVR reads each call's flow from the AS (interface D): a call before the AS listens gets the default flow.
      const as = await fetch(
        `http://${process.env.AS_HOST ?? '127.0.0.1'}:${process.env.AS_PORT ?? '8090'}/openapi.json`,
      );
      if (!as.ok) throw new Error(`AS answers ${as.status}`);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(500);
    }
  }
}

/** Asterisk and every project process restarted (the brief: an overloaded Asterisk can keep channels). */
/** `profileDir`: the project's processes are CPU-profiled and write their profiles there when stopped. */
export async function restartSystem(profileDir?: string): Promise<void> {
  script('services.sh', 'stop');
  script('asterisk.sh', 'stop');
  script('asterisk.sh', 'start');
  scriptWith(
    profileDir === undefined
      ? {}
      : {
          // node refuses --cpu-prof in NODE_OPTIONS: a preloaded inspector session profiles instead.
          NODE_OPTIONS: `--require ${path.join(__dirname, 'cpu-profile.cjs')}`,
          IPCC_CPU_PROFILE_DIR: profileDir,
        },
    'services.sh',
    'start',
  );
  await waitForSystem();
}

export function processGroups(): ProcGroup[] {
  const pidOf = (name: string): number[] => {
    const file = path.join(runDir(), 'pids', `${name}.pid`);
    return existsSync(file) ? [Number(readFileSync(file, 'utf8').trim())] : [];
  };
  return [
    { name: 'asterisk', roots: pidOf('asterisk') },
    { name: 'softacd', roots: pidOf('softacd') },
    { name: 'ivr', roots: pidOf('ivr') },
    { name: 'cti', roots: pidOf('cti') },
    { name: 'as', roots: pidOf('as') },
    { name: 'rabbitmq', roots: pidsByComm('beam.smp') },
    { name: 'docstore', roots: [...pidOf('ferretdb'), ...pidsByComm('postgres')] },
  ];
}
