/**
 * Charts for the benchmark reports: an SVG drawn here (no charting library, no network), turned into a PNG
 * by Debian's chromium through playwright-core.
 *
 *   npx tsx bench/chart.ts    # redraws bench/results/full-path.png (and video-load.png) from the JSON results
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

export interface Series {
  label: string;
  color: string;
  dashed?: boolean;
  points: Array<[number, number]>;
}

export interface Panel {
  title: string;
  /** Logarithmic y axis (decades), for latencies that span milliseconds to seconds. */
  log?: boolean;
  xLabel: string;
  yLabel: string;
  series: Series[];
}

const W = 520;
const H = 360;
const M = { left: 64, right: 16, top: 36, bottom: 92 };

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One panel: linear axes from 0, one polyline with markers per series, legend under the plot. */
export function panelSvg(p: Panel, x0: number): string {
  const all = p.series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y));
  const xMax = niceMax(Math.max(...all.map(([x]) => x), 1));
  const yMax = p.log
    ? 10 ** Math.ceil(Math.log10(Math.max(...all.map(([, y]) => y), 10)))
    : niceMax(Math.max(...all.map(([, y]) => y), 1));
  const yMin = p.log ? 10 ** Math.floor(Math.log10(Math.max(Math.min(...all.map(([, y]) => y)), 1))) : 0;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (x: number): number => x0 + M.left + (x / xMax) * pw;
  const frac = (y: number): number =>
    p.log
      ? (Math.log10(Math.max(y, yMin)) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))
      : y / yMax;
  const sy = (y: number): number => M.top + ph - frac(y) * ph;
  const out: string[] = [];
  out.push(
    `<text x="${x0 + W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${esc(p.title)}</text>`,
  );
  const yTicks = p.log
    ? Array.from({ length: Math.round(Math.log10(yMax / yMin)) + 1 }, (_, i) => yMin * 10 ** i)
    : Array.from({ length: 6 }, (_, i) => (yMax * i) / 5);
  for (const y of yTicks) {
    out.push(
      `<line x1="${sx(0)}" x2="${sx(xMax)}" y1="${sy(y)}" y2="${sy(y)}" stroke="#ddd"/>`,
      `<text x="${sx(0) - 6}" y="${sy(y) + 4}" text-anchor="end" font-size="11">${+y.toPrecision(3)}</text>`,
    );
  }
  for (let i = 0; i <= 5; i++) {
    const x = (xMax * i) / 5;
    out.push(
      `<text x="${sx(x)}" y="${M.top + ph + 16}" text-anchor="middle" font-size="11">${+x.toPrecision(3)}</text>`,
    );
  }
  out.push(
    `<line x1="${sx(0)}" x2="${sx(xMax)}" y1="${M.top + ph}" y2="${M.top + ph}" stroke="#333"/>`,
    `<line x1="${sx(0)}" x2="${sx(0)}" y1="${M.top + ph}" y2="${sy(yMax)}" stroke="#333"/>`,
    `<text x="${x0 + M.left + pw / 2}" y="${M.top + ph + 34}" text-anchor="middle" font-size="12">${esc(p.xLabel)}</text>`,
    `<text transform="translate(${x0 + 16},${M.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(p.yLabel)}</text>`,
  );
  p.series.forEach((s, i) => {
    const pts = s.points.filter(([, y]) => Number.isFinite(y));
    const d = pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    out.push(
      `<polyline points="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      ...pts.map(
        ([x, y]) => `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3.5" fill="${s.color}"/>`,
      ),
    );
    const lx = x0 + M.left + (i % 2) * (pw / 2);
    const ly = M.top + ph + 52 + Math.floor(i / 2) * 16;
    out.push(
      `<line x1="${lx}" x2="${lx + 22}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${lx + 28}" y="${ly}" font-size="11">${esc(s.label)}</text>`,
    );
  });
  return out.join('\n');
}

