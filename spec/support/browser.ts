import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';

/**
 * Real Chromium (the Debian package) driven through playwright-core, with Chromium's fake camera and
 * microphone: the fake-UI switch grants getUserMedia without a prompt, and the camera plays a y4m file
 * made here by ffmpeg (its test pattern), so the video an agent or customer sends is a known, moving
 * picture. No network: playwright-core downloads nothing, the browser is the system's.
 */

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
export const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

/** The AS that serves the pages (/agent/, /call/{number}) and the API. */
export function asUrl(): string {
  return process.env.AS_URL ?? `http://127.0.0.1:${process.env.AS_PORT ?? '8090'}`;
}

/** The fake camera: ffmpeg's testsrc (a moving pattern with a frame counter), small and short (Chromium loops it). */
export async function fakeCamera(
  o: { width?: number; height?: number; fps?: number; seconds?: number } = {},
) {
  const { width = 320, height = 240, fps = 10, seconds = 5 } = o;
  const file = path.join(os.tmpdir(), `ipcc-fake-camera-${width}x${height}-${fps}-${seconds}.y4m`);
  if (existsSync(file)) return file;
  const partial = `${file}.${process.pid}.part.y4m`;
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi'],
    ...['-i', `testsrc=size=${width}x${height}:rate=${fps}:duration=${seconds}`],
    ...['-pix_fmt', 'yuv420p', partial],
  ]);
  await fs.rename(partial, file); // whole or absent: a concurrent run never reads half a file
  return file;
}

/** Chromium with a fake camera and microphone; `video: false` keeps Chromium's own generated picture. */
export async function launchBrowser(o: { video?: boolean } = {}): Promise<Browser> {
  const args = [
    '--no-sandbox',
    '--disable-dev-shm-usage',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    // A page in the background (a second context, a superseded tab) must keep its timers and media.
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
    '--autoplay-policy=no-user-gesture-required',
  ];
  if (o.video !== false) args.push(`--use-file-for-fake-video-capture=${await fakeCamera()}`);
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args });
}

/**
 * tsx compiles the specs with esbuild's keepNames, which wraps named functions inside
 * `page.evaluate(() => ...)` in a `__name(fn, "name")` call the page does not have: define it there.
 */
const KEEP_NAMES_SHIM = 'globalThis.__name = globalThis.__name || ((fn) => fn);';

/** A context whose camera and microphone are granted for `origin` (the AS's, unless given). */
export async function newContext(browser: Browser, origin = asUrl()): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['camera', 'microphone'], { origin });
  await context.addInitScript(KEEP_NAMES_SHIM);
  return context;
}

/** What a page printed and threw: attached to a failing assertion's message, so a failure says why. */
export class PageLog {
  readonly lines: string[] = [];
  constructor(page: Page, name: string) {
    page.on('console', (m) => this.push(`${name} console.${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => this.push(`${name} pageerror: ${e.message}`));
    page.on('requestfailed', (r) => this.push(`${name} requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  }
  private push(line: string): void {
    this.lines.push(`${new Date().toISOString()} ${line}`);
    if (this.lines.length > 400) this.lines.shift();
  }
  tail(n = 40): string {
    return this.lines.slice(-n).join('\n');
  }
}

/** Writes docs/screenshots/<name>.png (the README shows them). */
export async function screenshot(page: Page, name: string): Promise<string> {
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export interface MediaStats {
  framesDecoded: number;
  framesSent: number;
}

/** The page's own WebRTC counters (`window.__ipcc.getStats()`, from RTCPeerConnection.getStats()). */
export async function mediaStats(page: Page): Promise<MediaStats> {
  return page.evaluate(async () => {
    const hook = (window as unknown as { __ipcc?: { getStats?: () => unknown } }).__ipcc;
    if (typeof hook?.getStats !== 'function') throw new Error('window.__ipcc.getStats is missing');
    const s = (await hook.getStats()) as Partial<MediaStats> | undefined;
    return { framesDecoded: Number(s?.framesDecoded ?? 0), framesSent: Number(s?.framesSent ?? 0) };
  });
}

/**
 * Waits until `key` has risen by at least `by` over the value read first (frames flow now, not
 * earlier in the call); resolves with the first and last readings. Rejects with the readings seen.
 */
export async function framesRise(
  page: Page,
  key: keyof MediaStats,
  o: { by: number; within: number },
): Promise<{ from: MediaStats; to: MediaStats }> {
  const from = await mediaStats(page);
  const deadline = Date.now() + o.within;
  let to = from;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    to = await mediaStats(page);
    if (to[key] - from[key] >= o.by) return { from, to };
  }
  throw new Error(
    `${key} rose by ${to[key] - from[key]} in ${o.within} ms (wanted ${o.by}): ${JSON.stringify({ from, to })}`,
  );
}

export interface VideoSendStats {
  framesSent: number;
  packetsSent: number;
  /** Seconds the page's packets waited in its pacer, summed over packetsSent. */
  totalPacketSendDelay: number;
}

/** The page's outgoing video stream (`window.__ipcc.videoStats()`, outbound-rtp). */
export async function videoSendStats(page: Page): Promise<VideoSendStats> {
  return page.evaluate(async () => {
    const hook = (window as unknown as { __ipcc?: { videoStats?: () => unknown } }).__ipcc;
    if (typeof hook?.videoStats !== 'function') throw new Error('window.__ipcc.videoStats is missing');
    const all = (await hook.videoStats()) as Record<string, unknown>[];
    const out = all.find((s) => s.type === 'outbound-rtp') ?? {};
    return {
      framesSent: Number(out.framesSent ?? 0),
      packetsSent: Number(out.packetsSent ?? 0),
      totalPacketSendDelay: Number(out.totalPacketSendDelay ?? 0),
    };
  });
}

/**
 * Every RTCPeerConnection a page makes, kept on `window.__e2ePcs` by an init script of the test (the app
 * is not asked), so that a test can read audio counters the app's hook does not give.
 */
export async function trackPeerConnections(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as {
      __e2ePcs?: RTCPeerConnection[];
      RTCPeerConnection: typeof RTCPeerConnection;
    };
    if (w.__e2ePcs !== undefined) return;
    const pcs: RTCPeerConnection[] = [];
    w.__e2ePcs = pcs;
    const Native = w.RTCPeerConnection;
    class Tracked extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        pcs.push(this);
      }
    }
    w.RTCPeerConnection = Tracked;
  });
}

/** Audio RTP packets received by the page's newest peer connection (inbound-rtp, kind audio). */
export async function audioPacketsReceived(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __e2ePcs?: RTCPeerConnection[] }).__e2ePcs ?? [];
    const pc = pcs[pcs.length - 1];
    if (pc === undefined) return 0;
    let n = 0;
    (await pc.getStats()).forEach((r: { type: string; kind?: string; packetsReceived?: number }) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') n += r.packetsReceived ?? 0;
    });
    return n;
  });
}

/** Reads the demo tenant's password (as/seed.ts writes it to .run/ unless SEED_PASSWORD is set). */
export async function demoPassword(): Promise<string> {
  if (process.env.SEED_PASSWORD) return process.env.SEED_PASSWORD;
  const run = process.env.IPCC_RUN ?? path.join(ROOT, '.run');
  const saved = JSON.parse(await fs.readFile(path.join(run, 'demo-credentials.json'), 'utf8')) as {
    password?: string;
  };
  if (typeof saved.password !== 'string') throw new Error('no demo password (run as/seed.ts)');
  return saved.password;
}
