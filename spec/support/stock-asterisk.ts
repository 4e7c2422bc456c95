import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A second Asterisk in the project's chroot that runs Debian's stock configuration (`/etc/asterisk` as the
 * package installs it), on ports of its own: the "existing Asterisk" of docs/operations/existing-asterisk.md,
 * to which a test applies the documented steps. Its files live under the chroot's /tmp and go with stop().
 */
const ROOT = path.resolve(__dirname, '..', '..');
const CHROOT = process.env.IPCC_CHROOT ?? '/var/lib/ipcc/sid';
const asRoot = (cmd: string[]) => (process.getuid?.() === 0 ? cmd : ['sudo', ...cmd]);

function run(cmd: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const [file = 'true', ...args] = cmd;
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
      (err: Error | null, out: string, errOut: string) =>
        err ? reject(new Error(`${cmd.join(' ')}: ${err.message}\n${errOut}`)) : resolve(out),
    );
  });
}

export class StockAsterisk {
  readonly inside: string;
  readonly etc: string;
  private child?: ChildProcess;

  constructor(
    readonly httpPort: number,
    readonly sipPort: number,
  ) {
    this.inside = `/tmp/ipcc-existing-${process.pid}`;
    this.etc = path.join(CHROOT, this.inside, 'etc');
  }

  get ariUrl(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  /** The CLI of this Asterisk, as ASTERISK_CLI takes it. */
  get cli(): string {
    return asRoot([
      'chroot',
      CHROOT,
      '/usr/sbin/asterisk',
      '-C',
      `${this.inside}/etc/asterisk.conf`,
      '-rx',
    ]).join(' ');
  }

  rx(command: string): Promise<string> {
    return run([...this.cli.split(' '), command]);
  }

  /**
   * The stock files, with what an administrator already had: the HTTP server on (its own port), and no
   * AMI or legacy channel drivers listening (the embedded Asterisk has none either).
   */
  async prepare(): Promise<void> {
    const base = path.join(CHROOT, this.inside);
    for (const d of ['etc', 'run', 'db', 'spool', 'log', 'cache'])
      await mkdir(path.join(base, d), { recursive: true });
    await cp(path.join(CHROOT, 'etc/asterisk'), this.etc, { recursive: true });
    const stock = await readFile(path.join(this.etc, 'asterisk.conf'), 'utf8');
    const dirs: Array<[string, string]> = [
      ['astetcdir', `${this.inside}/etc`],
      ['astrundir', `${this.inside}/run`],
      ['astdbdir', `${this.inside}/db`],
      ['astspooldir', `${this.inside}/spool`],
      ['astlogdir', `${this.inside}/log`],
      ['astcachedir', `${this.inside}/cache`],
    ];
    let conf = stock.replace(/^\[directories\]\(!\)$/m, '[directories]');
    for (const [key, dir] of dirs) conf = conf.replace(new RegExp(`^${key} => .*$`, 'm'), `${key} => ${dir}`);
    await writeFile(path.join(this.etc, 'asterisk.conf'), conf);
    await this.edit('http.conf', /^\[general\]$/m, `[general]\nenabled = yes\nbindport = ${this.httpPort}`);
    await this.edit('manager.conf', /^enabled = yes$/m, 'enabled = no');
    const noload = [
      'chan_iax2',
      'chan_skinny',
      'chan_mgcp',
      'chan_unistim',
      'chan_ooh323',
      'pbx_dundi',
      'chan_dahdi',
    ];
    await this.edit(
      'modules.conf',
      /^\[modules\]$/m,
      `[modules]\n${noload.map((m) => `noload => ${m}.so`).join('\n')}`,
    );
  }

  private async edit(file: string, pattern: RegExp, replacement: string): Promise<void> {
    const p = path.join(this.etc, file);
    const text = await readFile(p, 'utf8');
    if (!pattern.test(text)) throw new Error(`${file}: ${String(pattern)} not found in the stock file`);
    await writeFile(p, text.replace(pattern, replacement));
  }

  /** `bash scripts/asterisk.sh snippets` into this Asterisk's configuration directory. */
  renderSnippets(): Promise<string> {
    return run(['bash', 'scripts/asterisk.sh', 'snippets', this.etc], {
      SIP_HOST: '127.0.0.1',
      SIP_PORT: String(this.sipPort),
    });
  }

  /** Appends lines to one of its files (the include lines of the documented steps). */
  append(file: string, lines: string[]): Promise<void> {
    return appendFile(path.join(this.etc, file), `\n${lines.join('\n')}\n`);
  }

  async start(): Promise<void> {
    const [file = 'chroot', ...args] = asRoot([
      'chroot',
      CHROOT,
      '/usr/sbin/asterisk',
      '-f',
      '-n',
      '-C',
      `${this.inside}/etc/asterisk.conf`,
    ]);
    this.child = spawn(file, args, { stdio: 'ignore' });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`the stock Asterisk exited (${this.child.exitCode})`);
      const up = await fetch(`${this.ariUrl}/ari/asterisk/info`).then(
        (r) => r.status,
        () => 0,
      );
      // 401: ARI answers, the user is not there yet; that is this Asterisk's stock state.
      if (up === 401 || up === 200) return;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`the stock Asterisk's HTTP server did not answer on ${this.httpPort} in 60 s`);
  }

  /** Stops the Asterisk this test started (its CLI, then its process) and removes its files. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await this.rx('core stop now').catch(() => child.kill('SIGTERM'));
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(path.join(CHROOT, this.inside), { recursive: true, force: true });
  }
}
