import type { BrowserContext, Locator, Page } from 'playwright-core';
import WebSocket from 'ws';
import { STRINGS } from '../../agent-ui/src/strings';
import { PageLog, asUrl } from './browser';
import { consoleSignIn } from './console';

/**
 * The supervisor's console on its wallboard (`/agent/console.html#/wallboard`), by roles and accessible
 * names from the app's strings module; and a bare supervisor socket for the protocol's own checks.
 */
export class WallboardPage {
  readonly log: PageLog;

  private constructor(readonly page: Page) {
    this.log = new PageLog(page, 'wallboard');
  }

  static async open(context: BrowserContext): Promise<WallboardPage> {
    const page = await context.newPage();
    const board = new WallboardPage(page);
    await page.goto(`${asUrl()}/agent/console.html#/wallboard`);
    return board;
  }

  async signIn(login: string, password: string): Promise<void> {
    await consoleSignIn(this.page, login, password);
    await this.page
      .getByRole('status')
      .getByText(STRINGS.wbLive, { exact: true })
      .waitFor({ timeout: 10_000 });
  }

  table(caption: string): Locator {
    return this.page.getByRole('table', { name: caption, exact: true });
  }

  get queues(): Locator {
    return this.table(STRINGS.wbQueuesCaption);
  }

  get agents(): Locator {
    return this.table(STRINGS.wbAgentsCaption);
  }

  get waiting(): Locator {
    return this.table(STRINGS.wbContactsCaption);
  }

  /** A queue row's figure (`data-field`: waiting, abandoned, service-level, ...). */
  async queueFigure(queue: string, field: string): Promise<string> {
    const cell = this.queues.locator(`tr[data-queue="${queue}"] td[data-field="${field}"]`);
    return ((await cell.textContent()) ?? '').trim();
  }

  /**
   * Resolves with the page's clock (ms since the epoch) at the first animation frame where an element
   * matching `selector` exists (and holds `text`, if given): the moment the supervisor could see it,
   * measured in the page.
   */
  async seenAt(selector: string, text?: string, timeout = 15_000): Promise<number> {
    const handle = await this.page.waitForFunction(
      ([sel, want]) => {
        for (const el of document.querySelectorAll(sel)) {
          if (want === '' || (el.textContent ?? '').includes(want)) return Date.now();
        }
        return 0;
      },
      [selector, text ?? ''] as const,
      { polling: 'raf', timeout },
    );
    return await handle.jsonValue();
  }
}

/** A supervisor socket driven by hand: what it received, how it closed. */
export class SupervisorWire {
  readonly received: Array<Record<string, unknown>> = [];
  closed?: { code: number; reason: string };
  private ws?: WebSocket;

  async connect(): Promise<void> {
    const url = `ws://${process.env.CTI_WS_HOST ?? '127.0.0.1'}:${process.env.CTI_WS_PORT ?? '8091'}/supervisor`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.on('message', (data: Buffer) =>
      this.received.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>),
    );
    ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
  }

  send(m: unknown): void {
    this.ws?.send(JSON.stringify(m));
  }

  of(type: string): Array<Record<string, unknown>> {
    return this.received.filter((m) => m.type === type);
  }

  async next(type: string, after = 0, ms = 5_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.received.slice(after).find((m) => m.type === type);
      if (found !== undefined) return found;
      if (Date.now() > deadline)
        throw new Error(
          `no ${type} within ${ms} ms; got ${JSON.stringify(this.received.map((m) => m.type))}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async closedWith(ms = 5_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + ms;
    while (this.closed === undefined) {
      if (Date.now() > deadline) throw new Error(`the socket stayed open for ${ms} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.closed;
  }

  close(): void {
    this.ws?.close();
  }
}
