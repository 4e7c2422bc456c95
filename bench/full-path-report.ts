import { PROJECT_NUMBER } from './support/bench-agents';
import { NATIVE_NUMBER } from './support/app-queue-baseline';
import {
  RING_MS,
  highestClean,
  type Mode,
  type Options,
  type RunResult,
  type Setup,
} from './full-path-results';
import { CPU_RATIO_MAX, FIRST_RTP_RATIO_MAX, cpuSecondsPerCall, verdict } from './full-path-targets';
import { CALLER_MEDIA_PORT } from './support/first-rtp';
import { fmt } from './support/stats';

/** bench/results/full-path.md from a benchmark's rows: the setup, the table, the ratios, the hops, the target. */
export function report(
  results: RunResult[],
  o: Options,
  started: Date,
  commandLine: string,
  setup: Setup | undefined,
): string {
  const notRecorded = '(not recorded by this run)';
  const rates = [...new Set(results.map((r) => r.rate))].sort((x, y) => x - y);
  const by = (mode: Mode, rate: number): RunResult | undefined =>
    results.find((r) => r.mode === mode && r.rate === rate);
  const ratio = (b: number | undefined, a: number | undefined): string =>
    b === undefined || a === undefined || !(a > 0) || Number.isNaN(b) ? '–' : (b / a).toFixed(2);
  const cpuCell = (r: RunResult): string =>
    `${fmt(r.cpu.asterisk)} | ${fmt(r.cpu.softacd)} | ${fmt(r.cpu.ivr)} | ${fmt(r.cpu.cti)} | ${fmt(r.cpu.as)} | ${fmt(r.cpu.rabbitmq)} | ${fmt(r.cpu.docstore)} | ${fmt(r.cpu.sipp)}`;
  const rows = results
    .slice()
    .sort((x, y) => x.rate - y.rate || x.mode.localeCompare(y.mode))
    .map(
      (r) =>
        `| ${r.rate} | ${r.mode === 'a' ? '(a) app_queue' : '(b) project'} | ${r.failureFree}/${r.calls} | ${r.callerFailed} | ${fmt(r.invite200.p50)} | ${fmt(r.invite200.p95)} | ${fmt(r.invite200.p99)} | ${fmt(r.agentRing.p50)} | ${fmt(r.agentRing.p99)} | ${r.agentDelivered ? `${fmt(r.agentDelivered.p50)} / ${fmt(r.agentDelivered.p99)}` : '–'} | ${cpuCell(r)} | ${r.loadBefore.join(' ')} → ${r.loadAfter.join(' ')} |`,
    );
  const ratioRows = rates.map((rate) => {
    const a = by('a', rate);
    const b = by('b', rate);
    const total = (r: RunResult | undefined): number | undefined =>
      r === undefined
        ? undefined
        : ['asterisk', 'softacd', 'ivr', 'cti', 'as', 'rabbitmq'].reduce((s, k) => s + (r.cpu[k] ?? 0), 0);
    return `| ${rate} | ${ratio(b?.invite200.p50, a?.invite200.p50)} | ${ratio(b?.invite200.p99, a?.invite200.p99)} | ${ratio(b?.agentRing.p50, a?.agentRing.p50)} | ${ratio(b?.agentRing.p99, a?.agentRing.p99)} | ${ratio(b?.cpu.asterisk, a?.cpu.asterisk)} | ${ratio(total(b), total(a))} |`;
  });
  const byOf = (r: RunResult): string => r.by ?? `${commandLine} (${started.toISOString()})`;
  const hopNames = [...new Set(results.flatMap((r) => Object.keys(r.hops ?? {})))];
  const hiA = highestClean(results, 'a');
  const hiB = highestClean(results, 'b');
  const v = verdict(results);
  const sorted = results.slice().sort((x, y) => x.rate - y.rate || x.mode.localeCompare(y.mode));
  const pathName = (r: RunResult): string => (r.mode === 'a' ? '(a) app_queue' : '(b) project');
  const firstRtpRows = sorted.map((r) =>
    r.firstRtp === undefined
      ? `| ${r.rate} | ${pathName(r)} | – | – | – | not measured by this row's run | – | – |`
      : `| ${r.rate} | ${pathName(r)} | ${fmt(r.firstRtp.p50)} | ${fmt(r.firstRtp.p95)} | ${fmt(r.firstRtp.p99)} | ${r.firstRtp.n}/${r.firstRtp.invites} | ${r.firstRtp.withoutRtp} | ${r.firstRtp.dropped} |`,
  );
  const cpuRows = rates.map((rate) => {
    const a = by('a', rate);
    const b = by('b', rate);
    const ms = (r: RunResult | undefined): number | undefined =>
      r === undefined ? undefined : cpuSecondsPerCall(r) * 1000;
    const store = (r: RunResult | undefined): number | undefined =>
      r === undefined ? undefined : ((r.cpu.docstore ?? 0) / 100) * (r.wallS / r.calls) * 1000;
    return `| ${rate} | ${fmt(ms(a))} | ${fmt(ms(b))} | ${ratio(ms(b), ms(a))} | ${fmt(store(b))} |`;
  });
  const perCallRows = sorted
    .filter((r) => r.perCall !== undefined)
    .map((r) => {
      const p = r.perCall as NonNullable<RunResult['perCall']>;
      const procs = (m: Record<string, number>): string =>
        ['softacd', 'ivr', 'cti', 'as'].map((k) => fmt(m[k])).join(' | ');
      return `| ${r.rate} | ${fmt(p.published.total)} | ${procs(p.published)} | ${fmt(p.consumed.total)} | ${fmt(p.ari.total)} | ${fmt(p.ari.softacd)} | ${fmt(p.ari.ivr)} | ${p.ariTop
        .slice(0, 5)
        .map((t) => `${t.operation} ${fmt(t.perCall)}`)
        .join('; ')} |`;
    });
  return [
    '# Benchmark 1: the full path against app_queue (same Asterisk, same load)',
    '',
    `Commands (under the system lock, as \`npm run bench\` runs them), Node ${setup?.node ?? notRecorded}, ${setup ? `${setup.cores} cores (${setup.cpu})` : `cores ${notRecorded}`}:`,
    '',
    ...[...new Set(results.map(byOf))].map(
      (by) =>
        `- \`${by.replace(/ \(.*$/, '')}\`${by.includes('(') ? ` started ${by.replace(/^.* \((.*)\)$/, '$1')}` : ''}: rates ${results
          .filter((r) => byOf(r) === by)
          .map((r) => `${r.mode}@${r.rate}`)
          .join(', ')}`,
    ),
    '',
    `Each step's load: \`${results[0]?.command ?? ''}\` ((b): -s ${PROJECT_NUMBER} -set caller 15550009902; -r and -m per rate; the trace files of each step under \`$IPCC_RUN/bench/full-path-<a|b>-<rate>/\`).`,
    '',
    'Nothing stops other work on the machine during a run: the load average (1/5/15 min) before and after each step is in the table, and figures vary with that load.',
    '',
    `Workload per step: sipp (rows with first-RTP figures: \`spec/sipp/rtp-caller.xml\`, PCMU offer, the caller sends a 400 Hz tone as RTP from port ${CALLER_MEDIA_PORT}; earlier rows: \`spec/sipp/uac-audio.xml\`, no RTP sent) places rate × ${o.stepS} s calls at a steady rate; each caller stays ${o.holdMs / 1000} s after its 200 OK, then hangs up. ` +
      `N agent endpoints (N = --agents of the command; \`bench001\`…, PJSIP, generated by \`scripts/agent-endpoints.ts\` from bench agents in the document store) are registered to one sipp UAS (\`bench/sipp/agent-uas.xml\`) that rings ${RING_MS} ms and answers. ` +
      'Asterisk and the project processes are restarted before every step.',
    '',
    `- (a) app_queue: number ${NATIVE_NUMBER} from the bench caller endpoint → \`Answer()\`, \`Playback(ipcc/welcome)\` (${setup ? `${setup.promptS.toFixed(2)} s` : `length ${notRecorded}`}), \`Queue(bench)\` (strategy leastrecent, ringinuse no, ${setup?.members ?? notRecorded} static members, wrap-up 0).`,
    `- (b) the project: number ${PROJECT_NUMBER} → Stasis(softacd) → CallDelivered/RouteRequest → CTI → RouteSelect → IVR answers, plays the same \`welcome\`, flow's queue step → AgentRequest → CTI picks the longest-idle Ready agent (queue \`bench\`, wrap-up 0; agents signed in and Ready over interface A) → DivertCall → SoftACD rings the agent → bridge.`,
    '',
    "Columns: failure-free = calls whose caller sipp succeeded and whose caller was connected to an agent that answered (a: the agent phone saw the caller's Call-ID in an X-Bench header set by a Queue predial; b: CTI's Established event for the contact). INVITE→200 = sipp response time (call start to the 200 OK, `-trace_rtt`). Queue→agent INVITE = (a) the dialplan's clock just before `Queue()` to the agent phone receiving the INVITE; (b) the IVR's AgentRequest time to the agent phone receiving the INVITE; (b) also AgentRequest → SoftACD's CallDelivered(agent) (the agent leg ringing). CPU = % of one core over the caller sipp's whole run (process tree from `/proc/<pid>/stat`); docstore = FerretDB + PostgreSQL, which may serve other work on the machine (the (a) rows, which do not touch the store at all, show that background), so it is left out of the ratios and the chart; RabbitMQ likewise ((a) shows its background); sipp = the load generator itself.",
    '',
    '| calls/s | path | failure-free | caller failed | INVITE→200 p50 ms | p95 | p99 | queue→agent INVITE p50 ms | p99 | AgentRequest→CallDelivered(agent) p50 / p99 ms | CPU % asterisk | softacd | ivr | cti | as | rabbitmq | docstore | sipp | load avg before → after |',
    '|' + ' ---: |'.repeat(19),
    ...rows,
    '',
    '## Ratios (b)/(a)',
    '',
    '| calls/s | INVITE→200 p50 | p99 | queue→agent p50 | p99 | Asterisk CPU | CPU of Asterisk + SoftACD + IVR + CTI + AS + RabbitMQ |',
    '|' + ' ---: |'.repeat(7),
    ...ratioRows,
    '',
    '## Where (b) spends its INVITE→200 (bus message times, ms p50 / p99)',
    '',
    '| calls/s | ' + hopNames.join(' | ') + ' |',
    '|' + ' ---: |'.repeat(hopNames.length + 1),
    ...results
      .filter((r) => r.mode === 'b' && r.hops !== undefined)
      .sort((x, y) => x.rate - y.rate)
      .map(
        (r) =>
          `| ${r.rate} | ${hopNames.map((h) => `${fmt(r.hops?.[h]?.p50)} / ${fmt(r.hops?.[h]?.p99)}`).join(' | ')} |`,
      ),
    '',
    "(a)'s INVITE→200 p50 is below sipp's 1 ms resolution (0), so its p50 ratio has no value. The hop table exists for the runs made after it was added.",
    '',
    `Highest failure-free rate: (a) app_queue ${hiA ?? 'none'} calls/s, (b) the project ${hiB ?? 'none'} calls/s (of the steps ${rates.join(', ')}).`,
    '',
    "## The caller's experience: INVITE → first RTP packet of the welcome prompt (ms)",
    '',
    `Captured on loopback by tcpdump during the step: the caller's SIP both ways, and the RTP from Asterisk's RTP ports to the callers' port ${CALLER_MEDIA_PORT}. A call's delay is its first INVITE to the first RTP packet from the port its 200 OK's SDP named. Calls = calls with a delay / INVITEs seen.`,
    '',
    '| calls/s | path | p50 | p95 | p99 | calls | without RTP | packets the capture dropped |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...firstRtpRows,
    '',
    '## Whole-system CPU per call (ms of CPU)',
    '',
    `Asterisk + SoftACD + IVR + CTI + AS + RabbitMQ: the CPU % of the step times its run, divided by its calls. The document store is shown apart ((b) only; it serves other work on the machine too). Target ≤ ${CPU_RATIO_MAX}x.`,
    '',
    '| calls/s | (a) app_queue | (b) project | (b)/(a) | (b) docstore |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...cpuRows,
    '',
    "## (b)'s messages per call",
    '',
    "From the services' own counters (`/metrics`) read just before the step's calls and 2 s after the last ended: bus messages published (confirmed by the broker) and taken, ARI requests (answered or not), each divided by the step's calls. Rows measured before this was added have none.",
    '',
    '| calls/s | bus published | softacd | ivr | cti | as | bus taken | ARI requests | softacd | ivr | top ARI operations per call |',
    '|' + ' ---: |'.repeat(10) + ' :--- |',
    ...perCallRows,
    '',
    `Targets (issue 15): find app_queue's ceiling; the project failure-free at it; whole-system CPU per call ≤ ${CPU_RATIO_MAX}x and INVITE→first RTP p99 ≤ ${FIRST_RTP_RATIO_MAX}x app_queue's at every rate both pass: **${v.met ? 'met' : 'not met'}**${v.reasons.length === 0 ? '.' : ` (${v.reasons.join('; ')}).`}`,
    '',
    '![latency and CPU against load](full-path.png)',
    '',
  ].join('\n');
}
