import { z } from 'zod';
import { ConfigChanged } from './directory';
import {
  AgentFeature,
  AgentFeatureResult,
  AgentReconnected,
  ReconnectAgent,
  ReconnectFailed,
} from './desktop';
import {
  SuperviseCall,
  SuperviseEnded,
  SuperviseFailed,
  SuperviseMode,
  SuperviseStop,
  Supervising,
} from './supervise';
import { FlowTestCall } from './flow-test';
import {
  HoldCall,
  RetrieveCall,
  Held,
  Retrieved,
  TransferCall,
  Transferred,
  TransferFailed,
  ConsultCall,
  CompleteTransfer,
  CancelConsult,
  Consulted,
  ConsultEnded,
  ConferenceCall,
  Conferenced,
  ConferenceEnded,
  RecordCall,
  RecordingStored,
} from './call-control';
import { envelope, id, media, noNul, phone } from './envelope';

/**
 * Every message between processes, one schema each, named after the patent's CSTA-like messages.
 * TypeScript types are derived from these schemas; nothing is declared twice. The envelope and shared
 * primitives are in envelope.ts, the directory's change event in directory.ts.
 */

export { SCHEMA_VERSION, contactChannel, media } from './envelope';
export { ConfigChanged } from './directory';
export {
  HoldCall,
  RetrieveCall,
  Held,
  Retrieved,
  TransferCall,
  Transferred,
  TransferFailed,
  ConsultCall,
  CompleteTransfer,
  CancelConsult,
  Consulted,
  ConsultEnded,
  ConferenceCall,
  Conferenced,
  ConferenceEnded,
  RecordCall,
  RecordingStored,
} from './call-control';
export {
  AgentFeature,
  AgentFeatureResult,
  AgentReconnected,
  ReconnectAgent,
  ReconnectFailed,
  deskFeature,
} from './desktop';
export {
  SuperviseCall,
  SuperviseEnded,
  SuperviseFailed,
  SuperviseMode,
  SuperviseStop,
  Supervising,
  superviseMode,
} from './supervise';
export { FlowTestCall } from './flow-test';

/** Where a call was delivered: the SoftACD itself (S203), the IVR (S206), or an agent's terminal (S231). */
const deliveredTo = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('acd'), instance: id }).strict(),
  z.object({ kind: z.literal('ivr'), instance: id }).strict(),
  z.object({ kind: z.literal('agent'), agentId: id }).strict(),
]);

export const CallDelivered = z
  .object({
    ...envelope,
    type: z.literal('CallDelivered'),
    callingNumber: phone,
    callingName: z.string().max(256).regex(noNul, 'no NUL characters'),
    calledNumber: phone,
    media,
    channelId: id,
    deliveredTo,
  })
  .strict();

export const RouteRequest = z
  .object({ ...envelope, type: z.literal('RouteRequest'), calledNumber: phone, callingNumber: phone, media })
  .strict();

const routeDestination = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ivr'), flow: z.string().max(128).optional() }).strict(),
  z.object({ kind: z.literal('queue'), queueId: id }).strict(),
  z.object({ kind: z.literal('release'), cause: z.string().max(64) }).strict(),
]);

export const RouteSelect = z
  .object({ ...envelope, type: z.literal('RouteSelect'), destination: routeDestination })
  .strict();

export const RouteEnd = z
  .object({
    ...envelope,
    type: z.literal('RouteEnd'),
    outcome: z.enum(['routed', 'failed']),
    reason: z.string().max(256).optional(),
  })
  .strict();

export const DivertCall = z
  .object({
    ...envelope,
    type: z.literal('DivertCall'),
    agentId: id,
    endpoint: z.string().max(256),
    callerIdName: z.string().max(256).optional(),
    callerIdNumber: phone.optional(),
    ringTimeoutSec: z.number().int().min(1).max(600),
  })
  .strict();

export const CallDiverted = z.object({ ...envelope, type: z.literal('CallDiverted'), agentId: id }).strict();

/** The agent leg could not be connected; the caller stays in (or returns to) the queue. */
export const DivertFailed = z
  .object({
    ...envelope,
    type: z.literal('DivertFailed'),
    agentId: id,
    reason: z.enum(['no-answer', 'busy', 'unreachable', 'caller-gone']),
  })
  .strict();

/**
 * S226: SoftACD takes the caller back from the IVR (an agent answered). The IVR holding the channel
 * stops its prompt and moves the channel to SoftACD's app itself: a playback blocks the channel's
 * command queue in Asterisk, so a move requested from outside would wait for the prompt to end.
 */
export const ReleaseIvr = z
  .object({
    ...envelope,
    type: z.literal('ReleaseIvr'),
    channelId: id,
    app: z.string().min(1).max(64),
    appArgs: z.array(z.string().max(128)).max(8),
  })
  .strict();

