import { promises as fs } from 'node:fs';
import { MongoClient } from 'mongodb';
import type { Browser, Locator, Page } from 'playwright-core';
import { STRINGS } from '../../../agent-ui/src/strings';
import { asUrl, launchBrowser, newContext, PageLog, screenshot } from '../../support/browser';
import { consoleSignIn } from '../../support/console';
import { expect } from '../../support/chai';
import { mongoUri, requireSystem } from '../../support/servers';
import {
  AGENTS,
  DAY,
  expectedAgentCsv,
  expectedAgentTable,
  expectedIntervalCsv,
  expectedIntervalTable,
  interactionDocs,
  MARK,
  stateDocs,
  totals,
} from './reports-day';

const DAY_START = new Date(`${DAY}T00:00:00Z`);
const DAY_END = new Date(`${DAY}T23:59:59.999Z`);

/** A table's text, row by row (header, body, footer), as a person reads it. */
function cellsOf(table: Locator): Promise<string[][]> {
  return table.evaluate((t: HTMLTableElement) =>
    [...t.rows].map((r) => [...r.cells].map((c) => (c.textContent ?? '').trim())),
  );
}

async function downloaded(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 10_000 }),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: await fs.readFile(file, 'utf8') };
}

/**
 * The supervisor's reports page on the running system: a day of contacts and agent states stored the
 * way CTI stores them, read back by the real AS and drawn in real Chromium. The figures expected are
 * worked out from the seeds in reports-day.ts, apart from the AS's report code.
 */
