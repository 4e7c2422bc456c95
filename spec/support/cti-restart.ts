import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AgentClient } from './agent-client';
import { eventually } from './bus-observer';
import { secondsToRecover } from './faults';

const root = path.resolve(__dirname, '..', '..');
const run = process.env.IPCC_RUN ?? path.join(root, '.run');

function sh(args: string[], timeoutMs = 180_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', args, { cwd: root, timeout: timeoutMs }, (err, stdout, stderr) =>
      err ? reject(new Error(`${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

/**
 * Asterisk and every project process restarted, as the benchmark does between its steps
 * (bench/full-path.ts `restartSystem`): the services stopped (SIGTERM), Asterisk stopped and started
 * (every call gone), the services started; resolves once every health probe passes, with the ms taken.
 */
export async function restartWholeSystem(): Promise<number> {
  const since = Date.now();
  await sh(['scripts/services.sh', 'stop']);
  await sh(['scripts/asterisk.sh', 'stop']);
  await sh(['scripts/asterisk.sh', 'start']);
  await sh(['scripts/services.sh', 'start']);
  await secondsToRecover(since, undefined, 120_000);
  return Date.now() - since;
}

/** One service stopped (SIGTERM) or started (scripts/services.sh). */
export async function service(
  action: 'stop' | 'start',
  name: 'cti' | 'softacd' | 'ivr' | 'as',
): Promise<void> {
  await sh(['scripts/services.sh', action, name]);
}

export interface LogLine {
  message: string;
  timestamp: string;
  [key: string]: unknown;
}

/** CTI's log lines since `since` (JSON lines; a runtime's own output between them is skipped). */
export async function ctiLog(since: number): Promise<LogLine[]> {
  const text = await readFile(path.join(run, 'logs', 'cti.log'), 'utf8');
  return text
    .trim()
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as LogLine];
      } catch {
        return [];
      }
    })
    .filter((l) => Date.parse(l.timestamp) >= since);
}

/** An agent's client on interface A, authenticated, having sent `actions` (login, ready, logout). */
export async function agentSession(
  agentId: string,
  actions: Array<'login' | 'ready' | 'logout'>,
): Promise<AgentClient> {
  const c = new AgentClient();
  await c.connect();
  c.send({ type: 'auth', token: AgentClient.tokenFor(agentId) });
  await eventually(`welcome for ${agentId}`, () => c.of('welcome')[0], 5000);
  for (const type of actions) c.send({ type });
  return c;
}

/** An agent's state as CTI tells a client that connects (the `state` message after `welcome`). */
export async function stateOf(
  agentId: string,
): Promise<{ state: string; reason?: string; contactId?: string }> {
  const c = new AgentClient();
  await c.connect();
  try {
    c.send({ type: 'auth', token: AgentClient.tokenFor(agentId) });
    return await eventually('state on connection', () => c.of('state')[0], 3000);
  } finally {
    c.close();
  }
}

/** Waits until the agent's state, as CTI tells it, is `state`. */
export function agentIs(agentId: string, state: string, ms = 10_000): Promise<unknown> {
  return eventually(
    `agent ${agentId} ${state}`,
    async () => (await stateOf(agentId).catch(() => undefined))?.state === state,
    ms,
  );
}
