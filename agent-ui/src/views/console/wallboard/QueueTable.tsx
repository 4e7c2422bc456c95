import { percent, serviceLevelLevel, waitLevel, type BoardQueue } from '../../../domain/wallboard';
import { STRINGS } from '../../../strings';
import { seconds, since } from './format';

/** One row per queue in scope: waiting, longest wait, agents by state, today's figures. */
export function QueueTable(props: { queues: BoardQueue[]; now: number }) {
  return (
    <table class="wb-table">
      <caption>{STRINGS.wbQueuesCaption}</caption>
      <thead>
        <tr>
          <th scope="col">{STRINGS.wbQueue}</th>
          <th scope="col">{STRINGS.wbWaiting}</th>
          <th scope="col">{STRINGS.wbLongestWait}</th>
          <th scope="col">{STRINGS.wbReady}</th>
          <th scope="col">{STRINGS.wbBusy}</th>
          <th scope="col">{STRINGS.wbNotReady}</th>
          <th scope="col">{STRINGS.wbWrapUp}</th>
          <th scope="col">{STRINGS.wbOffered}</th>
          <th scope="col">{STRINGS.wbAnswered}</th>
          <th scope="col">{STRINGS.wbAbandoned}</th>
          <th scope="col">{STRINGS.wbServiceLevel}</th>
          <th scope="col">{STRINGS.wbAsa}</th>
        </tr>
      </thead>
      <tbody>
        {props.queues.map((q) => {
          const wait = q.oldestEnqueuedAt === null ? null : props.now - q.oldestEnqueuedAt;
          return (
            <tr key={q.id} data-queue={q.id}>
              <th scope="row">{q.id}</th>
              <td data-field="waiting">{q.waiting}</td>
              <td data-field="longest-wait" data-level={waitLevel(wait, q.serviceLevelSec)} class="wb-level">
                {since(q.oldestEnqueuedAt, props.now)}
                <span class="wb-sub">{STRINGS.wbThresholdOf(String(q.serviceLevelSec))}</span>
              </td>
              <td data-field="ready">{q.ready}</td>
              <td data-field="busy">{q.busy}</td>
              <td data-field="not-ready">{q.notReady}</td>
              <td data-field="wrap-up">{q.wrapUp}</td>
              <td data-field="offered">{q.offered}</td>
              <td data-field="answered">{q.answered}</td>
              <td data-field="abandoned">{q.abandoned}</td>
              <td data-field="service-level" data-level={serviceLevelLevel(q.serviceLevel)} class="wb-level">
                {percent(q.serviceLevel) ?? STRINGS.wbNone}
              </td>
              <td data-field="asa">{seconds(q.asaMs)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
