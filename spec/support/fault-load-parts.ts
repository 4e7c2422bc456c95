import { MongoClient } from 'mongodb';
import { ari, callChannels } from './ari';
import { mongoUri } from './servers';
import { type SippRun, sipp } from './sipp';

/**
 * The pieces a fault round is built of: the demo agents and their phones' SIP ports, the sipp calls
 * and phones, and the small ARI and store reads the round measures with (spec/support/fault-load.ts).
 */

export type Stage = 'talking' | 'ringing' | 'queued' | 'ivr';

export interface Call {
  label: string;
  stage: Stage;
  number: string;
  run: Promise<SippRun>;
  result?: SippRun;
  endedAt?: number;
  contactId: string;
  channelId: string;
  /** The caller's media port (sipp -mp): where its RTP comes from and goes to. */
  mediaPort: number;
}

export interface Phone {
  login: string;
  run: Promise<SippRun>;
  result?: SippRun;
}

export const LOGINS = ['1001', '1002', '1003', '1004'] as const;
export type Login = (typeof LOGINS)[number];
export const PHONE_PORT: Record<Login, number> = { '1001': 5701, '1002': 5702, '1003': 5703, '1004': 5704 };
export const CALLER_PORT = 5710;
export const MEDIA_PORT = 18000;

/** A caller's sipp started: its number and ports from its index in the run, its media from `cwd`. */
export function startCall(o: {
  index: number;
  round: number;
  label: string;
  stage: Stage;
  scenario: string;
  service: string;
  holdMs?: number;
  signal: AbortSignal;
  cwd: string;
}): Call {
  const i = o.index;
  const number = `1555${String(o.round % 1000).padStart(3, '0')}${String(i % 1000).padStart(3, '0')}`;
  const mediaPort = MEDIA_PORT + (i % 200) * 4;
  const call: Call = {
    label: o.label,
    stage: o.stage,
    number,
    contactId: '',
    channelId: '',
    mediaPort,
    run: sipp(o.scenario, {
      service: o.service,
      localPort: CALLER_PORT + (i % 80),
      ...(o.holdMs === undefined ? {} : { holdMs: o.holdMs }),
      timeoutSec: 170,
      signal: o.signal,
      cwd: o.cwd,
      vars: { caller: number, caller_name: `Fault ${o.label}` },
      extra: ['-mp', String(mediaPort)],
    }),
  };
  void call.run.then((r) => {
    call.result = r;
    call.endedAt = Date.now();
  });
  return call;
}

/** sipp runs that failed (exit code not 0): a protocol error on a phone or caller. */
export function sippFailures(calls: readonly Call[], phones: readonly Phone[]): string[] {
  return [
    ...calls
      .filter((c) => c.result?.code !== 0)
      .map((c) => `caller ${c.label}: ${c.result?.stdout.slice(-300) ?? ''}`),
    ...phones
      .filter((p) => p.result?.code !== 0)
      .map((p) => `phone ${p.login}: ${p.result?.stdout.slice(-300) ?? ''}`),
  ];
}

/** Where a CallDelivered took the call (`acd`, `ivr`, `agent`). */
export const deliveredTo = (s: { body: Record<string, unknown> }) =>
  (s.body.deliveredTo as { kind?: string } | undefined)?.kind;

/** Whether a channel (by id, else the first whose name starts with `prefix`) is Up in Asterisk. */
export async function legUp(channelId: string | undefined, prefix: string): Promise<boolean> {
  const channels = await callChannels<{ id: string; state: string; name: string }>();
  const leg = channels.find((ch) => ch.id === channelId) ?? channels.find((ch) => ch.name.startsWith(prefix));
  return leg?.state === 'Up';
}

/**
 * The ids of every channel and bridge Asterisk has now, but its SIP MESSAGE channel: that one appears
 * with Asterisk's first SIP MESSAGE and stays (MESSAGE_CHANNEL in ./ari), no call left behind.
 */
export async function asteriskObjects(): Promise<Set<string>> {
  const [channels, bridges] = await Promise.all([
    callChannels<{ id: string; name: string }>(),
    ari.get<Array<{ id: string }>>('/bridges'),
  ]);
  return new Set([...channels, ...bridges].map((o) => o.id));
}

/**
 * Channels and bridges Asterisk still has that were not there when the round began (the system is
 * shared with other suites between rounds: what one of them left is not this round's), waiting up to
 * `ms` for hang-up processing to finish.
 */
export async function leftSince(before: ReadonlySet<string>, ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = [...(await asteriskObjects())].filter((id) => !before.has(id));
    if (left.length === 0 || Date.now() > deadline) return left;
    await sleep(100);
  }
}

/** ARI's event time (`2026-11-25T10:50:01.123+0000`) in ms since the epoch. */
export const ariTime = (t: unknown) => Date.parse(String(t).replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Hangs up a channel as its caller would; a channel already gone is an ordinary answer. */
export async function hangUp(channelId: string): Promise<void> {
  const base = process.env.ARI_URL ?? 'http://127.0.0.1:8088';
  const auth =
    'Basic ' + Buffer.from(`${process.env.ARI_USER}:${process.env.ARI_PASSWORD}`).toString('base64');
  const res = await fetch(`${base}/ari/channels/${encodeURIComponent(channelId)}?reason=normal`, {
    method: 'DELETE',
    headers: { authorization: auth },
  });
  if (!res.ok && res.status !== 404) throw new Error(`ARI hang-up ${channelId}: ${res.status}`);
}

/**
 * An agent's current state as stored by CTI: its latest row in `agentstates`, the collection the AS
 * reports from (`GET /api/v1/agents/{id}/states`). Never-changed agents read as logged out.
 */
export async function storedState(agentId: string): Promise<string> {
  const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  try {
    const row = await mongo.db().collection('agentstates').find({ agentId }).sort({ at: -1 }).limit(1).next();
    return row === null ? 'logged-out' : String(row.state);
  } finally {
    await mongo.close();
  }
}
