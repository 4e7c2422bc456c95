import { channelCliCommands, faxCheck, smsCheck } from './channel-checks';
import { PROMPT_LANGUAGE, whyModule, type Requirements } from './requirements';

/**
 * The preflight checks: from facts fetched over ARI and the CLI (facts.ts gathers them) to one verdict
 * per check, each failure saying how to fix it. Pure.
 */

/** How ARI answered GET /asterisk/info with the configured user. */
export type AriAccess =
  | { kind: 'ok'; version: string }
  | { kind: 'refused'; status: number }
  | { kind: 'unreachable'; error: string };

export interface SoundFacts {
  /** Sound ids Asterisk lists in the prompts' language, with their file formats. */
  indexed: ReadonlyMap<string, readonly string[]>;
  /** Prompt files in ASTERISK_SOUNDS_DIR/ipcc on this host (undefined: the directory is not there). */
  local?: readonly string[];
  localDir?: string;
}

export interface Facts {
  ariUrl: string;
  access: AriAccess;
  /** How ARI answered ISAG's own user (SMS checks only). */
  isagAccess?: AriAccess;
  /** Module name → status ("Running", "Not Running"); undefined when ARI did not answer. */
  modules?: ReadonlyMap<string, string>;
  sounds?: SoundFacts;
  /** CLI command → its output; undefined when the CLI could not be run at all. */
  cli?: ReadonlyMap<string, string>;
  cliError?: string;
  cliCommand: string;
}

export interface CheckResult {
  id: string;
  title: string;
  ok: boolean;
  /** What was found. */
  detail: string;
  /** How to fix it (failures only). */
  fix?: string;
}

const SNIPPETS = 'render the snippets with `bash scripts/asterisk.sh snippets DIR` (asterisk/snippets)';

/** The CLI commands the checks read, for the contexts and options of these requirements. */
export function cliCommands(req: Requirements): string[] {
  return [
    ...new Set([
      'core show version',
      ...req.contexts.map((c) => `dialplan show ${c}`),
      'pjsip show transports',
      'pjsip list endpoints',
      'http show status',
      'core show translation paths slin',
      'core show file formats',
      ...channelCliCommands(req.sms, req.fax),
    ]),
  ];
}

export function evaluate(req: Requirements, facts: Facts): CheckResult[] {
  return [
    ariUser(req, facts),
    version(req, facts),
    cli(facts),
    modules(req, facts),
    dialplan(req, facts),
    endpoints(req, facts),
    transports(req, facts),
    sounds(req, facts),
    codecs(req, facts),
    ...(req.sms === undefined ? [] : [smsCheck(req.sms, facts, cliFailure(facts) === undefined)]),
    ...(req.fax === undefined ? [] : [faxCheck(req.fax, facts, cliFailure(facts) === undefined)]),
  ];
}

function ariUser(req: Requirements, facts: Facts): CheckResult {
  const base = { id: 'ari-user', title: `ARI user ${req.ariUser} at ${facts.ariUrl}` };
  const a = facts.access;
  if (a.kind === 'ok') return { ...base, ok: true, detail: 'accepted (GET /ari/asterisk/info 200)' };
  if (a.kind === 'unreachable')
    return {
      ...base,
      ok: false,
      detail: `no answer: ${a.error}`,
      fix:
        "enable Asterisk's HTTP server (http.conf: enabled = yes, bindaddr, bindport; then #include " +
        'http_ipcc.conf) and ARI (ari.conf: enabled = yes; res_ari.so loaded), and set ARI_URL to it',
    };
  if (a.status === 401 || a.status === 403)
    return {
      ...base,
      ok: false,
      detail: `refused (${a.status}): user or password not accepted`,
      fix:
        `ari.conf must have the user ${req.ariUser} with ARI_PASSWORD: add \`#include ari_ipcc.conf\` ` +
        `(${SNIPPETS}), then \`module reload res_ari.so\`; or set ARI_USER/ARI_PASSWORD to Asterisk's user`,
    };
  return {
    ...base,
    ok: false,
    detail: `unexpected answer ${a.status}`,
    fix: 'ARI_URL must be the HTTP server root (http://host:8088), with ari.conf enabled = yes',
  };
}

