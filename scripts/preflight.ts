/**
 * Checks that an Asterisk (this machine's, or an existing one) has what the project needs, prints each
 * check as PASS or FAIL with how to fix it, and exits 1 when any fails (docs/operations/existing-asterisk.md).
 *
 *   npm run preflight -- [--wss] [--require-module NAME]... [--no-sms] [--no-fax] [--fax-number N]... [--json]
 *
 * Reads ARI_URL, ARI_USER, ARI_PASSWORD, ASTERISK_CLI (default "asterisk -rx"; this machine's chroot:
 * "bash scripts/asterisk.sh rx"), ASTERISK_SOUNDS_DIR (optional: the sounds directory the prompts are
 * copied into, when it is on this host). --wss, or AS_TLS_CERT set (the desktop served over HTTPS),
 * also requires SIP over secure WebSocket. ISAG's channels through Asterisk are checked too unless left
 * out: SMS over SIP MESSAGE (ISAG_ARI_USER, ISAG_ARI_PASSWORD, ISAG_SIP_MESSAGE_ENDPOINTS) and fax in
 * (--fax-number: numbers that must reach fax-in; none given, at least one must).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate } from './preflight/checks';
import { execCli, gatherFacts, httpAri } from './preflight/facts';
import { reportText } from './preflight/report';
import {
  dialplanContexts,
  messageContext,
  requiredModules,
  requirementsFrom,
  snippetModules,
} from './preflight/requirements';

const ROOT = path.resolve(__dirname, '..');

/** A snippet's text (undefined: not in this checkout). */
function snippet(name: string): string | undefined {
  const file = path.join(ROOT, 'asterisk/snippets', name);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      wss: { type: 'boolean', default: false },
      'require-module': { type: 'string', multiple: true, default: [] },
      json: { type: 'boolean', default: false },
      'no-sms': { type: 'boolean', default: false },
      'no-fax': { type: 'boolean', default: false },
      'fax-number': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run preflight -- [--wss] [--require-module NAME]... [--no-sms] [--no-fax] [--fax-number N]... [--json]\n',
    );
    return 0;
  }
  const env = process.env;
  const ariUser = env.ARI_USER ?? '';
  const isagAriUser = env.ISAG_ARI_USER ?? 'isag';
  const ariUrl = env.ARI_URL ?? 'http://127.0.0.1:8088';
  const pjsipSnippet = snippet('pjsip_ipcc.conf') ?? '';
  const req = requirementsFrom({
    extensionsSnippet: snippet('extensions_ipcc.conf') ?? '',
    pjsipSnippet,
    manifest: JSON.parse(readFileSync(path.join(ROOT, 'asterisk/prompts/manifest.json'), 'utf8')) as unknown,
    wss: values.wss || (env.AS_TLS_CERT ?? '') !== '',
    ariUser,
    modules: [...requiredModules(), ...values['require-module']],
    ...(values['no-sms']
      ? {}
      : {
          sms: {
            modules: snippetModules(snippet('modules_ipcc_sms.conf') ?? ''),
            endpoints: (env.ISAG_SIP_MESSAGE_ENDPOINTS ?? 'anonymous')
              .split(',')
              .map((e) => e.trim())
              .filter((e) => e !== ''),
            messageContext: messageContext(pjsipSnippet) ?? 'ipcc-messages',
            contexts: dialplanContexts(snippet('extensions_ipcc_sms.conf') ?? ''),
            ariUser: isagAriUser,
          },
        }),
    ...(values['no-fax']
      ? {}
      : {
          fax: {
            modules: snippetModules(snippet('modules_ipcc_fax.conf') ?? ''),
            contexts: dialplanContexts(snippet('extensions_ipcc_fax.conf') ?? ''),
            numbers: values['fax-number'],
          },
        }),
  });
  const facts = await gatherFacts(req, {
    ari: httpAri({ url: ariUrl, user: ariUser, password: env.ARI_PASSWORD ?? '' }),
    isagAri: httpAri({ url: ariUrl, user: isagAriUser, password: env.ISAG_ARI_PASSWORD ?? '' }),
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
