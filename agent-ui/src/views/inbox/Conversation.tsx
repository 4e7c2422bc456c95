import type { TasksController } from '../../app/tasks';
import { useStore } from '../../app/store';
import type { Task } from '../../domain/tasks';
import type { Option } from '../../domain/settings';
import { STRINGS } from '../../strings';
import { Region } from '../common';
import { CompleteTask } from './CompleteTask';
import { CustomerHistory } from './CustomerHistory';
import { EmailThread } from './EmailThread';
import { FaxThread } from './FaxThread';
import { channelLabel } from '../../app/tasks-labels';
import { SmsThread } from './SmsThread';

/** The selected task's conversation, shown the way its channel needs, and the step that ends it. */
export function Conversation(props: {
  task: Task;
  tasks: TasksController;
  dispositionCodes: readonly Option[];
}) {
  const { task, tasks } = props;
  const conv = useStore(tasks.conversation.view);
  const thread = conv.thread?.contactId === task.contactId ? conv.thread : undefined;
  const messages = thread?.messages ?? [];
  const title = STRINGS.conversationWith(channelLabel(task.channel), task.from);
  return (
    <Region title={title} level={3} class={`conversation conv-${task.channel}`}>
      {task.subject !== undefined && task.subject !== '' && <p class="conv-subject">{task.subject}</p>}
      {thread === undefined || (thread.status === 'loading' && messages.length === 0) ? (
        <p class="muted">{STRINGS.threadLoading}</p>
      ) : null}
      {thread?.status === 'failed' && (
        <p class="error" role="alert">
          {STRINGS.threadFailed}
        </p>
      )}
      {task.channel === 'email' && (
        <EmailThread
          task={task}
          messages={messages}
          conversation={tasks.conversation}
          templates={conv.templates.email}
        />
      )}
      {task.channel === 'sms' && (
        <SmsThread
          task={task}
          messages={messages}
          conversation={tasks.conversation}
          templates={conv.templates.sms}
        />
      )}
      {task.channel === 'fax' && <FaxThread messages={messages} conversation={tasks.conversation} />}
      <CustomerHistory customer={conv.customer?.contactId === task.contactId ? conv.customer : undefined} />
      <CompleteTask task={task} tasks={tasks} dispositionCodes={props.dispositionCodes} />
    </Region>
  );
}
