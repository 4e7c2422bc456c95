import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { STRINGS } from '../../../agent-ui/src/strings';
import { agentEvents, agentIdOf } from '../../support/agents';
import { AsApi } from '../../support/as-api';
import { demoPassword, framesRise, launchBrowser, newContext, screenshot } from '../../support/browser';
import { expect } from '../../support/chai';
import { Desktop } from '../../support/desktop';
import {
  CallBus,
  freshNumber,
  hangUpChannel,
  inWindow,
  logOutAgents,
  videoCaller,
} from '../../support/desktop-call';
import { LoopbackCapture, summary } from '../../support/rtp-capture';
import { paintedOffer, stampOffers, textShownAt, watchText } from '../../support/screen-pop-timing';
import { requireSystem } from '../../support/servers';

/**
 * The agent desktop in real Chromium against the running system: agent 1001 signs in through the page,
 * chooses the browser softphone and goes Ready; a sipp H.264 video caller dials the IVR (100) and presses
 * 1 (sales). The screen pop shows the caller's number and the customer's name (a customer made for that
 * number through the AS API first) within 1 s of CTI's offer; the agent answers with the Accept button;
 * the page decodes the caller's video (its own getStats) and the caller receives the agent's video from
 * Asterisk (tcpdump on lo); Hold then Retrieve (the caller hears hold media meanwhile); a blind transfer
 * to the support queue; the caller hangs up there; the disposition saved in the page is read back from
 * the AS. Screenshots: idle, ringing with the pop, in the video call.
 *
 * Offer time: CTI sends the `offer` frame and then publishes DivertCall in the same synchronous step
 * (cti/app/routing.ts offer()), so DivertCall's `at` (CTI's wall clock) is the offer's send time to the
 * millisecond; the page stamps the pop painted with Date.now() (same host clock).
 */
const CALLER = { name: 'caller', audio: 16_700, video: 16_702, sip: 5341 };
const POP_LIMIT_MS = 1000;
const DISPOSITION = 'sale';

