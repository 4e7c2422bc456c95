import { z } from 'zod';
import type { WallboardView } from '../domain/wallboard';
import type { WallboardDelta } from '../domain/wallboard-scope';

/**
 * The supervisor socket (path `/supervisor` on CTI's agent WebSocket server), JSON text frames. The
 * supervisor is whoever the token names: a supervisor sees and acts on its own queues, an administrator
 * on every queue. `ref` (optional) is echoed in the answer so a page can match it to its request.
 */
const id = z.string().min(1).max(128);
const ref = z.string().min(1).max(64).optional();
const mode = z.enum(['listen', 'whisper', 'barge']);

export const SupervisorMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token: z.string().min(1).max(4096) }).strict(),
  /** A fresh token for the same person (AS /auth/refresh): the connection outlives the old one. */
  z.object({ type: z.literal('refresh'), token: z.string().min(1).max(4096) }).strict(),
  /** Answered with a whole `wallboard`. */
  z.object({ type: z.literal('snapshot') }).strict(),
  /** The agent goes not ready with one of the configured reasons (from ready, not ready or wrap-up). */
  z
    .object({ type: z.literal('force-not-ready'), agentId: id, reason: z.string().min(1).max(64), ref })
    .strict(),
  /** The agent is logged out of CTI (not during a contact); `reason` is kept in the audit log. */
  z
    .object({
      type: z.literal('force-logout'),
      agentId: id,
      reason: z.string().min(1).max(200).optional(),
      ref,
    })
    .strict(),
  /** A waiting contact continues in another queue, keeping its waiting time. */
  z.object({ type: z.literal('move-contact'), contactId: id, queueId: id, ref }).strict(),
  /** A waiting contact is served before the others of its queue. */
  z.object({ type: z.literal('raise-priority'), contactId: id, ref }).strict(),
  /** Monitor (listen), whisper to or barge into the agent's current call (cti/supervisor/supervise-port.ts). */
  z
    .object({
      type: z.literal('supervise'),
      agentId: id,
      mode,
      device: z.enum(['softphone', 'desk']).optional(),
      ref,
    })
    .strict(),
  z.object({ type: z.literal('supervise-mode'), sessionId: id, mode, ref }).strict(),
  z.object({ type: z.literal('supervise-stop'), sessionId: id, ref }).strict(),
]);
export type SupervisorMessage = z.infer<typeof SupervisorMessage>;
export type SupervisorAction = Exclude<SupervisorMessage, { type: 'auth' | 'refresh' | 'snapshot' }>;

export type SupervisorServerMessage =
  /** `queues`: the queues in scope (null: every queue, an administrator). */
  | {
      type: 'welcome';
      personId: string;
      admin: boolean;
      queues: string[] | null;
      reasons: string[];
      expiresAt: string;
    }
  | { type: 'refreshed'; expiresAt: string }
  /** The whole wallboard (after `welcome`, on `snapshot`); `at`: CTI's clock, for the page's skew. */
  | ({ type: 'wallboard'; at: number } & WallboardView)
  /** What changed since the last push: rows replaced whole, rows removed. At most one per ~200 ms. */
  | ({ type: 'wallboard-update'; at: number } & WallboardDelta)
  /** An agent-control request carried out. */
  | { type: 'done'; action: string; ref?: string; agentId?: string; contactId?: string; queueId?: string }
  | {
      type: 'supervise-started';
      sessionId: string;
      agentId: string;
      contactId: string;
      mode: string;
      ref?: string;
    }
  | {
      type: 'supervise-changed';
      sessionId: string;
      agentId: string;
      contactId: string;
      mode: string;
      ref?: string;
    }
  | { type: 'supervise-stopped'; sessionId: string; agentId: string; contactId: string; ref?: string }
  /**
   * A session ended without this person asking: its phone hung up, the agent left the call, the call
   * ended (`reason`: SoftACD's SuperviseEnded reason). Sent to every connection of the person.
   */
  | { type: 'supervise-ended'; sessionId: string; agentId: string; contactId: string; reason: string }
  | { type: 'error'; code: string; message: string; ref?: string; action?: string };

export function parseSupervisorMessage(
  raw: string,
): { ok: true; value: SupervisorMessage } | { ok: false; error: string } {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const r = SupervisorMessage.safeParse(data);
  return r.success
    ? { ok: true, value: r.data }
    : { ok: false, error: z.prettifyError(r.error).replace(/\n/g, '; ') };
}