export function chartSvg(panels: Panel[], note: string): string {
  const width = W * panels.length;
  const body = panels.map((p, i) => panelSvg(p, i * W)).join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H + 20}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    body,
    `<text x="8" y="${H + 12}" font-size="10" fill="#555">${esc(note)}</text>`,
    '</svg>',
  ].join('\n');
}

/** SVG → PNG with the machine's chromium (Debian package), headless, no network. */
export async function svgToPng(svg: string, out: string): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const width = Number(/width="(\d+)"/.exec(svg)?.[1] ?? 800);
    const height = Number(/height="(\d+)"/.exec(svg)?.[1] ?? 400);
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 2 });
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
    await page.screenshot({ path: out, clip: { x: 0, y: 0, width, height } });
  } finally {
    await browser.close();
  }
}

interface FullPathPoint {
  mode: 'a' | 'b';
  rate: number;
  failureFree: number;
  calls: number;
  invite200: { p99: number };
  agentRing: { p99: number };
  cpu: Record<string, number>;
}

/** `cores`: as recorded by the run that measured the results (full-path.json's setup), when it was. */
export async function renderFullPathChart(
  results: FullPathPoint[],
  out: string,
  cores?: number,
): Promise<void> {
  const pts = (mode: 'a' | 'b', f: (r: FullPathPoint) => number): Array<[number, number]> =>
    results
      .filter((r) => r.mode === mode)
      .sort((x, y) => x.rate - y.rate)
      .map((r) => [r.rate, f(r)]);
  const project = (r: FullPathPoint): number =>
    ['softacd', 'ivr', 'cti', 'as', 'rabbitmq'].reduce((s, k) => s + (r.cpu[k] ?? 0), 0);
  const latency: Panel = {
    title: 'Latency p99 against load (log scale)',
    log: true,
    xLabel: 'calls per second',
    yLabel: 'ms',
    series: [
      { label: '(a) app_queue INVITE→200', color: '#1f77b4', points: pts('a', (r) => r.invite200.p99) },
      { label: '(b) project INVITE→200', color: '#d62728', points: pts('b', (r) => r.invite200.p99) },
      {
        label: '(a) queue→agent INVITE',
        color: '#1f77b4',
        dashed: true,
        points: pts('a', (r) => r.agentRing.p99),
      },
      {
        label: '(b) AgentRequest→agent INVITE',
        color: '#d62728',
        dashed: true,
        points: pts('b', (r) => r.agentRing.p99),
      },
    ],
  };
  const cpu: Panel = {
    title: 'CPU against load (% of one core)',
    xLabel: 'calls per second',
    yLabel: '% of one core',
    series: [
      { label: '(a) Asterisk', color: '#1f77b4', points: pts('a', (r) => r.cpu.asterisk ?? NaN) },
      { label: '(b) Asterisk', color: '#d62728', points: pts('b', (r) => r.cpu.asterisk ?? NaN) },
      {
        label: '(b) project + RabbitMQ',
        color: '#ff7f0e',
        dashed: true,
        points: pts('b', project),
      },
      {
        label: '(a) project + RabbitMQ (idle)',
        color: '#7f7f7f',
        dashed: true,
        points: pts('a', project),
      },
    ],
  };
  const failures = results
    .filter((r) => r.failureFree !== r.calls)
    .map((r) => `${r.mode}@${r.rate}/s: ${r.calls - r.failureFree} failed`)
    .join(', ');
  await svgToPng(
    chartSvg(
      [latency, cpu],
      `bench/full-path.ts${cores === undefined ? '' : `, ${cores} cores`}. ${failures ? `Steps with failures: ${failures}` : 'Every call failure-free.'}`,
    ),
    out,
  );
}

async function main(): Promise<void> {
  const results = path.join(__dirname, 'results');
  const full = path.join(results, 'full-path.json');
  if (existsSync(full)) {
    const data = JSON.parse(readFileSync(full, 'utf8')) as {
      results: FullPathPoint[];
      setup?: { cores: number };
    };
    await renderFullPathChart(data.results, path.join(results, 'full-path.png'), data.setup?.cores);
    console.log('wrote bench/results/full-path.png');
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