describe('agent desktop: a video call through the browser softphone (Chromium, sipp, Asterisk)', function () {
  this.timeout(180_000);
  const bus = new CallBus();
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let desktop: Desktop | undefined;
  let agent: AsApi;
  let admin: AsApi;
  let customerId: string | undefined;
  let work = '';
  let agentId = '';

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await bus.start();
    const password = await demoPassword();
    agent = await AsApi.signIn('1001', password);
    admin = await AsApi.signIn('admin', password);
    agentId = await agentIdOf('1001');
    // Only 1001 may take the sales call; 1003 (support) stays out so the transferred caller waits.
    await logOutAgents(['1001', '1002', '1003', '1004']);
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'ipcc-desktop-'));
    browser = await launchBrowser();
  });

  after(async () => {
    await desktop?.signOutAll().catch(() => undefined);
    await context?.close().catch(() => undefined);
    await browser?.close();
    await agentEvents(agentId, ['AgentLogout']).catch(() => undefined);
    if (customerId !== undefined) await admin.deleteCustomer(customerId).catch(() => undefined);
    await bus.stop();
    await fs.rm(work, { recursive: true, force: true });
  });

  it('pops the caller within 1 s, shows video both ways, holds, transfers and saves the disposition', async () => {
    const number = freshNumber();
    const customer = { firstName: 'Vera', lastName: `Video${number.slice(-4)}` };
    const fullName = `${customer.firstName} ${customer.lastName}`;
    customerId = await agent.createCustomer({ ...customer, phone: `+${number}` });

    context = await newContext(browser!);
    await stampOffers(context);
    desktop = await Desktop.open(context);
    const page = desktop.page;
    const why = () => `\npage log:\n${desktop?.log.tail()}`;
    await desktop.signIn('1001', await demoPassword());
    await desktop.chooseDevice('softphone');
    await desktop.softphoneRegistered();
    await desktop.goReady();
    expect(await desktop.pop.getByText(STRINGS.noContact).isVisible()).to.equal(true);
    await screenshot(page, 'desktop-idle');
    await watchText(page, fullName);

    const capture = new LoopbackCapture(work, [CALLER]);
    await capture.start();
    const caller = await videoCaller({
      dir: path.join(work, 'caller'),
      service: '100',
      number,
      name: 'Video Caller',
      sipPort: CALLER.sip,
      mediaPort: CALLER.audio,
      timeoutSec: 90,
    });
    const { contactId, channelId } = await bus.delivered(number);
    const divert = await bus.message(contactId, 'DivertCall', 20_000);
    expect(divert.body.agentId).to.equal(agentId);
    expect(divert.body.endpoint, 'CTI rings the softphone').to.equal('PJSIP/webrtc1001');

    // The screen pop: number painted, customer name shown, both within 1 s of the offer.
    const stamps = await paintedOffer(page, contactId, 5000).catch((e: Error) => {
      throw new Error(e.message + why());
    });
    // The name comes from the AS (the pop's customer record); checked at the end, so that a missing
    // name does not hide what the rest of the call does.
    let popText = '';
    const nameAt = await textShownAt(page, fullName, 5000).catch(async () => {
      popText = await page.locator('main').innerText();
      return undefined;
    });
    const popMs = stamps.paintedAt! - divert.atMs;
    const nameMs = nameAt === undefined ? undefined : nameAt - divert.atMs;
    console.log(
      `      screen pop: offer sent (DivertCall.at) -> frame received ${stamps.receivedAt - divert.atMs} ms, ` +
        `number painted ${popMs} ms, customer name shown ${nameMs ?? 'never (5 s)'} ms`,
    );
    expect(await desktop.popNumber()).to.equal(number);
    expect(popMs, 'offer -> number painted (ms)').to.be.within(0, POP_LIMIT_MS);
    await screenshot(page, 'desktop-ringing');

    // Answer with the button: bridged, and video both ways.
    await desktop.click(desktop.pop, STRINGS.accept);
    const established = await bus.message(contactId, 'Established', 15_000);
    await desktop.waitPhase(STRINGS.phase_talking);
    const decoded = await framesRise(page, 'framesDecoded', { by: 20, within: 10_000 }).catch((e: Error) => {
      throw new Error(e.message + why());
    });
    const sent = await framesRise(page, 'framesSent', { by: 20, within: 10_000 });
    console.log(`      agent page: decoded ${JSON.stringify(decoded)}; sent ${JSON.stringify(sent)}`);
    await screenshot(page, 'desktop-video-call');
    const talkEnd = Date.now();

    // Hold, then Retrieve, through the buttons: the caller hears hold media while held.
    await desktop.click(desktop.controls, STRINGS.hold);
    const held = await bus.message(contactId, 'Held', 10_000);
    await desktop.waitPhase(STRINGS.phase_held);
    const holdFrom = Date.now();
    await new Promise((r) => setTimeout(r, 3000));
    const holdTo = Date.now();
    await desktop.click(desktop.controls, STRINGS.retrieve);
    await desktop.waitPhase(STRINGS.phase_talking);
    const again = await framesRise(page, 'framesDecoded', { by: 10, within: 10_000 });
    const retrieved = await bus.message(contactId, 'Retrieved', 10_000);
    console.log(
      `      held ${held.body.at as string}, retrieved ${retrieved.body.at as string}; ` +
        `decoded after retrieve ${JSON.stringify(again)}`,
    );

    // Blind transfer to the support queue through the form: the agent is out, the caller waits there.
    await desktop.transferToQueue('support');
    const transferred = await bus.message(contactId, 'Transferred', 10_000);
    console.log(`      transferred: ${JSON.stringify(transferred.body)}`);
    await page
      .getByText(STRINGS.notice_transferred('queue:support'), { exact: true })
      .waitFor({ timeout: 10_000 })
      .catch(async (e: Error) => {
        throw new Error(`${e.message}; the page said:\n${await page.locator('body').innerText()}${why()}`);
      });
    await desktop.waitState(STRINGS.state_wrap_up);
    await hangUpChannel(channelId); // the customer gives up waiting in support
    const callerRun = await caller.done;
    const [counts] = await capture.counts();
    expect(callerRun.code, `caller sipp: ${callerRun.stdout.slice(-800)}`).to.equal(0);
    console.log(`      ${summary('caller', counts!)}`);

    // The disposition through the page, read back from the AS.
    await desktop.saveDisposition(DISPOSITION, 'e2e: video call, held, transferred');
    const record = await agent.interaction(contactId);
    expect(record.disposition).to.equal(DISPOSITION);

    // What the caller received from Asterisk: the agent's video while talking, hold media while held.
    const talkFrom = established.atMs;
    const videoTalk = inWindow(counts!.received.video, talkFrom, talkEnd);
    const audioHold = inWindow(counts!.received.audio, holdFrom, holdTo);
    const videoSeconds = (talkEnd - talkFrom) / 1000;
    console.log(
      `      caller received: video ${videoTalk} packets in ${videoSeconds.toFixed(1)} s talking; ` +
        `audio ${audioHold} packets in ${(holdTo - holdFrom) / 1000} s held`,
    );
    // The fake camera runs at 10 frames/s: at least half of them as one packet each.
    expect(videoTalk, 'agent video packets at the caller while talking').to.be.at.least(
      Math.floor(5 * videoSeconds),
    );
    // PCMU at 50 packets/s: at least half of the held time carried hold media.
    expect(audioHold, 'hold media packets at the caller while held').to.be.at.least(
      Math.floor((25 * (holdTo - holdFrom)) / 1000),
    );
    expect(decoded.to.framesDecoded - decoded.from.framesDecoded).to.be.at.least(20);
    expect(sent.to.framesSent - sent.from.framesSent).to.be.at.least(20);

    expect(nameMs, `offer -> customer name shown (ms); the page said:\n${popText}${why()}`).to.be.within(
      0,
      POP_LIMIT_MS,
    );

    // Wrap-up ended early with Ready; then the agent logs out.
    await desktop.click(desktop.afterCall, STRINGS.readyNow);
    await desktop.waitState(STRINGS.state_ready);
    await desktop.signOutAll();
    await desktop.waitState(STRINGS.state_logged_out);
  });
});
