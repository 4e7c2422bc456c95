import type { BrowserContext, Page } from 'playwright-core';

/**
 * When a screen pop reached the agent's page and when it was on screen, measured inside the page
 * without help from the app: an init script (before any of the page's own code) wraps `WebSocket` so
 * that every JSON frame of type `offer` is stamped on arrival, and a MutationObserver stamps the first
 * DOM change after which the offer's calling number is in the page's visible text; two animation frames
 * later the pop has been painted. Stamps are `Date.now()` (the host's wall clock, the same clock CTI
 * stamps its bus messages with, ms resolution) and `performance.now()` (the page's monotonic clock, for
 * the in-page intervals).
 */
export interface OfferTiming {
  contactId: string;
  callingNumber?: string;
  /** Wall clock when the offer frame's message event fired in the page. */
  receivedAt: number;
  receivedPerf: number;
  /** First DOM change after which the calling number is in document.body.innerText. */
  shownAt?: number;
  shownPerf?: number;
  /** After two requestAnimationFrame callbacks following `shown`: the frame with the pop was painted. */
  paintedAt?: number;
  paintedPerf?: number;
}

function pageScript(): void {
  type Timing = {
    contactId: string;
    callingNumber?: string;
    receivedAt: number;
    receivedPerf: number;
    shownAt?: number;
    shownPerf?: number;
    paintedAt?: number;
    paintedPerf?: number;
  };
  type Watch = { text: string; shownAt?: number };
  const w = window as unknown as {
    __e2eOffers?: Timing[];
    __e2eWatch?: Watch[];
    WebSocket: typeof WebSocket;
  };
  if (w.__e2eOffers !== undefined) return;
  const offers: Timing[] = [];
  const watches: Watch[] = [];
  w.__e2eOffers = offers;
  w.__e2eWatch = watches;
  const Native = w.WebSocket;
  const look = () => {
    const pending = offers.filter((o) => o.shownAt === undefined && o.callingNumber !== undefined);
    const waiting = watches.filter((x) => x.shownAt === undefined);
    if ((pending.length === 0 && waiting.length === 0) || document.body === null) return;
    const text = document.body.innerText;
    for (const x of waiting) if (text.includes(x.text)) x.shownAt = Date.now();
    for (const o of pending) {
      if (!text.includes(o.callingNumber as string)) continue;
      o.shownAt = Date.now();
      o.shownPerf = performance.now();
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          o.paintedAt = Date.now();
          o.paintedPerf = performance.now();
        }),
      );
    }
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
  class Stamped extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (e: MessageEvent) => {
        if (typeof e.data !== 'string' || !e.data.startsWith('{')) return; // SIP over WS: not ours
        try {
          const m = JSON.parse(e.data) as { type?: string; contactId?: string; callingNumber?: string };
          if (m.type !== 'offer' || typeof m.contactId !== 'string') return;
          offers.push({
            contactId: m.contactId,
            callingNumber: m.callingNumber,
            receivedAt: Date.now(),
            receivedPerf: performance.now(),
          });
          queueMicrotask(look); // already on screen (an app that renders from the same event)?
        } catch {
          // not JSON after all
        }
      });
    }
  }
  w.WebSocket = Stamped;
}

/** Stamps every offer in every page of the context (call before the page is opened). */
export async function stampOffers(context: BrowserContext): Promise<void> {
  await context.addInitScript(pageScript);
}

export async function offerTimings(page: Page): Promise<OfferTiming[]> {
  return page.evaluate(() => (window as unknown as { __e2eOffers?: OfferTiming[] }).__e2eOffers ?? []);
}

/** Stamps (wall clock) the first moment `text` is in the page's visible text, e.g. a customer's name. */
export async function watchText(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    (window as unknown as { __e2eWatch: Array<{ text: string }> }).__e2eWatch.push({ text: t });
  }, text);
}

/** When `text` (given to watchText) appeared, once it has. */
export async function textShownAt(page: Page, text: string, within = 5000): Promise<number> {
  const deadline = Date.now() + within;
  for (;;) {
    const at = await page.evaluate(
      (t) =>
        (window as unknown as { __e2eWatch: Array<{ text: string; shownAt?: number }> }).__e2eWatch.find(
          (x) => x.text === t,
        )?.shownAt,
      text,
    );
    if (at !== undefined) return at;
    if (Date.now() > deadline) throw new Error(`"${text}" not shown within ${within} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The page's stamps of one contact's offer, once it has been painted. */
export async function paintedOffer(page: Page, contactId: string, within = 5000): Promise<OfferTiming> {
  const deadline = Date.now() + within;
  for (;;) {
    const t = (await offerTimings(page)).find((o) => o.contactId === contactId);
    if (t?.paintedAt !== undefined) return t;
    if (Date.now() > deadline) {
      throw new Error(`offer ${contactId} not painted within ${within} ms: ${JSON.stringify(t ?? null)}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