function version(req: Requirements, facts: Facts): CheckResult {
  const base = { id: 'version', title: `Asterisk version (${req.versions.join(' or ')})` };
  // ARI's answer, else the CLI's: the version is worth knowing even when the ARI user is refused.
  const cliVersion = /^Asterisk (\S+)/m.exec(facts.cli?.get('core show version') ?? '')?.[1];
  const text = facts.access.kind === 'ok' ? facts.access.version : cliVersion;
  if (text === undefined)
    return { ...base, ok: false, detail: 'not checked: neither ARI nor the CLI answered' };
  const major = Number(/^(?:certified[/-])?(\d+)\./.exec(text)?.[1]);
  if (req.versions.includes(major)) return { ...base, ok: true, detail: text };
  return {
    ...base,
    ok: false,
    detail: `${text} (major ${Number.isNaN(major) ? '?' : major})`,
    fix: `use an Asterisk ${req.versions.join(' or ')} (long-term support releases the project is tested on)`,
  };
}

function cli(facts: Facts): CheckResult {
  const base = { id: 'cli', title: `Asterisk CLI (${facts.cliCommand})` };
  const failed = cliFailure(facts);
  if (failed === undefined) return { ...base, ok: true, detail: 'answers' };
  return {
    ...base,
    ok: false,
    detail: failed,
    fix:
      'set ASTERISK_CLI to a command that runs one CLI command on this Asterisk, e.g. ' +
      '"asterisk -rx" (as a user that may open its control socket) or "bash scripts/asterisk.sh rx"',
  };
}

function cliFailure(facts: Facts): string | undefined {
  if (facts.cli === undefined) return facts.cliError ?? 'not run';
  const out = facts.cli.get('core show version') ?? '';
  if (!/Asterisk/.test(out)) return `no version in its answer: ${out.trim().slice(0, 200)}`;
  return undefined;
}

function modules(req: Requirements, facts: Facts): CheckResult {
  const base = { id: 'modules', title: `modules (${req.modules.length} the project uses)` };
  const loaded = facts.modules;
  if (loaded === undefined) return { ...base, ok: false, detail: 'not checked: ARI did not answer' };
  const running = (name: string) => loaded.get(name) === 'Running';
  const missing = req.modules.filter((m) => !m.split('|').some(running));
  if (missing.length === 0) return { ...base, ok: true, detail: `${req.modules.length} running` };
  const list = missing.map((m) => {
    const state = m
      .split('|')
      .map((n) => loaded.get(n))
      .find((s) => s !== undefined);
    const why = whyModule(m);
    return `${m} (${state ?? 'not loaded'}${why === '' ? '' : `; ${why}`})`;
  });
  const first = (missing[0] ?? '').split('|')[0] ?? '';
  return {
    ...base,
    ok: false,
    detail: `not running: ${list.join(', ')}`,
    fix:
      `load them: \`module load ${first}\` now, and in modules.conf \`load = ${first}\` (or ` +
      '`#include modules_ipcc.conf`) when autoload is off; a module missing from the modules directory ' +
      'comes from its package (Debian: asterisk-modules, asterisk-opus)',
  };
}

