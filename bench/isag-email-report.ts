/**
 * The ISAG benchmark's report, computed from bench/results/isag-email.json alone (raw samples of every
 * step): `npx tsx bench/isag-email-report.ts [file.json]` rewrites isag-email.md beside it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fmt, percentile } from './support/stats';

export interface Sample {
  /** The e-mail's subject, or the SMS sender's number: how its TaskCreated is found. */
  key: string;
  sentAt: number;
  /** The 250 (e-mail) or the 200 (webhook) at the sender. */
  ackedAt: number;
  contactId?: string;
  /** TaskCreated on cc.tasks, as the bench's queue received it. */
  createdAt?: number;
  /** The task-offer frame at a bench agent's WebSocket. */
  offeredAt?: number;
}

export interface Step {
  kind: 'email' | 'sms';
  /** Parallel SMTP senders, or webhook requests at a time. */
  parallel: number;
  asked: number;
  startedAt: number;
  finishedAt: number;
  samples: Sample[];
  failures: string[];
}

export interface IsagBenchResult {
  command: string;
  revision: string;
  dirty: boolean;
  startedAt: string;
  finishedAt: string;
  cores: number;
  cpu: string;
  node: string;
  loadBefore: number[];
  loadAfter: number[];
  agents: number;
  steps: Step[];
}

export interface StepFigures {
  kind: Step['kind'];
  parallel: number;
  asked: number;
  acked: number;
  failed: number;
  offered: number;
  perSecond: number;
  ackMs: { p50: number; p99: number };
  ackedToOffered: { p50: number; p99: number; max: number };
  ackedToCreated: { p50: number; p99: number };
  createdToOffered: { p50: number; p99: number };
}

const span = (xs: number[]) => ({ p50: percentile(xs, 0.5), p99: percentile(xs, 0.99) });
const diffs = (samples: Sample[], from: keyof Sample, to: keyof Sample): number[] =>
  samples
    .map((s) => (s[to] as number | undefined) ?? NaN)
    .map((v, i) => v - ((samples[i]?.[from] as number | undefined) ?? NaN))
    .filter((x) => Number.isFinite(x));

export function figures(step: Step): StepFigures {
  const s = step.samples;
  const seconds = (Math.max(...s.map((x) => x.ackedAt), step.startedAt) - step.startedAt) / 1000;
  const toOffered = diffs(s, 'ackedAt', 'offeredAt');
  return {
    kind: step.kind,
    parallel: step.parallel,
    asked: step.asked,
    acked: s.length,
    failed: step.failures.length,
    offered: toOffered.length,
    perSecond: seconds > 0 ? s.length / seconds : NaN,
    ackMs: span(diffs(s, 'sentAt', 'ackedAt')),
    ackedToOffered: { ...span(toOffered), max: toOffered.length === 0 ? NaN : Math.max(...toOffered) },
    ackedToCreated: span(diffs(s, 'ackedAt', 'createdAt')),
    createdToOffered: span(diffs(s, 'createdAt', 'offeredAt')),
  };
}

export function render(r: IsagBenchResult): string {
  const rows = r.steps.map((step) => {
    const f = figures(step);
    const what =
      f.kind === 'email'
        ? `e-mail, ${f.parallel} parallel SMTP sender${f.parallel === 1 ? '' : 's'}`
        : `SMS webhook, ${f.parallel} at a time`;
    return `| ${what} | ${f.asked} | ${f.acked} | ${f.failed} | ${f.offered} | **${fmt(f.perSecond)}** | ${fmt(f.ackMs.p50)} / ${fmt(f.ackMs.p99)} | **${fmt(f.ackedToOffered.p50)} / ${fmt(f.ackedToOffered.p99)}** | ${fmt(f.ackedToOffered.max)} | ${fmt(f.ackedToCreated.p50)} / ${fmt(f.ackedToCreated.p99)} | ${fmt(f.createdToOffered.p50)} / ${fmt(f.createdToOffered.p99)} |`;
  });
  const failures = r.steps.flatMap((s) =>
    s.failures.slice(0, 3).map((f) => `- ${s.kind} x${s.parallel}: ${f}`),
  );
  return [
    '# ISAG: e-mails and SMS accepted per second, accepted-to-offered latency (issue 14)',
    '',
    `Command: \`${r.command}\` (under \`flock -o /tmp/ipcc-system.lock\`). Revision ${r.revision}${r.dirty ? ' (with uncommitted changes in the working tree)' : ''}; ${r.startedAt} to ${r.finishedAt}; ${r.cores} cores (${r.cpu}); Node ${r.node}; load average before ${r.loadBefore.map((l) => l.toFixed(2)).join(' / ')}, after ${r.loadAfter.map((l) => l.toFixed(2)).join(' / ')}; ${r.agents} bench agents on CTI's WebSocket, each accepting and completing every offer at once.`,
    '',
    'Per second: messages acknowledged (SMTP 250, webhook 200) / time from the first send to the last acknowledgement. Times in ms, p50 / p99 (nearest rank): send → acknowledged at the sender; acknowledged → task-offer frame at the agent; acknowledged → TaskCreated on `cc.tasks`; TaskCreated → task-offer. Computed from the raw samples in `isag-email.json` by `bench/isag-email-report.ts`.',
    '',
    '| step | sent | acknowledged | failed | offered | per second | send → ack p50 / p99 | ack → offered p50 / p99 | ack → offered max | ack → TaskCreated p50 / p99 | TaskCreated → offered p50 / p99 |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...(failures.length === 0 ? ['No send failed.'] : ['First failures per step:', '', ...failures]),
    '',
  ].join('\n');
}

export function writeReport(jsonFile: string): void {
  const r = JSON.parse(readFileSync(jsonFile, 'utf8')) as IsagBenchResult;
  writeFileSync(jsonFile.replace(/\.json$/, '.md'), render(r));
}

if (require.main === module) writeReport(process.argv[2] ?? `${__dirname}/results/isag-email.json`);
