/**
 * What the project needs from an Asterisk, derived from what its code and configs use. Pure: the snippet
 * texts and the prompt manifest are passed in, so the unit tests read the same files the tool does.
 */

/**
 * Modules needed for one reason; a name `a.so|b.so` is a choice between modules that do the same job
 * (Debian's Opus codec or Digium's).
 */
export interface ModuleNeed {
  names: readonly string[];
  why: string;
}

const need = (why: string, ...names: string[]): ModuleNeed => ({ names, why });

/** Modules the project's ARI calls, dialplan, PJSIP objects, media and prompts rely on. */
export const REQUIRED_MODULES: readonly ModuleNeed[] = [
  // ARI: SoftACD and the IVR (stasis-app/ari), the endpoint sync's reload and this tool.
  need('ARI itself', 'res_ari.so'),
  need('ARI data model', 'res_ari_model.so'),
  need('Stasis apps register and get events', 'res_ari_applications.so', 'res_ari_events.so'),
  need('module reload of PJSIP (agent endpoints), version and module checks', 'res_ari_asterisk.so'),
  need('bridges for every answered call', 'res_ari_bridges.so'),
  need('channels: answer, originate, move, MOH, snoop, hang up', 'res_ari_channels.so'),
  need('prompts', 'res_ari_playbacks.so'),
  need('voicemail and call recording', 'res_ari_recordings.so'),
  need('the prompt check of this tool', 'res_ari_sounds.so'),
  need('Stasis()', 'res_stasis.so', 'app_stasis.so'),
  need('answer, play and record from ARI', 'res_stasis_answer.so', 'res_stasis_playback.so'),
  need('recording', 'res_stasis_recording.so'),
  need('supervisor listening and call recording through a snoop channel', 'res_stasis_snoop.so'),
  need('ARI events and SIP over WebSocket', 'res_http_websocket.so'),
  // PJSIP: customers, agents' phones, browser softphones and web guests (asterisk/snippets/pjsip_ipcc.conf).
  need('PJSIP', 'res_pjsip.so', 'chan_pjsip.so', 'res_pjsip_session.so', 'res_pjsip_sdp_rtp.so'),
  need('browser softphones and web guests (SIP over WebSocket)', 'res_pjsip_transport_websocket.so'),
  need('agents register their phones with digest auth', 'res_pjsip_registrar.so'),
  need('agents register their phones with digest auth', 'res_pjsip_authenticator_digest.so'),
  need(
    'endpoint_identifier_order = username,ip,anonymous',
    'res_pjsip_endpoint_identifier_user.so',
    'res_pjsip_endpoint_identifier_ip.so',
    'res_pjsip_endpoint_identifier_anonymous.so',
  ),
  need('PJSIP_HEADER() in the dialplan (Content-Type, X-Guest-Token)', 'res_pjsip_header_funcs.so'),
  need('rewrite_contact and force_rport', 'res_pjsip_nat.so'),
  need('caller id of originated calls', 'res_pjsip_caller_id.so'),
  need('RTP, ICE and DTLS for WebRTC', 'res_rtp_asterisk.so'),
  need('DTLS-SRTP for WebRTC', 'res_srtp.so'),
  // Bridges, hold, dialplan.
  need('two-party and conference bridges', 'bridge_simple.so', 'bridge_softmix.so'),
  need('music on hold for audio callers', 'res_musiconhold.so'),
  need('extensions.conf', 'pbx_config.so'),
  need('the fallback when no SoftACD is registered', 'app_playback.so', 'app_dial.so'),
  need('BASE64_ENCODE(), CHANNEL(), CALLERID() in the dialplan', 'func_base64.so', 'func_channel.so'),
  need('BASE64_ENCODE(), CHANNEL(), CALLERID() in the dialplan', 'func_callerid.so'),
  // Codecs and formats: endpoints allow ulaw, alaw, g722, opus, h264, vp8; prompts are sln16, ulaw,
  // alaw, g722 (scripts/build-prompts.ts) with h264 and vp8 video; recordings are wav.
  need('G.711 and G.722 callers', 'codec_ulaw.so', 'codec_alaw.so', 'codec_g722.so'),
  need('Opus (browsers)', 'codec_opus_open_source.so|codec_opus.so'),
  need('16 kHz prompts to 8 kHz callers', 'codec_resample.so'),
  need('Opus, H.264 and VP8 in SDP', 'res_format_attr_opus.so', 'res_format_attr_h264.so'),
  need('Opus, H.264 and VP8 in SDP', 'res_format_attr_vp8.so'),
  need('prompt files', 'format_pcm.so', 'format_sln.so', 'format_h264.so', 'format_vp8.so'),
  need('voicemail and recordings', 'format_wav.so'),
];

