import type { Browser, BrowserContext, Page } from 'playwright-core';
import { STRINGS } from '../../../agent-ui/src/strings';
import { agentEvents, agentIdOf } from '../../support/agents';
import {
  PageLog,
  asUrl,
  demoPassword,
  framesRise,
  launchBrowser,
  mediaStats,
  newContext,
  screenshot,
  videoSendStats,
} from '../../support/browser';
import { expect } from '../../support/chai';
import { Desktop } from '../../support/desktop';
import { CallBus, logOutAgents } from '../../support/desktop-call';
import { offerTimings, stampOffers } from '../../support/screen-pop-timing';
import { requireSystem } from '../../support/servers';

/**
 * The customer's web video call (/call/100) from a second browser context, with no account: "Video call"
 * takes a guest token from the AS and calls over SIP/WebSocket with it; the IVR's menu is answered with 1
 * on the page's keypad; agent 1001, Ready on the desktop in the first context, accepts; each page decodes
 * the other's video (each page's own getStats), and the customer hangs up with the page's button.
 */
describe("customer web call: a browser customer reaches an agent's desktop, video both ways", function () {
  this.timeout(150_000);
  const bus = new CallBus();
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  let desktop: Desktop | undefined;
  let agentId = '';

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await bus.start();
    agentId = await agentIdOf('1001');
    await logOutAgents(['1001', '1002', '1003', '1004']);
    browser = await launchBrowser();
  });

  after(async () => {
    await desktop?.signOutAll().catch(() => undefined);
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await agentEvents(agentId, ['AgentLogout']).catch(() => undefined);
    await bus.stop();
  });

  // Two causes of stalls were found and fixed. First transport-cc (see the pacing check below). Then
  // the switch from the IVR's prompt to the agent's video, both VP8 when the guest endpoint took
  // Chromium's codec order (measured again 2026-12-07: 4 runs, VP8 during the IVR and after the
  // answer): Asterisk forwards the agent's frames on the prompt's SSRC with the agent's own RTP
  // timestamps (`rtp set debug on`: 105118 -> 3842793567) and its own VP8 picture ids, both random
  // against the prompt's. Chromium's frame buffer drops a frame whose id is not newer than the last
  // decoded one, unless it is a keyframe with a newer timestamp: the page received packets but
  // decoded nothing (3 of 18 runs, all among the 6 that had decoded the prompt). With H.264 first on
  // the guest endpoint (pjsip_ipcc.conf) prompt and agent video are both H.264, whose frame ids come
  // from the sequence numbers Asterisk writes: 20 of 20 runs passed on 2026-12-07, each after
  // decoding 14-38 prompt frames.
  it('both pages decode video; the customer presses 1 on the page and hangs up with its button', async () => {
    const agentContext = await newContext(browser!);
    contexts.push(agentContext);
    await stampOffers(agentContext);
    desktop = await Desktop.open(agentContext);
    await desktop.signIn('1001', await demoPassword());
    await desktop.chooseDevice('softphone');
    await desktop.softphoneRegistered();
    await desktop.goReady();

    const customerContext = await newContext(browser!);
    contexts.push(customerContext);
    const customer: Page = await customerContext.newPage();
    const customerLog = new PageLog(customer, 'customer');
    const why = () => `\n${customerLog.tail()}\n${desktop?.log.tail()}`;
    await customer.goto(`${asUrl()}/call/100`);
    expect(await customer.getByRole('heading', { level: 1 }).textContent()).to.equal(STRINGS.callTitle);
    await customer.getByRole('button', { name: STRINGS.startCall, exact: true }).click();
    const status = customer.getByRole('status');
    await status
      .getByText(STRINGS.inCall, { exact: true })
      .waitFor({ timeout: 15_000 })
      .catch((e: Error) => {
        throw new Error(e.message + why());
      });
    // What the customer's page decodes of the IVR's welcome video is reported, not asserted (the
    // issue asks for the agent's video).
    await new Promise((r) => setTimeout(r, 2000));
    console.log(`      customer page during the IVR: ${JSON.stringify(await inboundVideo(customer))}`);
    await customer
      .getByRole('group', { name: STRINGS.dtmfHeading })
      .getByRole('button', { name: '1', exact: true })
      .click();

    // The offer reaches the desktop: a video contact from the web.
    await desktop.pop.getByRole('button', { name: STRINGS.accept, exact: true }).waitFor({ timeout: 20_000 });
    const offers = await offerTimings(desktop.page);
    expect(offers, 'offers the desktop received').to.have.length(1);
    const contactId = offers[0]!.contactId;
    const divert = await bus.message(contactId, 'DivertCall');
    expect(divert.body.endpoint).to.equal('PJSIP/webrtc1001');
    expect(await desktop.pop.locator('.media-badge').textContent()).to.equal(STRINGS.mediaVideo);
    await desktop.click(desktop.pop, STRINGS.accept);
    await bus.message(contactId, 'Established', 15_000);
    await desktop.waitPhase(STRINGS.phase_talking);

    const agentSees = await framesRise(desktop.page, 'framesDecoded', { by: 20, within: 10_000 }).catch(
      (e: Error) => {
        throw new Error(e.message + why());
      },
    );
    const customerSees = await framesRise(customer, 'framesDecoded', { by: 20, within: 10_000 }).catch(
      async (e: Error) => {
        throw new Error(`${e.message} ${JSON.stringify(await inboundVideo(customer))}`);
      },
    );
    console.log(
      `      frames decoded: agent page ${JSON.stringify(agentSees)}; customer page ${JSON.stringify(customerSees)}`,
    );
    const agentReceives = await inboundVideo(desktop.page);
    const customerReceives = await inboundVideo(customer);
    console.log(
      `      received: agent page ${JSON.stringify(agentReceives)}; customer page ${JSON.stringify(customerReceives)}`,
    );
    // One codec from the IVR's prompt to the agent (asterisk/snippets/pjsip_ipcc.conf, [guest]).
    expect(customerReceives.codec, "the customer page's video codec").to.equal('video/H264');
    expect(agentReceives.codec, "the agent page's video codec").to.equal('video/H264');
    expect(agentSees.to.framesDecoded - agentSees.from.framesDecoded).to.be.at.least(20);
    expect(customerSees.to.framesDecoded - customerSees.from.framesDecoded).to.be.at.least(20);

    // The customer's video leaves its page at once and the agent's page keeps up with it. With
    // transport-cc negotiated through Asterisk (agent-ui/src/domain/sdp.ts) the customer's pacer held
    // each packet 0.9 s on average, at Chromium's 30 kbit/s floor, and the agent decoded 66-72 % of
    // the frames sent; the decoding then stalled in 2 of 4 CI runs.
    const sent0 = await videoSendStats(customer);
    const seen0 = await mediaStats(desktop.page);
    await new Promise((r) => setTimeout(r, 5000));
    const sent1 = await videoSendStats(customer);
    const seen1 = await mediaStats(desktop.page);
    const packets = sent1.packetsSent - sent0.packetsSent;
    const delayPerPacket = (sent1.totalPacketSendDelay - sent0.totalPacketSendDelay) / packets;
    const framesSent = sent1.framesSent - sent0.framesSent;
    const framesDecoded = seen1.framesDecoded - seen0.framesDecoded;
    console.log(
      `      over 5 s: customer sent ${framesSent} frames in ${packets} packets, ` +
        `pacer delay ${(delayPerPacket * 1000).toFixed(1)} ms a packet; agent page decoded ${framesDecoded}`,
    );
    expect(packets, 'video packets the customer page sent in 5 s').to.be.at.least(framesSent);
    expect(delayPerPacket, 'seconds a video packet waited in the customer page').to.be.below(0.1);
    expect(framesDecoded, 'frames the agent page decoded of those sent').to.be.at.least(0.9 * framesSent);
    await screenshot(customer, 'customer-call');

    // The customer hangs up: the call is cleared, the page says so, the agent is in wrap-up.
    await customer.getByRole('button', { name: STRINGS.hangUp, exact: true }).click();
    const cleared = await bus.message(contactId, 'ConnectionCleared', 10_000);
    await status.getByText(STRINGS.callEnded, { exact: true }).waitFor({ timeout: 10_000 });
    await desktop.waitState(STRINGS.state_wrap_up);
    console.log(`      cleared: ${JSON.stringify(cleared.body.releasedBy ?? cleared.body.reason ?? '')}`);
    await desktop.click(desktop.afterCall, STRINGS.readyNow);
    await desktop.waitState(STRINGS.state_ready);
  });
});

/** The page's incoming video: its codec and what arrived, was assembled and decoded (`__ipcc.videoStats`). */
async function inboundVideo(page: Page): Promise<Record<string, unknown>> {
  return page.evaluate(async () => {
    const hook = (window as unknown as { __ipcc?: { videoStats?: () => Promise<Record<string, unknown>[]> } })
      .__ipcc;
    const all = (await hook?.videoStats?.()) ?? [];
    const s = all.find((x) => x.type === 'inbound-rtp') ?? {};
    const pick = [
      'codec',
      'packetsReceived',
      'framesReceived',
      'framesDecoded',
      'keyFramesDecoded',
      'pliCount',
    ];
    return Object.fromEntries(pick.map((k) => [k, s[k]]));
  });
}
