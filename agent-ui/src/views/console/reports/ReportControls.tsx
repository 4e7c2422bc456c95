import { REPORT_INTERVALS, type ReportInterval } from '../../../domain/report-series';
import { STRINGS } from '../../../strings';
import { useId } from '../../common';

export interface ReportChoice {
  fromDay: string;
  toDay: string;
  interval: ReportInterval;
  /** '' for every queue the person may see. */
  queue: string;
}

const INTERVAL_NAMES: Record<ReportInterval, string> = {
  '15m': STRINGS.reportInterval15m,
  '1h': STRINGS.reportInterval1h,
  '1d': STRINGS.reportInterval1d,
};

/** Date range, interval and queue; the report is read when the form is sent. */
export function ReportControls(props: {
  choice: ReportChoice;
  queues: readonly string[];
  busy: boolean;
  onChange: (choice: ReportChoice) => void;
  onSubmit: () => void;
}) {
  const { choice } = props;
  const ids = { from: useId('report-from'), to: useId('report-to'), interval: useId('report-interval') };
  const queueId = useId('report-queue');
  const set = (patch: Partial<ReportChoice>) => props.onChange({ ...choice, ...patch });
  return (
    <form
      class="report-controls"
      aria-label={STRINGS.reportSettings}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      <div>
        <label for={ids.from}>{STRINGS.reportFrom}</label>
        <input
          id={ids.from}
          type="date"
          required
          value={choice.fromDay}
          onInput={(e) => set({ fromDay: e.currentTarget.value })}
        />
      </div>
      <div>
        <label for={ids.to}>{STRINGS.reportTo}</label>
        <input
          id={ids.to}
          type="date"
          required
          value={choice.toDay}
          onInput={(e) => set({ toDay: e.currentTarget.value })}
        />
      </div>
      <div>
        <label for={ids.interval}>{STRINGS.reportInterval}</label>
        <select
          id={ids.interval}
          value={choice.interval}
          onChange={(e) => set({ interval: e.currentTarget.value as ReportInterval })}
        >
          {REPORT_INTERVALS.map((i) => (
            <option key={i} value={i}>
              {INTERVAL_NAMES[i]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for={queueId}>{STRINGS.reportQueue}</label>
        <select id={queueId} value={choice.queue} onChange={(e) => set({ queue: e.currentTarget.value })}>
          <option value="">{STRINGS.reportAllQueues}</option>
          {props.queues.map((q) => (
            <option key={q} value={q}>
              {q}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="primary" disabled={props.busy}>
        {STRINGS.reportShow}
      </button>
    </form>
  );
}
