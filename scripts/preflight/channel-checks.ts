import type { AriAccess, CheckResult, Facts } from './checks';
import type { FaxRequirements, ModuleNeed, SmsRequirements } from './requirements';

/**
 * The checks of ISAG's channels through Asterisk: SMS over SIP MESSAGE and fax in (docs/sms.md,
 * docs/fax.md). Pure, like checks.ts, which runs them after its own.
 */

/** The CLI commands these checks read. */
export function channelCliCommands(
  sms: SmsRequirements | undefined,
  fax: FaxRequirements | undefined,
): string[] {
  return [
    ...(sms?.endpoints ?? []).map((e) => `pjsip show endpoint ${e}`),
    ...(sms?.contexts ?? []).map((c) => `dialplan show ${c}`),
    ...(fax === undefined ? [] : [...fax.contexts.map((c) => `dialplan show ${c}`), 'dialplan show acd']),
  ];
}

interface Found {
  problems: string[];
  fixes: string[];
}

/** Modules of one feature that are not running, named with their state and reason. */
function missingModules(needs: readonly ModuleNeed[], facts: Facts, snippet: string, found: Found): void {
  const loaded = facts.modules;
  if (loaded === undefined) return;
  const missing = needs.filter((n) => !n.names.some((name) => loaded.get(name) === 'Running'));
  if (missing.length === 0) return;
  found.problems.push(
    `not running: ${missing.map((n) => `${n.names.join('|')} (${loaded.get(n.names[0] ?? '') ?? 'not loaded'}; ${n.why})`).join(', ')}`,
  );
  found.fixes.push(
    `\`module load ${missing[0]?.names[0] ?? ''}\` now, and \`#include ${snippet}\` in modules.conf when ` +
      'autoload is off (Debian: the modules are in asterisk-modules)',
  );
}

function contextMissing(facts: Facts, context: string): boolean {
  return !(facts.cli?.get(`dialplan show ${context}`) ?? '').includes(`Context '${context}'`);
}

function ariUserProblem(user: string, access: AriAccess | undefined): string | undefined {
  if (access === undefined || access.kind === 'ok') return undefined;
  if (access.kind === 'unreachable') return `ISAG's ARI user ${user}: no answer (${access.error})`;
  return `ISAG's ARI user ${user} refused (${access.status})`;
}

function verdict(base: { id: string; title: string }, found: Found, ok: string): CheckResult {
  if (found.problems.length === 0) return { ...base, ok: true, detail: ok };
  return { ...base, ok: false, detail: found.problems.join('; '), fix: found.fixes.join('; ') };
}

export function smsCheck(req: SmsRequirements, facts: Facts, cliOk: boolean): CheckResult {
  const base = {
    id: 'sms',
    title: `SMS over SIP MESSAGE (${req.endpoints.join(', ')} → ${req.messageContext}, ARI user ${req.ariUser})`,
  };
  if (facts.modules === undefined) return { ...base, ok: false, detail: 'not checked: ARI did not answer' };
  const found: Found = { problems: [], fixes: [] };
  missingModules(req.modules, facts, 'modules_ipcc_sms.conf', found);
  const refused = ariUserProblem(req.ariUser, facts.isagAccess);
  if (refused !== undefined) {
    found.problems.push(refused);
    found.fixes.push(
      `ari.conf must have ISAG's user ${req.ariUser} with ISAG_ARI_PASSWORD: \`#include ari_ipcc.conf\` ` +
        '(rendered by `bash scripts/asterisk.sh snippets DIR`), then `module reload res_ari.so`',
    );
  }
  if (!cliOk) found.problems.push('endpoints and dialplan not checked: no CLI');
  else {
    const wrong: string[] = [];
    for (const e of req.endpoints) {
      const out = facts.cli?.get(`pjsip show endpoint ${e}`) ?? '';
      if (!/^\s*Endpoint:\s+\S/m.test(out) || /Unable to find object/.test(out)) {
        wrong.push(`endpoint ${e} missing`);
        continue;
      }
      const context = /^\s*message_context\s*:\s*(\S*)/m.exec(out)?.[1] ?? '';
      if (context !== req.messageContext)
        wrong.push(
          `${e} has message_context ${context === '' ? '(unset)' : context}, not ${req.messageContext}`,
        );
    }
    const contexts = req.contexts.filter((c) => contextMissing(facts, c));
    if (contexts.length > 0) wrong.push(`context ${contexts.join(', ')} missing`);
    if (wrong.length > 0) {
      found.problems.push(...wrong);
      found.fixes.push(
        `the customer endpoints need \`message_context = ${req.messageContext}\` (pjsip_ipcc.conf's customer ` +
          'template) and `#include extensions_ipcc_sms.conf` in extensions.conf; then `module reload ' +
          'res_pjsip.so` and `dialplan reload`',
      );
    }
  }
  return verdict(
    base,
    found,
    `modules running; ISAG's ARI user accepted; ${req.endpoints.join(', ')} → ${req.messageContext}`,
  );
}

/** The extensions of `[acd]` whose first step goes to `fax-in`. */
export function faxRoutes(acd: string): string[] {
  return [...acd.matchAll(/^\s*'([^']+)'\s*=>\s*1\.\s*Goto\(fax-in,/gm)].map((m) => m[1] ?? '');
}

export function faxCheck(req: FaxRequirements, facts: Facts, cliOk: boolean): CheckResult {
  const numbers = req.numbers.length > 0 ? req.numbers.join(', ') : 'at least one';
  const base = { id: 'fax', title: `fax in (ReceiveFAX, ${numbers} fax number to fax-in)` };
  if (facts.modules === undefined) return { ...base, ok: false, detail: 'not checked: ARI did not answer' };
  const found: Found = { problems: [], fixes: [] };
  missingModules(req.modules, facts, 'modules_ipcc_fax.conf', found);
  if (!cliOk) {
    found.problems.push('dialplan not checked: no CLI');
    return verdict(base, found, '');
  }
  const contexts = req.contexts.filter((c) => contextMissing(facts, c));
  const noReceive =
    !contexts.includes('fax-in') && !(facts.cli?.get('dialplan show fax-in') ?? '').includes('ReceiveFAX(');
  if (contexts.length > 0 || noReceive) {
    found.problems.push(
      contexts.length > 0 ? `context ${contexts.join(', ')} missing` : 'fax-in does not run ReceiveFAX',
    );
    found.fixes.push(
      'add `#include extensions_ipcc_fax.conf` after `#include extensions_ipcc.conf`, then `dialplan reload`',
    );
  }
  const routed = faxRoutes(facts.cli?.get('dialplan show acd') ?? '');
  const unrouted = req.numbers.filter((n) => !routed.includes(n));
  if (unrouted.length > 0 || routed.length === 0) {
    found.problems.push(
      unrouted.length > 0 ? `not routed to fax-in: ${unrouted.join(', ')}` : 'no fax number routed to fax-in',
    );
    found.fixes.push(
      "the fax numbers are the fax queues' addresses: `npx tsx scripts/fax-numbers.ts FILE` writes them, install " +
        'FILE as extensions_ipcc_fax_numbers.conf beside extensions_ipcc_fax.conf and `dialplan reload` (or let ' +
        'ISAG keep it: ISAG_FAX_DIALPLAN_FILE)',
    );
  }
  return verdict(base, found, `modules running; ReceiveFAX in fax-in; fax numbers ${routed.join(', ')}`);
}
