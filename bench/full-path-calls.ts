import { existsSync, readFileSync } from 'node:fs';
import type { RunResult } from './full-path-results';
import { answerHops } from './full-path-results';

/**
 * Who was connected in a step, and how long a queued caller waited for its agent's phone to ring: from
 * the agents' sipp UAS log (both paths) and, for the project, the bus messages of the step.
 */

export interface UasInvite {
  t: number;
  agent: string;
  xb: string;
}

export function parseUasLog(file: string): {
  invites: UasInvite[];
  answered: Array<{ agent: string; xb: string }>;
} {
  const invites: UasInvite[] = [];
  const answered: Array<{ agent: string; xb: string }> = [];
  if (!existsSync(file)) return { invites, answered };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const inv = line.indexOf('INVITE;');
    if (inv >= 0) {
      const [, sec, usec, agent, xb] = line.slice(inv).split(';');
      invites.push({
        t: Number(sec) * 1000 + Number(usec) / 1000,
        agent: agent ?? '',
        xb: (xb ?? '').trim(),
      });
    }
    const ans = line.indexOf('ANSWERED;');
    if (ans >= 0) {
      const [, agent, xb] = line.slice(ans).split(';');
      answered.push({ agent: agent ?? '', xb: (xb ?? '').trim() });
    }
  }
  return { invites, answered };
}

/** "X-Bench: <call-id> <epoch s.ms>" (with or without the header name) → the caller's Call-ID and ms. */
function parseXBench(xb: string): { call: string; enterMs: number } | undefined {
  const parts = xb
    .replace(/^X-Bench:\s*/i, '')
    .trim()
    .split(/\s+/);
  if (parts.length < 2) return undefined;
  const enter = Number(parts[parts.length - 1]);
  return Number.isFinite(enter) ? { call: parts.slice(0, -1).join(' '), enterMs: enter * 1000 } : undefined;
}

/** A step's connections: callers connected, queue→agent ring delays, and (b) AgentRequest→CallDelivered(agent). */
export interface Connections {
  connected: number;
  ring: number[];
  delivered: number[];
  hops?: RunResult['hops'];
}

type UasLog = ReturnType<typeof parseUasLog>;

/** (a) app_queue: a caller is connected when the agent answered a call carrying its X-Bench header. */
export function nativeConnections(uasLog: UasLog): Connections {
  const ring: number[] = [];
  const answeredCalls = new Set(
    uasLog.answered.map((a) => parseXBench(a.xb)?.call).filter((c): c is string => c !== undefined),
  );
  const connected = answeredCalls.size;
  const seen = new Set<string>();
  for (const inv of uasLog.invites) {
    const x = parseXBench(inv.xb);
    if (x === undefined || seen.has(x.call)) continue; // first ring of each caller only
    seen.add(x.call);
    ring.push(inv.t - x.enterMs);
  }
  return { connected, ring, delivered: [] };
}

/** (b) the project: a caller is connected on CTI's Established; its ring is timed from its AgentRequest. */
export function projectConnections(
  seen: ReadonlyArray<{ body: Record<string, unknown> }>,
  uasLog: UasLog,
): Connections {
  const ring: number[] = [];
  const delivered: number[] = [];
  const at = (s: { body: Record<string, unknown> }): number => Date.parse(String(s.body.at));
  const requests = new Map<string, number>();
  const established = new Set<string>();
  const firstDivert = new Map<string, string>();
  const deliveredAt = new Map<string, number>();
  for (const s of seen) {
    const contact = String(s.body.contactId);
    const type = s.body.type;
    if (type === 'AgentRequest' && !requests.has(contact)) requests.set(contact, at(s));
    if (type === 'Established') established.add(contact);
    if (type === 'DivertCall' && !firstDivert.has(contact))
      firstDivert.set(contact, String(s.body.endpoint).replace(/^PJSIP\//, ''));
    const to = s.body.deliveredTo as { kind?: string } | undefined;
    if (type === 'CallDelivered' && to?.kind === 'agent' && !deliveredAt.has(contact))
      deliveredAt.set(contact, at(s));
  }
  const connected = established.size;
  const hops = answerHops(seen.map((x) => x.body));
  const byAgent = new Map<string, number[]>();
  for (const inv of uasLog.invites) byAgent.set(inv.agent, [...(byAgent.get(inv.agent) ?? []), inv.t]);
  for (const [contact, requested] of requests) {
    const endpoint = firstDivert.get(contact);
    const t = endpoint === undefined ? undefined : (byAgent.get(endpoint) ?? []).find((x) => x >= requested);
    if (t !== undefined) ring.push(t - requested);
    const d = deliveredAt.get(contact);
    if (d !== undefined) delivered.push(d - requested);
  }
  return { connected, ring, delivered, hops };
}
