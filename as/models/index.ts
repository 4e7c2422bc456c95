/**
 * The data model shared by the AS and the CTI. No HTTP import here: the CTI imports these models directly.
 * Models bind to mongoose's default connection; connect it with `connectStore` (as/db.ts) first.
 */
export { Agent, CHANNELS, PERSON_ROLES, type AgentData, type AgentDocument, type Channel } from './agent';
export {
  Queue,
  SELECTION_POLICIES,
  TIMEOUT_ACTIONS,
  QUEUE_CHANNELS,
  MAX_ADDRESS_LENGTH,
  MAX_CALL_SERVICE_LEVEL_SEC,
  MAX_TASK_SERVICE_LEVEL_SEC,
  type QueueChannel,
  type QueueData,
} from './queue';
export { Prompt, type PromptData } from './prompt';
export {
  IvrFlow,
  IvrFlowVersion,
  type FlowDraft,
  type IvrFlowData,
  type IvrFlowVersionData,
  type NodePosition,
} from './ivr-flow';
export { Customer, type CustomerData } from './customer';
export { Interaction, type InteractionData } from './interaction';
export { AgentState, type AgentStateData } from './agent-state';
export { AuditLog, type AuditData } from './audit-log';
export { NAME_PATTERN } from './options';
export { accountReader, revokeTokens } from './accounts';
export { Outbox, CHANGE_ENTITIES, type ChangeEntity, type OutboxData } from './outbox';
export { OutboxCommand, type OutboxCommandData } from './command-outbox';
export {
  Message,
  MESSAGE_CHANNELS,
  MESSAGE_PATHS,
  MESSAGE_STATUSES,
  type MessageChannel,
  type MessageData,
  type MessagePath,
  type MessageStatus,
} from './message';
export { ReplyTemplate, REPLY_CHANNELS, type ReplyChannel, type ReplyTemplateData } from './reply-template';
export { NotReadyReason, DEFAULT_NOT_READY_REASONS, type NotReadyReasonData } from './not-ready-reason';
export { DispositionCode, DEFAULT_DISPOSITION_CODES, type DispositionCodeData } from './disposition-code';
export {
  BusinessHours,
  CLOSED_ACTIONS,
  WEEKDAY_NAMES,
  type BusinessHoursData,
  type ClosedActionKind,
  scheduleOf,
} from './business-hours';

import { Agent } from './agent';
import { Queue } from './queue';
import { Prompt } from './prompt';
import { IvrFlow, IvrFlowVersion } from './ivr-flow';
import { Customer } from './customer';
import { Interaction } from './interaction';
import { AgentState } from './agent-state';
import { AuditLog } from './audit-log';
import { Outbox } from './outbox';
import { OutboxCommand } from './command-outbox';
import { Message } from './message';
import { ReplyTemplate } from './reply-template';
import { NotReadyReason } from './not-ready-reason';
import { DispositionCode } from './disposition-code';
import { BusinessHours } from './business-hours';

export const allModels = [
  Agent,
  Queue,
  Prompt,
  IvrFlow,
  IvrFlowVersion,
  Customer,
  Interaction,
  AgentState,
  AuditLog,
  Outbox,
  OutboxCommand,
  Message,
  ReplyTemplate,
  NotReadyReason,
  DispositionCode,
  BusinessHours,
] as const;

/**
 * Creates the declared indexes (idempotent). Not `Model.init()`: it memoises its first run, so after a
 * reconnect (tests, or a process that reconnects) it would not run again.
 */
export async function ensureIndexes(): Promise<void> {
  for (const m of allModels) await m.createIndexes();
}
