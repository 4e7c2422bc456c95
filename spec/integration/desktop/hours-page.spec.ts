import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { STRINGS } from '../../../agent-ui/src/strings';
import { AsApi } from '../../support/as-api';
import { PageLog, asUrl, demoPassword, launchBrowser, newContext, screenshot } from '../../support/browser';
import { consoleSignIn } from '../../support/console';
import { expect } from '../../support/chai';
import { requireSystem } from '../../support/servers';

/**
 * The business-hours page (docs/business-hours.md) in real Chromium against the running AS: an
 * administrator creates a schedule with weekly hours, a holiday, a closed-hours queue and a gated queue;
 * the AS holds exactly that; unreadable hours are refused beside their day before anything is sent.
 */
describe('console: business-hours page', function () {
  this.timeout(90_000);
  const tag = randomBytes(3).toString('hex');
  const name = `bh-ui-${tag}`;
  const gated = `bh-ui-q-${tag}`;
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
    await requireSystem(['docstore']);
    as = await AsApi.signIn('admin', await demoPassword());
    await as.ok('POST', '/api/v1/queues', { name: gated });
    browser = await launchBrowser({ video: false });
    context = await newContext(browser);
    page = await context.newPage();
    log = new PageLog(page, 'console');
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await as.request('DELETE', `/api/v1/business-hours/${name}`);
    await as.request('DELETE', `/api/v1/queues/${gated}`);
  });

  it('creates a schedule through the form; the AS holds exactly what was entered', async () => {
    await page.goto(`${asUrl()}/agent/console.html#/admin/hours`);
    await consoleSignIn(page, 'admin');
    const hours = region(STRINGS.adminHours);
    await hours.waitFor({ timeout: 10_000 }).catch(fail);
    await hours.getByRole('button', { name: STRINGS.hoursNew, exact: true }).click();
    const form = region(STRINGS.hoursNew);
    await form.getByLabel(STRINGS.hoursName, { exact: true }).fill(name);
    await form.getByLabel(STRINGS.hoursTimeZone, { exact: true }).fill('Europe/Berlin');
    await form.getByLabel(STRINGS.hoursMon, { exact: true }).fill('9-5');
    await form.getByRole('button', { name: STRINGS.adminCreate, exact: true }).click();
    // Refused in the page, beside Monday, before anything reached the AS.
    await form
      .getByText(STRINGS.hoursBadHours('9-5'), { exact: true })
      .waitFor({ timeout: 5_000 })
      .catch(fail);
    expect((await as.request('GET', `/api/v1/business-hours/${name}`)).status).to.equal(404);

    await form.getByLabel(STRINGS.hoursMon, { exact: true }).fill('09:00-12:00, 13:00-17:00');
    await form.getByLabel(STRINGS.hoursSat, { exact: true }).fill('22:00-02:00');
    await form.getByRole('button', { name: STRINGS.hoursAddHoliday, exact: true }).click();
    await form.getByLabel(STRINGS.hoursHolidayDate(1), { exact: true }).fill('2026-12-25');
    await form.getByLabel(STRINGS.hoursHolidayName(1), { exact: true }).fill('Christmas Day');
    await form.getByLabel(STRINGS.hoursClosedKind, { exact: true }).selectOption('queue');
    await form.getByLabel(STRINGS.hoursQueue, { exact: true }).selectOption('support');
    await form.getByRole('checkbox', { name: gated, exact: true }).check();
    await form.getByLabel(STRINGS.hoursNumbers, { exact: true }).fill('7398');
    await form.getByRole('button', { name: STRINGS.adminCreate, exact: true }).click();
    await hours.getByText(STRINGS.hoursSaved(name), { exact: true }).waitFor({ timeout: 10_000 }).catch(fail);

    const stored = await as.ok<Record<string, unknown>>('GET', `/api/v1/business-hours/${name}`);
    expect(stored).to.deep.include({
      name,
      timeZone: 'Europe/Berlin',
      weekly: [
        { day: 'mon', open: '09:00', close: '12:00' },
        { day: 'mon', open: '13:00', close: '17:00' },
        // A new schedule starts open Monday to Friday 09:00-17:00; Monday was changed above.
        ...['tue', 'wed', 'thu', 'fri'].map((day) => ({ day, open: '09:00', close: '17:00' })),
        { day: 'sat', open: '22:00', close: '02:00' },
      ],
      holidays: [{ date: '2026-12-25', name: 'Christmas Day' }],
      closedAction: { kind: 'queue', queue: 'support' },
      queues: [gated],
      numbers: ['7398'],
    });
    const row = hours.getByRole('row', { name: new RegExp(`^${name} `) });
    await row.waitFor({ timeout: 5_000 }).catch(fail);
    expect(await row.getByRole('cell').nth(0).textContent()).to.equal('Europe/Berlin');
    await screenshot(page, 'admin-hours');
    await row.getByRole('button', { name: STRINGS.adminEditNamed(name), exact: true }).click();
    const editor = region(STRINGS.hoursEdit(name));
    expect(await editor.getByLabel(STRINGS.hoursMon, { exact: true }).inputValue()).to.equal(
      '09:00-12:00, 13:00-17:00',
    );
    await screenshot(page, 'admin-hours-editor');
  });
});
