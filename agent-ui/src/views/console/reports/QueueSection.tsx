import { useMemo } from 'preact/hooks';
import {
  durationText,
  intervalCsvRows,
  intervalLabel,
  intervalSeries,
  percentText,
  queueCsvRows,
  channelCsvRows,
  spansDays,
  type QueueSummary,
  type ReportInterval,
} from '../../../domain/report-series';
import { STRINGS } from '../../../strings';
import { ChartCanvas } from './ChartCanvas';
import { FIGURE_COLUMNS, FIGURE_CSV_COLUMNS, FigureCells, ReportTable, show } from './cells';
import { serviceLevelChart, speedChart, volumeChart } from './charts';

/** A channel's name on the page; one the page does not know is shown as the AS wrote it. */
function channelName(channel: string): string {
  switch (channel) {
    case 'voice':
      return STRINGS.channelVoice;
    case 'email':
      return STRINGS.channelEmail;
    case 'sms':
      return STRINGS.channelSms;
    case 'fax':
      return STRINGS.channelFax;
    default:
      return channel;
  }
}

function Kpis(props: { summary: QueueSummary }) {
  const t = props.summary.total;
  const tiles: [string, string][] = [
    [STRINGS.colOffered, String(t.offered)],
    [STRINGS.colAnswered, String(t.answered)],
    [STRINGS.colAbandoned, String(t.abandoned)],
    [STRINGS.colServiceLevel, show(percentText(t.serviceLevel))],
    [STRINGS.colAsa, show(durationText(t.asaSec))],
    [STRINGS.colAht, show(durationText(t.ahtSec))],
  ];
  return (
    <dl class="report-kpis" aria-label={STRINGS.reportKpis}>
      {tiles.map(([name, value]) => (
        <div key={name} class="report-kpi">
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The selected queues taken together: totals, three charts, the interval table and each queue's total. */
export function QueueSection(props: {
  summary: QueueSummary;
  interval: ReportInterval;
  range: { fromDay: string; toDay: string };
}) {
  const { summary, interval } = props;
  const charts = useMemo(() => {
    const s = intervalSeries(summary, interval);
    return { volume: volumeChart(s), serviceLevel: serviceLevelChart(s), speed: speedChart(s) };
  }, [summary, interval]);
  const withDay = spansDays(summary.intervals);
  const t = summary.total;
  const n = String(summary.intervals.length);
  return (
    <>
      <Kpis summary={summary} />
      <div class="report-charts">
        <ChartCanvas
          title={STRINGS.chartVolumeTitle}
          label={STRINGS.chartVolumeLabel(n, String(t.offered), String(t.answered), String(t.abandoned))}
          config={charts.volume}
        />
        <ChartCanvas
          title={STRINGS.chartServiceLevelTitle}
          label={STRINGS.chartServiceLevelLabel(n, show(percentText(t.serviceLevel)))}
          config={charts.serviceLevel}
        />
        <ChartCanvas
          title={STRINGS.chartSpeedTitle}
          label={STRINGS.chartSpeedLabel(n, show(durationText(t.asaSec)), show(durationText(t.ahtSec)))}
          config={charts.speed}
        />
      </div>
      <div class="report-tables">
        <ReportTable
          caption={STRINGS.reportIntervalTable}
          range={props.range}
          head={[STRINGS.colInterval, ...FIGURE_COLUMNS]}
          download={{
            label: STRINGS.downloadIntervals,
            what: 'intervals',
            header: [STRINGS.csvIntervalStart, ...FIGURE_CSV_COLUMNS],
            rows: intervalCsvRows(summary, STRINGS.reportTotal),
          }}
          foot={
            <tr>
              <th scope="row">{STRINGS.reportTotal}</th>
              <FigureCells f={t} />
            </tr>
          }
        >
          {summary.intervals.map((i) => (
            <tr key={i.intervalStart}>
              <th scope="row">{intervalLabel(i.intervalStart, interval, withDay)}</th>
              <FigureCells f={i} />
            </tr>
          ))}
        </ReportTable>
        <ReportTable
          caption={STRINGS.reportQueueTable}
          range={props.range}
          head={[STRINGS.colQueue, ...FIGURE_COLUMNS]}
          download={{
            label: STRINGS.downloadQueues,
            what: 'queues',
            header: [STRINGS.colQueue, ...FIGURE_CSV_COLUMNS],
            rows: queueCsvRows(summary),
          }}
        >
          {summary.byQueue.map((q) => (
            <tr key={q.queueId}>
              <th scope="row">{q.queueId}</th>
              <FigureCells f={q} />
            </tr>
          ))}
        </ReportTable>
        <ReportTable
          caption={STRINGS.reportChannelTable}
          range={props.range}
          head={[STRINGS.colChannel, ...FIGURE_COLUMNS]}
          download={{
            label: STRINGS.downloadChannels,
            what: 'channels',
            header: [STRINGS.colChannel, ...FIGURE_CSV_COLUMNS],
            rows: channelCsvRows(summary),
          }}
        >
          {(summary.byChannel ?? []).map((c) => (
            <tr key={c.channel}>
              <th scope="row">{channelName(c.channel)}</th>
              <FigureCells f={c} />
            </tr>
          ))}
        </ReportTable>
      </div>
    </>
  );
}
