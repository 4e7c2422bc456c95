/**
 * Benchmark 3's report and chart, from the steps stored in bench/results/video-load.json: every row shows
 * what its own run measured and the settings that run used; nothing is typed by hand.
 */
import { chartSvg, svgToPng, type Panel } from './chart';
import { PROJECT_NUMBER } from './support/bench-agents';
import { fmt } from './support/stats';

/** The settings a step ran with, recorded when it was measured. */
export interface StepSettings {
  talkMs: number;
  /** The measuring window as it was: the time between the two reads of the RTP counters. */
  windowS: number;
  node: string;
  cores: number;
}

export interface VideoStep {
  calls: number;
  established: number;
  /** Calls up for the whole measuring window (both legs read twice); a step is valid when all are. */
  measured?: number;
  /** Per call (caller leg + agent leg), video packets per second Asterisk received / sent. */
  videoRxPps: number[];
  videoTxPps: number[];
  audioRxPps: number[];
  /** Per call, video packets lost (Asterisk's lp on both legs) / (received + lost), %. */
  videoLossPct: number[];
  passthrough: number;
  /** Every RTP packet through Asterisk per second (all legs, audio + video, in + out). */
  totalPps: number;
  cpu: Record<string, number>;
  loadBefore: [number, number, number];
  loadAfter: [number, number, number];
  /** The benchmark command (and its start time) that measured this step. */
  by?: string;
  /** Absent from steps measured before it was recorded. */
  settings?: StepSettings;
}

const mean = (xs: number[]): number => {
  const v = xs.filter((x) => !Number.isNaN(x));
  return v.length === 0 ? NaN : v.reduce((s, x) => s + x, 0) / v.length;
};
export const max = (xs: number[]): number => {
  const v = xs.filter((x) => !Number.isNaN(x));
  return v.length === 0 ? NaN : Math.max(...v);
};

/** Talk time of a step: recorded, else read from the `--talk-ms` of the command that measured it. */
function talkS(s: VideoStep): string {
  if (s.settings) return fmt(s.settings.talkMs / 1000);
  const given = / --talk-ms (\d+)/.exec(s.by ?? '');
  return given ? fmt(Number(given[1]) / 1000) : '–';
}

/** "Node v24…, 2 cores" when every step agrees, else what differs or that it was not recorded. */
function machineOf(steps: VideoStep[]): string {
  const seen = [
    ...new Set(steps.map((s) => (s.settings ? `Node ${s.settings.node}, ${s.settings.cores} cores` : ''))),
  ];
  if (seen.length === 1 && seen[0] !== '') return seen[0] as string;
  const known = seen.filter((x) => x !== '');
  return known.length === 0
    ? 'Node and cores not recorded'
    : `${known.join('; ')}; not recorded for some steps`;
}

export function report(steps: VideoStep[], started: Date, commandLine: string): string {
  const byOf = (s: VideoStep): string => s.by ?? `${commandLine} (${started.toISOString()})`;
  const rows = steps.map(
    (s) =>
      `| ${s.calls} | ${talkS(s)} | ${s.settings ? fmt(s.settings.windowS) : '–'} | ${s.established} | ${s.measured ?? s.established} | ${s.passthrough} | ${fmt(mean(s.videoRxPps))} | ${fmt(mean(s.videoTxPps))} | ${fmt(mean(s.audioRxPps))} | ${fmt(mean(s.videoLossPct))} | ${fmt(max(s.videoLossPct))} | ${Math.round(s.totalPps)} | ${fmt(s.cpu.asterisk)} | ${fmt((s.cpu.softacd ?? 0) + (s.cpu.ivr ?? 0) + (s.cpu.cti ?? 0) + (s.cpu.as ?? 0) + (s.cpu.rabbitmq ?? 0) + (s.cpu.docstore ?? 0))} | ${fmt(s.cpu.sipp)} | ${s.loadBefore.join(' ')} → ${s.loadAfter.join(' ')} |`,
  );
  return [
    '# Benchmark 3: concurrent H.264 video calls (passthrough)',
    '',
    'Commands (under the system lock, as `npm run bench` runs them):',
    '',
    ...[...new Set(steps.map(byOf))].map((by) => {
      const mine = steps.filter((s) => byOf(s) === by);
      return `- \`${by.replace(/ \(.*$/, '')}\` started ${by.replace(/^.* \((.*)\)$/, '$1')} (${machineOf(mine)}): steps ${mine.map((s) => s.calls).join(', ')}`;
    }),
    '',
    'The load generator runs on the same machine: every call is two sipp processes (caller and agent phone) each sending PCMU and H.264 from pcap; the sipp column is their CPU. Other work on the machine is not stopped; the load average before and after each step is in the table.',
    '',
    `Each call: a sipp video caller (spec/sipp/video-caller.xml, audio + H.264) calls ${PROJECT_NUMBER} (welcome prompt, then the bench queue), CTI offers it to a Ready bench agent, SoftACD rings the agent's sipp video phone (spec/sipp/video-agent.xml), the legs are bridged and talk for the row's talk time. ` +
      `Figures are read over the row's window while every call of the step is bridged, from Asterisk's RTP counters of each leg (\`CHANNEL(rtcp,all,video)\` / \`audio\` via ARI): video pps in = packets Asterisk received from both phones of a call, out = packets it sent to them; loss = Asterisk's lost-packet count (sequence gaps, both legs, whole call) / (received + lost). "H.264 passthrough" = calls whose two legs both have \`CHANNEL(videonativeformat)\` = (h264) (no transcoding path exists for video in Asterisk). CPU in % of one core over the same window. The loss is what Asterisk saw missing from the phones; what it sent them is counted (out) but its loss is not measured (sipp sends no RTCP receiver reports). ` +
      'Talk time is the one recorded with the step, else the `--talk-ms` of its command; "–" where neither says (the window of steps measured before it was recorded).',
    '',
    '| calls | talk s | window s | bridged | up for the whole window | H.264 passthrough | video pps in per call | video pps out per call | audio pps in per call | video loss % mean | video loss % worst call | RTP pps through Asterisk (all) | CPU % Asterisk | project + broker + store | sipp | load avg before → after |',
    '|' + ' ---: |'.repeat(16),
    ...rows,
    '',
    '![video load](video-load.png)',
    '',
  ].join('\n');
}

export async function chart(steps: VideoStep[], out: string): Promise<void> {
  const pts = (f: (s: VideoStep) => number): Array<[number, number]> => steps.map((s) => [s.calls, f(s)]);
  const cpu: Panel = {
    title: 'CPU against concurrent video calls',
    xLabel: 'concurrent H.264 calls',
    yLabel: '% of one core',
    series: [
      { label: 'Asterisk', color: '#d62728', points: pts((s) => s.cpu.asterisk ?? NaN) },
      {
        label: 'sipp phones (load generator)',
        color: '#7f7f7f',
        dashed: true,
        points: pts((s) => s.cpu.sipp ?? NaN),
      },
    ],
  };
  const loss: Panel = {
    title: 'Packets and loss',
    xLabel: 'concurrent H.264 calls',
    yLabel: 'packets/s (÷100) and loss %',
    series: [
      {
        label: 'RTP pkts/s via Asterisk ÷100',
        color: '#1f77b4',
        points: pts((s) => s.totalPps / 100),
      },
      { label: 'worst video loss %', color: '#ff7f0e', points: pts((s) => max(s.videoLossPct)) },
    ],
  };
  await svgToPng(
    chartSvg([cpu, loss], `bench/video-load.ts (${machineOf(steps)}), sipp phones on the same machine.`),
    out,
  );
}