/** CTI asks the owning SoftACD to release a call (an agent or supervisor hung up from the client). */
export const ClearCall = z
  .object({
    ...envelope,
    type: z.literal('ClearCall'),
    by: z.enum(['agent', 'supervisor', 'system']),
    agentId: id.optional(),
  })
  .strict();

/** S219: the IVR asks CTI for an agent of a queue (the caller pressed the key for a human). */
export const AgentRequest = z
  .object({
    ...envelope,
    type: z.literal('AgentRequest'),
    queueId: id,
    priority: z.number().int().min(0).max(100).optional(),
    /** Queued to book a callback (a flow's callback node): business hours do not turn it away. */
    callback: z.literal(true).optional(),
  })
  .strict();

/** S222: CTI's answer to AgentRequest and its updates: what the IVR announces while the caller waits. */
export const QueueStatus = z
  .object({
    ...envelope,
    type: z.literal('QueueStatus'),
    queueId: id,
    position: z.number().int().min(1).nullable(),
    expectedWaitSec: z.number().int().min(0).nullable(),
  })
  .strict();

/** CTI's queue timeout for the contact: the IVR tells the caller, then applies the action. */
export const QueueTimeout = z
  .object({
    ...envelope,
    type: z.literal('QueueTimeout'),
    queueId: id,
    action: z.enum(['voicemail', 'callback', 'release']),
  })
  .strict();

/**
 * The queue the IVR asked an agent of (AgentRequest) is closed by its business hours, and its closed
 * action is for the IVR: `prompt` plays `prompt` and hangs up; `voicemail` plays `prompt` (if any) and
 * records a message for `queueId`. (A closed action "another queue" stays inside CTI.)
 */
