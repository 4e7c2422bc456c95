import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { Browser, BrowserContext } from 'playwright-core';
import { STRINGS } from '../../../agent-ui/src/strings';
import { agentEvents, agentIdOf } from '../../support/agents';
import { AsApi } from '../../support/as-api';
import { demoPassword, launchBrowser, newContext, screenshot } from '../../support/browser';
import { expect } from '../../support/chai';
import { CallBus, freshNumber, hangUpChannel, logOutAgents } from '../../support/desktop-call';
import { mongoUri, requireSystem } from '../../support/servers';
import { sipp, type SippRun } from '../../support/sipp';
import { eventually } from '../../support/bus-observer';
import { SupervisorWire, WallboardPage } from '../../support/wallboard';

/**
 * The supervisor's wallboard on the real system: a supervisor made for the test (it supervises `sales`
 * only) watches in real Chromium while a sipp caller waits in sales and agents change state; CTI pushes
 * both over the supervisor socket. Latencies are measured from the bus message (its `at`) or the
 * agent's own state message to the first animation frame showing it in the page, and printed.
 */
describe('supervisor wallboard: live from CTI, scoped, with agent control', function () {
  this.timeout(180_000);
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let board: WallboardPage | undefined;
  let admin: AsApi;
  let supervisorId = '';
  let supervisorToken = '';
  const login = `wbsup${randomBytes(3).toString('hex')}`;
  const password = `wb-${randomBytes(9).toString('hex')}`;
  const bus = new CallBus();
  const caller = {
    number: freshNumber(),
    stop: new AbortController(),
    run: undefined as Promise<SippRun> | undefined,
  };
  let agent1001 = '';
  let agent1003 = '';
  const figures: string[] = [];

  before(async () => {
    await requireSystem(['rabbitmq', 'docstore', 'asterisk', 'softacd', 'ivr', 'cti']);
    agent1001 = await agentIdOf('1001');
    agent1003 = await agentIdOf('1003');
    await logOutAgents(['1001', '1002', '1003', '1004']);
    admin = await AsApi.signIn('admin', await demoPassword());
    const made = await admin.ok<{ id: string; supervises: string[] }>('POST', '/api/v1/agents', {
      login,
      password,
      displayName: 'Wallboard Supervisor',
      roles: ['supervisor'],
      supervises: ['sales'],
    });
    expect(made.supervises).to.deep.equal(['sales']);
    supervisorId = made.id;
    supervisorToken = (await AsApi.signIn(login, password)).token;
    await bus.start();
    browser = await launchBrowser({ video: false });
    context = await newContext(browser);
    board = await WallboardPage.open(context);
    await board.signIn(login, password);
  });

  after(async () => {
    caller.stop.abort();
    await caller.run?.catch(() => undefined);
    await context?.close().catch(() => undefined);
    await browser?.close();
    await bus.stop();
    await logOutAgents(['1001', '1003']).catch(() => undefined);
    if (supervisorId !== '') await admin.request('DELETE', `/api/v1/agents/${supervisorId}`);
    if (figures.length > 0) console.log(`      wallboard figures: ${figures.join('; ')}`);
  });

  it('shows only its queues, and a caller waiting in sales within 1 s of entering the queue', async () => {
    const page = board!;
    await page.queues.locator('tr[data-queue="sales"]').waitFor({ timeout: 10_000 });
    expect(await page.queues.locator('tbody tr').count(), 'one queue: sales').to.equal(1);
    const offeredBefore = Number(await page.queueFigure('sales', 'offered'));
    // Watched from before the call exists: the first frame with the caller's row.
    const seen = page.seenAt('tr[data-contact] th', caller.number, 30_000);
    caller.run = sipp('../integration/desktop/sipp/caller-until-bye.xml', {
      service: '200',
      localPort: 5741,
      timeoutSec: 120,
      vars: { caller: caller.number, caller_name: 'Wallboard Caller' },
      signal: caller.stop.signal,
    });
    caller.run.catch(() => undefined);
    const appeared = await seen.catch((err: Error) => {
      throw new Error(`${err.message}\n${page.log.tail()}`);
    });
    const { contactId } = await bus.delivered(caller.number);
    const request = await bus.message(contactId, 'AgentRequest');
    const status = await bus.message(contactId, 'QueueStatus');
    const latency = appeared - request.atMs;
    figures.push(
      `caller shown ${latency} ms after its AgentRequest (${appeared - status.atMs} ms after CTI's QueueStatus)`,
    );
    expect(latency, 'caller on the wallboard within 1 s of entering the queue').to.be.within(0, 1000);
    expect(await page.queueFigure('sales', 'waiting')).to.equal('1');
    expect(Number(await page.queueFigure('sales', 'offered'))).to.equal(offeredBefore + 1);
  });

  it("shows an agent's state change within 1 s; agents of other queues are not shown", async () => {
    const page = board!;
    await page.agents.locator('tr[data-agent="1001"]').waitFor();
    expect(await page.agents.locator('tr[data-agent="1003"]').count(), 'support-only agent hidden').to.equal(
      0,
    );
    const loggedIn = page.seenAt('tr[data-agent="1001"] td[data-state="not-ready"]');
    const sentAt = Date.now();
    await agentEvents(agent1001, ['AgentLogin']);
    const shown = await loggedIn;
    figures.push(`agent 1001 login shown ${shown - sentAt} ms after its AgentLogin was published`);
    expect(shown - sentAt, "the agent's change on the wallboard within 1 s").to.be.within(0, 1000);
    expect(
      await page.agents.locator('tr[data-agent="1001"] td[data-field="state"]').textContent(),
    ).to.include(STRINGS.state_not_ready);
  });

  it('raises the waiting caller, forces an agent of its queue not ready (audited), refuses others', async () => {
    const page = board!;
    const row = page.waiting.locator('tr[data-contact]', { hasText: caller.number });
    await row.getByRole('button', { name: STRINGS.wbRaise(caller.number), exact: true }).click();
    await row.getByText(STRINGS.wbRaisedMark, { exact: true }).waitFor({ timeout: 5_000 });
    // Its IVR is told its new place (first in line).
    const { contactId } = await bus.delivered(caller.number);
    expect((await bus.message(contactId, 'QueueStatus', 5_000, 2)).body.position).to.equal(1);
    // Only sales in scope: nowhere to move the caller to.
    expect(
      await row.getByRole('button', { name: STRINGS.wbMove(caller.number), exact: true }).isDisabled(),
    ).to.equal(true);

    const agentRow = page.agents.locator('tr[data-agent="1001"]');
    const reasons = await agentRow
      .getByLabel(STRINGS.wbForceReason('Agent 1001'))
      .locator('option')
      .allTextContents();
    expect(reasons.length, 'the configured not-ready reasons').to.be.greaterThan(0);
    const reason = reasons[reasons.length - 1]!;
    await agentRow.getByLabel(STRINGS.wbForceReason('Agent 1001')).selectOption(reason);
    // Not ready since its login (a caller waits in sales: a ready 1001 would be offered the call); the
    // forced change gives it the supervisor's reason.
    const forcedAt = Date.now();
    await agentRow.getByRole('button', { name: STRINGS.wbForceNotReady('Agent 1001'), exact: true }).click();
    await page.page
      .getByRole('alert')
      .getByText(STRINGS.wbDoneNotReady('Agent 1001'))
      .waitFor({ timeout: 5_000 });
    const forcedShown = await page.seenAt('tr[data-agent="1001"] td[data-field="reason"]', reason);
    figures.push(`forced not-ready (${reason}) shown ${forcedShown - forcedAt} ms after the click`);
    const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    try {
      const entries = await mongo
        .db()
        .collection('auditlog')
        .find({ actor: supervisorId })
        .sort({ at: 1 })
        .toArray();
      expect(entries.map((e) => `${String(e.action)} ${String(e.entity)}`)).to.deep.equal([
        'raise-priority contact',
        'force-not-ready agent',
      ]);
      expect(entries[1]?.entityId).to.equal(agent1001);
      expect(entries[1]?.after).to.deep.equal({ state: 'not-ready', reason });
    } finally {
      await mongo.close();
    }

    // Agent 1003 serves support only: the supervisor of sales may not touch it.
    await agentEvents(agent1003, ['AgentLogin', 'AgentReady']);
    const wire = new SupervisorWire();
    await wire.connect();
    wire.send({ type: 'auth', token: supervisorToken });
    await wire.next('wallboard');
    const mark = wire.received.length;
    wire.send({ type: 'force-logout', agentId: agent1003, ref: 'x1' });
    const refused = await wire.next('error', mark);
    expect(refused).to.deep.include({ code: 'not_your_queue', ref: 'x1', action: 'force-logout' });
    wire.send({ type: 'supervise', agentId: agent1003, mode: 'listen' });
    expect(await wire.next('error', mark + 1)).to.deep.include({ code: 'not_your_queue' });
    wire.close();
    const admin1003 = new SupervisorWire();
    await admin1003.connect();
    admin1003.send({ type: 'auth', token: admin.token });
    const all = await admin1003.next('wallboard');
    const agent = (all.agents as Array<{ id: string; state: string }>).find((a) => a.id === agent1003);
    expect(agent?.state, "1003 untouched by the sales supervisor's request").to.equal('ready');
    admin1003.close();
  });

  it('refuses an agent-only token on the supervisor socket with 4403', async () => {
    const agentApi = await AsApi.signIn('1002', await demoPassword());
    const wire = new SupervisorWire();
    await wire.connect();
    wire.send({ type: 'auth', token: agentApi.token });
    expect(await wire.next('error')).to.deep.include({ code: 'not_a_supervisor' });
    expect((await wire.closedWith()).code).to.equal(4403);
    expect(wire.of('wallboard')).to.deep.equal([]);
  });

  it("follows a change of the supervisor's queues live; the admin API refuses a bad list", async () => {
    const page = board!;
    for (const bad of [['Not A Name'], ['sales', 'sales']]) {
      const refused = await admin.request('PATCH', `/api/v1/agents/${supervisorId}`, { supervises: bad });
      expect(refused.status, JSON.stringify(bad)).to.equal(400);
    }
    const widened = page.seenAt('tr[data-queue="support"]');
    const changedAt = Date.now();
    await admin.ok('PATCH', `/api/v1/agents/${supervisorId}`, { supervises: ['sales', 'support'] });
    figures.push(`support shown ${(await widened) - changedAt} ms after the supervisor's queues changed`);
    await page.agents.locator('tr[data-agent="1003"]').waitFor({ timeout: 5_000 });
    await admin.ok('PATCH', `/api/v1/agents/${supervisorId}`, { supervises: ['sales'] });
    await page.queues.locator('tr[data-queue="support"]').waitFor({ state: 'detached', timeout: 5_000 });
    expect(await page.agents.locator('tr[data-agent="1003"]').count()).to.equal(0);
  });

  it('a reconnect gets a whole snapshot of its queues', async () => {
    const first = new SupervisorWire();
    await first.connect();
    first.send({ type: 'auth', token: supervisorToken });
    const a = await first.next('wallboard');
    first.close();
    await first.closedWith();
    const again = new SupervisorWire();
    await again.connect();
    again.send({ type: 'auth', token: supervisorToken });
    const welcome = await again.next('welcome');
    const b = await again.next('wallboard');
    expect(welcome).to.deep.include({ queues: ['sales'], admin: false });
    expect((b.queues as Array<{ id: string }>).map((q) => q.id)).to.deep.equal(['sales']);
    const waiting = (b.queues as Array<{ contacts: Array<{ callingNumber?: string; raised: boolean }> }>)[0]
      ?.contacts;
    expect(waiting?.find((c) => c.callingNumber === caller.number)).to.deep.include({ raised: true });
    expect((a.agents as unknown[]).length).to.equal((b.agents as unknown[]).length);
    again.close();
  });

  it('an administrator moves the waiting caller to support and back: audited, on its timeline', async () => {
    const page = board!;
    await agentEvents(agent1003, ['AgentLogout']); // nobody serves support: the caller waits there
    const { contactId } = await bus.delivered(caller.number);
    const wire = new SupervisorWire();
    await wire.connect();
    wire.send({ type: 'auth', token: admin.token });
    await wire.next('wallboard');
    const row = page.waiting.locator('tr[data-contact]', { hasText: caller.number });
    let mark = wire.received.length;
    wire.send({ type: 'move-contact', contactId, queueId: 'support', ref: 'm1' });
    expect(await wire.next('done', mark)).to.deep.include({
      action: 'move-contact',
      queueId: 'support',
      ref: 'm1',
    });
    // Out of the sales supervisor's sight with its queue; back with it.
    await row.waitFor({ state: 'detached', timeout: 5_000 });
    mark = wire.received.length;
    wire.send({ type: 'move-contact', contactId, queueId: 'sales', ref: 'm2' });
    expect(await wire.next('done', mark)).to.deep.include({ action: 'move-contact', queueId: 'sales' });
    await row.waitFor({ timeout: 5_000 });
    expect(await row.getByText(STRINGS.wbRaisedMark, { exact: true }).count(), 'still raised').to.equal(1);
    wire.close();
    const adminId = await agentIdOf('admin');
    const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    try {
      const moves = await mongo
        .db()
        .collection('auditlog')
        .find({ actor: adminId, action: 'move-contact', entityId: contactId })
        .sort({ at: 1 })
        .toArray();
      expect(moves.map((m): unknown[] => [m.before, m.after])).to.deep.equal([
        [{ queueId: 'sales' }, { queueId: 'support' }],
        [{ queueId: 'support' }, { queueId: 'sales' }],
      ]);
      // CTI writes the timeline behind the call path (at most CTI_HISTORY_HOLD_MS later).
      const changes = await eventually('two QueueChanged on the timeline', async () => {
        const doc = await mongo
          .db()
          .collection<{ _id: string; timeline?: Array<{ type: string; data?: { queueId?: string } }> }>(
            'interactions',
          )
          .findOne({ _id: contactId });
        const found = (doc?.timeline ?? []).filter((t) => t.type === 'QueueChanged');
        return found.length >= 2 && found.map((t) => t.data?.queueId);
      });
      expect(changes).to.deep.equal(['support', 'sales']);
    } finally {
      await mongo.close();
    }
  });

  it('TV mode: large figures, longest wait coloured against the threshold; screenshots', async () => {
    const page = board!;
    // The caller has waited past sales' 20 s threshold by now, or soon: amber.
    await page.seenAt(
      'tr[data-queue="sales"] td[data-field="longest-wait"][data-level="warn"]',
      undefined,
      25_000,
    );
    await screenshot(page.page, 'wallboard');
    await page.page.getByRole('button', { name: STRINGS.wbTvOn, exact: true }).click();
    const tile = page.page.getByRole('region', { name: 'sales', exact: true });
    await tile.waitFor();
    expect(await tile.locator('[data-field="longest-wait"]').getAttribute('data-level')).to.equal('warn');
    expect(await tile.locator('[data-field="waiting"] .wb-figure-value').textContent()).to.equal('1');
    await screenshot(page.page, 'wallboard-tv');
    await page.page.getByRole('button', { name: STRINGS.wbTvOff, exact: true }).click();
    // The caller's call ends while it waits (Asterisk hangs it up): one more abandoned, at once.
    const abandoned = Number(await page.queueFigure('sales', 'abandoned'));
    const { channelId } = await bus.delivered(caller.number);
    await hangUpChannel(channelId);
    await page.seenAt('tr[data-queue="sales"] td[data-field="abandoned"]', String(abandoned + 1), 10_000);
    expect(await page.queueFigure('sales', 'waiting')).to.equal('0');
  });
});
