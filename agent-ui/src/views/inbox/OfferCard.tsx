import { useNow } from '../../app/store';
import type { Task } from '../../domain/tasks';
import { formatDuration } from '../../domain/timing';
import { STRINGS } from '../../strings';
import { Region } from '../common';
import { channelLabel } from '../../app/tasks-labels';

/** An offered task: what it is and how long it waited; Accept or Reject. It does not ring. */
export function OfferCard(props: { task: Task; onAccept: () => void; onReject: () => void }) {
  const { task } = props;
  const now = useNow(1000);
  const channel = channelLabel(task.channel);
  const busy = task.phase === 'accepting';
  return (
    <Region title={STRINGS.offerTitle(channel)} level={3} class={`offer-card offer-${task.channel}`}>
      <dl class="facts">
        <div>
          <dt>{STRINGS.taskChannel}</dt>
          <dd>{channel}</dd>
        </div>
        <div>
          <dt>{STRINGS.taskFrom}</dt>
          <dd class="offer-from">{task.from}</dd>
        </div>
        {task.subject !== undefined && task.subject !== '' && (
          <div class="wide">
            <dt>{STRINGS.taskSubject}</dt>
            <dd>{task.subject}</dd>
          </div>
        )}
        <div>
          <dt>{STRINGS.queue}</dt>
          <dd>{task.queueId}</dd>
        </div>
        <div>
          <dt>{STRINGS.taskWaiting}</dt>
          <dd>{formatDuration(now - task.enteredAt)}</dd>
        </div>
        {task.expiresAt !== undefined && (
          <div>
            <dt>{STRINGS.offerEndsIn}</dt>
            <dd>{formatDuration(task.expiresAt - now)}</dd>
          </div>
        )}
      </dl>
      <div class="offer-actions">
        <button type="button" class="accept" disabled={busy} onClick={props.onAccept}>
          {STRINGS.accept}
        </button>
        <button type="button" class="reject" disabled={busy} onClick={props.onReject}>
          {STRINGS.reject}
        </button>
        {busy && <span class="muted">{STRINGS.accepting}</span>}
      </div>
    </Region>
  );
}