export const QueueClosed = z
  .object({
    ...envelope,
    type: z.literal('QueueClosed'),
    queueId: id,
    schedule: z.string().min(1).max(64),
    action: z.enum(['prompt', 'voicemail']),
    prompt: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((m) => m.action !== 'prompt' || m.prompt !== undefined, {
    message: 'a prompt action names its prompt',
    path: ['prompt'],
  });

/** The caller asked to be called back, keeping its place in the queue. */
export const CallbackRequested = z
  .object({ ...envelope, type: z.literal('CallbackRequested'), queueId: id, number: phone })
  .strict();

/** The customer withdrew a callback that is still waiting (an IVR menu, an operator, a test's cleanup). */
export const CallbackCancelled = z.object({ ...envelope, type: z.literal('CallbackCancelled') }).strict();

/**
 * CTI asks a SoftACD to serve a callback that reached the head of its queue: call the agent first
 * (`endpoint`, like DivertCall) and, when the agent answers, the customer's `number` through
 * `customerEndpoint` (CTI's outside dial string), then bridge both.
 */
export const DialCallback = z
  .object({
    ...envelope,
    type: z.literal('DialCallback'),
    agentId: id,
    queueId: id,
    endpoint: z.string().max(256),
    callerIdName: z.string().max(256).optional(),
    callerIdNumber: phone.optional(),
    ringTimeoutSec: z.number().int().min(1).max(600),
    number: z.string().regex(/^\+?[0-9*#]{1,32}$/, 'digits, * or #, optionally after +'),
    customerEndpoint: z.string().max(256),
    customerRingTimeoutSec: z.number().int().min(1).max(600),
  })
  .strict();

/** A callback's agent answered: the customer's number is being dialled (the agent is now busy with it). */
export const CallbackDialing = z
  .object({ ...envelope, type: z.literal('CallbackDialing'), agentId: id, number: phone })
  .strict();

/** A callback attempt ended before the customer answered; CTI applies the retry policy. */
export const CallbackFailed = z
  .object({
    ...envelope,
    type: z.literal('CallbackFailed'),
    agentId: id,
    number: phone,
    reason: z.enum(['no-answer', 'busy', 'unreachable', 'agent-hangup']),
  })
  .strict();

export const Established = z
  .object({ ...envelope, type: z.literal('Established'), agentId: id, agentChannelId: id })
  .strict();

export const ConnectionCleared = z
  .object({
    ...envelope,
    type: z.literal('ConnectionCleared'),
    releasedBy: z.enum(['caller', 'agent', 'system']),
    stage: z.enum(['routing', 'ivr', 'queue', 'ringing', 'talking']),
    cause: z.number().int().optional(),
    causeText: z.string().max(256).optional(),
  })
  .strict();

export const OnAnswerRequest = z
  .object({ ...envelope, type: z.literal('OnAnswerRequest'), agentId: id, callingNumber: phone, media })
  .strict();
export const Answer = z.object({ ...envelope, type: z.literal('Answer'), agentId: id }).strict();
export const OnAnswerSuccess = z
  .object({ ...envelope, type: z.literal('OnAnswerSuccess'), agentId: id })
  .strict();

const agentEvent = <T extends string>(type: T) =>
  z.object({ ...envelope, type: z.literal(type), agentId: id }).strict();
export const AgentLogin = agentEvent('AgentLogin');
export const AgentLogout = agentEvent('AgentLogout');
export const AgentReady = agentEvent('AgentReady');
export const AgentNotReady = z
  .object({ ...envelope, type: z.literal('AgentNotReady'), agentId: id, reason: z.string().min(1).max(64) })
  .strict();
export const WrapUp = agentEvent('WrapUp');

/** The channels whose contacts are tasks (ISAG's); voice and video are calls. */
export const taskChannel = z.enum(['email', 'sms', 'fax']);

/**
 * ISAG stored an inbound message that opens a new interaction (`contactId`), written to the store as
 * `received` before this is published; `messageId` is the `messages` document (docs/tasks.md).
 */
export const TaskCreated = z
  .object({
    ...envelope,
    type: z.literal('TaskCreated'),
    channel: taskChannel,
    from: z.string().max(512).regex(noNul, 'no NUL characters'),
    to: z.string().max(512).regex(noNul, 'no NUL characters'),
    subject: z.string().max(1024).regex(noNul, 'no NUL characters').optional(),
    queueId: id,
    messageId: id,
  })
  .strict();
/** A new inbound message joined the open interaction `contactId` (a threaded reply, the next SMS). */
export const TaskUpdated = z.object({ ...envelope, type: z.literal('TaskUpdated'), messageId: id }).strict();
/** The AS asks ISAG to send the outbound message `messageId` (status `queued`) of `contactId`. */
export const SendReply = z.object({ ...envelope, type: z.literal('SendReply'), messageId: id }).strict();
export const TaskOffered = z.object({ ...envelope, type: z.literal('TaskOffered'), agentId: id }).strict();
export const TaskAccepted = z.object({ ...envelope, type: z.literal('TaskAccepted'), agentId: id }).strict();
export const TaskCompleted = z
  .object({ ...envelope, type: z.literal('TaskCompleted'), agentId: id })
  .strict();

/**
 * CTI asks a SoftACD which calls it holds (after CTI restarted from its stored state); SoftACD answers
 * with CallList, and also sends one unasked after each resynchronisation with Asterisk (its restart, an
 * ARI reconnect). `contactId` names the exchange, not a call (`calls:<instance>`). The list is what
 * SoftACD holds when it is sent: every event about those calls that SoftACD published earlier reaches
 * CTI's queue before it (one publisher, one queue).
 */
export const CallListRequest = z.object({ ...envelope, type: z.literal('CallListRequest') }).strict();

export const CallList = z
  .object({
    ...envelope,
    type: z.literal('CallList'),
    instance: id,
    reason: z.enum(['requested', 'resync']),
    calls: z
      .array(
        z
          .object({
            contactId: id,
            // SoftACD's call state (stasis-app/softacd/call-state.ts), as a name: CTI only reads a few.
            state: z.string().min(1).max(32),
            agentId: id.optional(),
          })
          .strict(),
      )
      .max(100_000),
  })
  .strict();

export const Message = z.discriminatedUnion('type', [
  CallDelivered,
  RouteRequest,
  RouteSelect,
  RouteEnd,
  DivertCall,
  CallDiverted,
  DivertFailed,
  ReleaseIvr,
  ClearCall,
  AgentRequest,
  QueueStatus,
  QueueTimeout,
  QueueClosed,
  CallbackRequested,
  CallbackCancelled,
  DialCallback,
  CallbackDialing,
  CallbackFailed,
  Established,
  ConnectionCleared,
  OnAnswerRequest,
  Answer,
  OnAnswerSuccess,
  AgentLogin,
  AgentLogout,
  AgentReady,
  AgentNotReady,
  WrapUp,
  TaskCreated,
  TaskUpdated,
  TaskOffered,
  TaskAccepted,
  TaskCompleted,
  SendReply,
  HoldCall,
  RetrieveCall,
  Held,
  Retrieved,
  TransferCall,
  Transferred,
  TransferFailed,
  RecordCall,
  RecordingStored,
  ConsultCall,
  CompleteTransfer,
  CancelConsult,
  Consulted,
  ConsultEnded,
  ConferenceCall,
  Conferenced,
  ConferenceEnded,
  CallListRequest,
  CallList,
  ConfigChanged,
  ReconnectAgent,
  AgentReconnected,
  ReconnectFailed,
  AgentFeature,
  AgentFeatureResult,
  SuperviseCall,
  SuperviseMode,
  SuperviseStop,
  Supervising,
  SuperviseFailed,
  SuperviseEnded,
  FlowTestCall,
]);

export type Message = z.infer<typeof Message>;
export type MessageType = Message['type'];
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;
export type Media = z.infer<typeof media>;
