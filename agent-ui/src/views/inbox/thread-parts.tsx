import type { ReplyTemplate, ThreadMessage } from '../../adapters/messages-api';
import type { ConversationController } from '../../app/tasks-thread';
import { dateTime, statusLabel } from '../../app/tasks-labels';
import type { Task } from '../../domain/tasks';
import { ReplyComposer } from './ReplyComposer';

/** What a thread the agent can answer (e-mail, SMS) is drawn from. */
export interface ThreadProps {
  task: Task;
  messages: readonly ThreadMessage[];
  conversation: ConversationController;
  templates: readonly ReplyTemplate[] | undefined;
}

/** When a message left (an agent's reply) or was stored (a customer's). */
export function messageTime(m: ThreadMessage): string {
  return dateTime(m.sentAt ?? m.createdAt);
}

/** Where the agent's message stands: queued, sent, or failed with the reason. */
export function DeliveryStatus(props: { message: ThreadMessage }) {
  const m = props.message;
  return <span class={`msg-status status-${m.status}`}>{statusLabel(m.status, m.statusReason)}</span>;
}

/** The composer under a thread, only while the agent holds the task; a new task starts a new draft. */
export function ThreadReply(props: ThreadProps & { channel: 'email' | 'sms' }) {
  if (props.task.phase !== 'accepted') return null;
  return (
    <ReplyComposer
      key={props.task.contactId}
      channel={props.channel}
      task={props.task}
      messages={props.messages}
      conversation={props.conversation}
      templates={props.templates}
    />
  );
}
