/**
 * Offer -> screen pop rendered, in real Chromium on the agent desktop, over N offers (issue 11's benchmark),
 * and the pages' JavaScript size (gzip) from agent-ui/dist.
 *
 *   flock -o /tmp/ipcc-system.lock npx tsx bench/screen-pop.ts [--offers 100]
 *
 * Agent 1001 signs in through /agent/ with the browser softphone and goes Ready (the other demo agents are
 * logged out over the bus). One silent sipp caller at a time calls 200 (the sales queue); CTI offers the
 * contact to 1001; the page pops it; the bench clicks Accept, waits for the call, clicks Hang up, then
 * Ready in the wrap-up, and places the next call. Clocks, all on this host:
 *  - sent: DivertCall's `at` on the bus: when CTI rings the agent's phone (CTI's Date, ms resolution). The
 *    page's `offer` frame follows once the offer is in the contact's history (cti/app/routing.ts offer(),
 *    at most 500 ms), so the intervals include that store write.
 *  - received / shown / painted: stamped in the page by spec/support/screen-pop-timing.ts (Date.now() for
 *    the cross-process figures, performance.now() for the in-page ones): the offer frame's message event,
 *    the first DOM change with the calling number in the visible text, two animation frames later.
 * Writes bench/results/screen-pop.json (command, revision, cores, raw samples) and screen-pop.md from it.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as prettier from 'prettier';
import { STRINGS } from '../agent-ui/src/strings';
import { agentEvents, agentIdOf } from '../spec/support/agents';
import { demoPassword, launchBrowser, newContext } from '../spec/support/browser';
import { Desktop } from '../spec/support/desktop';
import { CallBus, freshNumber, logOutAgents } from '../spec/support/desktop-call';
import { type OfferTiming, paintedOffer, stampOffers } from '../spec/support/screen-pop-timing';
import { requireSystem } from '../spec/support/servers';
import { sipp } from '../spec/support/sipp';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'results');

export interface Sample extends OfferTiming {
  i: number;
  sentAt: number;
}

export interface BundleFile {
  file: string;
  bytes: number;
  gzip: number;
}

export interface Result {
  command: string;
  revision: string;
  dirty: boolean;
  startedAt: string;
  finishedAt: string;
  cores: number;
  cpu: string;
  loadavg: number[];
  chromium: string;
  offersAsked: number;
  failures: Array<{ i: number; error: string }>;
  samples: Sample[];
  bundles: Record<string, { files: BundleFile[]; bytes: number; gzip: number }>;
}

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

/** Each page's entry script and every chunk it imports statically, gzip'd one by one (zlib level 9). */
export function bundleSizes(dist: string): Result['bundles'] {
  const assets = path.join(dist, 'assets');
  const out: Result['bundles'] = {};
  for (const html of readdirSync(dist).filter((f) => f.endsWith('.html'))) {
    const entry = /<script[^>]+src="[^"]*\/assets\/([^"]+\.js)"/.exec(
      readFileSync(path.join(dist, html), 'utf8'),
    );
    if (entry?.[1] === undefined) continue;
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(path.join(assets, file), 'utf8');
      // esbuild's splitting imports chunks by absolute path (/agent/assets/chunk-X.js): keep the name.
      for (const m of text.matchAll(/(?:from|import)\s*"([^"]+\.js)"/g)) visit(path.basename(m[1]!));
    };
    visit(entry[1]);
    const files = [...seen].map((file) => {
      const data = readFileSync(path.join(assets, file));
      return { file, bytes: data.length, gzip: gzipSync(data, { level: 9 }).length };
    });
    out[html.replace(/\.html$/, '')] = {
      files,
      bytes: files.reduce((s, f) => s + f.bytes, 0),
      gzip: files.reduce((s, f) => s + f.gzip, 0),
    };
  }
  return out;
}

