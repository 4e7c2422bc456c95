import type { TasksController } from '../../app/tasks';
import { useStore } from '../../app/store';
import { channelLoads, heldTasks, offers, type Task } from '../../domain/tasks';
import type { Option } from '../../domain/settings';
import { STRINGS } from '../../strings';
import { Region } from '../common';
import { Conversation } from './Conversation';
import { channelLabel, endedReason } from '../../app/tasks-labels';
import { OfferCard } from './OfferCard';

function TaskButton(props: { task: Task; selected: boolean; onSelect: () => void }) {
  const { task } = props;
  return (
    <button
      type="button"
      class={`task-item${props.selected ? ' selected' : ''}`}
      aria-current={props.selected ? 'true' : undefined}
      onClick={props.onSelect}
    >
      <span class="task-from">{task.from}</span>
      {task.subject !== undefined && task.subject !== '' && <span class="task-subject">{task.subject}</span>}
      {task.unread > 0 && <span class="unread">{STRINGS.unreadCount(String(task.unread))}</span>}
    </button>
  );
}

/**
 * The agent's inbox beside the call area: offered tasks (Accept / Reject, no ringing), the tasks held
 * per channel against the agent's capacity, and the open conversation.
 */
export function Inbox(props: { tasks: TasksController; dispositionCodes: readonly Option[] }) {
  const { tasks: controller } = props;
  const view = useStore(controller.view);
  const { tasks, selected, notice } = view.tasks;
  const offered = offers(tasks);
  const loads = channelLoads(tasks, view.capacity);
  const held = heldTasks(tasks).length;
  const selectedTask = tasks.find((t) => t.contactId === selected);
  return (
    <Region title={STRINGS.inboxHeading} class="inbox">
      <div class="visually-hidden" role="status" aria-live="polite">
        {view.announcement}
      </div>
      {notice !== undefined && (
        <div class="inbox-notice" role="alert">
          <span>
            {STRINGS.taskEnded(channelLabel(notice.channel), notice.from, endedReason(notice.detail))}
          </span>
          <button type="button" class="link" onClick={() => controller.dismissNotice()}>
            {STRINGS.dismiss}
          </button>
        </div>
      )}
      <ul class="loads" aria-label={STRINGS.capacityHeading}>
        {loads.map((l) => (
          <li key={l.channel} class={l.max !== undefined && l.held >= l.max ? 'full' : ''}>
            <span>{channelLabel(l.channel)}</span>
            <span class="count">
              {l.max === undefined ? String(l.held) : STRINGS.heldOf(String(l.held), String(l.max))}
            </span>
          </li>
        ))}
        {view.capacity.maxTotal !== undefined && (
          <li>
            <span>{STRINGS.totalTasks}</span>
            <span class="count">{STRINGS.heldOf(String(held), String(view.capacity.maxTotal))}</span>
          </li>
        )}
      </ul>
      {offered.map((t) => (
        <OfferCard
          key={t.contactId}
          task={t}
          onAccept={() => controller.accept(t.contactId)}
          onReject={() => controller.reject(t.contactId)}
        />
      ))}
      {held === 0 && offered.length === 0 && <p class="muted empty">{STRINGS.noTasks}</p>}
      {loads
        .filter((l) => l.held > 0)
        .map((l) => (
          <nav key={l.channel} class="task-group" aria-label={STRINGS.heldTasksOf(channelLabel(l.channel))}>
            <h3 class="task-group-title">{STRINGS.heldTasksOf(channelLabel(l.channel))}</h3>
            <ul class="task-list">
              {heldTasks(tasks, l.channel).map((t) => (
                <li key={t.contactId}>
                  <TaskButton
                    task={t}
                    selected={t.contactId === selected}
                    onSelect={() => controller.select(t.contactId)}
                  />
                </li>
              ))}
            </ul>
          </nav>
        ))}
      {selectedTask !== undefined && (
        <Conversation
          key={selectedTask.contactId}
          task={selectedTask}
          tasks={controller}
          dispositionCodes={props.dispositionCodes}
        />
      )}
    </Region>
  );
}