describe('console reports page: a supervisor reads a day of figures, charts and CSV', function () {
  this.timeout(120_000);
  const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  let browser: Browser | undefined;
  let page: Page | undefined;
  let log: PageLog | undefined;
  const agentIds = new Map<string, string>();

  const removeSeeds = async () => {
    const db = mongo.db();
    await db
      .collection('interactions')
      .deleteMany({ from: MARK, queuedAt: { $gte: DAY_START, $lte: DAY_END } });
    await db.collection('agentstates').deleteMany({
      agentId: { $in: [...agentIds.values()] },
      at: { $gte: new Date('2025-03-09T23:59:00Z'), $lte: DAY_END },
    });
  };

  before(async () => {
    await requireSystem(['docstore']);
    await mongo.connect();
    const db = mongo.db();
    const people = await db
      .collection<{ _id: unknown; login: string }>('agents')
      .find({ login: { $in: AGENTS } })
      .toArray();
    for (const p of people) agentIds.set(p.login, String(p._id));
    expect([...agentIds.keys()].sort()).to.deep.equal(AGENTS);
    await removeSeeds();
    await db.collection('interactions').insertMany(interactionDocs(agentIds) as never[]);
    await db.collection('agentstates').insertMany(stateDocs(agentIds));
    browser = await launchBrowser({ video: false });
  });

  after(async () => {
    await browser?.close();
    await removeSeeds().catch(() => undefined);
    await mongo.close();
  });

  const fail = (err: unknown): never => {
    throw new Error(`${(err as Error).message}\n${log?.tail() ?? ''}`);
  };

  it('signs in as supervisor and shows the day: interval table, totals, charts', async () => {
    const context = await newContext(browser!);
    page = await context.newPage();
    log = new PageLog(page, 'console');
    await page.setViewportSize({ width: 1440, height: 1760 });
    await page.goto(`${asUrl()}/agent/console.html#/reports`);
    await consoleSignIn(page, 'supervisor');

    const settings = page.getByRole('form', { name: STRINGS.reportSettings });
    await settings.waitFor({ timeout: 15_000 }).catch(fail);
    await settings.getByLabel(STRINGS.reportFrom).fill(DAY);
    await settings.getByLabel(STRINGS.reportTo).fill(DAY);
    await settings.getByLabel(STRINGS.reportInterval).selectOption('1h');
    await settings.getByRole('button', { name: STRINGS.reportShow }).click();
    await page
      .getByText(STRINGS.reportCovers(STRINGS.reportAllQueues, DAY, DAY))
      .waitFor({ timeout: 15_000 })
      .catch(fail);

    // The demo supervisor supervises every demo queue (the task queues too); the queue list offers them.
    const queueOptions = await settings.getByLabel(STRINGS.reportQueue).locator('option').allTextContents();
    expect(queueOptions).to.deep.equal([
      STRINGS.reportAllQueues,
      'callbacks',
      'email',
      'fax',
      'sales',
      'sms',
      'support',
    ]);

    const intervals = page.getByRole('table', { name: STRINGS.reportIntervalTable });
    expect(await cellsOf(intervals)).to.deep.equal(expectedIntervalTable(['sales', 'support']));
    // Hand-checked: 38 contacts, 31 answered, 7 abandoned; 24 answered within their queue's threshold.
    expect(totals(['sales', 'support'])).to.include({ offered: 38, answered: 31, abandoned: 7 });

    const kpis = page.getByRole('definition');
    expect((await kpis.allTextContents()).slice(0, 3)).to.deep.equal(['38', '31', '7']);

    const t = totals(['sales', 'support']);
    const names = [
      STRINGS.chartVolumeLabel('24', '38', '31', '7'),
      STRINGS.chartServiceLevelLabel('24', `${t.slPct?.toFixed(1)}%`),
    ];
    for (const name of names) {
      const chart = page.getByRole('img', { name, exact: true });
      expect(await chart.count(), name).to.equal(1);
      expect(await chart.evaluate((e) => e.tagName)).to.equal('CANVAS');
      // Drawn: a good share of the canvas holds ink (bars, lines, axes, legend).
      const inked = await chart.evaluate((c: HTMLCanvasElement) => {
        const d = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if ((d[i] as number) > 0) n += 1;
        return n;
      });
      expect(inked, name).to.be.greaterThan(2000);
    }
    const speed = page.getByRole('img', { name: /^Line chart of the average speed of answer/ });
    expect(await speed.count()).to.equal(1);
    const agentChart = page.getByRole('img', {
      name: STRINGS.chartAgentLabel('4', 'break, lunch, training'),
      exact: true,
    });
    expect(await agentChart.count()).to.equal(1);
  });

  it('shows each agent over the day, and the downloads hold exactly what is shown', async () => {
    const agents = page!.getByRole('table', { name: STRINGS.reportAgentTable });
    expect(await cellsOf(agents)).to.deep.equal(expectedAgentTable(['sales', 'support'], AGENTS));

    const intervals = await downloaded(page!, STRINGS.downloadIntervals);
    expect(intervals.name).to.equal(`intervals-${DAY}-to-${DAY}.csv`);
    expect(intervals.text).to.equal(expectedIntervalCsv(['sales', 'support']));
    const people = await downloaded(page!, STRINGS.downloadAgents);
    expect(people.name).to.equal(`agents-${DAY}-to-${DAY}.csv`);
    expect(people.text).to.equal(expectedAgentCsv(['sales', 'support'], AGENTS));
    await screenshot(page!, 'reports');
  });

  it('narrows to one queue: support alone, its team and its contacts', async () => {
    const settings = page!.getByRole('form', { name: STRINGS.reportSettings });
    await settings.getByLabel(STRINGS.reportQueue).selectOption('support');
    await settings.getByRole('button', { name: STRINGS.reportShow }).click();
    await page!
      .getByText(STRINGS.reportCovers('support', DAY, DAY))
      .waitFor({ timeout: 15_000 })
      .catch(fail);
    const intervals = page!.getByRole('table', { name: STRINGS.reportIntervalTable });
    expect(await cellsOf(intervals)).to.deep.equal(expectedIntervalTable(['support']));
    // support's team: 1002, 1003 and 1004 hold its skill; 1001 does not.
    const agents = await cellsOf(page!.getByRole('table', { name: STRINGS.reportAgentTable }));
    expect(agents).to.deep.equal(expectedAgentTable(['support'], ['1002', '1003', '1004']));
    // Nothing thrown in the page, no request failed, all along.
    expect(log!.lines.filter((l) => /pageerror|requestfailed/.test(l))).to.deep.equal([]);
  });
});