/** Nearest-rank percentile of the values (p in 0..100). */
export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const fmt = (v: number | undefined, digits = 0) => (v === undefined ? '–' : v.toFixed(digits));
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/** The markdown report, computed from the JSON alone (`--report` redraws it from screen-pop.json). */
export function renderReport(r: Result): string {
  const rows: Array<[string, string, (s: Sample) => number | undefined, number]> = [
    ['offer sent (CTI) -> pop painted', 'wall clock, CTI and page', (s) => s.paintedAt! - s.sentAt, 0],
    [
      'offer sent (CTI) -> frame received in the page',
      'wall clock, CTI and page',
      (s) => s.receivedAt - s.sentAt,
      0,
    ],
    [
      'frame received -> number in the DOM',
      'page, performance.now()',
      (s) => s.shownPerf! - s.receivedPerf,
      1,
    ],
    [
      'number in the DOM -> painted (2 frames)',
      'page, performance.now()',
      (s) => s.paintedPerf! - s.shownPerf!,
      1,
    ],
    ['frame received -> pop painted', 'page, performance.now()', (s) => s.paintedPerf! - s.receivedPerf, 1],
  ];
  const painted = r.samples.filter((s) => s.paintedAt !== undefined && s.paintedPerf !== undefined);
  const table = rows.map(([what, clock, f, d]) => {
    const v = painted.map(f).filter((x): x is number => x !== undefined);
    return `| ${what} | ${clock} | ${fmt(percentile(v, 50), d)} | ${fmt(percentile(v, 95), d)} | ${fmt(Math.max(...v), d)} |`;
  });
  const bundles = Object.entries(r.bundles).map(
    ([page, b]) =>
      `| /${page === 'agent' ? 'agent/' : 'call/{number}'} | ${b.files.map((f) => f.file).join(', ')} | ${kib(b.bytes)} | ${kib(b.gzip)} |`,
  );
  return [
    '# Screen pop: offer -> rendered (issue 11)',
    '',
    `Command: \`${r.command}\` (under \`flock -o /tmp/ipcc-system.lock\`, from \`bench/run.sh\`).`,
    `Revision ${r.revision}${r.dirty ? ' (with uncommitted changes in the working tree)' : ''}; ` +
      `${r.startedAt} to ${r.finishedAt}; ${r.cores} cores (${r.cpu}); load average at the end ` +
      `${r.loadavg.map((l) => l.toFixed(2)).join(' / ')}; ${r.chromium}, headless.`,
    '',
    `Offers: ${painted.length} painted of ${r.offersAsked} placed; ${r.failures.length} failed` +
      (r.failures.length > 0
        ? ` (first: offer ${r.failures[0]!.i}: ${r.failures[0]!.error.split('\n')[0]})`
        : '') +
      '. One silent sipp caller at a time to 200 (sales); agent 1001 on the browser softphone; after each',
    'pop the bench clicks Accept, Hang up and Ready, then places the next call.',
    '',
    '| interval | clock | p50 ms | p95 ms | max ms |',
    '| --- | --- | --- | --- | --- |',
    ...table,
    '',
    "What is measured: \"offer sent\" is DivertCall's `at` on the bus, when CTI rings the agent's phone (CTI's",
    "`Date`, 1 ms resolution); CTI sends the page's `offer` frame once the offer is stored in the contact's",
    'history (at most 500 ms later), so the first two rows include that store write. The page stamps are taken by an init script of the test harness (no help from the app): the',
    "offer frame's message event, the first DOM change after which the calling number is in the page's visible",
    'text, and two animation frames after that (the frame with the pop was painted). Cross-process rows use',
    "`Date.now()` on both sides (one host, one wall clock); in-page rows use the page's `performance.now()`.",
    'The customer record and history the pop fetches from the AS afterwards are not part of this figure.',
    '',
    "## The pages' JavaScript (agent-ui/dist)",
    '',
    "Each page's entry script plus every chunk it imports statically, each file gzip'd on its own at level 9",
    '(as a server compresses each response); source maps and CSS not counted.',
    '',
    '| page | files | bytes | gzip |',
    '| --- | --- | --- | --- |',
    ...bundles,
    '',
    `Raw samples: \`bench/results/screen-pop.json\`.`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  if (process.argv.includes('--report')) {
    const r = JSON.parse(await fs.readFile(path.join(OUT, 'screen-pop.json'), 'utf8')) as Result;
    await fs.writeFile(path.join(OUT, 'screen-pop.md'), renderReport(r));
    return;
  }
  const offers = arg('offers', 100);
  const startedAt = new Date().toISOString();
  await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
  const bus = new CallBus();
  await bus.start();
  const agentId = await agentIdOf('1001');
  await logOutAgents(['1001', '1002', '1003', '1004']);
  const browser = await launchBrowser({ video: false });
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'ipcc-bench-pop-'));
  const samples: Sample[] = [];
  const failures: Result['failures'] = [];
  let desktop: Desktop | undefined;
  try {
    const context = await newContext(browser);
    await stampOffers(context);
    desktop = await Desktop.open(context);
    await desktop.signIn('1001', await demoPassword());
    await desktop.chooseDevice('softphone');
    await desktop.softphoneRegistered();
    await desktop.goReady().catch(async (err: Error) => {
      throw new Error(
        `${err.message}\n${await desktop?.page.locator('body').innerText()}\n${desktop?.log.tail()}`,
      );
    });
    for (let i = 1; i <= offers; i++) {
      const number = freshNumber();
      const caller = sipp('../integration/desktop/sipp/caller-until-bye.xml', {
        service: '200',
        localPort: 5351,
        timeoutSec: 30,
        cwd: work,
        vars: { caller: number, caller_name: 'Bench Caller' },
        extra: ['-mp', '16800'],
      });
      try {
        const { contactId } = await bus.delivered(number);
        const divert = await bus.message(contactId, 'DivertCall', 15_000);
        const t = await paintedOffer(desktop.page, contactId, 10_000);
        samples.push({ i, sentAt: divert.atMs, ...t });
        await desktop.click(desktop.pop, STRINGS.accept);
        await desktop.waitPhase(STRINGS.phase_talking, 15_000);
        await desktop.click(desktop.controls, STRINGS.hangUp);
        await desktop.afterCall.getByRole('button', { name: STRINGS.readyNow, exact: true }).click();
        await desktop.waitState(STRINGS.state_ready);
      } catch (err) {
        failures.push({ i, error: (err as Error).message });
        console.error(`offer ${i}: ${(err as Error).message}\n${desktop.log.tail(10)}`);
        await desktop.page.reload();
        await desktop.goReady().catch(() => undefined);
      }
      const run = await caller;
      if (run.code !== 0 && !failures.some((f) => f.i === i)) {
        failures.push({ i, error: `caller sipp exited ${run.code}` });
      }
      if (i % 10 === 0) console.log(`${i}/${offers} offers, ${failures.length} failed`);
    }
  } finally {
    await desktop?.signOutAll().catch(() => undefined);
    await browser.close();
    await agentEvents(agentId, ['AgentLogout']).catch(() => undefined);
    await bus.stop();
    await fs.rm(work, { recursive: true, force: true });
  }
  const git = (...a: string[]) => execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim();
  const result: Result = {
    command: `npx tsx bench/screen-pop.ts --offers ${offers}`,
    revision: git('rev-parse', 'HEAD'),
    dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
    startedAt,
    finishedAt: new Date().toISOString(),
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    loadavg: os.loadavg(),
    chromium: execFileSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'], {
      encoding: 'utf8',
    }).trim(),
    offersAsked: offers,
    failures,
    samples,
    bundles: bundleSizes(path.join(ROOT, 'agent-ui', 'dist')),
  };
  await fs.mkdir(OUT, { recursive: true });
  // In the repository's own format (scripts/test.sh checks every file with prettier --check).
  const jsonFile = path.join(OUT, 'screen-pop.json');
  const options = (await prettier.resolveConfig(jsonFile)) ?? {};
  await fs.writeFile(jsonFile, await prettier.format(JSON.stringify(result), { ...options, parser: 'json' }));
  const md = renderReport(result);
  await fs.writeFile(path.join(OUT, 'screen-pop.md'), md);
  console.log(md);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
