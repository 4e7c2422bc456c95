/**
 * Interface A as the browser sees it (docs/agent-desktop.md). The server's zod schemas live in
 * cti/agent-gateway/protocol.ts; they are not imported here so that the bundle carries no zod and the
 * page keeps working with a CTI that adds fields.
 */
export type Device = 'softphone' | 'desk';

export type TransferTo =
  { kind: 'queue'; queueId: string } | { kind: 'agent'; agent: string } | { kind: 'number'; number: string };

export type ClientMessage =
  | { type: 'auth'; token: string; exclusive?: true }
  | { type: 'refresh'; token: string }
  | { type: 'login'; device?: Device }
  | { type: 'logout' }
  | { type: 'ready' }
  | { type: 'not-ready'; reason: string }
  | { type: 'device'; device: Device }
  | { type: 'status' }
  | { type: 'take-back'; contactId: string }
  | { type: 'dial'; number: string; queueId?: string }
  | { type: 'answer' | 'hangup' | 'hold' | 'retrieve'; contactId: string }
  | { type: 'transfer' | 'consult'; contactId: string; to: TransferTo }
  | { type: 'complete-transfer' | 'cancel-consult' | 'conference'; contactId: string }
  | { type: 'accept-task' | 'reject-task' | 'complete-task'; contactId: string };

/** CTI's agent states (cti/domain/agent-state.ts). */
export type CtiAgentState =
  'logged-out' | 'not-ready' | 'ready' | 'reserved' | 'ringing' | 'talking' | 'wrap-up';

export type ContactKind = 'call' | 'callback' | 'outbound';
export type ContactPhase = 'offered' | 'talking' | 'held' | 'consulting' | 'conferenced' | 'dialling';

export interface SnapshotContact {
  contactId: string;
  queueId: string;
  kind: ContactKind;
  phase: ContactPhase;
  callingNumber?: string;
  callingName?: string;
  media?: string;
  number?: string;
  enteredAt?: string;
  recoverable: boolean;
}

export interface Snapshot {
  type: 'snapshot';
  state: string;
  reason?: string;
  at: string;
  wrapUpEndsAt?: string;
  device?: Device;
  devices?: { softphone?: boolean; desk?: boolean };
  contact?: SnapshotContact;
  /** The agent's offered and held tasks (e-mail, SMS, fax); absent from a CTI without tasks. */
  tasks?: SnapshotTask[];
}

/** The channels a task comes in by (calls are `voice`/`video` contacts, not tasks). */
export type TaskChannel = 'email' | 'sms' | 'fax';

export interface SnapshotTask {
  contactId: string;
  queueId: string;
  channel: TaskChannel;
  from: string;
  subject?: string;
  state: 'offered' | 'accepted';
  /** ISO: since when the task is in this state. */
  since: string;
}

export interface TaskOffer {
  type: 'task-offer';
  contactId: string;
  queueId: string;
  channel: TaskChannel;
  from: string;
  subject?: string;
  /** ISO: when the task entered its queue (for the waiting time). */
  enteredAt: string;
  /** ISO: when the offer goes back to the queue unanswered. */
  expiresAt?: string;
}

export type TaskMessage =
  | TaskOffer
  | { type: 'task-accepted'; contactId: string }
  | { type: 'task-ended'; contactId: string; reason: string }
  | { type: 'task-message'; contactId: string; messageId: string };

export interface Offer {
  type: 'offer';
  contactId: string;
  queueId: string;
  kind: ContactKind;
  number?: string;
  callingNumber?: string;
  callingName?: string;
  media?: string;
  enteredAt?: string;
}

export type ServerMessage =
  | { type: 'welcome'; agentId: string; expiresAt: string }
  | { type: 'refreshed'; expiresAt: string }
  | Snapshot
  | {
      type: 'state';
      state: string;
      reason?: string;
      contactId?: string;
      at: string;
      wrapUpEndsAt?: string;
    }
  | Offer
  | { type: 'established'; contactId: string }
  | { type: 'cleared'; contactId: string; releasedBy: string }
  | { type: 'held'; contactId: string }
  | { type: 'retrieved'; contactId: string }
  | { type: 'transferred'; contactId: string; target: string }
  | { type: 'transfer-failed'; contactId: string; reason: string }
  | { type: 'consulted'; contactId: string; target: string }
  | { type: 'consult-ended'; contactId: string; outcome: string }
  | { type: 'conferenced'; contactId: string; target: string }
  | { type: 'conference-ended'; contactId: string; left: string }
  | { type: 'callback-failed'; contactId: string; reason: string; retry: boolean }
  | { type: 'superseded' }
  | { type: 'taken-back'; contactId: string }
  | { type: 'take-back-failed'; contactId: string; reason: string }
  | TaskMessage
  | { type: 'error'; code: string; message: string };

export const SERVER_MESSAGE_TYPES: readonly ServerMessage['type'][] = [
  'welcome',
  'refreshed',
  'snapshot',
  'state',
  'offer',
  'established',
  'cleared',
  'held',
  'retrieved',
  'transferred',
  'transfer-failed',
  'consulted',
  'consult-ended',
  'conferenced',
  'conference-ended',
  'callback-failed',
  'superseded',
  'taken-back',
  'take-back-failed',
  'task-offer',
  'task-accepted',
  'task-ended',
  'task-message',
  'error',
];

const TASK_MESSAGE_TYPES: ReadonlySet<string> = new Set([
  'task-offer',
  'task-accepted',
  'task-ended',
  'task-message',
]);

/** A task's message (the inbox's), not the call's: the desktop's call state table never sees these. */
export function isTaskMessage(m: ServerMessage): m is TaskMessage {
  return TASK_MESSAGE_TYPES.has(m.type);
}

/** A frame from CTI, checked only as far as the page relies on it: an object with a known `type`. */
export function parseServerMessage(raw: string): ServerMessage | undefined {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const type = (data as { type?: unknown }).type;
  if (typeof type !== 'string' || !(SERVER_MESSAGE_TYPES as readonly string[]).includes(type))
    return undefined;
  return data as ServerMessage;
}

/** WebSocket close codes CTI uses. */
export const CLOSE_UNAUTHENTICATED = 4401;
export const CLOSE_SUPERSEDED = 4409;
