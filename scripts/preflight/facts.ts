import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { cliCommands, type AriAccess, type Facts, type SoundFacts } from './checks';
import { PROMPT_LANGUAGE, type Requirements } from './requirements';

/**
 * The edges of the preflight: ARI over HTTP, the Asterisk CLI through a command, the local sounds
 * directory. Each answers what it found; checks.ts judges it.
 */

export interface AriPort {
  url: string;
  /** GET /ari/<path>: the status and the parsed body (undefined when not JSON). */
  get(path: string): Promise<{ status: number; body: unknown }>;
}

export interface CliPort {
  command: string;
  run(cliCommand: string): Promise<string>;
}

export function httpAri(settings: {
  url: string;
  user: string;
  password: string;
  timeoutMs?: number;
}): AriPort {
  const root = settings.url.replace(/\/+$/, '');
  const auth = `Basic ${Buffer.from(`${settings.user}:${settings.password}`).toString('base64')}`;
  return {
    url: root,
    async get(p) {
      const res = await fetch(`${root}/ari/${p}`, {
        headers: { authorization: auth },
        signal: AbortSignal.timeout(settings.timeoutMs ?? 5_000),
      });
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: res.status, body };
    },
  };
}

/**
 * `ASTERISK_CLI` split on spaces, the CLI command appended as one argument: `asterisk -rx` becomes
 * `asterisk -rx "core show version"`. No shell: the command is never re-parsed.
 */
export function execCli(command: string, timeoutMs = 15_000): CliPort {
  const [file = 'asterisk', ...args] = command.trim().split(/\s+/);
  return {
    command,
    run: (cliCommand) =>
      new Promise((resolve, reject) => {
        execFile(
          file,
          [...args, cliCommand],
          { timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024, encoding: 'utf8' },
          (err: Error | null, out: string, errOut: string) => {
            if (err) reject(new Error(`${command} "${cliCommand}": ${errOut.trim() || err.message}`));
            else resolve(out);
          },
        );
      }),
  };
}

function errorText(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const base = err instanceof Error ? err.message : String(err);
  return cause?.code !== undefined ? `${base} (${cause.code})` : base;
}

async function access(ari: AriPort): Promise<AriAccess> {
  try {
    const r = await ari.get('asterisk/info');
    if (r.status !== 200) return { kind: 'refused', status: r.status };
    const version = (r.body as { system?: { version?: unknown } } | undefined)?.system?.version;
    return { kind: 'ok', version: typeof version === 'string' ? version : '' };
  } catch (err) {
    return { kind: 'unreachable', error: errorText(err) };
  }
}

async function modules(ari: AriPort): Promise<Map<string, string> | undefined> {
  const r = await ari.get('asterisk/modules');
  if (r.status !== 200 || !Array.isArray(r.body)) return undefined;
  const found = new Map<string, string>();
  for (const m of r.body as Array<{ name?: unknown; status?: unknown }>)
    if (typeof m.name === 'string') found.set(m.name, typeof m.status === 'string' ? m.status : '');
  return found;
}

async function indexedPrompts(ari: AriPort): Promise<Map<string, string[]> | undefined> {
  const r = await ari.get(`sounds?lang=${PROMPT_LANGUAGE}`);
  if (r.status !== 200 || !Array.isArray(r.body)) return undefined;
  const found = new Map<string, string[]>();
  for (const s of r.body as Array<{
    id?: unknown;
    formats?: Array<{ language?: unknown; format?: unknown }>;
  }>) {
    if (typeof s.id !== 'string') continue;
    const formats = (s.formats ?? [])
      .filter((f) => f.language === PROMPT_LANGUAGE && typeof f.format === 'string')
      .map((f) => String(f.format));
    found.set(s.id, formats);
  }
  return found;
}

async function localPrompts(soundsDir: string | undefined): Promise<Pick<SoundFacts, 'local' | 'localDir'>> {
  if (soundsDir === undefined || soundsDir === '') return {};
  const localDir = path.join(soundsDir, PROMPT_LANGUAGE);
  const local = await readdir(localDir).catch(() => undefined);
  return { localDir, local };
}

export async function gatherFacts(
  req: Requirements,
  ports: { ari: AriPort; cli: CliPort; soundsDir?: string; isagAri?: AriPort },
): Promise<Facts> {
  const facts: Facts = {
    ariUrl: ports.ari.url,
    access: await access(ports.ari),
    cliCommand: ports.cli.command,
  };
  if (req.sms !== undefined && ports.isagAri !== undefined) facts.isagAccess = await access(ports.isagAri);
  if (facts.access.kind === 'ok') {
    facts.modules = await modules(ports.ari).catch(() => undefined);
    const indexed = await indexedPrompts(ports.ari).catch(() => undefined);
    if (indexed !== undefined) facts.sounds = { indexed, ...(await localPrompts(ports.soundsDir)) };
  }
  // One command at a time: the CLI's control socket serves them one by one anyway.
  const outputs = new Map<string, string>();
  try {
    for (const c of cliCommands(req)) outputs.set(c, await ports.cli.run(c));
    facts.cli = outputs;
  } catch (err) {
    facts.cliError = errorText(err);
  }
  return facts;
}