/** Each module that must be loaded; an entry with `|` is satisfied by any of its names. */
export function requiredModules(needs: readonly ModuleNeed[] = REQUIRED_MODULES): string[] {
  return [...new Set(needs.flatMap((n) => n.names))];
}

/** What a module is needed for (the first need that names it). */
export function whyModule(name: string, needs: readonly ModuleNeed[] = REQUIRED_MODULES): string {
  return needs.find((n) => n.names.includes(name))?.why ?? '';
}

/**
 * A feature's modules from its snippet (modules_ipcc_sms.conf, modules_ipcc_fax.conf): each `load =`
 * line, with the comment just above it as the reason. Modules the core list already has are left out:
 * the modules check names them.
 */
export function snippetModules(text: string, core: readonly ModuleNeed[] = REQUIRED_MODULES): ModuleNeed[] {
  const coreNames = new Set(requiredModules(core));
  const needs: ModuleNeed[] = [];
  let why = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) why = '';
    const comment = /^;\s*(.*)$/.exec(line)?.[1];
    if (comment !== undefined) why = comment;
    const name = /^load\s*=\s*(\S+)/.exec(line)?.[1];
    if (name !== undefined && !coreNames.has(name)) needs.push({ names: [name], why });
  }
  return needs;
}

/** The first `message_context = NAME` of a PJSIP snippet (the customer template's). */
export function messageContext(pjsipSnippet: string): string | undefined {
  return /^message_context\s*=\s*(\S+)/m.exec(pjsipSnippet)?.[1];
}

/** SMS over SIP MESSAGE (docs/sms.md): what Asterisk needs for ISAG's part. */
export interface SmsRequirements {
  modules: readonly ModuleNeed[];
  /** The customer endpoints whose MESSAGEs ISAG takes (ISAG_SIP_MESSAGE_ENDPOINTS). */
  endpoints: readonly string[];
  messageContext: string;
  /** The contexts of extensions_ipcc_sms.conf (the message context among them). */
  contexts: readonly string[];
  /** ISAG's own ARI user (ISAG_ARI_USER). */
  ariUser: string;
}

/** Fax in (docs/fax.md): modules, the fax contexts, and the fax numbers routed to `fax-in`. */
export interface FaxRequirements {
  modules: readonly ModuleNeed[];
  /** The contexts of extensions_ipcc_fax.conf; `fax-in` must run ReceiveFAX. */
  contexts: readonly string[];
  /** Numbers that must reach `fax-in` from `[acd]` (none given: at least one must). */
  numbers: readonly string[];
}

/** Codecs callers bring that must translate to and from signed linear (prompts, conferences, MOH). */
export const AUDIO_CODECS = ['ulaw', 'alaw', 'g722', 'opus'] as const;

/** File extensions of the prompts (stasis-app/media/audio.ts, video), and of recordings (wav). */
export const FILE_FORMATS = ['sln16', 'ulaw', 'alaw', 'g722', 'h264', 'vp8', 'wav'] as const;

/** The language Asterisk's sound index gives files under `<sounds>/ipcc/` (the directory is its name). */
export const PROMPT_LANGUAGE = 'ipcc';

interface Section {
  name: string;
  template: boolean;
  inherits: string[];
  type?: string;
}

/** The sections of an Asterisk config text: `[name]`, `[name](!)`, `[name](template,...)`. */
export function configSections(text: string): Section[] {
  const sections: Section[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/;.*$/, '').trim();
    const head = /^\[([^\]]+)\](?:\(([^)]*)\))?$/.exec(line);
    if (head) {
      const opts = (head[2] ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== '');
      sections.push({
        name: head[1] ?? '',
        template: opts.includes('!'),
        inherits: opts.filter((o) => o !== '!' && o !== '+'),
      });
      continue;
    }
    const type = /^type\s*=>?\s*(\S+)$/.exec(line);
    const current = sections.at(-1);
    if (type && current) current.type = type[1];
  }
  return sections;
}

