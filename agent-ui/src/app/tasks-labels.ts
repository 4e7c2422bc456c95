import type { MessageStatus } from '../adapters/messages-api';
import type { FileProblem } from './tasks-compose';
import type { ReplyProgress } from './tasks-thread';
import type { TaskChannel } from '../domain/interface-a';
import { STRINGS } from '../strings';

/** The inbox's words for channels, statuses and reasons (each looked up by name in the strings module). */

export function channelLabel(channel: TaskChannel): string {
  switch (channel) {
    case 'email':
      return STRINGS.taskChannelEmail;
    case 'sms':
      return STRINGS.taskChannelSms;
    case 'fax':
      return STRINGS.taskChannelFax;
  }
}

/** A contact's channel in a customer's history: a task's channel, or a call (voice or video). */
export function contactChannelLabel(channel: string | undefined): string {
  switch (channel) {
    case 'email':
    case 'sms':
    case 'fax':
      return channelLabel(channel);
    case 'voice':
      return STRINGS.historyCall;
    case 'video':
      return STRINGS.historyVideoCall;
    default:
      return channel ?? '';
  }
}

export function statusLabel(status: MessageStatus, reason?: string): string {
  switch (status) {
    case 'queued':
      return STRINGS.msgQueued;
    case 'sent':
      return STRINGS.msgSent;
    case 'failed':
      return STRINGS.msgFailed(reason ?? STRINGS.msgNoReason);
    case 'received':
      return STRINGS.msgReceived;
  }
}

/** The composer's line about the last reply: it follows the reply from queued to sent or failed. */
export function replyProgressText(p: ReplyProgress): string {
  switch (p.state) {
    case 'queued':
      return STRINGS.replyQueued;
    case 'sent':
      return STRINGS.replySent;
    case 'failed':
      return STRINGS.replyNotSent(p.reason ?? STRINGS.msgNoReason);
  }
}

/** CTI's `task-ended` reasons (cti/tasks/messages.ts) in words; another is shown as CTI wrote it. */
export function endedReason(reason: string): string {
  switch (reason) {
    case 'timed-out':
      return STRINGS.taskEndedTimeout;
    case 'ended':
      return STRINGS.taskEndedOther;
    case 'completed':
      return STRINGS.taskEndedCompleted;
    default:
      return reason;
  }
}

export function fileProblemText(p: FileProblem): string {
  return p.code === 'file-too-large' ? STRINGS.fileTooLarge(p.name) : STRINGS.messageTooLarge;
}

export function dateTime(ms: number): string {
  return ms > 0 ? new Date(ms).toLocaleString() : '';
}
