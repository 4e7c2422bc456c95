import type { Browser, Page } from 'playwright-core';
import { EXCHANGES } from '../../../lib/bus/topology';
import { STRINGS } from '../../../agent-ui/src/strings';
import { asUrl, launchBrowser, newContext, PageLog, screenshot } from '../../support/browser';
import { consoleSignIn } from '../../support/console';
import { asAdmin } from '../../support/as-api';
import { BusObserver, eventually, type Seen } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { requireSystem } from '../../support/servers';
import { ivrLogLines, sippIvr } from '../ivr/fixture';

/** The test's called number: no other suite uses it (the IVR suite has 7101-7104 and 7199). */
const NUMBER = '7150';
const FLOW_NAME = `Editor test ${NUMBER}`;

/**
 * The second queue: served by a skill no agent has, so the caller always waits there and CTI answers the
 * IVR's AgentRequest with a QueueStatus (with a free agent it would offer the call at once instead).
 */
const QUEUE = 'flowtest';
/** A prompt record the test removes while a draft still names it. */
const GONE_PROMPT = 'flowtest-gone';

async function removeTestFlowAndQueue(): Promise<void> {
  const flows = (await asAdmin('GET', '/ivr-flows')) as { id: string; calledNumber: string }[];
  for (const f of flows.filter((x) => x.calledNumber === NUMBER))
    await asAdmin('DELETE', `/ivr-flows/${f.id}`);
  const queues = (await asAdmin('GET', '/queues')) as { id: string; name: string }[];
  for (const q of queues.filter((x) => x.name === QUEUE)) await asAdmin('DELETE', `/queues/${q.id}`);
  await removePrompt();
}

async function removePrompt(): Promise<void> {
  const prompts = (await asAdmin('GET', '/prompts')) as { id: string; name: string }[];
  for (const p of prompts.filter((x) => x.name === GONE_PROMPT)) await asAdmin('DELETE', `/prompts/${p.id}`);
}

/**
 * The administrator's visual IVR flow editor on the running system: a flow built with the mouse and the
 * side panel in real Chromium, published through the real AS, and run by the real IVR for a sipp caller;
 * CTI's own bus messages show where the caller went.
 */
