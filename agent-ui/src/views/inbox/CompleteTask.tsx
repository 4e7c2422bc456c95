import { useState } from 'preact/hooks';
import type { TasksController } from '../../app/tasks';
import type { Option } from '../../domain/settings';
import type { Task } from '../../domain/tasks';
import { STRINGS } from '../../strings';
import { Region } from '../common';
import { WrapUpFields } from '../WrapUpFields';

/** Ends the task: the disposition and notes of the after-call form, then Complete (CTI frees the slot). */
export function CompleteTask(props: {
  task: Task;
  tasks: TasksController;
  dispositionCodes: readonly Option[];
}) {
  const { task, tasks } = props;
  const [disposition, setDisposition] = useState('');
  const [notes, setNotes] = useState('');
  const [failed, setFailed] = useState(false);
  const completing = task.phase === 'completing';
  if (task.phase !== 'accepted' && !completing) return null;
  return (
    <Region title={STRINGS.finishTaskHeading} level={3} class="finish-task">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setFailed(false);
          // The controller logs why; the task stays held and the agent can try again.
          tasks.complete(task.contactId, disposition, notes).catch(() => setFailed(true));
        }}
      >
        <WrapUpFields
          codes={props.dispositionCodes}
          disposition={disposition}
          notes={notes}
          onDisposition={setDisposition}
          onNotes={setNotes}
          compact
        />
        <div class="row">
          <button type="submit" class="primary" disabled={completing}>
            {STRINGS.completeTask}
          </button>
          <span role="status" class={failed ? 'error' : 'muted'}>
            {failed ? STRINGS.wrapUpNotSaved : completing ? STRINGS.completing : ''}
          </span>
        </div>
      </form>
    </Region>
  );
}