function dialplan(req: Requirements, facts: Facts): CheckResult {
  const base = { id: 'dialplan', title: `dialplan contexts (${req.contexts.join(', ')})` };
  if (cliFailure(facts) !== undefined) return { ...base, ok: false, detail: 'not checked: no CLI' };
  const problems: string[] = [];
  for (const context of req.contexts) {
    const out = facts.cli?.get(`dialplan show ${context}`) ?? '';
    if (!out.includes(`Context '${context}'`)) {
      problems.push(`${context} missing`);
      continue;
    }
    for (const app of req.stasis.get(context) ?? [])
      if (!out.includes(`Stasis(${app}`)) problems.push(`${context} does not enter Stasis(${app})`);
  }
  if (problems.length === 0) return { ...base, ok: true, detail: 'present, with their Stasis() entries' };
  return {
    ...base,
    ok: false,
    detail: problems.join('; '),
    fix:
      'add `#include extensions_ipcc.conf` to extensions.conf after its [globals] (' +
      `${SNIPPETS}), then \`dialplan reload\`; a context of yours with the same name must be renamed`,
  };
}

function endpoints(req: Requirements, facts: Facts): CheckResult {
  const base = { id: 'endpoints', title: `PJSIP endpoints (${req.endpoints.join(', ')})` };
  if (cliFailure(facts) !== undefined) return { ...base, ok: false, detail: 'not checked: no CLI' };
  const out = facts.cli?.get('pjsip list endpoints') ?? '';
  const present = new Set(
    [...out.matchAll(/^\s*Endpoint:\s+([^\s/<]+)/gm)].map((m) => m[1]).filter((n) => n !== ''),
  );
  const missing = req.endpoints.filter((e) => !present.has(e));
  if (missing.length === 0) return { ...base, ok: true, detail: 'present' };
  return {
    ...base,
    ok: false,
    detail: `missing: ${missing.join(', ')}`,
    fix: `add \`#include pjsip_ipcc.conf\` at the end of pjsip.conf (${SNIPPETS}), then \`module reload res_pjsip.so\``,
  };
}

function transports(req: Requirements, facts: Facts): CheckResult {
  const base = {
    id: 'transports',
    title: `SIP over WebSocket (ws${req.wss ? ' and wss' : ''} transport, /ws on the HTTP server)`,
  };
  if (cliFailure(facts) !== undefined) return { ...base, ok: false, detail: 'not checked: no CLI' };
  const list = facts.cli?.get('pjsip show transports') ?? '';
  const http = facts.cli?.get('http show status') ?? '';
  const types = new Set(
    [...list.matchAll(/^Transport:\s+\S+\s+(\w+)\s/gm)].map((m) => (m[1] ?? '').toLowerCase()),
  );
  const problems: string[] = [];
  const fixes: string[] = [];
  if (!types.has('ws')) {
    problems.push('no transport with protocol = ws');
    fixes.push('add a `protocol = ws` transport (see pjsip_ipcc_transports.conf)');
  }
  if (!/^\/ws\s+=>/m.test(http)) {
    problems.push('the HTTP server has no /ws (res_http_websocket.so, res_pjsip_transport_websocket.so)');
    fixes.push('load res_http_websocket.so and res_pjsip_transport_websocket.so');
  }
  if (req.wss) {
    if (!types.has('wss')) {
      problems.push('no transport with protocol = wss');
      fixes.push('add `#include pjsip_ipcc_tls.conf` to pjsip.conf');
    }
    if (!/HTTPS Server Enabled/.test(http)) {
      problems.push('the HTTP server has no TLS listener');
      fixes.push(
        'add `#include http_ipcc_tls.conf` to http.conf (ASTERISK_TLS_CERT/ASTERISK_TLS_KEY set when ' +
          'rendering the snippets), then `module reload http`',
      );
    }
  }
  if (problems.length === 0) {
    const https = /HTTPS Server Enabled and Bound to (\S+)/.exec(http)?.[1];
    return {
      ...base,
      ok: true,
      detail: `ws${types.has('wss') ? ', wss' : ''}${https ? `; TLS on ${https}` : ''}`,
    };
  }
  return { ...base, ok: false, detail: problems.join('; '), fix: fixes.join('; ') };
}