describe('console IVR flow editor: build, publish, call, refuse an invalid flow', function () {
  this.timeout(180_000);
  let browser: Browser | undefined;
  let page: Page;
  let log: PageLog | undefined;
  const bus = new BusObserver();
  /** When each bus message reached this process. */
  const arrived = new Map<Seen, number>();

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await removeTestFlowAndQueue();
    await asAdmin('POST', '/queues', { name: QUEUE, skills: [{ name: QUEUE, minLevel: 1 }] });
    await asAdmin('POST', '/prompts', {
      name: GONE_PROMPT,
      description: 'flow editor test',
      formats: ['ulaw'],
    });
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
    const push = bus.seen.push.bind(bus.seen);
    bus.seen.push = (...items: Seen[]) => {
      for (const s of items) arrived.set(s, Date.now());
      return push(...items);
    };
    browser = await launchBrowser({ video: false });
  });

  after(async () => {
    await browser?.close();
    await bus.stop();
    await removeTestFlowAndQueue().catch((err: unknown) => console.log(`cleanup: ${String(err)}`));
  });

  const fail = (err: unknown): never => {
    throw new Error(`${(err as Error).message}\n${log?.tail() ?? ''}`);
  };
  const button = (name: string) => page.getByRole('button', { name, exact: true });
  const side = () => page.getByRole('complementary', { name: STRINGS.flowSidePanel });
  const card = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
  const status = () => page.getByRole('status');
  const addNode = async (type: string, label: string) => {
    await button(STRINGS.flowAddNode(label)).click();
    await side()
      .getByRole('heading', { name: STRINGS.flowNodeHeading(label, type) })
      .waitFor();
  };
  const selectNode = (label: string, id: string) =>
    side()
      .getByRole('button', { name: STRINGS.flowNodeOption(label, id) })
      .click();

  it('builds a menu with two queues on the canvas and publishes it; a caller pressing 2 reaches the second queue', async () => {
    const context = await newContext(browser!);
    page = await context.newPage();
    log = new PageLog(page, 'console');
    await page.setViewportSize({ width: 1600, height: 960 });
    await page.goto(`${asUrl()}/agent/console.html#/flows`);
    await consoleSignIn(page, 'admin');

    const create = page.getByRole('form', { name: STRINGS.flowNew });
    await create.waitFor({ timeout: 15_000 }).catch(fail);
    await create.getByLabel(STRINGS.flowName).fill(FLOW_NAME);
    await create.getByLabel(STRINGS.flowCalledNumber).fill(NUMBER);
    await create.getByRole('button', { name: STRINGS.flowCreate }).click();
    await page.getByRole('heading', { name: FLOW_NAME }).waitFor({ timeout: 10_000 }).catch(fail);
    // A new flow starts as one hang-up node, not live. React Flow draws its nodes a moment after the
    // editor's heading (it measures them first): in one CI run the count came before any was drawn.
    await page.locator('.react-flow__node').first().waitFor({ timeout: 10_000 }).catch(fail);
    expect(await page.locator('.react-flow__node').count()).to.equal(1);
    expect(await page.getByText(STRINGS.flowNeverPublished).count()).to.equal(1);

    const menu = STRINGS.flowNodeMenu;
    const queue = STRINGS.flowNodeQueue;
    await addNode('queue1', queue);
    await side().getByLabel(STRINGS.flowFieldQueue, { exact: true }).selectOption('sales');
    await addNode('queue2', queue);
    await side().getByLabel(STRINGS.flowFieldQueue, { exact: true }).selectOption(QUEUE);
    await addNode('menu1', menu);
    // Unlinked outputs are flagged on the node at once, before anything is saved.
    await card('menu1')
      .getByText(STRINGS.flowUnlinked(STRINGS.flowKeyLabel('1')))
      .waitFor();
    await side().getByLabel(STRINGS.flowFieldPrompt, { exact: true }).selectOption('menu');
    await side().getByLabel(STRINGS.flowKeyTarget(1)).selectOption('queue1');
    await side().getByRole('button', { name: STRINGS.flowAddKey }).click();
    await side().getByLabel(STRINGS.flowKeyTarget(2)).selectOption('queue2');
    await side().getByLabel(STRINGS.flowLinkTo(STRINGS.flowLinkDefault)).selectOption('start');
    // A welcome before the menu; a key pressed during it is the menu's choice (barge-in).
    await addNode('play1', STRINGS.flowNodePlay);
    await side().getByLabel(STRINGS.flowFieldPrompt, { exact: true }).selectOption('welcome');
    await side().getByLabel(STRINGS.flowLinkTo(STRINGS.flowLinkNext)).selectOption('menu1');
    await side().getByRole('button', { name: STRINGS.flowSetEntry }).click();
    await button(STRINGS.flowAutoLayout).click();

    // The AS's check finds nothing; four links on the canvas (welcome -> menu, keys 1 and 2, default).
    await button(STRINGS.flowCheck).click();
    await status().getByText(STRINGS.flowCheckedOk).waitFor({ timeout: 10_000 }).catch(fail);
    expect(await page.getByRole('alert', { name: STRINGS.flowProblems }).locator('li').count()).to.equal(0);
    // Drawn once React Flow has measured the nodes it links.
    const edges = page.locator('.react-flow__edge');
    await eventually('four links drawn', async () => (await edges.count()) === 4, 5000).catch(fail);
    expect(await page.locator('.react-flow__node:visible').count()).to.equal(5);

    const clicked = Date.now();
    await button(STRINGS.flowPublish).click();
    await status().getByText(STRINGS.flowPublished(1)).waitFor({ timeout: 10_000 }).catch(fail);
    const publishedShown = Date.now();
    await page.getByText(STRINGS.flowLiveVersion(1)).waitFor();
    await screenshot(page, 'flow-editor');

    const caller = `1555${String(Date.now()).slice(-6)}`;
    const run = sippIvr('ivr-queue-key.xml', {
      service: NUMBER,
      localPort: 5620,
      mediaPort: 5624,
      holdMs: 4000,
      vars: { caller, caller_name: 'Flow Editor Test' },
    });
    const delivered = await bus.deliveredToIvr(caller);
    const contactId = String(delivered.body.contactId);
    const request = await eventually(
      'AgentRequest from the IVR',
      () => bus.forContact(contactId).find((s) => s.body.type === 'AgentRequest'),
      15_000,
    );
    expect(request.body.queueId).to.equal(QUEUE);
    // CTI queued the contact there: its QueueStatus to the IVR names the second queue.
    const queued = await eventually(
      'QueueStatus from CTI',
      () =>
        bus
          .forContact(contactId)
          .find(
            (s) => s.body.type === 'QueueStatus' && (s.body.source as { service?: string }).service === 'cti',
          ),
      15_000,
    );
    expect(queued.body.queueId).to.equal(QUEUE);
    // The IVR ran the published flow for this call (its log names the flow it loaded for the contact).
    const loaded = await eventually(
      'the IVR log line of the flow loaded for the call',
      async () =>
        (
          await ivrLogLines<{ flow: string; flowKey: string; timestamp: string }>(
            contactId,
            'IVR flow loaded',
          )
        )[0],
      10_000,
    );
    expect([loaded.flow, loaded.flowKey]).to.deep.equal([FLOW_NAME, NUMBER]);
    const change = bus.seen.find(
      (s) =>
        s.body.type === 'ConfigChanged' && s.body.entity === 'ivrflow' && (arrived.get(s) ?? 0) >= clicked,
    );
    const result = await run;
    expect(result.code, `sipp failed:\n${result.stdout.slice(-1500)}\n${result.stderr}`).to.equal(0);
    const at = (s: Seen | undefined) => (s === undefined ? NaN : (arrived.get(s) ?? NaN) - clicked);
    console.log(
      `      round trip from the Publish click: page shows it published ${publishedShown - clicked} ms, ` +
        `ConfigChanged(ivrflow) on the bus ${at(change)} ms, the first call delivered to the IVR ` +
        `${at(delivered)} ms, the IVR loaded the new flow for it ${Date.parse(loaded.timestamp) - clicked} ms, ` +
        `its AgentRequest(${QUEUE}) after key 2 ${at(request)} ms, ` +
        `CTI's QueueStatus(${QUEUE}) ${at(queued)} ms (the caller presses 2 1.5 s after the answer)`,
    );
  });

  it('a prompt removed from the AS while the draft names it: the check puts the reason on that node', async () => {
    await selectNode(STRINGS.flowNodePlay, 'play1');
    const prompt = side().getByLabel(STRINGS.flowFieldPrompt, { exact: true });
    await prompt.selectOption(GONE_PROMPT);
    await removePrompt();
    await button(STRINGS.flowCheck).click();
    const reason = `prompt "${GONE_PROMPT}" does not exist`;
    await card('play1').getByText(reason, { exact: true }).waitFor({ timeout: 10_000 }).catch(fail);
    await status().getByText(STRINGS.flowCheckedBad).waitFor();
    const alerts = page.getByRole('alert', { name: STRINGS.flowProblems });
    expect(await alerts.locator('li').allTextContents()).to.deep.equal([
      STRINGS.flowProblemAt('play1', reason),
    ]);
    await prompt.selectOption('welcome');
    await card('play1')
      .locator('.flow-card-problems')
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(fail);
  });

  it('a duplicated menu key is shown on the menu node before saving, and the AS refuses the save with that reason', async () => {
    await selectNode(STRINGS.flowNodeMenu, 'menu1');
    await side().getByLabel(STRINGS.flowKeyOf(2)).selectOption('1');
    const reason = 'key "1" is used twice';
    // The AS's check, shown on the node and in the alert list before any save.
    await card('menu1').getByText(reason, { exact: true }).waitFor({ timeout: 10_000 }).catch(fail);
    expect(
      await card('menu1').evaluate((e) => e.querySelector('.flow-card')?.classList.contains('invalid')),
    ).to.equal(true);
    const alerts = page.getByRole('alert', { name: STRINGS.flowProblems });
    expect(await alerts.locator('li').allTextContents()).to.deep.equal([
      STRINGS.flowProblemAt('menu1', reason),
    ]);

    await button(STRINGS.flowSaveDraft).click();
    await status()
      .getByText(STRINGS.flowRefused(`invalid flow: nodes[3].choices[1].key: ${reason}`), { exact: true })
      .waitFor({ timeout: 10_000 })
      .catch(fail);
    expect(await card('menu1').locator('.flow-card-problems li').allTextContents()).to.deep.equal([reason]);
    await screenshot(page, 'flow-editor-invalid');

    // Version 1 is still what callers get: the list shows it live.
    const versions = await side().getByRole('region', { name: STRINGS.flowVersions }).textContent();
    expect(versions).to.contain(STRINGS.flowVersionName(1));
    expect(versions).to.contain(STRINGS.flowLive);
  });

  it('the canvas nodes are reachable by keyboard: a focused node selected with Enter opens its properties', async () => {
    const node = page.getByRole('group', { name: STRINGS.flowNodeAria(STRINGS.flowNodeQueue, 'queue1') });
    await node.focus();
    await page.keyboard.press('Enter');
    await side()
      .getByRole('heading', { name: STRINGS.flowNodeHeading(STRINGS.flowNodeQueue, 'queue1') })
      .waitFor({ timeout: 5000 })
      .catch(fail);
    expect(await side().getByLabel(STRINGS.flowFieldQueue, { exact: true }).inputValue()).to.equal('sales');
    await selectNode(STRINGS.flowNodeMenu, 'menu1');
  });

  it('publishes a corrected version 2 and rolls back to version 1 from the version list', async () => {
    await side().getByLabel(STRINGS.flowKeyOf(2)).selectOption('3');
    await card('menu1')
      .locator('.flow-card-problems')
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(fail);
    await button(STRINGS.flowPublish).click();
    await status().getByText(STRINGS.flowPublished(2)).waitFor({ timeout: 10_000 }).catch(fail);
    await button(STRINGS.flowRollbackTo(1)).click();
    await status().getByText(STRINGS.flowRolledBack(1)).waitFor({ timeout: 10_000 }).catch(fail);
    await page.getByText(STRINGS.flowLiveVersion(1)).waitFor();
    // The editor shows version 1 again: keys 1 and 2.
    const live = (await asAdmin('GET', '/ivr-flows')) as {
      calledNumber: string;
      publishedVersion: number;
      nodes: { id: string; choices?: { key: string }[] }[];
    }[];
    const flow = live.find((f) => f.calledNumber === NUMBER);
    expect(flow?.publishedVersion).to.equal(1);
    expect(flow?.nodes.find((n) => n.id === 'menu1')?.choices?.map((c) => c.key)).to.deep.equal(['1', '2']);
    expect(await button(STRINGS.flowRollbackTo(2)).count()).to.equal(1);
  });
});
