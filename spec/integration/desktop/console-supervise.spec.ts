import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { STRINGS } from '../../../agent-ui/src/strings';
import { ari } from '../../support/ari';
import {
  audioPacketsReceived,
  demoPassword,
  launchBrowser,
  newContext,
  screenshot,
  trackPeerConnections,
} from '../../support/browser';
import { eventually } from '../../support/bus-observer';
import { CallControlFixture, sippOk } from '../../support/call-control';
import { expect } from '../../support/chai';
import { sipp } from '../../support/sipp';
import { type Talker, removeTalkers, talker } from '../../support/talkers';
import { WallboardPage } from '../../support/wallboard';

/**
 * The supervisor's console on the real system (Asterisk, RabbitMQ, FerretDB, SoftACD, CTI, sipp,
 * Chromium): the wallboard registers the signed-in supervisor's browser softphone (its account from
 * GET /api/v1/me/sip), "Listen" on agent 1003's row rings it, it answers by itself and the page receives
 * the call's audio; Stop ends the session and signing out unregisters the phone.
 * sipp ports 5411 (agent 1003), 5621 (caller); media 17600-17619.
 */
describe("console wallboard: the supervisor's browser softphone listens to a call", function () {
  this.timeout(120_000);
  const f = new CallControlFixture();
  let caller: Talker;
  let agent: Talker;
  let browser: Browser | undefined;
  let work = '';

  before(async () => {
    await f.start();
    caller = await talker('caller', 17600, 400);
    agent = await talker('agent1003', 17610, 650);
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'ipcc-console-supervise-'));
  });
  after(async () => {
    await browser?.close();
    await f.signOutAll();
    await f.stop();
    await removeTalkers([caller, agent]);
    await fs.rm(work, { recursive: true, force: true });
  });

  /** A support call answered by 1003's talking phone; the caller talks for `callerHoldMs`. */
  async function call(number: string, callerHoldMs: number) {
    const first = await f.signIn(f.a3, true);
    const phone = sipp('rtp-agent.xml', {
      service: 'agent1003',
      localPort: 5411,
      holdMs: 500,
      extra: ['-mp', String(agent.audio)],
      cwd: agent.dir,
      timeoutSec: 60,
    });
    await new Promise((r) => setTimeout(r, 300));
    const customer = sipp('rtp-caller.xml', {
      service: '201',
      localPort: 5621,
      holdMs: callerHoldMs,
      vars: { caller: number, caller_name: 'Supervised' },
      extra: ['-mp', String(caller.audio)],
      cwd: caller.dir,
      timeoutSec: 60,
    });
    const offer = await eventually('offer to 1003', () => first.of('offer')[0], 15_000);
    const contactId = offer.contactId;
    await eventually('established', () => first.of('established').find((m) => m.contactId === contactId));
    return { phone, customer, contactId };
  }

  const endpointState = async () =>
    (await ari.get<{ state: string }>('/endpoints/PJSIP/webrtc-supervisor')).state;

  it('registers on opening, answers Listen by itself (inbound RTP rising), unregisters on sign-out', async () => {
    const number = '15557773005';
    browser = await launchBrowser({ video: false });
    const context = await newContext(browser);
    await trackPeerConnections(context);
    const board = await WallboardPage.open(context);
    const page = board.page;
    await board.signIn('supervisor', await demoPassword());
    const fail = (err: unknown) => {
      throw new Error(`${String(err)}\n${board.log.tail()}`);
    };
    // The registration state sits beside the "Listen on" select.
    await page
      .getByRole('status', { name: STRINGS.wbPhoneState, exact: true })
      .getByText(STRINGS.wbPhoneRegistered, { exact: true })
      .waitFor({ timeout: 10_000 })
      .catch(fail);
    expect(await page.getByLabel(STRINGS.wbPhone, { exact: true }).inputValue()).to.equal('softphone');
    expect(await endpointState()).to.equal('online');

    const c = await call(number, 20_000);
    const row = board.agents.locator('tr[data-agent="1003"]');
    await row.getByRole('button', { name: STRINGS.wbListen('Agent 1003'), exact: true }).click();
    await page
      .getByRole('alert')
      .getByText(STRINGS.wbSuperviseStarted('Agent 1003'), { exact: true })
      .waitFor({ timeout: 10_000 })
      .catch(fail);
    // No click on the console: the softphone answers supervision calls by itself.
    await eventually(
      'supervision audio flowing',
      async () => (await audioPacketsReceived(page)) > 0,
      10_000,
    ).catch(fail);
    const tracks = await page
      .getByLabel(STRINGS.wbPhoneAudio, { exact: true })
      .evaluate(
        (a) => ((a as HTMLAudioElement).srcObject as MediaStream | null)?.getAudioTracks().length ?? 0,
      );
    expect(tracks, "audio tracks in the page's <audio> element").to.equal(1);
    await new Promise((r) => setTimeout(r, 500));
    const from = await audioPacketsReceived(page);
    await new Promise((r) => setTimeout(r, 3000));
    const to = await audioPacketsReceived(page);
    console.log(
      `      console softphone inbound-rtp audio packets (listen): ${from} -> ${to} (+${to - from} in 3 s)`,
    );
    expect(to - from, 'packets in 3 s (50/s sent)').to.be.at.least(100);
    await screenshot(page, 'console-supervise');

    await row.getByRole('button', { name: STRINGS.wbStop('Agent 1003'), exact: true }).click();
    const ended = await eventually(
      'SuperviseEnded',
      () => f.forContact(c.contactId).find((s) => s.body.type === 'SuperviseEnded'),
      20_000,
    );
    expect(ended.body.reason).to.equal('stopped');
    await page
      .getByRole('alert')
      .getByText(STRINGS.wbSuperviseStopped('Agent 1003'), { exact: true })
      .waitFor({ timeout: 5000 });

    // Signing out unmounts the wallboard: the softphone unregisters.
    await page.getByRole('button', { name: STRINGS.signOut, exact: true }).click();
    await eventually('webrtc-supervisor offline', async () => (await endpointState()) !== 'online', 5000);

    sippOk(await c.customer, 'caller');
    sippOk(await c.phone, 'agent 1003');
    await f.clearedOnce(c.contactId);
    await f.clean(c.contactId, number);
  });
});