function sounds(req: Requirements, facts: Facts): CheckResult {
  const dir = facts.sounds?.localDir;
  const base = {
    id: 'sounds',
    title: `prompts shared with the IVR (${req.prompts.length} in ${dir ?? `<sounds>/${PROMPT_LANGUAGE}`})`,
  };
  const s = facts.sounds;
  if (s === undefined) return { ...base, ok: false, detail: 'not checked: ARI did not answer' };
  const build =
    'build them (`npx tsx scripts/build-prompts.ts`) and copy asterisk/prompts/build/. into ' +
    `<Asterisk's sounds directory>/${PROMPT_LANGUAGE}/ (ASTERISK_SOUNDS_DIR names that sounds directory)`;
  if (s.localDir !== undefined && s.local === undefined)
    return { ...base, ok: false, detail: `${s.localDir} does not exist on this host`, fix: build };
  const absent = req.prompts.filter((p) => !s.indexed.has(p.name)).map((p) => p.name);
  const noVideo = req.prompts
    .filter((p) => p.video && s.indexed.has(p.name))
    .filter((p) => !['h264', 'vp8'].every((f) => s.indexed.get(p.name)?.includes(f)))
    .map((p) => p.name);
  if (absent.length === 0 && noVideo.length === 0)
    return { ...base, ok: true, detail: `Asterisk lists all ${req.prompts.length} (with their video)` };
  const notLocal =
    s.local === undefined ? [] : absent.filter((n) => !s.local?.some((f) => f.startsWith(`${n}.`)));
  const problems = [
    absent.length > 0 ? `Asterisk does not list ${absent.join(', ')} in language ${PROMPT_LANGUAGE}` : '',
    noVideo.length > 0 ? `no h264/vp8 file for ${noVideo.join(', ')}` : '',
  ].filter((p) => p !== '');
  const seenHereOnly = absent.length > 0 && notLocal.length === 0 && s.local !== undefined;
  return {
    ...base,
    ok: false,
    detail: problems.join('; '),
    fix: seenHereOnly
      ? `the files are in ${s.localDir} but Asterisk does not see them: ASTERISK_SOUNDS_DIR must be the sounds ` +
        'directory of that Asterisk (astdatadir/sounds; Debian: /usr/share/asterisk/sounds), readable by ' +
        'the user Asterisk runs as'
      : build,
  };
}

function codecs(req: Requirements, facts: Facts): CheckResult {
  const base = {
    id: 'codecs',
    title: `codecs (${req.audioCodecs.join(', ')}) and file formats (${req.fileFormats.join(', ')})`,
  };
  if (cliFailure(facts) !== undefined) return { ...base, ok: false, detail: 'not checked: no CLI' };
  const paths = facts.cli?.get('core show translation paths slin') ?? '';
  const formats = facts.cli?.get('core show file formats') ?? '';
  const noPath = req.audioCodecs.filter((c) => {
    const line = new RegExp(`To ${c}:\\d+\\s*:\\s*(.*)$`, 'm').exec(paths)?.[1] ?? 'No Translation Path';
    return /No Translation Path/.test(line);
  });
  const extensions = new Set(
    formats
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((cols) => cols.length >= 3)
      .flatMap((cols) => (cols[2] ?? '').split('|')),
  );
  const noFormat = req.fileFormats.filter((f) => !extensions.has(f));
  if (noPath.length === 0 && noFormat.length === 0)
    return {
      ...base,
      ok: true,
      detail: 'every codec translates to and from signed linear; formats registered',
    };
  const problems = [
    noPath.length > 0 ? `no translation from slin to ${noPath.join(', ')}` : '',
    noFormat.length > 0 ? `no file format for .${noFormat.join(', .')}` : '',
  ].filter((p) => p !== '');
  return {
    ...base,
    ok: false,
    detail: problems.join('; '),
    fix:
      'load the codec and format modules (codec_ulaw, codec_alaw, codec_g722, codec_opus_open_source or ' +
      'codec_opus, format_pcm, format_sln, format_h264, format_vp8, format_wav); see the modules check',
  };
}
