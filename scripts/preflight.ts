/**
 * Checks that an Asterisk (this machine's, or an existing one) has what the project needs, prints each
 * check as PASS or FAIL with how to fix it, and exits 1 when any fails (docs/operations/existing-asterisk.md).
 *
 *   npm run preflight -- [--wss] [--require-module NAME]... [--json]
 *
 * Reads ARI_URL, ARI_USER, ARI_PASSWORD, ASTERISK_CLI (default "asterisk -rx"; this machine's chroot:
 * "bash scripts/asterisk.sh rx"), ASTERISK_SOUNDS_DIR (optional: the sounds directory the prompts are
 * copied into, when it is on this host). --wss, or AS_TLS_CERT set (the desktop served over HTTPS),
 * also requires SIP over secure WebSocket.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate } from './preflight/checks';
import { execCli, gatherFacts, httpAri } from './preflight/facts';
import { reportText } from './preflight/report';
import { requiredModules, requirementsFrom } from './preflight/requirements';

const ROOT = path.resolve(__dirname, '..');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      wss: { type: 'boolean', default: false },
      'require-module': { type: 'string', multiple: true, default: [] },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('usage: npm run preflight -- [--wss] [--require-module NAME]... [--json]\n');
    return 0;
  }
  const env = process.env;
  const ariUser = env.ARI_USER ?? '';
  const req = requirementsFrom({
    extensionsSnippet: readFileSync(path.join(ROOT, 'asterisk/snippets/extensions_ipcc.conf'), 'utf8'),
    pjsipSnippet: readFileSync(path.join(ROOT, 'asterisk/snippets/pjsip_ipcc.conf'), 'utf8'),
    manifest: JSON.parse(readFileSync(path.join(ROOT, 'asterisk/prompts/manifest.json'), 'utf8')) as unknown,
    wss: values.wss || (env.AS_TLS_CERT ?? '') !== '',
    ariUser,
    modules: [...requiredModules(), ...values['require-module']],
  });
  const facts = await gatherFacts(req, {
    ari: httpAri({
      url: env.ARI_URL ?? 'http://127.0.0.1:8088',
      user: ariUser,
      password: env.ARI_PASSWORD ?? '',
    }),
    cli: execCli(env.ASTERISK_CLI ?? 'asterisk -rx'),
    soundsDir: env.ASTERISK_SOUNDS_DIR,
  });
  const results = evaluate(req, facts);
  process.stdout.write(values.json ? `${JSON.stringify(results, null, 2)}\n` : reportText(results));
  return results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`preflight: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
