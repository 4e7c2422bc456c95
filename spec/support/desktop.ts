import type { BrowserContext, Locator, Page } from 'playwright-core';
import { STRINGS } from '../../agent-ui/src/strings';
import { PageLog, asUrl } from './browser';

/**
 * The agent desktop (`/agent/`) as an agent uses it: by roles and accessible names only, with the names
 * taken from the app's own strings module, so a renamed label changes here and in the page together.
 */
export class Desktop {
  readonly log: PageLog;

  private constructor(readonly page: Page) {
    this.log = new PageLog(page, 'desktop');
  }

  static async open(context: BrowserContext): Promise<Desktop> {
    const page = await context.newPage();
    const desktop = new Desktop(page);
    await page.goto(`${asUrl()}/agent/`);
    return desktop;
  }

  /** Signs in through the form (login, password, the Sign in button). */
  async signIn(login: string, password: string): Promise<void> {
    const form = this.page.getByRole('region', { name: STRINGS.signInHeading });
    await form.getByLabel(STRINGS.loginLabel).fill(login);
    await form.getByLabel(STRINGS.passwordLabel).fill(password);
    await form.getByRole('button', { name: STRINGS.signIn, exact: true }).click();
  }

  /** The device choice after sign-in: the browser softphone or the desk phone. */
  async chooseDevice(device: 'softphone' | 'desk'): Promise<void> {
    const label = device === 'softphone' ? STRINGS.deviceSoftphone : STRINGS.deviceDesk;
    await this.page.getByRole('button', { name: new RegExp(`^${label}`) }).click();
  }

  /** The header with the agent's state and its controls. */
  get stateBar(): Locator {
    return this.page.getByRole('banner');
  }

  /** The state label in the header ("Ready", "Not ready", "On a call", ...). */
  async waitState(label: string, timeout = 10_000): Promise<void> {
    await this.stateBar.locator('.state-label').getByText(label, { exact: true }).waitFor({ timeout });
  }

  async softphoneRegistered(timeout = 15_000): Promise<void> {
    await this.stateBar.getByText(STRINGS.sipRegistered, { exact: true }).waitFor({ timeout });
  }

  /** Logged in to CTI: the header offers "Log out". */
  async loggedIn(timeout = 10_000): Promise<void> {
    await this.stateBar.getByRole('button', { name: STRINGS.logOut, exact: true }).waitFor({ timeout });
  }

  /** Ready through the header's button (from Not ready; an agent already Ready stays so). */
  async goReady(): Promise<void> {
    const button = this.stateBar.getByRole('button', { name: STRINGS.goReady, exact: true });
    const label = this.stateBar.locator('.state-label').getByText(STRINGS.state_ready, { exact: true });
    await button.or(label).first().waitFor({ timeout: 10_000 });
    if (await button.isVisible()) await button.click();
    await this.waitState(STRINGS.state_ready);
  }

  /** The screen pop's region ("Caller"). */
  get pop(): Locator {
    return this.page.getByRole('region', { name: STRINGS.contactHeading, exact: true });
  }

  get controls(): Locator {
    return this.page.getByRole('region', { name: STRINGS.callControlHeading, exact: true });
  }

  get afterCall(): Locator {
    return this.page.getByRole('region', { name: STRINGS.afterCallHeading, exact: true });
  }

  /** The pop's caller number (its "Number" fact). */
  async popNumber(): Promise<string> {
    return (await this.pop.locator('dd.caller-number').textContent()) ?? '';
  }

  async click(where: Locator, name: string): Promise<void> {
    await where.getByRole('button', { name, exact: true }).click();
  }

  /** The phase line of the call-control region ("Talking", "On hold", ...). */
  async waitPhase(label: string, timeout = 10_000): Promise<void> {
    await this.controls.locator('p.phase').getByText(label).waitFor({ timeout });
  }

  /** Blind transfer to a queue through the transfer form. */
  async transferToQueue(queue: string): Promise<void> {
    const form = this.controls.getByRole('region', { name: STRINGS.transferHeading, exact: true });
    await form.getByLabel(STRINGS.transferKind).selectOption('queue');
    await form.getByLabel(STRINGS.transferTarget).selectOption(queue);
    await form.getByRole('button', { name: STRINGS.blindTransfer, exact: true }).click();
  }

  /** Disposition (and notes) through the after-call form, then Save; resolves when the page says saved. */
  async saveDisposition(code: string, notes: string): Promise<void> {
    const select = this.afterCall.getByLabel(STRINGS.disposition);
    await select.selectOption(code);
    await this.afterCall.getByLabel(STRINGS.notes).fill(notes);
    const shown = await select.inputValue();
    if (shown !== code) throw new Error(`the disposition list shows "${shown}" after choosing "${code}"`);
    await this.afterCall.getByRole('button', { name: STRINGS.saveWrapUp, exact: true }).click();
    await this.afterCall.getByRole('status').getByText(STRINGS.saved, { exact: true }).waitFor();
  }

  /** Logs the agent out of CTI (if logged in) and signs out of the page; best effort at test end. */
  async signOutAll(): Promise<void> {
    const logOut = this.stateBar.getByRole('button', { name: STRINGS.logOut, exact: true });
    if (await logOut.isVisible().catch(() => false)) {
      await logOut.click();
      await this.waitState(STRINGS.state_logged_out, 5000).catch(() => undefined);
    }
  }
}
