import { existsSync } from 'node:fs';
import path from 'node:path';
import { LogFile, DEFAULT_ROTATION, type RotationSettings } from './log-file';
import { DEFAULT_BACKOFF, type BackoffSettings } from './policy';
import { Supervisor } from './supervisor';

/**
 * `node supervise.js <name> <log file> <child pid file> -- <command> [args...]`: runs the command and
 * restarts it when it dies (policy.ts), writing its output to the rotated log file. scripts/services.sh
 * starts every service this way; on a real host systemd does the same job (scripts/systemd-units.ts).
 */
function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, not ${raw}`);
  return n;
}

function settings(): { backoff: BackoffSettings; rotation: RotationSettings; stopGraceMs: number } {
  return {
    backoff: {
      baseMs: positiveInt('IPCC_RESTART_BACKOFF_MS', DEFAULT_BACKOFF.baseMs),
      maxMs: positiveInt('IPCC_RESTART_BACKOFF_MAX_MS', DEFAULT_BACKOFF.maxMs),
      stableMs: positiveInt('IPCC_RESTART_STABLE_MS', DEFAULT_BACKOFF.stableMs),
    },
    rotation: {
      size: process.env.IPCC_LOG_MAX_SIZE || DEFAULT_ROTATION.size,
      interval: process.env.IPCC_LOG_MAX_AGE || DEFAULT_ROTATION.interval,
      keep: positiveInt('IPCC_LOG_KEEP', DEFAULT_ROTATION.keep),
    },
    stopGraceMs: positiveInt('IPCC_STOP_GRACE_MS', 4_000),
  };
}

// When the supervisor itself is killed (kill -9), the kernel sends the child SIGTERM (prctl
// PR_SET_PDEATHSIG, set by util-linux's setpriv just before it execs the command): no orphan keeps
// the service's ports while a new supervisor starts another.
const SETPRIV = '/usr/bin/setpriv';

/**
 * services.sh hands the service's NODE_OPTIONS over as IPCC_CHILD_NODE_OPTIONS: a profiler or loader
 * preloaded for the service (bench/full-path.ts --profile) must not run in the supervisor as well.
 */
function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { IPCC_CHILD_NODE_OPTIONS: nodeOptions, ...rest } = env;
  return nodeOptions === undefined || nodeOptions === '' ? rest : { ...rest, NODE_OPTIONS: nodeOptions };
}

function main(argv: string[]): void {
  const dash = argv.indexOf('--');
  const [name, logPath, childPidFile] = argv.slice(0, dash);
  const command = argv.slice(dash + 1);
  if (
    dash !== 3 ||
    name === undefined ||
    logPath === undefined ||
    childPidFile === undefined ||
    command.length === 0
  ) {
    process.stderr.write('usage: supervise <name> <log file> <child pid file> -- <command> [args...]\n');
    process.exit(2);
  }
  const s = settings();
  const log = new LogFile(path.resolve(logPath), name, s.rotation);
  const [cmd, ...args] = existsSync(SETPRIV) ? [SETPRIV, '--pdeathsig', 'TERM', '--', ...command] : command;
  const supervisor = new Supervisor({
    command: cmd ?? '',
    args,
    env: childEnv(process.env),
    childPidFile: path.resolve(childPidFile),
    backoff: s.backoff,
    stopGraceMs: s.stopGraceMs,
    log,
    onDone: (code) => {
      log.close().then(
        () => process.exit(code),
        () => process.exit(code),
      );
    },
  });
  process.on('SIGTERM', () => supervisor.signal('SIGTERM'));
  process.on('SIGINT', () => supervisor.signal('SIGINT'));
  log.note('info', 'supervisor started', {
    pid: process.pid,
    command,
    backoff: s.backoff,
    rotation: s.rotation,
  });
  supervisor.start();
}

main(process.argv.slice(2));
