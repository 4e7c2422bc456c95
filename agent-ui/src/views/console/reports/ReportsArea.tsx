import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../adapters/as-api';
import { rangeWindow, utcDay } from '../../../domain/report-series';
import { STRINGS } from '../../../strings';
import '../../../styles/reports.css';
import { Region } from '../../common';
import type { AreaProps } from '../area';
import { AgentSection } from './AgentSection';
import { QueueSection } from './QueueSection';
import { ReportControls, type ReportChoice } from './ReportControls';
import { loadReport, type ReportData } from './reports-api';

type Shown =
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; data: ReportData; choice: ReportChoice };

/**
 * The supervisor's reports: the queues it supervises (an administrator: all) over a range of UTC days,
 * per interval, as figures, charts and tables, each table downloadable as CSV. The AS scopes every
 * figure to the person's queues; this page only shows what it is given.
 */
export function ReportsArea(props: AreaProps) {
  const today = utcDay(new Date());
  const [choice, setChoice] = useState<ReportChoice>({
    fromDay: today,
    toDay: today,
    interval: '1h',
    queue: '',
  });
  const [shown, setShown] = useState<Shown>({ status: 'loading' });
  const [queues, setQueues] = useState<string[]>([]);
  const latest = useRef(0);

  const show = (c: ReportChoice) => {
    const window = rangeWindow(c.fromDay, c.toDay);
    if (window === 'bad-date' || window === 'to-before-from') {
      setShown({
        status: 'failed',
        message: window === 'bad-date' ? STRINGS.reportBadDate : STRINGS.reportToBeforeFrom,
      });
      return;
    }
    const ticket = ++latest.current;
    setShown({ status: 'loading' });
    loadReport(props.session.api, {
      ...window,
      interval: c.interval,
      ...(c.queue === '' ? {} : { queue: c.queue }),
    }).then(
      (data) => {
        if (ticket !== latest.current) return; // a newer request is on its way
        if (c.queue === '') setQueues(data.summary.queues);
        setShown({ status: 'ready', data, choice: c });
      },
      (err: unknown) => {
        if (ticket !== latest.current) return;
        const why = err instanceof ApiError ? err.message : String(err);
        setShown({ status: 'failed', message: STRINGS.reportFailed(why) });
      },
    );
  };

  // Today's report on opening; later ones when the form is sent.
  useEffect(() => show(choice), []);

  return (
    <section class="reports" aria-label={STRINGS.areaReports}>
      <div class="reports-head">
        <h2>{STRINGS.areaReports}</h2>
        {shown.status === 'ready' && (
          <p class="muted">
            {STRINGS.reportCovers(
              shown.choice.queue === '' ? STRINGS.reportAllQueues : shown.choice.queue,
              shown.choice.fromDay,
              shown.choice.toDay,
            )}
          </p>
        )}
      </div>
      <ReportControls
        choice={choice}
        queues={queues}
        busy={shown.status === 'loading'}
        onChange={setChoice}
        onSubmit={() => show(choice)}
      />
      {shown.status === 'loading' && (
        <p class="muted" role="status">
          {STRINGS.reportLoading}
        </p>
      )}
      {shown.status === 'failed' && (
        <p class="error" role="alert">
          {shown.message}
        </p>
      )}
      {shown.status === 'ready' && shown.data.summary.queues.length === 0 && (
        <p class="muted">{STRINGS.reportNoQueues}</p>
      )}
      {shown.status === 'ready' && shown.data.summary.queues.length > 0 && (
        <>
          <Region title={STRINGS.reportQueueSection} class="report-panel">
            <QueueSection
              summary={shown.data.summary}
              interval={shown.choice.interval}
              range={shown.choice}
            />
          </Region>
          <Region title={STRINGS.reportAgentSection} class="report-panel">
            <AgentSection rows={shown.data.agents} range={shown.choice} />
          </Region>
        </>
      )}
    </section>
  );
}
