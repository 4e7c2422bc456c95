import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { CheckResult } from '../../scripts/preflight/checks';
import { expect } from '../support/chai';
import { requireSystem } from '../support/servers';
import { StockAsterisk } from '../support/stock-asterisk';

/**
 * docs/operations/existing-asterisk.md on a real "existing" Asterisk: Debian's stock configuration in a
 * second Asterisk. As installed, the preflight fails and names what is missing; after the documented
 * steps (render the snippets, the include lines, the reloads) it passes every check, without a restart.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const execFileP = promisify(execFile);
const HTTP_PORT = Number(process.env.STOCK_ASTERISK_HTTP_PORT ?? '8098');
const SIP_PORT = Number(process.env.STOCK_ASTERISK_SIP_PORT ?? '5098');

function preflight(pbx: StockAsterisk): Promise<{ code: number; results: CheckResult[] }> {
  return new Promise((resolve, reject) => {
    execFile(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      [path.join(ROOT, 'scripts/preflight.ts'), '--json'],
      { cwd: ROOT, env: { ...process.env, ARI_URL: pbx.ariUrl, ASTERISK_CLI: pbx.cli }, timeout: 90_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        try {
          resolve({ code, results: JSON.parse(stdout) as CheckResult[] });
        } catch {
          reject(new Error(`preflight printed no JSON (exit ${code}): ${stdout}\n${stderr}`));
        }
      },
    );
  });
}

describe('an existing Asterisk (Debian stock configuration) set up by the documented steps', function () {
  this.timeout(180_000);
  const pbx = new StockAsterisk(HTTP_PORT, SIP_PORT);

  before(async () => {
    await requireSystem(['asterisk']);
    await pbx.prepare();
    // Step 2: the snippets, rendered into its configuration directory (nothing includes them yet).
    await pbx.renderSnippets();
    await pbx.start();
  });
  after(async () => {
    await pbx.stop();
  });

  it('as installed: preflight exits 1 naming the ARI user, the dialplan, the endpoints and the transports', async () => {
    const run = await preflight(pbx);
    expect(run.code).to.equal(1);
    const failed = run.results.filter((r) => !r.ok);
    // Modules and prompts are read over ARI, so they cannot be checked before the ARI user exists.
    expect(failed.map((r) => r.id)).to.deep.equal([
      'ari-user',
      'modules',
      'dialplan',
      'endpoints',
      'transports',
      'sounds',
      'sms',
      'fax',
    ]);
    expect(failed.find((r) => r.id === 'ari-user')?.detail).to.equal(
      'refused (401): user or password not accepted',
    );
    expect(failed.find((r) => r.id === 'endpoints')?.detail).to.equal('missing: anonymous, guest, outside');
    expect(failed.find((r) => r.id === 'transports')?.detail).to.match(/^no transport with protocol = ws/);
    expect(run.results.find((r) => r.id === 'version')?.detail).to.match(/^22\./);
  });

  it('after the include lines and the reloads: every check passes, exit 0', async () => {
    // Step 4 of the documentation, as an administrator would type it.
    await pbx.append('pjsip.conf', [
      '#include pjsip_ipcc_global.conf',
      '#include pjsip_ipcc_transports.conf',
      '#include pjsip_ipcc.conf',
    ]);
    // The channels of ISAG: fax (and SMS over SIP MESSAGE, where its dialplan snippet exists) after the
    // core dialplan, and the fax numbers generated from the fax queues (step 5 of the documentation).
    const channels = ['extensions_ipcc_fax.conf', 'extensions_ipcc_sms.conf'].filter((f) =>
      existsSync(path.join(ROOT, 'asterisk/snippets', f)),
    );
    await pbx.append('extensions.conf', [
      '#include extensions_ipcc.conf',
      ...channels.map((f) => `#include ${f}`),
    ]);
    await execFileP(path.join(ROOT, 'node_modules/.bin/tsx'), [
      path.join(ROOT, 'scripts/fax-numbers.ts'),
      path.join(pbx.etc, 'extensions_ipcc_fax_numbers.conf'),
    ]);
    await pbx.append('ari.conf', ['#include ari_ipcc.conf']);
    await pbx.append('http.conf', ['#include http_ipcc.conf']);
    // Step 6: the reloads.
    for (const c of [
      'module reload res_pjsip.so',
      'dialplan reload',
      'module reload res_ari.so',
      'module reload http',
    ])
      await pbx.rx(c);
    const run = await preflight(pbx);
    expect(run.results.filter((r) => !r.ok).map((r) => `${r.id}: ${r.detail}`)).to.deep.equal([]);
    expect(run.results).to.have.length(11);
    expect(run.results.find((r) => r.id === 'fax')?.detail).to.match(/fax numbers (.*, )?7000(,|$)/);
    expect(run.code).to.equal(0);
    expect(await pbx.rx('dialplan show globals')).to.contain('FALLBACK_PROMPT=all-circuits-busy-now');
  });
});
