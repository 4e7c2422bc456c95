import { spawn, type ChildProcess } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import type { LogFile } from './log-file';
import { INITIAL, step, type Action, type BackoffSettings, type Event, type Snapshot } from './policy';

export interface SupervisorOptions {
  /** The child's command line. */
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Where the current child's pid is written (removed when the supervisor leaves). */
  childPidFile: string;
  backoff: BackoffSettings;
  /** How long a stopping child has before SIGKILL. */
  stopGraceMs: number;
  log: LogFile;
  /** Called once the supervisor is done, with the exit code it should leave with. */
  onDone: (code: number) => void;
}

/**
 * Runs one child and applies the restart policy (policy.ts) to what happens to it. This file is the
 * adapter: processes, timers and pid files; every decision is the table's.
 */
export class Supervisor {
  private at: Snapshot = INITIAL;
  private child: ChildProcess | undefined;
  private startedAt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private exitCode = 0;

  constructor(private readonly o: SupervisorOptions) {}

  start(): void {
    this.spawnChild();
  }

  /** SIGTERM or SIGINT received by the supervisor. */
  signal(name: NodeJS.Signals): void {
    this.o.log.note('info', `${name} received`, { state: this.at.state });
    this.handle({ type: 'signal' }, name);
  }

  private handle(event: Event, signal: NodeJS.Signals = 'SIGTERM'): void {
    const result = step(this.at, event, this.o.backoff);
    if (!result.ok) {
      this.o.log.note('error', 'supervisor event not allowed', { error: result.error });
      return;
    }
    this.at = result.next;
    this.act(result.action, signal);
  }

  private act(action: Action, signal: NodeJS.Signals): void {
    switch (action.type) {
      case 'schedule-restart':
        this.o.log.note('warn', 'restart scheduled', {
          delayMs: action.delayMs,
          crashes: this.at.crashes,
          restarts: this.at.restarts,
        });
        this.restartTimer = setTimeout(() => this.handle({ type: 'timer' }), action.delayMs);
        return;
      case 'spawn':
        this.spawnChild();
        return;
      case 'forward-signal':
        this.child?.kill(signal);
        this.killTimer = setTimeout(() => {
          this.o.log.note('warn', 'child did not stop in time: SIGKILL', { graceMs: this.o.stopGraceMs });
          this.child?.kill('SIGKILL');
        }, this.o.stopGraceMs);
        return;
      case 'cancel-restart-and-exit':
        clearTimeout(this.restartTimer);
        this.finish();
        return;
      case 'exit':
        clearTimeout(this.killTimer);
        this.finish();
        return;
      case 'ignore':
        return;
    }
  }

  private spawnChild(): void {
    const env = { ...this.o.env, IPCC_RESTARTS: String(this.at.restarts) };
    const child = spawn(this.o.command, this.o.args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.startedAt = Date.now();
    if (child.stdout !== null) this.o.log.follow(child.stdout, 'stdout');
    if (child.stderr !== null) this.o.log.follow(child.stderr, 'stderr');
    // 'error' without 'exit' is a spawn that failed (no such file): the same as an immediate crash.
    let gone = false;
    const exited = (code: number | null, sig: NodeJS.Signals | null, error?: string) => {
      if (gone) return;
      gone = true;
      const ranMs = Date.now() - this.startedAt;
      this.exitCode = code ?? 1;
      this.o.log.note(this.at.state === 'stopping' ? 'info' : 'error', 'child exited', {
        pid: child.pid,
        code,
        signal: sig,
        ranMs,
        ...(error === undefined ? {} : { error }),
      });
      this.handle({ type: 'exit', ranMs });
    };
    child.once('error', (err) => exited(null, null, err.message));
    child.once('exit', (code, sig) => exited(code, sig));
    if (child.pid !== undefined) {
      this.o.log.note('info', 'child started', { pid: child.pid, restarts: this.at.restarts });
      writeFile(this.o.childPidFile, `${child.pid}\n`).catch((err: unknown) =>
        this.o.log.note('error', 'child pid file not written', { error: String(err) }),
      );
    }
  }

  private finish(): void {
    this.o.log.note('info', 'supervisor stopped', { restarts: this.at.restarts });
    rm(this.o.childPidFile, { force: true })
      .catch(() => undefined)
      .finally(() => this.o.onDone(this.exitCode));
  }
}
