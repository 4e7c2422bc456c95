import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { STRINGS } from '../../../agent-ui/src/strings';
import { agentEvents, agentIdOf } from '../../support/agents';
import {
  audioPacketsReceived,
  demoPassword,
  framesRise,
  launchBrowser,
  newContext,
  trackPeerConnections,
} from '../../support/browser';
import { expect } from '../../support/chai';
import { Desktop } from '../../support/desktop';
import {
  CallBus,
  channelExists,
  hangUpChannel,
  freshNumber,
  inWindow,
  logOutAgents,
  videoCaller,
} from '../../support/desktop-call';
import { LoopbackCapture, summary } from '../../support/rtp-capture';
import { requireSystem } from '../../support/servers';

/**
 * A page reload in the middle of a video call never drops the customer: the softphone's leg goes with
 * the page, CTI holds the call (the caller hears hold media) and marks it recoverable; the reloaded page
 * (same tab: its session survives) offers "Take call back"; clicking it rings the softphone again, the
 * call is back and the page decodes the caller's video again. The caller (sipp) stays up throughout: it
 * exits only on the BYE that the agent's Hang up finally causes.
 */
const CALLER = { name: 'caller', audio: 16_720, video: 16_722, sip: 5343 };

describe('agent desktop: page reload mid-call, the caller stays, the agent takes the call back', function () {
  this.timeout(150_000);
  const bus = new CallBus();
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let desktop: Desktop | undefined;
  let work = '';
  let agentId = '';
  let callerChannel: string | undefined;

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await bus.start();
    agentId = await agentIdOf('1001');
    await logOutAgents(['1001', '1002', '1003', '1004']);
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'ipcc-takeback-'));
    browser = await launchBrowser();
  });

  after(async () => {
    // A test that failed midway leaves no caller behind (sipp would wait for its BYE up to its timeout).
    if (callerChannel !== undefined) await hangUpChannel(callerChannel).catch(() => undefined);
    await desktop?.signOutAll().catch(() => undefined);
    await context?.close().catch(() => undefined);
    await browser?.close();
    await agentEvents(agentId, ['AgentLogout']).catch(() => undefined);
    await bus.stop();
    await fs.rm(work, { recursive: true, force: true });
  });

  it('holds the caller while the page reloads and gives the call back on "Take call back"', async () => {
    context = await newContext(browser!);
    await trackPeerConnections(context);
    desktop = await Desktop.open(context);
    const page = desktop.page;
    const why = () => `\npage log:\n${desktop?.log.tail()}`;
    await desktop.signIn('1001', await demoPassword());
    await desktop.chooseDevice('softphone');
    await desktop.softphoneRegistered();
    await desktop.goReady();

    const capture = new LoopbackCapture(work, [CALLER]);
    await capture.start();
    const number = freshNumber();
    const caller = await videoCaller({
      dir: path.join(work, 'caller'),
      service: '100',
      number,
      name: 'Reload Caller',
      sipPort: CALLER.sip,
      mediaPort: CALLER.audio,
      timeoutSec: 100,
    });
    let callerEnded = false;
    void caller.done.then(() => (callerEnded = true));
    const { contactId, channelId } = await bus.delivered(number);
    callerChannel = channelId;
    await desktop.pop.getByRole('button', { name: STRINGS.accept, exact: true }).waitFor({ timeout: 20_000 });
    await desktop.click(desktop.pop, STRINGS.accept);
    await bus.message(contactId, 'Established', 15_000);
    await framesRise(page, 'framesDecoded', { by: 10, within: 10_000 });

    // Reload: the page's softphone leg is gone, the caller is held.
    const reloadAt = Date.now();
    await page.reload();
    const takeBack = desktop.pop.getByRole('button', { name: STRINGS.takeBack, exact: true });
    await takeBack.waitFor({ timeout: 20_000 }).catch((e: Error) => {
      throw new Error(e.message + why());
    });
    expect(await desktop.pop.getByText(STRINGS.takeBackHint).isVisible()).to.equal(true);
    await desktop.softphoneRegistered();
    await new Promise((r) => setTimeout(r, 2000)); // two seconds of hold media, measured below
    const takeBackAt = Date.now();
    expect(callerEnded, 'caller still in the call after the reload').to.equal(false);
    expect(await channelExists(channelId), "caller's channel in Asterisk after the reload").to.equal(true);
    expect(bus.types(contactId), 'no ConnectionCleared after the reload').to.not.include('ConnectionCleared');

    await takeBack.click();
    await bus.message(contactId, 'AgentReconnected', 15_000);
    await desktop.waitPhase(STRINGS.phase_talking);
    // The call is back: the page receives the caller's audio again (its newest peer connection's
    // counters), and its video (checked last, so that a failure there does not hide the rest).
    const audioFrom = await audioPacketsReceived(page);
    await new Promise((r) => setTimeout(r, 3000));
    const audioBack = (await audioPacketsReceived(page)) - audioFrom;
    const back = await framesRise(page, 'framesDecoded', { by: 20, within: 7000 }).catch((e: Error) => e);
    console.log(
      `      after take-back: audio packets in 3 s ${audioBack}; video ${String(back instanceof Error ? back.message : JSON.stringify(back))}`,
    );

    await desktop.click(desktop.controls, STRINGS.hangUp);
    const run = await caller.done;
    const [counts] = await capture.counts();
    console.log(`      ${summary('caller', counts!)}`);
    expect(run.code, `caller sipp: ${run.stdout.slice(-800)}`).to.equal(0);
    const cleared = await bus.message(contactId, 'ConnectionCleared', 10_000);
    expect(cleared.atMs, 'cleared only after the agent hung up').to.be.greaterThan(takeBackAt);
    // From a second after the reload to the take-back the caller got hold media: at least half of PCMU's 50/s.
    const heldMs = takeBackAt - (reloadAt + 1000);
    const audioHeld = inWindow(counts!.received.audio, reloadAt + 1000, takeBackAt);
    console.log(`      hold media at the caller: ${audioHeld} audio packets in ${heldMs} ms`);
    expect(audioHeld).to.be.at.least(Math.floor((25 * heldMs) / 1000));

    await desktop.waitState(STRINGS.state_wrap_up);
    await desktop.click(desktop.afterCall, STRINGS.readyNow);
    await desktop.waitState(STRINGS.state_ready);
    expect(audioBack, "caller's audio at the page in 3 s after take-back (PCMU 50/s)").to.be.at.least(75);
    if (back instanceof Error) throw new Error(`video after take-back: ${back.message}${why()}`);
    expect(back.to.framesDecoded - back.from.framesDecoded).to.be.at.least(20);
  });
});
