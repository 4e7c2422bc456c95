import { z } from 'zod';
import { envelope, id, phone } from './envelope';

/**
 * The agent desktop's messages between CTI and SoftACD (docs/agent-desktop.md): taking a call back after
 * the agent's page reloaded, and desk-phone feature codes. Part of the one Message union in schemas.ts.
 */

/**
 * The agent's client was lost mid-call (a page reload, the network): CTI put the caller on hold and, when
 * the agent asks for the call back, asks the SoftACD holding it to ring the agent's device again. The new
 * leg replaces the old one (hung up without ending the call); the call stays held until retrieved.
 */
export const ReconnectAgent = z
  .object({
    ...envelope,
    type: z.literal('ReconnectAgent'),
    agentId: id,
    endpoint: z.string().max(256),
    ringTimeoutSec: z.number().int().min(1).max(600),
  })
  .strict();

export const AgentReconnected = z
  .object({ ...envelope, type: z.literal('AgentReconnected'), agentId: id, agentChannelId: id })
  .strict();

export const ReconnectFailed = z
  .object({
    ...envelope,
    type: z.literal('ReconnectFailed'),
    agentId: id,
    reason: z.enum(['busy', 'no-answer', 'unreachable', 'not-held', 'gone']),
  })
  .strict();

/** What a desk phone can ask for with a feature code (stasis-app/softacd/features.ts maps the digits). */
export const deskFeature = z.enum(['login', 'logout', 'ready', 'not-ready', 'dial']);

/**
 * An agent's desk phone dialled a feature code. `contactId` is the phone's channel id: for `dial` it
 * becomes the outbound contact's id. `endpoint` names the phone (`PJSIP/<name>`): CTI finds the agent by
 * it, so a phone can only ever act for the agent it belongs to.
 */
export const AgentFeature = z
  .object({
    ...envelope,
    type: z.literal('AgentFeature'),
    endpoint: z.string().min(1).max(256),
    feature: deskFeature,
    /** not-ready: the reason's position (1-9) in the configured list. */
    reasonDigit: z.number().int().min(1).max(9).optional(),
    /** dial: the number the agent dialled (without the outside-line prefix). */
    number: z
      .string()
      .regex(/^\+?[0-9*#]{1,32}$/, 'digits, * or #, optionally after +')
      .optional(),
  })
  .strict();

/**
 * CTI's answer to AgentFeature, to the SoftACD that asked: it speaks the outcome and hangs up, or, for a
 * granted `dial`, calls `customerEndpoint` and bridges it with the phone's channel (an outbound contact).
 */
export const AgentFeatureResult = z
  .object({
    ...envelope,
    type: z.literal('AgentFeatureResult'),
    feature: deskFeature,
    ok: z.boolean(),
    agentId: id.optional(),
    /** The agent's state after the feature (ok) or why it was refused (not ok). */
    state: z.string().min(1).max(32).optional(),
    error: z.enum(['unknown_phone', 'unknown_reason', 'refused', 'busy', 'no_queue']).optional(),
    dial: z
      .object({
        queueId: id,
        number: phone,
        customerEndpoint: z.string().max(256),
        customerRingTimeoutSec: z.number().int().min(1).max(600),
        callerIdName: z.string().max(256).optional(),
        callerIdNumber: phone.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
