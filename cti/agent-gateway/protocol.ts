import { z } from 'zod';
import type { AgentSnapshotMessage } from '../app/agent-status';
import type { TaskServerMessage } from '../tasks/messages';

/**
 * Interface A (CTI <-> agent client) over a WebSocket, JSON text frames. The agent is whoever the token
 * names: no message carries an agent id, so an agent can only ever act as itself.
 */
const contactId = z.string().min(1).max(128);

/** Where an agent sends a call: a queue (by name), another agent (by id or login), or a number. */
export const TransferTo = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('queue'), queueId: z.string().min(1).max(128) }).strict(),
  z.object({ kind: z.literal('agent'), agent: z.string().min(1).max(128) }).strict(),
  z
    .object({
      kind: z.literal('number'),
      number: z.string().regex(/^\+?[0-9*#]{1,32}$/, 'digits, * or #, optionally after +'),
    })
    .strict(),
]);
export type TransferTo = z.infer<typeof TransferTo>;

/** The agent's phones: the browser softphone (`endpoints.webrtc`) or the desk SIP phone (`endpoints.sip`). */
export const Device = z.enum(['softphone', 'desk']);
const dialNumber = z.string().regex(/^\+?[0-9*#]{1,32}$/, 'digits, * or #, optionally after +');

export const ClientMessage = z.discriminatedUnion('type', [
  /** `exclusive`: a desktop tab; a newer exclusive session of the agent supersedes it (4409). */
  z
    .object({
      type: z.literal('auth'),
      token: z.string().min(1).max(4096),
      exclusive: z.literal(true).optional(),
    })
    .strict(),
  /** A fresh token for the same agent (from the AS's /auth/refresh): the connection outlives the old one. */
  z.object({ type: z.literal('refresh'), token: z.string().min(1).max(4096) }).strict(),
  /** Without `device`: the desk phone if the agent has one, else the softphone. */
  z.object({ type: z.literal('login'), device: Device.optional() }).strict(),
  /** Change device while logged in (refused during a contact). */
  z.object({ type: z.literal('device'), device: Device }).strict(),
  /** Answered with `snapshot`. */
  z.object({ type: z.literal('status') }).strict(),
  /** Take back a call a lost client left on hold: the agent's device is rung again. */
  z.object({ type: z.literal('take-back'), contactId }).strict(),
  /** Click-to-dial: an outbound contact of this agent (its device rings first, then the number). */
  z
    .object({ type: z.literal('dial'), number: dialNumber, queueId: z.string().min(1).max(128).optional() })
    .strict(),
  z.object({ type: z.literal('logout') }).strict(),
  z.object({ type: z.literal('ready') }).strict(),
  z.object({ type: z.literal('not-ready'), reason: z.string().min(1).max(64) }).strict(),
  z.object({ type: z.literal('answer'), contactId }).strict(),
  z.object({ type: z.literal('hangup'), contactId }).strict(),
  z.object({ type: z.literal('hold'), contactId }).strict(),
  z.object({ type: z.literal('retrieve'), contactId }).strict(),
  z.object({ type: z.literal('transfer'), contactId, to: TransferTo }).strict(),
  /** Attended transfer: consult a target (the caller on hold), then complete or cancel. */
  z.object({ type: z.literal('consult'), contactId, to: TransferTo }).strict(),
  z.object({ type: z.literal('complete-transfer'), contactId }).strict(),
  z.object({ type: z.literal('cancel-consult'), contactId }).strict(),
  /** Three-way conference: merge the consultation (target answered) into the call. */
  z.object({ type: z.literal('conference'), contactId }).strict(),
  /** Tasks (e-mail, SMS, fax; docs/tasks.md): only the agent holding the task may act on it. */
  z.object({ type: z.literal('accept-task'), contactId }).strict(),
  z.object({ type: z.literal('reject-task'), contactId }).strict(),
  z.object({ type: z.literal('complete-task'), contactId }).strict(),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export type ServerMessage =
  /** `expiresAt`: when the token expires and CTI closes the connection (4401), unless refreshed before. */
  | { type: 'welcome'; agentId: string; expiresAt: string }
  | { type: 'refreshed'; expiresAt: string }
  /** `wrapUpEndsAt` (ISO) in `wrap-up`: when the agent is ready again unless it acts first. */
  | { type: 'state'; state: string; reason?: string; contactId?: string; at: string; wrapUpEndsAt?: string }
  | AgentSnapshotMessage
  /** Another exclusive session of this agent took over; the connection closes with 4409. */
  | { type: 'superseded' }
  | { type: 'taken-back'; contactId: string }
  | { type: 'take-back-failed'; contactId: string; reason: string }
  /** S232 On Answer Request: the screen pop for a contact offered to this agent. */
  | {
      type: 'offer';
      contactId: string;
      queueId: string;
      /**
       * `callback`: the agent's phone rings first, then the customer at `number` is dialled; `outbound`:
       * the agent dials `number` (click-to-dial, a desk phone).
       */
      kind: 'call' | 'callback' | 'outbound';
      number?: string;
      /** When the contact entered its queue (an outbound one: when it was dialled). */
      enteredAt?: string;
      callingNumber?: string;
      callingName?: string;
      media?: string;
    }
  /** S237 On Answer Success. */
  | { type: 'established'; contactId: string }
  | { type: 'cleared'; contactId: string; releasedBy: string }
  /** Call control outcomes for this agent's contact (hold, retrieve, blind transfer). */
  | { type: 'held'; contactId: string }
  | { type: 'retrieved'; contactId: string }
  | { type: 'transferred'; contactId: string; target: string }
  | { type: 'transfer-failed'; contactId: string; reason: string }
  | { type: 'consulted'; contactId: string; target: string }
  | { type: 'consult-ended'; contactId: string; outcome: string }
  /** To both agents of a conference; `left` says who left when it is back to two parties. */
  | { type: 'conferenced'; contactId: string; target: string }
  | { type: 'conference-ended'; contactId: string; left: string }
  /** The callback's customer did not answer; `retry`: it will be offered again later. */
  | { type: 'callback-failed'; contactId: string; reason: string; retry: boolean }
  /** Tasks: offer, accepted, ended, a new message (cti/tasks/messages.ts). */
  | TaskServerMessage
  | { type: 'error'; code: string; message: string };

export function parseClientMessage(
  raw: string,
): { ok: true; value: ClientMessage } | { ok: false; error: string } {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const r = ClientMessage.safeParse(data);
  return r.success
    ? { ok: true, value: r.data }
    : { ok: false, error: z.prettifyError(r.error).replace(/\n/g, '; ') };
}
