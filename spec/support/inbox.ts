import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { STRINGS } from '../../agent-ui/src/strings';
import { agentEvents, agentIdOf } from './agents';
import { SCREENSHOTS, demoPassword } from './browser';
import { Desktop } from './desktop';
import { logOutAgents } from './desktop-call';
import { faxTiff, intoChroot, textPdf } from './fax';

/**
 * What the desktop inbox specs share (spec/integration/desktop/inbox*.spec.ts): the agent's inbox found
 * by its roles and names, a loopback HTTP stand-in that records requests, a fax sent by Asterisk
 * itself, and the sign-in of the agent that takes every task of the run.
 */

/** ISAG posts SMS replies of neutral-webhook conversations here (ISAG_SMS_PROVIDER_URL's default). */
export const PROVIDER_PORT = 8097;
export const SMTP_PORT = Number(process.env.ISAG_SMTP_PORT ?? 2525);
export const ISAG_HTTP = `http://127.0.0.1:${process.env.ISAG_HTTP_PORT ?? '8095'}`;

/** An HTTP server on loopback that records each request's path and body, and answers `body`. */
export async function recorder(port: number, type: string, body: string) {
  const c = { server: http.createServer(), hits: [] as string[], bodies: [] as string[], port };
  c.server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      c.hits.push(req.url ?? '');
      c.bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    c.server.once('error', reject);
    c.server.listen(port, '127.0.0.1', () => resolve());
  });
  c.port = (c.server.address() as AddressInfo).port;
  return c;
}
export type Counter = Awaited<ReturnType<typeof recorder>>;

/** The whole page (the inbox column is long) into docs/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * A fax of `pages` pages (each headed "inbox fax, page i of n") as a TIFF inside Asterisk's chroot,
 * for sendFax (spec/support/fax.ts) to send: its path there, and the host's path to remove after.
 */
export function faxInChroot(dir: string, name: string, pages = 3): { inside: string; outside: string } {
  const pdf = textPdf(dir, pages, (i) => `inbox fax, page ${i} of ${pages}`);
  return intoChroot(faxTiff(pdf, path.join(dir, 'doc.tif')), name);
}

export function inboxOf(page: Page): Locator {
  return page.getByRole('region', { name: STRINGS.inboxHeading, exact: true });
}

export function offerCard(page: Page, channel: string, from: string): Locator {
  return inboxOf(page)
    .getByRole('region', { name: STRINGS.offerTitle(channel), exact: true })
    .filter({ hasText: from });
}

export function conversation(page: Page, channel: string): Locator {
  const prefix = STRINGS.conversationWith(channel, '\u0000').split('\u0000')[0] ?? '';
  return inboxOf(page).getByRole('region', {
    name: new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
  });
}

/** Ends the open conversation with Complete and waits for it to leave the inbox. */
export async function completeTask(conv: Locator): Promise<void> {
  const finish = conv.getByRole('region', { name: STRINGS.finishTaskHeading, exact: true });
  await finish.getByRole('button', { name: STRINGS.completeTask, exact: true }).click();
  await conv.waitFor({ state: 'detached', timeout: 10_000 });
}

/**
 * Accepts and completes whatever the inbox holds or is offered before the test (a run that failed
 * midway, other specs' and benchmarks' tasks nobody completed): those would fill the agent's capacity
 * and keep this test's tasks waiting. Stops after 3 s without anything to do, or after `budgetMs`;
 * answers how many it completed.
 */
export async function drainInbox(page: Page, budgetMs: number): Promise<number> {
  const inbox = inboxOf(page);
  const accept = inbox.getByRole('button', { name: STRINGS.accept, exact: true });
  const finish = inbox.getByRole('region', { name: STRINGS.finishTaskHeading, exact: true });
  const complete = finish.getByRole('button', { name: STRINGS.completeTask, exact: true });
  const end = Date.now() + budgetMs;
  let completed = 0;
  let quietSince = Date.now();
  while (Date.now() - quietSince < 3000 && Date.now() < end) {
    const offered = await accept.count();
    for (let i = 0; i < offered; i++)
      await accept
        .first()
        .click({ timeout: 2000 })
        .catch(() => undefined);
    const held = await complete.count();
    if (held > 0) {
      await complete
        .first()
        .click({ timeout: 2000 })
        .catch(() => undefined);
      completed += 1;
    }
    if (offered + held > 0) quietSince = Date.now();
    await page.waitForTimeout(offered + held > 0 ? 300 : 250);
  }
  return completed;
}

/**
 * Agent 1001 signed in and ready with an empty inbox: the other demo agents logged out or, when CTI
 * refuses (they still hold a task of another test), not ready, so every task of the run goes to 1001.
 */
export async function inboxAgent(context: BrowserContext): Promise<Desktop> {
  await logOutAgents(['1001', '1002', '1003', '1004']);
  for (const other of ['1002', '1003', '1004'])
    await agentEvents(await agentIdOf(other), [{ notReady: 'break' }]);
  const desktop = await Desktop.open(context);
  await desktop.page.setViewportSize({ width: 1440, height: 1000 });
  await desktop.signIn('1001', await demoPassword());
  // An agent that still holds a task of an earlier run stays logged in: no device choice then.
  const choice = desktop.page.getByRole('button', { name: new RegExp(`^${STRINGS.deviceSoftphone}`) });
  const logOut = desktop.stateBar.getByRole('button', { name: STRINGS.logOut, exact: true });
  await choice.or(logOut).first().waitFor({ timeout: 15_000 });
  if (await choice.isVisible()) await desktop.chooseDevice('softphone');
  await desktop.goReady();
  await inboxOf(desktop.page).waitFor();
  await desktop.page.waitForTimeout(1500); // CTI's snapshot lists the tasks still held
  const drained = await drainInbox(desktop.page, 200_000);
  if (drained > 0) console.log(`      completed ${drained} task(s) left over from earlier runs`);
  return desktop;
}
