import type { Browser, BrowserContext } from 'playwright-core';
import { STRINGS } from '../../../agent-ui/src/strings';
import { agentEvents, agentIdOf } from '../../support/agents';
import { demoPassword, launchBrowser, newContext } from '../../support/browser';
import { expect } from '../../support/chai';
import { Desktop } from '../../support/desktop';
import { logOutAgents } from '../../support/desktop-call';
import { requireSystem } from '../../support/servers';

/**
 * Two tabs of one agent do not fight: the desktop's CTI session is exclusive, so the tab opened second
 * takes over and the older one says it was superseded (and offers to take over again); the new tab
 * carries on as the agent's desktop.
 */
describe('agent desktop: a second tab of the same agent supersedes the first', function () {
  this.timeout(90_000);
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let newer: Desktop | undefined;
  let agentId = '';

  before(async () => {
    await requireSystem(['rabbitmq', 'docstore', 'cti']);
    agentId = await agentIdOf('1001');
    await logOutAgents(['1001']);
    browser = await launchBrowser({ video: false });
  });

  after(async () => {
    await newer?.signOutAll().catch(() => undefined);
    await context?.close().catch(() => undefined);
    await browser?.close();
    await agentEvents(agentId, ['AgentLogout']).catch(() => undefined);
  });

  it('the older tab shows it was superseded; the newer one stays in charge', async () => {
    context = await newContext(browser!);
    const password = await demoPassword();
    const older = await Desktop.open(context);
    await older.signIn('1001', password);
    await older.chooseDevice('desk');
    await older.loggedIn();

    newer = await Desktop.open(context); // a new tab: its own session storage, so it signs in again
    await newer.signIn('1001', password);
    const alert = older.page.getByRole('alert').filter({ hasText: STRINGS.superseded });
    await alert.waitFor({ timeout: 10_000 }).catch((e: Error) => {
      throw new Error(`${e.message}\n${older.log.tail()}\n${newer?.log.tail()}`);
    });
    expect(await alert.getByRole('button', { name: STRINGS.useHere, exact: true }).isVisible()).to.equal(
      true,
    );
    expect(
      await newer.page.getByText(STRINGS.superseded).count(),
      'no such banner in the newer tab',
    ).to.equal(0);

    // The newer tab works the agent's state: its Ready shows as Ready there.
    const choice = newer.page.getByRole('button', { name: new RegExp(`^${STRINGS.deviceDesk}`) });
    const logOut = newer.stateBar.getByRole('button', { name: STRINGS.logOut, exact: true });
    await choice.or(logOut).first().waitFor({ timeout: 10_000 });
    if (await choice.isVisible()) await newer.chooseDevice('desk');
    await newer.goReady();
    expect(await older.page.getByText(STRINGS.superseded).count()).to.equal(1);
  });
});
