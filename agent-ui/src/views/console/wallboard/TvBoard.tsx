import { percent, serviceLevelLevel, waitLevel, type BoardQueue } from '../../../domain/wallboard';
import { STRINGS } from '../../../strings';
import { useId } from '../../common';
import { seconds, since } from './format';

function Figure(props: { label: string; value: string | number; level?: string; field: string }) {
  return (
    <div class="wb-figure wb-level" data-field={props.field} data-level={props.level}>
      <span class="wb-figure-value">{props.value}</span>
      <span class="wb-figure-label">{props.label}</span>
    </div>
  );
}

/** One queue as a tile of large figures, coloured against its thresholds. */
function QueueTile(props: { queue: BoardQueue; now: number }) {
  const q = props.queue;
  const id = useId('wb-tile');
  const wait = q.oldestEnqueuedAt === null ? null : props.now - q.oldestEnqueuedAt;
  return (
    <section class="wb-tile" aria-labelledby={id} data-queue={q.id}>
      <h3 id={id}>{q.id}</h3>
      <div class="wb-figures">
        <Figure field="waiting" label={STRINGS.wbWaiting} value={q.waiting} />
        <Figure
          field="longest-wait"
          label={STRINGS.wbLongestWait}
          value={since(q.oldestEnqueuedAt, props.now)}
          level={waitLevel(wait, q.serviceLevelSec)}
        />
        <Figure
          field="service-level"
          label={STRINGS.wbServiceLevel}
          value={percent(q.serviceLevel) ?? STRINGS.wbNone}
          level={serviceLevelLevel(q.serviceLevel)}
        />
        <Figure field="asa" label={STRINGS.wbAsa} value={seconds(q.asaMs)} />
      </div>
      <div class="wb-figures wb-small">
        <Figure field="ready" label={STRINGS.wbReady} value={q.ready} />
        <Figure field="busy" label={STRINGS.wbBusy} value={q.busy} />
        <Figure field="not-ready" label={STRINGS.wbNotReady} value={q.notReady} />
        <Figure field="wrap-up" label={STRINGS.wbWrapUp} value={q.wrapUp} />
        <Figure field="offered" label={STRINGS.wbOffered} value={q.offered} />
        <Figure field="answered" label={STRINGS.wbAnswered} value={q.answered} />
        <Figure field="abandoned" label={STRINGS.wbAbandoned} value={q.abandoned} />
      </div>
    </section>
  );
}

/** The TV mode: every queue in scope as a tile, filling the screen. */
export function TvBoard(props: { queues: BoardQueue[]; now: number }) {
  return (
    <div class="wb-tv-grid">
      {props.queues.map((q) => (
        <QueueTile key={q.id} queue={q} now={props.now} />
      ))}
    </div>
  );
}
