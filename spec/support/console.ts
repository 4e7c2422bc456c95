import type { Page } from 'playwright-core';
import { STRINGS } from '../../agent-ui/src/strings';
import { demoPassword } from './browser';

/**
 * Fills the console's sign-in form (agent-ui console.html, any area) and submits it; the caller waits
 * for what the area shows once signed in. The password is the demo tenant's unless given.
 */
export async function consoleSignIn(page: Page, login: string, password?: string): Promise<void> {
  const form = page.getByRole('region', { name: STRINGS.consoleSignInHeading, exact: true });
  await form.getByLabel(STRINGS.loginLabel, { exact: true }).fill(login);
  await form.getByLabel(STRINGS.passwordLabel, { exact: true }).fill(password ?? (await demoPassword()));
  await form.getByRole('button', { name: STRINGS.signIn, exact: true }).click();
}
