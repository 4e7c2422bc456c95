/**
 * The supervisor socket as the browser sees it (docs/supervisor.md; the server's schemas are in
 * cti/supervisor/protocol.ts, not imported so the bundle carries no zod), the wallboard's state and the
 * thresholds its colours follow. Pure.
 */
export type SuperviseMode = 'listen' | 'whisper' | 'barge';

export type SupervisorRequest =
  | { type: 'force-not-ready'; agentId: string; reason: string }
  | { type: 'force-logout'; agentId: string }
  | { type: 'move-contact'; contactId: string; queueId: string }
  | { type: 'raise-priority'; contactId: string }
  | { type: 'supervise'; agentId: string; mode: SuperviseMode; device?: 'softphone' | 'desk' }
  | { type: 'supervise-mode'; sessionId: string; mode: SuperviseMode }
  | { type: 'supervise-stop'; sessionId: string };

export type SupervisorClientMessage =
  | { type: 'auth'; token: string }
  | { type: 'refresh'; token: string }
  | { type: 'snapshot' }
  | (SupervisorRequest & { ref: string });

export interface WaitingContact {
  id: string;
  enqueuedAt: number;
  callback: boolean;
  raised: boolean;
  callingNumber?: string;
}

export interface BoardQueue {
  id: string;
  waiting: number;
  oldestEnqueuedAt: number | null;
  ready: number;
  busy: number;
  notReady: number;
  wrapUp: number;
  offered: number;
  answered: number;
  abandoned: number;
  answeredInThreshold: number;
  serviceLevel: number | null;
  asaMs: number | null;
  serviceLevelSec: number;
  contacts: WaitingContact[];
}

export interface BoardAgent {
  id: string;
  login: string;
  name: string;
  state: string;
  reason?: string;
  since: number;
  contactId?: string;
  contactQueue?: string;
  queues: string[];
}

export type SupervisorServerMessage =
  | {
      type: 'welcome';
      personId: string;
      admin: boolean;
      queues: string[] | null;
      reasons: string[];
      expiresAt: string;
    }
  | { type: 'refreshed'; expiresAt: string }
  | { type: 'wallboard'; at: number; day: string; queues: BoardQueue[]; agents: BoardAgent[] }
  | {
      type: 'wallboard-update';
      at: number;
      day: string;
      queues: BoardQueue[];
      agents: BoardAgent[];
      removedQueues: string[];
      removedAgents: string[];
    }
  | { type: 'done'; action: string; ref?: string; agentId?: string; contactId?: string; queueId?: string }
  | {
      type: 'supervise-started' | 'supervise-changed';
      sessionId: string;
      agentId: string;
      contactId: string;
      mode: SuperviseMode;
      ref?: string;
    }
  | { type: 'supervise-stopped'; sessionId: string; agentId: string; contactId: string; ref?: string }
  /** The session ended without being asked (the phone hung up, the agent left the call). */
  | { type: 'supervise-ended'; sessionId: string; agentId: string; contactId: string; reason: string }
  | { type: 'error'; code: string; message: string; ref?: string; action?: string };

const TYPES = new Set([
  'welcome',
  'refreshed',
  'wallboard',
  'wallboard-update',
  'done',
  'supervise-started',
  'supervise-changed',
  'supervise-stopped',
  'supervise-ended',
  'error',
]);

/** Undefined for anything that is not a known message (logged by the caller, never thrown). */
export function parseSupervisorMessage(text: string): SupervisorServerMessage | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const type = (data as { type?: unknown }).type;
  if (typeof type !== 'string' || !TYPES.has(type)) return undefined;
  const m = data as SupervisorServerMessage;
  if (
    (m.type === 'wallboard' || m.type === 'wallboard-update') &&
    (!Array.isArray(m.queues) || !Array.isArray(m.agents))
  )
    return undefined;
  return m;
}

export interface Board {
  day: string;
  queues: ReadonlyMap<string, BoardQueue>;
  agents: ReadonlyMap<string, BoardAgent>;
  /** CTI's clock minus the page's (the last push's `at`): waits and times in state tick on CTI's time. */
  skewMs: number;
}

export const EMPTY_BOARD: Board = { day: '', queues: new Map(), agents: new Map(), skewMs: 0 };

export function applyBoard(
  board: Board,
  m: Extract<SupervisorServerMessage, { type: 'wallboard' | 'wallboard-update' }>,
  localNow: number,
): Board {
  const queues = new Map(m.type === 'wallboard' ? [] : board.queues);
  const agents = new Map(m.type === 'wallboard' ? [] : board.agents);
  if (m.type === 'wallboard-update') {
    for (const id of m.removedQueues) queues.delete(id);
    for (const id of m.removedAgents) agents.delete(id);
  }
  for (const q of m.queues) queues.set(q.id, q);
  for (const a of m.agents) agents.set(a.id, a);
  return { day: m.day, queues, agents, skewMs: m.at - localNow };
}

export function sortedQueues(board: Board): BoardQueue[] {
  return [...board.queues.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function sortedAgents(board: Board): BoardAgent[] {
  return [...board.agents.values()].sort((a, b) => (a.login < b.login ? -1 : a.login > b.login ? 1 : 0));
}

/** Every waiting contact of the board, longest waiting first within each queue's service order. */
export function waitingContacts(board: Board): Array<WaitingContact & { queueId: string }> {
  return sortedQueues(board).flatMap((q) => q.contacts.map((c) => ({ ...c, queueId: q.id })));
}

export type Level = 'ok' | 'warn' | 'alarm';

/**
 * The colours' thresholds, shown in the page. Service level: the target (80%) and below it amber, red
 * below 60%. Longest wait: amber from the queue's own service-level threshold (its `serviceLevelSec`),
 * red from twice it.
 */
export const SERVICE_LEVEL_TARGET = 0.8;
export const SERVICE_LEVEL_ALARM = 0.6;

export function serviceLevelLevel(sl: number | null): Level {
  if (sl === null || sl >= SERVICE_LEVEL_TARGET) return 'ok';
  return sl >= SERVICE_LEVEL_ALARM ? 'warn' : 'alarm';
}

export function waitLevel(waitMs: number | null, serviceLevelSec: number): Level {
  if (waitMs === null || waitMs < serviceLevelSec * 1000) return 'ok';
  return waitMs < serviceLevelSec * 2000 ? 'warn' : 'alarm';
}

/** `87%`, or undefined while nothing was offered. */
export function percent(sl: number | null): string | undefined {
  return sl === null ? undefined : `${Math.round(sl * 100)}%`;
}
