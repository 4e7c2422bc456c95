import { execFile } from 'node:child_process';
import path from 'node:path';
import type { CheckResult } from '../../scripts/preflight/checks';
import { expect } from '../support/chai';
import { requireSystem } from '../support/servers';

/**
 * `npm run preflight` against this machine's Asterisk: every check passes on the embedded system, and a
 * wrong ARI password (SoftACD's or ISAG's), a fax number without its dialplan or a module that is not
 * running makes it fail, naming that check, with exit 1.
 */
const root = path.resolve(__dirname, '..', '..');
const CLI = `bash ${path.join(root, 'scripts/asterisk.sh')} rx`;

interface Run {
  code: number;
  results: CheckResult[];
  stderr: string;
}

/** scripts/preflight.ts with this process's environment plus `env`, its JSON report parsed. */
function preflight(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      path.join(root, 'node_modules/.bin/tsx'),
      [path.join(root, 'scripts/preflight.ts'), '--json', ...args],
      { cwd: root, env: { ...process.env, ASTERISK_CLI: CLI, ...env }, timeout: 90_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        try {
          resolve({ code, results: JSON.parse(stdout) as CheckResult[], stderr });
        } catch {
          reject(new Error(`preflight printed no JSON (exit ${code}): ${stdout}\n${stderr}`));
        }
      },
    );
  });
}

function rx(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [path.join(root, 'scripts/asterisk.sh'), 'rx', command],
      { cwd: root, timeout: 30_000 },
      (err: Error | null, out: string) => (err ? reject(err) : resolve(out)),
    );
  });
}

const failing = (r: Run) => r.results.filter((c) => !c.ok).map((c) => c.id);

describe('preflight (scripts/preflight.ts) against the real Asterisk', function () {
  this.timeout(120_000);

  before(async () => {
    await requireSystem(['asterisk']);
  });

  it("passes all eleven checks on this machine, wss and ISAG's SMS and fax included, and exits 0", async () => {
    const run = await preflight(['--wss', '--fax-number', '7000']);
    expect(run.results.map((c) => `${c.id}:${c.ok ? 'pass' : c.detail}`)).to.deep.equal([
      'ari-user:pass',
      'version:pass',
      'cli:pass',
      'modules:pass',
      'dialplan:pass',
      'endpoints:pass',
      'transports:pass',
      'sounds:pass',
      'codecs:pass',
      'sms:pass',
      'fax:pass',
    ]);
    expect(run.code).to.equal(0);
    // The seeded fax queue's number, from the generated dialplan (scripts/fax-numbers.ts, ISAG).
    expect(run.results.find((c) => c.id === 'fax')?.detail).to.match(/fax numbers (.*, )?7000(,|$)/);
    expect(run.results.find((c) => c.id === 'transports')?.detail).to.match(
      /^ws, wss; TLS on 127\.0\.0\.1:\d+$/,
    );
  });

  it('a wrong ARI password: exit 1, the ARI user check names the 401 and the snippet', async () => {
    const run = await preflight([], { ARI_PASSWORD: 'not-the-password' });
    expect(run.code).to.equal(1);
    // What needs ARI cannot be checked; the CLI's checks still pass, and the version comes from the CLI.
    expect(failing(run)).to.deep.equal(['ari-user', 'modules', 'sounds', 'sms', 'fax']);
    const ari = run.results[0];
    expect(ari?.detail).to.equal('refused (401): user or password not accepted');
    expect(ari?.fix).to.contain('#include ari_ipcc.conf');
    expect(run.results.find((c) => c.id === 'version')?.ok).to.equal(true);
  });

  it("a wrong password of ISAG's ARI user fails the SMS check only, naming the snippet", async () => {
    const run = await preflight([], { ISAG_ARI_PASSWORD: 'not-the-password' });
    expect(run.code).to.equal(1);
    expect(failing(run)).to.deep.equal(['sms']);
    const sms = run.results.find((c) => c.id === 'sms');
    expect(sms?.detail).to.equal(`ISAG's ARI user ${process.env.ISAG_ARI_USER ?? 'isag'} refused (401)`);
    expect(sms?.fix).to.contain('#include ari_ipcc.conf');
  });

  it('a fax number no fax queue has fails the fax check; --no-sms --no-fax leave the nine', async () => {
    const run = await preflight(['--fax-number', '7999']);
    expect(run.code).to.equal(1);
    expect(failing(run)).to.deep.equal(['fax']);
    expect(run.results.find((c) => c.id === 'fax')?.detail).to.equal('not routed to fax-in: 7999');
    const without = await preflight(['--no-sms', '--no-fax', '--fax-number', '7999']);
    expect(without.results.map((c) => c.id)).to.not.include.members(['sms', 'fax']);
    expect([without.results.length, without.code]).to.deep.equal([9, 0]);
  });

  it('a required module Asterisk does not have: exit 1, the modules check names it', async () => {
    const run = await preflight(['--require-module', 'res_ipcc_no_such_module.so']);
    expect(run.code).to.equal(1);
    expect(failing(run)).to.deep.equal(['modules']);
    expect(run.results.find((c) => c.id === 'modules')?.detail).to.equal(
      'not running: res_ipcc_no_such_module.so (not loaded)',
    );
  });

  it('a required module unloaded from the running Asterisk is found, and passes again once loaded', async () => {
    // func_base64 is read by the dialplan only when a call enters it; no call runs under the test lock.
    await rx('module unload func_base64.so');
    try {
      const run = await preflight([]);
      expect(run.code).to.equal(1);
      expect(failing(run)).to.deep.equal(['modules']);
      const modules = run.results.find((c) => c.id === 'modules');
      expect(modules?.detail).to.match(
        /^not running: func_base64\.so \((Not Running|not loaded); BASE64_ENCODE/,
      );
      expect(modules?.fix).to.contain('module load func_base64.so');
    } finally {
      await rx('module load func_base64.so');
    }
    const again = await preflight([]);
    expect(failing(again)).to.deep.equal([]);
    expect(again.code).to.equal(0);
  });
});
