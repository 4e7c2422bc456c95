import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import type { agentTimeSeries, intervalSeries } from '../../../domain/report-series';
import { STRINGS } from '../../../strings';

/**
 * Chart.js, with only the parts these charts use registered (esbuild drops the rest), in the reports
 * chunk alone. Charts draw without animation: the figures are there at once, for people and for tests.
 */
Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);
Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
Chart.defaults.color = '#5f6b7a';
Chart.defaults.borderColor = '#e6eaf0';

export { Chart };
export type AnyChartConfig = ChartConfiguration<'bar' | 'line', (number | null)[], string>;

/** One colour per figure, the same in every chart (offered is the brand blue). */
const COLOURS = {
  offered: '#2156d9',
  answered: '#13805b',
  abandoned: '#c8333a',
  serviceLevel: '#7b3fd1',
  asa: '#b8660b',
  aht: '#0f7c8c',
  talk: '#2156d9',
};
/** Not-ready reasons in a stable order get these in turn. */
const REASON_COLOURS = ['#e0a100', '#d9480f', '#9c36b5', '#1c7ed6', '#5c940d', '#868e96', '#c2255c'];

const axisTitle = (text: string) => ({ display: true, text, font: { weight: 600 as const } });
const base = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false as const,
  interaction: { mode: 'index' as const, intersect: false },
  plugins: { legend: { position: 'bottom' as const, labels: { boxWidth: 12, boxHeight: 12 } } },
};

type Series = ReturnType<typeof intervalSeries>;

export function volumeChart(s: Series): AnyChartConfig {
  const bar = (label: string, data: number[], colour: string) => ({
    type: 'bar' as const,
    label,
    data,
    backgroundColor: colour,
    borderRadius: 3,
    maxBarThickness: 28,
  });
  return {
    type: 'bar',
    data: {
      labels: s.labels,
      datasets: [
        bar(STRINGS.colOffered, s.offered, COLOURS.offered),
        bar(STRINGS.colAnswered, s.answered, COLOURS.answered),
        bar(STRINGS.colAbandoned, s.abandoned, COLOURS.abandoned),
      ],
    },
    options: {
      ...base,
      scales: {
        x: { title: axisTitle(STRINGS.axisInterval), grid: { display: false } },
        y: { beginAtZero: true, title: axisTitle(STRINGS.axisContacts), ticks: { precision: 0 } },
      },
    },
  };
}

const line = (label: string, data: (number | null)[], colour: string) => ({
  type: 'line' as const,
  label,
  data,
  borderColor: colour,
  backgroundColor: colour,
  borderWidth: 2,
  pointRadius: 3,
  spanGaps: true,
  tension: 0.25,
  // Points at 0 % or 100 % sit on the chart's edge: draw them whole.
  clip: 6,
});

export function serviceLevelChart(s: Series): AnyChartConfig {
  return {
    type: 'line',
    data: {
      labels: s.labels,
      datasets: [line(STRINGS.colServiceLevel, s.serviceLevelPct, COLOURS.serviceLevel)],
    },
    options: {
      ...base,
      scales: {
        x: { title: axisTitle(STRINGS.axisInterval), grid: { display: false } },
        y: { min: 0, max: 100, title: axisTitle(STRINGS.axisPercent) },
      },
    },
  };
}

export function speedChart(s: Series): AnyChartConfig {
  return {
    type: 'line',
    data: {
      labels: s.labels,
      datasets: [line(STRINGS.colAsa, s.asaSec, COLOURS.asa), line(STRINGS.colAht, s.ahtSec, COLOURS.aht)],
    },
    options: {
      ...base,
      scales: {
        x: { title: axisTitle(STRINGS.axisInterval), grid: { display: false } },
        y: { beginAtZero: true, title: axisTitle(STRINGS.axisSeconds) },
      },
    },
  };
}

export function agentChart(s: ReturnType<typeof agentTimeSeries>): AnyChartConfig {
  const stack = (label: string, data: number[], colour: string) => ({
    type: 'bar' as const,
    label,
    data,
    backgroundColor: colour,
    stack: 'time',
    maxBarThickness: 22,
  });
  return {
    type: 'bar',
    data: {
      labels: s.labels,
      datasets: [
        stack(STRINGS.colTalkTime, s.talkMin, COLOURS.talk),
        ...s.notReadyMin.map((r, i) =>
          stack(
            STRINGS.colNotReadyFor(r.reason),
            r.values,
            REASON_COLOURS[i % REASON_COLOURS.length] as string,
          ),
        ),
      ],
    },
    options: {
      ...base,
      indexAxis: 'y',
      interaction: { mode: 'index', intersect: false, axis: 'y' },
      scales: {
        x: { stacked: true, beginAtZero: true, title: axisTitle(STRINGS.axisMinutes) },
        y: { stacked: true, title: axisTitle(STRINGS.colAgent), grid: { display: false } },
      },
    },
  };
}
