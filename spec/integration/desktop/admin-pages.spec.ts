import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { STRINGS } from '../../../agent-ui/src/strings';
import { agentEvents, agentIdOf } from '../../support/agents';
import { AsApi } from '../../support/as-api';
import { PageLog, asUrl, demoPassword, launchBrowser, newContext, screenshot } from '../../support/browser';
import { consoleSignIn } from '../../support/console';
import { expect } from '../../support/chai';
import { Desktop } from '../../support/desktop';
import { logOutAgents } from '../../support/desktop-call';
import { requireSystem } from '../../support/servers';

interface AgentRecord {
  id: string;
  login: string;
  displayName: string;
  roles: string[];
  skills: { name: string; level: number }[];
  maxTasks: Record<string, number>;
  callerId: { name?: string; number?: string };
  active: boolean;
}

/**
 * The administration pages (issue 13) in real Chromium against the running AS, store, CTI and bus: an
 * administrator creates an agent with a skill, changes a queue setting, adds a not-ready reason that an
 * agent's desktop offers (and CTI accepts) without any restart, sees the AS's refusal of an invalid queue
 * value beside its field, and finds every change in the audit page.
 */
describe('console: administration pages', function () {
  this.timeout(120_000);
  const tag = randomBytes(3).toString('hex');
  const login = `adm-${tag}`;
  const queueName = `adm-q-${tag}`;
  const reasonName = `coach-${tag}`;
  const reasonLabel = `Coaching ${tag}`;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let log: PageLog;
  let as: AsApi;
  let desktop: Desktop | undefined;
  let agent1001 = '';
  const made: { agent?: string; queue?: string; reason?: string } = {};

  const admin = () => page.getByRole('navigation', { name: STRINGS.adminNav });
  const region = (name: string) => page.getByRole('region', { name, exact: true });
  const fail = (e: Error): never => {
    throw new Error(`${e.message}\n${log.tail()}\n${desktop?.log.tail() ?? ''}`);
  };

  before(async () => {
    await requireSystem(['rabbitmq', 'docstore', 'cti']);
    as = await AsApi.signIn('admin', await demoPassword());
    agent1001 = await agentIdOf('1001');
    await logOutAgents(['1001']);
    const q = await as.ok<{ id: string }>('POST', '/api/v1/queues', { name: queueName });
    made.queue = q.id;
    browser = await launchBrowser({ video: false });
    context = await newContext(browser);
    page = await context.newPage();
    log = new PageLog(page, 'console');
  });

  after(async () => {
    await desktop?.signOutAll().catch(() => undefined);
    await context?.close().catch(() => undefined);
    await browser?.close();
    await agentEvents(agent1001, ['AgentLogout']).catch(() => undefined);
    if (made.agent) await as.request('DELETE', `/api/v1/agents/${made.agent}`);
    if (made.reason) await as.request('DELETE', `/api/v1/not-ready-reasons/${made.reason}`);
    if (made.queue) await as.request('DELETE', `/api/v1/queues/${queueName}`);
  });

  it('signs in as admin and creates an agent with a skill that the AS returns exactly', async () => {
    await page.goto(`${asUrl()}/agent/console.html#/admin`);
    await consoleSignIn(page, 'admin');
    await admin().waitFor({ timeout: 10_000 }).catch(fail);

    const agents = region(STRINGS.adminAgents);
    await agents.getByRole('button', { name: STRINGS.adminNewAgent, exact: true }).click();
    const form = region(STRINGS.adminNewAgent);
    await form.getByLabel(STRINGS.adminLogin, { exact: true }).fill(login);
    await form.getByLabel(STRINGS.adminDisplayName, { exact: true }).fill('Ada Admin-Test');
    await form.getByLabel(STRINGS.adminPassword, { exact: true }).fill('a-long-test-password-1');
    await form.getByRole('button', { name: STRINGS.adminAddSkill, exact: true }).click();
    await form.getByLabel(STRINGS.adminSkillName(1), { exact: true }).fill('french');
    await form.getByLabel(STRINGS.adminSkillLevel(1), { exact: true }).fill('7');
    await form.getByLabel(STRINGS.adminCallerIdNumber, { exact: true }).fill('+33100000042');
    await form.getByLabel(STRINGS.channelEmail, { exact: true }).fill('5');
    await form.getByRole('button', { name: STRINGS.adminCreate, exact: true }).click();
    await page
      .getByRole('status')
      .getByText(STRINGS.adminAgentSaved(login))
      .waitFor({ timeout: 10_000 })
      .catch(fail);

    const listed = (await as.ok<AgentRecord[]>('GET', '/api/v1/agents')).find((a) => a.login === login);
    expect(listed, 'the new agent in the AS').to.not.equal(undefined);
    made.agent = listed!.id;
    const got = await as.ok<AgentRecord>('GET', `/api/v1/agents/${made.agent}`);
    expect({
      login: got.login,
      displayName: got.displayName,
      roles: got.roles,
      skills: got.skills,
      maxTasks: got.maxTasks,
      callerId: got.callerId,
      active: got.active,
    }).to.deep.equal({
      login,
      displayName: 'Ada Admin-Test',
      roles: ['agent'],
      skills: [{ name: 'french', level: 7 }],
      maxTasks: { voice: 1, video: 1, email: 5, sms: 3, fax: 1 },
      callerId: { number: '+33100000042' },
      active: true,
    });
    // The table lists it (the screenshot); its edit form shows what was saved.
    const row = agents
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: login, exact: true }) });
    expect(await row.getByRole('cell').nth(2).textContent()).to.equal('french 7');
    await screenshot(page, 'admin-agents');
    await row.getByRole('button', { name: STRINGS.adminEditNamed(login), exact: true }).click();
    const edit = region(STRINGS.adminEditAgent(login));
    expect(await edit.getByLabel(STRINGS.adminSkillLevel(1), { exact: true }).inputValue()).to.equal('7');
    await edit.getByRole('button', { name: STRINGS.adminCancel, exact: true }).click();

    // Deactivation from the row; the signed-in administrator's own row offers none.
    await row.getByRole('button', { name: STRINGS.adminDeactivateNamed(login), exact: true }).click();
    await page
      .getByRole('status')
      .getByText(STRINGS.adminDeactivated(login))
      .waitFor({ timeout: 10_000 })
      .catch(fail);
    expect((await as.ok<AgentRecord>('GET', `/api/v1/agents/${made.agent}`)).active).to.equal(false);
    const own = agents
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'admin', exact: true }) });
    expect(await own.getByRole('button').allTextContents()).to.deep.equal([STRINGS.adminEdit]);
  });

  const editQueue = async (): Promise<Locator> => {
    const queues = region(STRINGS.adminQueues);
    await queues.getByRole('button', { name: STRINGS.adminEditNamed(queueName), exact: true }).click();
    return region(STRINGS.adminEditQueue(queueName));
  };

  it('changes a queue setting that the AS then holds; an invalid value shows the AS message at its field', async () => {
    await admin().getByRole('link', { name: STRINGS.adminQueues, exact: true }).click();
    let form = await editQueue();
    await form.getByLabel(STRINGS.adminWrapUp, { exact: true }).fill('42');
    await form.getByLabel(STRINGS.adminSelectionPolicy, { exact: true }).selectOption('skill-level');
    await form.getByRole('button', { name: STRINGS.adminSave, exact: true }).click();
    await page
      .getByRole('status')
      .getByText(STRINGS.adminQueueSaved(queueName))
      .waitFor({ timeout: 10_000 })
      .catch(fail);
    const saved = await as.ok<{ wrapUpSec: number; selectionPolicy: string; ringTimeoutSec: number }>(
      'GET',
      `/api/v1/queues/${queueName}`,
    );
    expect([saved.wrapUpSec, saved.selectionPolicy, saved.ringTimeoutSec]).to.deep.equal([
      42,
      'skill-level',
      20,
    ]);

    form = await editQueue();
    const ring = form.getByLabel(STRINGS.adminRingTimeout, { exact: true });
    await ring.fill('2');
    await form.getByRole('button', { name: STRINGS.adminSave, exact: true }).click();
    const message = '"ringTimeoutSec" must be greater than or equal to 5';
    await form
      .locator('input[name="ringTimeoutSec"][aria-invalid="true"]')
      .waitFor({ timeout: 10_000 })
      .catch(fail);
    const describedBy = (await ring.getAttribute('aria-describedby')) ?? '';
    await page
      .locator(`[id="${describedBy}"]`)
      .getByText(message, { exact: true })
      .waitFor({ timeout: 10_000 })
      .catch(fail);
    expect(await page.locator(`[id="${describedBy}"]`).getAttribute('role')).to.equal('alert');
    expect(await ring.getAttribute('aria-invalid')).to.equal('true');
    await screenshot(page, 'admin-queue');
    const after = await as.ok<{ ringTimeoutSec: number }>('GET', `/api/v1/queues/${queueName}`);
    expect(after.ringTimeoutSec).to.equal(20);
    await form.getByRole('button', { name: STRINGS.adminCancel, exact: true }).click();
  });

  it('adds a not-ready reason that an agent desktop offers and CTI accepts, without a restart', async () => {
    await admin().getByRole('link', { name: STRINGS.adminReasons, exact: true }).click();
    const reasons = region(STRINGS.adminReasons);
    const form = reasons.getByRole('form', { name: STRINGS.adminAddReason });
    await form.getByLabel(STRINGS.adminCodeName, { exact: true }).fill(reasonName);
    await form.getByLabel(STRINGS.adminCodeLabel, { exact: true }).fill(reasonLabel);
    await form.getByRole('button', { name: STRINGS.adminAddReason, exact: true }).click();
    await reasons
      .getByRole('rowheader', { name: reasonName, exact: true })
      .waitFor({ timeout: 10_000 })
      .catch(fail);
    const stored = (
      await as.ok<{ id: string; name: string; label: string }[]>('GET', '/api/v1/not-ready-reasons')
    ).find((r) => r.name === reasonName);
    expect(stored?.label).to.equal(reasonLabel);
    made.reason = stored!.id;

    desktop = await Desktop.open(context!);
    await desktop.signIn('1001', await demoPassword());
    await desktop.chooseDevice('desk');
    await desktop.loggedIn().catch(fail);
    await desktop.goReady().catch(fail);
    const picker = desktop.stateBar.getByLabel(STRINGS.reasonLabel, { exact: true });
    await picker.selectOption({ label: reasonLabel });
    await desktop.stateBar.getByRole('button', { name: STRINGS.goNotReady, exact: true }).click();
    await desktop.waitState(STRINGS.state_not_ready).catch(fail);
    await desktop.stateBar
      .locator('.state-reason')
      .getByText(reasonName, { exact: true })
      .waitFor({ timeout: 10_000 })
      .catch(fail);
  });

  it('lists the changes made in the audit page, filtered by actor', async () => {
    await page.bringToFront();
    await admin().getByRole('link', { name: STRINGS.adminAudit, exact: true }).click();
    const audit = region(STRINGS.adminAudit);
    const filter = audit.getByRole('form', { name: STRINGS.adminAuditFilter });
    await filter.getByLabel(STRINGS.adminActor, { exact: true }).selectOption({ label: 'admin' });
    await filter.getByLabel(STRINGS.adminAction, { exact: true }).selectOption('');
    await filter.getByRole('button', { name: STRINGS.adminApplyFilter, exact: true }).click();
    const table = audit.getByRole('table', { name: STRINGS.adminAuditCaption(1) });
    const rowOf = (id: string) => table.getByRole('row').filter({ hasText: id });
    await rowOf(made.reason!).first().waitFor({ timeout: 10_000 }).catch(fail);
    const cells = async (id: string) =>
      (await rowOf(id).first().getByRole('cell').allTextContents()).slice(1).map((t) => t.trim());
    const agentRows = rowOf(made.agent!);
    const cellsAt = async (n: number) =>
      (await agentRows.nth(n).getByRole('cell').allTextContents()).slice(1).map((t) => t.trim());
    const [deactivated, created] = [await cellsAt(0), await cellsAt(1)];
    expect(deactivated.slice(0, 4)).to.deep.equal(['admin', STRINGS.adminActionUpdate, 'agent', made.agent!]);
    expect(deactivated[4]).to.match(/\bactive\b/);
    expect(created.slice(0, 4)).to.deep.equal(['admin', STRINGS.adminActionCreate, 'agent', made.agent!]);
    expect(await cells(made.queue!)).to.deep.equal([
      'admin',
      STRINGS.adminActionUpdate,
      'queue',
      made.queue!,
      'selectionPolicy, wrapUpSec',
    ]);
    expect((await cells(made.reason!)).slice(0, 4)).to.deep.equal([
      'admin',
      STRINGS.adminActionCreate,
      'reason',
      made.reason!,
    ]);

    // Action and day filters: today's creations only (the queue's, made by the API), its update left out.
    const today = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
    await filter.getByLabel(STRINGS.adminAction, { exact: true }).selectOption('create');
    await filter.getByLabel(STRINGS.adminFrom, { exact: true }).fill(today);
    await filter.getByLabel(STRINGS.adminTo, { exact: true }).fill(today);
    await filter.getByRole('button', { name: STRINGS.adminApplyFilter, exact: true }).click();
    await rowOf(made.queue!)
      .filter({ hasText: STRINGS.adminActionUpdate })
      .first()
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(fail);
    const actions = await table.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(actions.length).to.be.greaterThan(0);
    expect([...new Set(actions)]).to.deep.equal([STRINGS.adminActionCreate]);
    expect(await rowOf(made.reason!).count()).to.equal(1);
    expect(await rowOf(made.queue!).count()).to.equal(1);
  });
});
