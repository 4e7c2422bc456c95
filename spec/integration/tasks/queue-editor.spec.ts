import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { STRINGS } from '../../../agent-ui/src/strings';
import { AsApi } from '../../support/as-api';
import { PageLog, asUrl, demoPassword, launchBrowser, newContext } from '../../support/browser';
import { consoleSignIn } from '../../support/console';
import { expect } from '../../support/chai';
import { requireSystem } from '../../support/servers';

/**
 * The console's queue editor makes a task queue (docs/tasks.md) in real Chromium against the running
 * AS: the channel chosen, its address, the service level typed in hours and stored in seconds, and the
 * AS's refusal of an address another queue has shown at the field.
 */
describe('console: a task queue made in the queue editor', function () {
  this.timeout(60_000);
  const name = `tasks-ui-${randomBytes(3).toString('hex')}`;
  const address = `${name}@ipcc.local`;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let log: PageLog;
  let as: AsApi;
  const region = (title: string) => page.getByRole('region', { name: title, exact: true });
  const fail = (e: Error): never => {
    throw new Error(`${e.message}\n${log.tail()}`);
  };

  before(async () => {
    await requireSystem(['rabbitmq', 'docstore', 'cti']);
    as = await AsApi.signIn('admin', await demoPassword());
    browser = await launchBrowser({ video: false });
    context = await newContext(browser);
    page = await context.newPage();
    log = new PageLog(page, 'console');
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await as.request('DELETE', `/api/v1/queues/${name}`);
  });

  it('creates an e-mail queue with its address and a service level in hours; a taken address is refused', async () => {
    await page.goto(`${asUrl()}/agent/console.html#/admin`);
    await consoleSignIn(page, 'admin');
    const nav = page.getByRole('navigation', { name: STRINGS.adminNav });
    await nav.waitFor({ timeout: 10_000 }).catch(fail);
    await nav.getByRole('link', { name: STRINGS.adminQueues, exact: true }).click();
    await region(STRINGS.adminQueues)
      .getByRole('button', { name: STRINGS.adminNewQueue, exact: true })
      .click();
    const form = region(STRINGS.adminNewQueue);
    await form.getByLabel(STRINGS.adminQueueName, { exact: true }).fill(name);
    await form.getByLabel(STRINGS.adminQueueChannel, { exact: true }).selectOption('email');
    // A task queue: no waiting media; its service level in hours, 4 by default.
    expect(await form.getByLabel(STRINGS.adminMusic, { exact: true }).count()).to.equal(0);
    const hours = form.getByLabel(STRINGS.adminServiceLevelHours, { exact: true });
    expect(await hours.inputValue()).to.equal('4');
    const addresses = form.getByLabel(STRINGS.adminQueueAddresses, { exact: true });

    await addresses.fill('support@ipcc.local');
    await form.getByRole('button', { name: STRINGS.adminCreate, exact: true }).click();
    await form
      .getByRole('alert')
      .getByText('address "support@ipcc.local" already enters queue "email"', { exact: true })
      .waitFor({ timeout: 10_000 })
      .catch(fail);

    await addresses.fill(address);
    await hours.fill('2.5');
    await form.getByRole('button', { name: STRINGS.adminCreate, exact: true }).click();
    await page
      .getByRole('status')
      .getByText(STRINGS.adminQueueSaved(name))
      .waitFor({ timeout: 10_000 })
      .catch(fail);
    const saved = await as.ok<Record<string, unknown>>('GET', `/api/v1/queues/${name}`);
    expect(saved).to.deep.include({
      channel: 'email',
      addresses: [address],
      serviceLevelSec: 9_000,
      queueTimeoutSec: 0,
      ringTimeoutSec: 60,
      timeoutAction: 'release',
    });
  });
});