/** The dialplan contexts a snippet defines (the `[globals](+)` addition is not a context). */
export function dialplanContexts(extensionsSnippet: string): string[] {
  const names = configSections(extensionsSnippet)
    .map((s) => s.name)
    .filter((n) => n !== 'globals' && n !== 'general');
  return [...new Set(names)];
}

/** The Stasis apps each context hands calls to, e.g. acd → softacd. */
export function stasisApps(extensionsSnippet: string): Map<string, string[]> {
  const apps = new Map<string, string[]>();
  let context: string | undefined;
  for (const raw of extensionsSnippet.split('\n')) {
    const line = raw.replace(/^\s*;.*$/, '');
    const head = /^\[([^\]]+)\]/.exec(line.trim());
    if (head) {
      context = head[1];
      continue;
    }
    const app = /\bStasis\(([A-Za-z0-9_-]+)/.exec(line)?.[1];
    if (app === undefined || context === undefined) continue;
    const list = apps.get(context) ?? [];
    if (!list.includes(app)) list.push(app);
    apps.set(context, list);
  }
  return apps;
}

/** The PJSIP endpoints (not templates) a snippet defines, their type possibly inherited from a template. */
export function pjsipEndpoints(pjsipSnippet: string): string[] {
  const sections = configSections(pjsipSnippet);
  const typeOf = (s: Section, depth = 0): string | undefined => {
    if (s.type !== undefined || depth > 8) return s.type;
    for (const t of s.inherits) {
      const parent = sections.find((p) => p.name === t);
      const found = parent && typeOf(parent, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const names = sections.filter((s) => !s.template && typeOf(s) === 'endpoint').map((s) => s.name);
  return [...new Set(names)];
}

export interface PromptNeed {
  name: string;
  video: boolean;
}

/** The prompts of asterisk/prompts/manifest.json; those with a card or a video file also have video. */
export function manifestPrompts(manifest: unknown): PromptNeed[] {
  const prompts = (manifest as { prompts?: unknown } | null)?.prompts;
  if (!Array.isArray(prompts)) throw new Error('prompt manifest: no "prompts" list');
  return prompts.map((p: unknown, i) => {
    const entry = p as { name?: unknown; card?: unknown; videoFile?: unknown };
    if (typeof entry.name !== 'string' || entry.name === '')
      throw new Error(`prompt manifest: prompt ${i} has no name`);
    return { name: entry.name, video: entry.card !== undefined || entry.videoFile !== undefined };
  });
}

/** Everything the checks compare the facts with. */
export interface Requirements {
  versions: readonly number[];
  modules: readonly string[];
  contexts: readonly string[];
  stasis: ReadonlyMap<string, string[]>;
  endpoints: readonly string[];
  prompts: readonly PromptNeed[];
  audioCodecs: readonly string[];
  fileFormats: readonly string[];
  /** SIP over secure WebSocket is needed (the desktop is served over HTTPS). */
  wss: boolean;
  ariUser: string;
  /** Checked unless the deployment leaves SMS or fax out (`--no-sms`, `--no-fax`). */
  sms?: SmsRequirements;
  fax?: FaxRequirements;
}

export function requirementsFrom(inputs: {
  extensionsSnippet: string;
  pjsipSnippet: string;
  manifest: unknown;
  wss: boolean;
  ariUser: string;
  modules?: readonly string[];
  sms?: SmsRequirements;
  fax?: FaxRequirements;
}): Requirements {
  return {
    ...(inputs.sms === undefined ? {} : { sms: inputs.sms }),
    ...(inputs.fax === undefined ? {} : { fax: inputs.fax }),
    versions: [20, 22],
    modules: inputs.modules ?? requiredModules(),
    contexts: dialplanContexts(inputs.extensionsSnippet),
    stasis: stasisApps(inputs.extensionsSnippet),
    endpoints: pjsipEndpoints(inputs.pjsipSnippet),
    prompts: manifestPrompts(inputs.manifest),
    audioCodecs: AUDIO_CODECS,
    fileFormats: FILE_FORMATS,
    wss: inputs.wss,
    ariUser: inputs.ariUser,
  };
}
