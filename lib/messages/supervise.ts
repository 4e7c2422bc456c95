import { z } from 'zod';
import { envelope, id } from './envelope';

/**
 * Call supervision between CTI and SoftACD (docs/supervisor.md, "Monitor, whisper, barge"): a supervisor
 * listens to an agent's call, whispers to the agent, or barges in, on its own phone. `contactId` is the
 * supervised call; `sessionId` (CTI's) names one supervisor's session on it from start to end.
 * Part of the one Message union in schemas.ts.
 */

/** listen: hears both parties; whisper: and is heard by the agent only; barge: and is heard by both. */
export const superviseMode = z.enum(['listen', 'whisper', 'barge']);

/** CTI asks the SoftACD owning the call to ring the supervisor's phone and join it to the agent's call. */
export const SuperviseCall = z
  .object({
    ...envelope,
    type: z.literal('SuperviseCall'),
    sessionId: id,
    supervisorId: id,
    /** The agent whose leg of the call is supervised: refused if it is no longer the call's agent. */
    agentId: id,
    mode: superviseMode,
    /** The supervisor's phone, `PJSIP/<name>` (its browser softphone or its desk phone). */
    endpoint: z.string().regex(/^PJSIP\/[A-Za-z0-9_.-]{1,64}$/, 'PJSIP/<endpoint name>'),
    ringTimeoutSec: z.number().int().min(1).max(120),
  })
  .strict();

/** Switches a running session to another mode; the supervisor's phone stays connected (no new ring). */
export const SuperviseMode = z
  .object({ ...envelope, type: z.literal('SuperviseMode'), sessionId: id, mode: superviseMode })
  .strict();

export const SuperviseStop = z
  .object({ ...envelope, type: z.literal('SuperviseStop'), sessionId: id })
  .strict();

/** The supervisor's phone is connected to the call in `mode` (after SuperviseCall or SuperviseMode). */
export const Supervising = z
  .object({
    ...envelope,
    type: z.literal('Supervising'),
    sessionId: id,
    supervisorId: id,
    agentId: id,
    mode: superviseMode,
  })
  .strict();

/** A SuperviseCall or SuperviseMode could not be carried out; a failed start leaves nothing behind. */
export const SuperviseFailed = z
  .object({
    ...envelope,
    type: z.literal('SuperviseFailed'),
    sessionId: id,
    reason: z.enum(['not-supervisable', 'no-answer', 'busy', 'unreachable', 'unknown-session', 'switching']),
  })
  .strict();

/** The session is over and its snoop channel, bridge and supervisor leg are gone. */
export const SuperviseEnded = z
  .object({
    ...envelope,
    type: z.literal('SuperviseEnded'),
    sessionId: id,
    reason: z.enum(['stopped', 'supervisor-hung-up', 'agent-leg-gone', 'expired']),
  })
  .strict();
