import type { Device } from './interface-a';

/**
 * The desktop's settings (GET /api/v1/me/desktop) and softphone account (GET /api/v1/me/sip), read
 * leniently: lists of names or of objects both become options, unknown fields are ignored.
 */
export interface Option {
  value: string;
  label: string;
  /** A desk phone's digit for a not-ready reason (`*64N`), a queue's channel... shown beside the label. */
  hint?: string;
}

export interface DesktopSettings {
  agent: { id: string; login: string; displayName: string };
  devices: Record<Device, boolean>;
  ctiUrl?: string;
  notReadyReasons: Option[];
  dispositionCodes: Option[];
  queues: Option[];
  agents: Option[];
}

export interface SipAccount {
  wsUrl: string;
  uri: string;
  username?: string;
  password: string;
  displayName?: string;
}

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (typeof v === 'object' && v !== null ? (v as Loose) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function options(list: unknown, value: string[], label: string[], hint: string[] = []): Option[] {
  if (!Array.isArray(list)) return [];
  const out: Option[] = [];
  for (const item of list) {
    if (typeof item === 'string') {
      out.push({ value: item, label: item });
      continue;
    }
    const o = obj(item);
    const v = value.map((k) => str(o[k])).find((x) => x !== undefined);
    if (v === undefined) continue;
    const l = label.map((k) => str(o[k])).find((x) => x !== undefined) ?? v;
    const h = hint.map((k) => o[k]).find((x) => typeof x === 'string' || typeof x === 'number');
    out.push({ value: v, label: l, ...(h === undefined ? {} : { hint: String(h) }) });
  }
  return out;
}

function device(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v !== '';
  return typeof v === 'object' && v !== null;
}

export function parseDesktopSettings(raw: unknown): DesktopSettings {
  const r = obj(raw);
  const agent = obj(r.agent);
  const devices = obj(r.devices);
  const ctiUrl = str(r.ctiUrl) ?? str(r.cti) ?? str(obj(r.cti).url);
  return {
    agent: {
      id: str(agent.id) ?? '',
      login: str(agent.login) ?? '',
      displayName: str(agent.displayName) ?? str(agent.login) ?? '',
    },
    devices: { softphone: device(devices.softphone ?? true), desk: device(devices.desk) },
    ...(ctiUrl === undefined ? {} : { ctiUrl }),
    notReadyReasons: options(
      r.notReadyReasons ?? r.reasons,
      ['name', 'code', 'id'],
      ['label', 'name'],
      ['digit'],
    ),
    dispositionCodes: options(
      r.dispositionCodes ?? r.dispositions,
      ['code', 'name'],
      ['label', 'name', 'code'],
    ),
    queues: options(r.queues, ['name', 'id'], ['displayName', 'label', 'name'], ['channel']),
    agents: options(r.agents, ['login', 'id'], ['displayName', 'login']),
  };
}

export function parseSipAccount(raw: unknown): SipAccount | undefined {
  const r = obj(raw);
  const wsUrl = str(r.wsUrl);
  const uri = str(r.uri);
  const password = str(r.password);
  if (wsUrl === undefined || uri === undefined || password === undefined) return undefined;
  const username = str(r.username);
  const displayName = str(r.displayName);
  return {
    wsUrl,
    uri,
    password,
    ...(username === undefined ? {} : { username }),
    ...(displayName === undefined ? {} : { displayName }),
  };
}

/** The CTI WebSocket: the settings' URL, else the page's host on CTI's default port. */
export function ctiUrlFor(
  settings: Pick<DesktopSettings, 'ctiUrl'>,
  page: { protocol: string; hostname: string },
): string {
  if (settings.ctiUrl !== undefined) return settings.ctiUrl;
  return `${page.protocol === 'https:' ? 'wss' : 'ws'}://${page.hostname}:8091`;
}
