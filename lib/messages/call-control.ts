import { z } from 'zod';
import { envelope, id, phone } from './envelope';

/**
 * Agent call control between CTI and the SoftACD owning the call: hold and retrieve, blind transfer,
 * consultation (attended transfer), conference, and recording. Part of the one Message union in
 * schemas.ts.
 */

/** Agent-initiated call control (interface A -> CTI -> the owning SoftACD). */
export const HoldCall = z.object({ ...envelope, type: z.literal('HoldCall'), agentId: id }).strict();
export const RetrieveCall = z.object({ ...envelope, type: z.literal('RetrieveCall'), agentId: id }).strict();
/** The caller hears music on hold (a video caller also sees a still image); the agent leg is out of the bridge. */
export const Held = z.object({ ...envelope, type: z.literal('Held'), agentId: id }).strict();
export const Retrieved = z.object({ ...envelope, type: z.literal('Retrieved'), agentId: id }).strict();

const transferTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('queue'), queueId: id }).strict(),
  z
    .object({
      kind: z.literal('agent'),
      agentId: id,
      endpoint: z.string().max(256),
      ringTimeoutSec: z.number().int().min(1).max(600),
    })
    .strict(),
  z
    .object({
      kind: z.literal('number'),
      number: phone,
      endpoint: z.string().max(256),
      ringTimeoutSec: z.number().int().min(1).max(600),
    })
    .strict(),
]);

/** Blind transfer: the agent leaves the call at once; the caller goes to a queue, an agent or a number. */
export const TransferCall = z
  .object({
    ...envelope,
    type: z.literal('TransferCall'),
    agentId: id,
    target: transferTarget,
    /** Where the caller goes if an agent or number target does not answer (the contact's queue). */
    fallbackQueueId: id.optional(),
  })
  .strict();

/** The transferring agent is released; for a queue the caller is back in the IVR's queue media. */
export const Transferred = z
  .object({ ...envelope, type: z.literal('Transferred'), agentId: id, target: transferTarget })
  .strict();

/** The transfer could not be made: refused (the agent keeps the caller) or the target did not answer. */
export const TransferFailed = z
  .object({
    ...envelope,
    type: z.literal('TransferFailed'),
    agentId: id,
    reason: z.enum(['no-answer', 'busy', 'unreachable', 'not-allowed']),
    target: transferTarget.optional(),
    /** The queue the caller was sent back to, when the target did not answer. */
    fallbackQueueId: id.optional(),
  })
  .strict();

/**
 * Attended transfer: the agent consults a target (the caller on hold), then completes (the caller is
 * bridged with the target, the agent released: Transferred then Established) or cancels (back to the
 * caller: ConsultEnded then Retrieved).
 */
export const ConsultCall = z
  .object({
    ...envelope,
    type: z.literal('ConsultCall'),
    agentId: id,
    target: transferTarget,
  })
  .strict();
export const CompleteTransfer = z
  .object({ ...envelope, type: z.literal('CompleteTransfer'), agentId: id })
  .strict();
export const CancelConsult = z
  .object({ ...envelope, type: z.literal('CancelConsult'), agentId: id })
  .strict();
/** The consulted target answered: the agent and the target talk, the caller is on hold. */
export const Consulted = z
  .object({ ...envelope, type: z.literal('Consulted'), agentId: id, target: transferTarget })
  .strict();
/** The consultation ended without a transfer (cancelled by the agent, or the target left / never answered). */
export const ConsultEnded = z
  .object({
    ...envelope,
    type: z.literal('ConsultEnded'),
    agentId: id,
    outcome: z.enum(['cancelled', 'failed']),
    target: transferTarget,
  })
  .strict();

/**
 * Three-way conference: during a consultation whose target answered, the agent merges it: caller, agent
 * and target in the call's bridge, all hearing each other (Asterisk mixes three parties). Conferenced
 * when the three are together; ConferenceEnded when one of the agent or the third party left and the
 * call is back to two parties (the caller leaving ends the call: ConnectionCleared).
 */
export const ConferenceCall = z
  .object({ ...envelope, type: z.literal('ConferenceCall'), agentId: id })
  .strict();
export const Conferenced = z
  .object({ ...envelope, type: z.literal('Conferenced'), agentId: id, target: transferTarget })
  .strict();
export const ConferenceEnded = z
  .object({
    ...envelope,
    type: z.literal('ConferenceEnded'),
    /** The agent who set the conference up. */
    agentId: id,
    /** Who left: the third party (the agent keeps the caller) or the agent (an agent target keeps it). */
    left: z.enum(['third-party', 'agent']),
    target: transferTarget,
  })
  .strict();

/** CTI asks the owning SoftACD to record the call's bridge (the queue's `recording` setting). */
export const RecordCall = z
  .object({ ...envelope, type: z.literal('RecordCall'), format: z.enum(['wav', 'gsm', 'sln']) })
  .strict();

/**
 * A recording ended (ARI RecordingFinished): its metadata for the interaction. `call` (the default): the
 * bridge recording SoftACD made; `voicemail`: the caller's message the IVR recorded, for `queueId`.
 */
export const RecordingStored = z
  .object({
    ...envelope,
    type: z.literal('RecordingStored'),
    name: z.string().min(1).max(256),
    format: z.string().min(1).max(16),
    durationSec: z.number().min(0),
    path: z.string().max(1024),
    kind: z.enum(['call', 'voicemail']).optional(),
    queueId: id.optional(),
  })
  .strict();
