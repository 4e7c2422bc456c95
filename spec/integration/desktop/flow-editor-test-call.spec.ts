import type { Browser, Page } from 'playwright-core';
import { EXCHANGES } from '../../../lib/bus/topology';
import { STRINGS } from '../../../agent-ui/src/strings';
import { agentIdOf } from '../../support/agents';
import { ari } from '../../support/ari';
import {
  asUrl,
  audioPacketsReceived,
  launchBrowser,
  newContext,
  PageLog,
  screenshot,
  trackPeerConnections,
} from '../../support/browser';
import { consoleSignIn } from '../../support/console';
import { asAdmin } from '../../support/as-api';
import { BusObserver, eventually, type Seen } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { requireSystem } from '../../support/servers';
import { ivrLogLines, sippIvr } from '../ivr/fixture';

/** The test's called number: no other suite uses it (the flow editor's own test has 7150). */
const NUMBER = '7152';
const FLOW_NAME = `Test call ${NUMBER}`;
/** The administrator's browser softphone (the demo admin gets it for this test, and loses it after). */
const ENDPOINT = 'PJSIP/webrtc-admin';

interface FlowRow {
  id: string;
  calledNumber: string;
  publishedVersion?: number;
  nodes: { id: string; prompt?: string }[];
  draft?: { nodes: { id: string; prompt?: string }[] };
}

async function removeTestFlow(): Promise<void> {
  const flows = (await asAdmin('GET', '/ivr-flows')) as FlowRow[];
  for (const f of flows.filter((x) => x.calledNumber === NUMBER))
    await asAdmin('DELETE', `/ivr-flows/${f.id}`);
}

/**
 * The flow editor's "Test call" on the running system: the administrator changes the draft of a
 * published flow (the play node's prompt), clicks Test call, the console's browser softphone rings and
 * answers by itself, and the real IVR plays the draft's prompt to it (the IVR's log for that contact,
 * and RTP counted in the page), while a sipp caller of the same number at the same time gets the
 * published prompt. Then the draft is discarded with its confirm step.
 * sipp ports 5626 (signalling), 5628 (media).
 */
describe('console IVR flow editor: a test call runs the draft, callers keep the published flow', function () {
  this.timeout(180_000);
  let browser: Browser | undefined;
  let page: Page;
  let log: PageLog | undefined;
  let adminId = '';
  let hadEndpoints: { sip?: string; webrtc?: string } | undefined;
  let flowId = '';
  const bus = new BusObserver();
  /** When the observer received each message (ms since the epoch). */
  const times = new Map<Seen, number>();
  const arrived = (s: Seen): number => times.get(s) ?? NaN;

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await removeTestFlow();
    adminId = await agentIdOf('admin');
    const admin = (await asAdmin('GET', `/agents/${adminId}`)) as {
      endpoints?: { sip?: string; webrtc?: string };
    };
    hadEndpoints = admin.endpoints;
    if (admin.endpoints?.webrtc !== ENDPOINT) {
      await asAdmin('PATCH', `/agents/${adminId}`, { endpoints: { ...admin.endpoints, webrtc: ENDPOINT } });
    }
    // SoftACD writes the endpoint into Asterisk from the AS's change event (live, no restart).
    await eventually(
      'the admin softphone endpoint in Asterisk',
      () =>
        ari.get(`/endpoints/${ENDPOINT}`).then(
          () => true,
          () => false,
        ),
      20_000,
    );
    const created = (await asAdmin('POST', '/ivr-flows', {
      name: FLOW_NAME,
      calledNumber: NUMBER,
      media: 'audio',
      entry: 'play1',
      nodes: [
        { id: 'play1', type: 'play', prompt: 'welcome', next: 'bye' },
        { id: 'bye', type: 'hangup' },
      ],
    })) as { id: string; publishedVersion: number };
    flowId = created.id;
    expect(created.publishedVersion).to.equal(1);
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
    const push = bus.seen.push.bind(bus.seen);
    bus.seen.push = (...items: Seen[]) => {
      for (const s of items) times.set(s, Date.now());
      return push(...items);
    };
    browser = await launchBrowser({ video: false });
  });

  after(async () => {
    await browser?.close();
    await bus.stop();
    await removeTestFlow().catch((err: unknown) => console.log(`cleanup: ${String(err)}`));
    if (hadEndpoints?.webrtc !== ENDPOINT) {
      await asAdmin('PATCH', `/agents/${adminId}`, { endpoints: { ...(hadEndpoints ?? {}) } }).catch(
        (err: unknown) => console.log(`cleanup: ${String(err)}`),
      );
    }
  });

  const fail = (err: unknown): never => {
    throw new Error(`${(err as Error).message}\n${log?.tail() ?? ''}`);
  };
  const button = (name: string) => page.getByRole('button', { name, exact: true });
  const side = () => page.getByRole('complementary', { name: STRINGS.flowSidePanel });
  const status = () => page.getByRole('status');

  it("rings the admin's softphone into the draft (its prompt heard) while a caller gets the published prompt", async () => {
    const context = await newContext(browser!);
    await trackPeerConnections(context);
    page = await context.newPage();
    log = new PageLog(page, 'console');
    await page.setViewportSize({ width: 1600, height: 960 });
    await page.goto(`${asUrl()}/agent/console.html#/flows/${flowId}`);
    await consoleSignIn(page, 'admin');
    await page.getByRole('heading', { name: FLOW_NAME }).waitFor({ timeout: 15_000 }).catch(fail);
    await page
      .getByText(STRINGS.flowTestPhoneReady, { exact: true })
      .waitFor({ timeout: 15_000 })
      .catch(fail);

    // The draft: the play node's prompt becomes "menu" (live: "welcome").
    await side()
      .getByRole('button', { name: STRINGS.flowNodeOption(STRINGS.flowNodePlay, 'play1') })
      .click();
    await side().getByLabel(STRINGS.flowFieldPrompt, { exact: true }).selectOption('menu');

    const clicked = Date.now();
    await button(STRINGS.flowTestCall).click();
    // A caller of the same number at the same time.
    const caller = `1555${String(Date.now()).slice(-6)}`;
    const run = sippIvr('ivr-wait-bye.xml', {
      service: NUMBER,
      localPort: 5626,
      mediaPort: 5628,
      vars: { caller, caller_name: 'Published Caller' },
    });
    // "Rings", or already "in progress" when the softphone answered before the page heard back.
    await eventually(
      'the test call in the status line',
      async () => {
        const text = await status().textContent();
        return text === STRINGS.flowTestRinging || text === STRINGS.flowTestInCall;
      },
      10_000,
    ).catch(fail);
    const command = await eventually(
      'FlowTestCall to SoftACD',
      () => bus.seen.find((s) => s.body.type === 'FlowTestCall' && s.body.calledNumber === NUMBER),
      10_000,
    );
    const testContact = String(command.body.contactId);
    expect(command.body.endpoint).to.equal(ENDPOINT);
    const delivered = await eventually(
      'the test call delivered to the IVR',
      () =>
        bus
          .forContact(testContact)
          .find(
            (s) =>
              s.body.type === 'CallDelivered' &&
              (s.body.deliveredTo as { kind?: string } | undefined)?.kind === 'ivr',
          ),
      20_000,
    );
    expect(delivered.body.calledNumber).to.equal(NUMBER);
    await status().getByText(STRINGS.flowTestInCall).waitFor({ timeout: 10_000 }).catch(fail);

    const draftPlaying = await eventually(
      "the IVR playing the draft's prompt to the test call",
      async () =>
        (await ivrLogLines<{ media: string[]; timestamp: string }>(testContact, 'prompt playing'))[0],
      15_000,
    );
    expect(draftPlaying.media).to.deep.equal(['sound:ipcc/menu']);
    const loaded = (await ivrLogLines<{ flow: string; draft?: boolean }>(testContact, 'IVR flow loaded'))[0];
    expect([loaded?.flow, loaded?.draft]).to.deep.equal([`${FLOW_NAME} (draft)`, true]);
    // RTP of the prompt (9 s long) reaches the page's softphone: counted over 2 s (50 packets a second).
    await eventually(
      'audio packets at the console softphone',
      async () => (await audioPacketsReceived(page)) > 0,
      10_000,
    ).catch(fail);
    const before = await audioPacketsReceived(page);
    await new Promise((r) => setTimeout(r, 2000));
    const packets = (await audioPacketsReceived(page)) - before;
    expect(packets, 'audio packets in 2 s').to.be.at.least(80);
    await screenshot(page, 'flow-editor-test-call');

    // The sipp caller of the same number, meanwhile: the published prompt.
    const callerDelivered = await bus.deliveredToIvr(caller);
    const callerContact = String(callerDelivered.body.contactId);
    const publishedPlaying = await eventually(
      'the IVR playing the published prompt to the caller',
      async () => (await ivrLogLines<{ media: string[] }>(callerContact, 'prompt playing'))[0],
      15_000,
    );
    expect(publishedPlaying.media).to.deep.equal(['sound:ipcc/welcome']);
    const result = await run;
    expect(result.code, `sipp failed:\n${result.stdout.slice(-1500)}\n${result.stderr}`).to.equal(0);

    // The live flow is still version 1 with "welcome"; the draft holds "menu".
    const flow = (await asAdmin('GET', `/ivr-flows/${flowId}`)) as FlowRow;
    expect([flow.publishedVersion, flow.nodes[0]?.prompt, flow.draft?.nodes[0]?.prompt]).to.deep.equal([
      1,
      'welcome',
      'menu',
    ]);
    // The test call ends with the draft (its hang-up node): the page's phone is idle again.
    await status().getByText(STRINGS.flowTestEnded).waitFor({ timeout: 20_000 }).catch(fail);
    await button(STRINGS.flowTestCall).waitFor({ timeout: 5000 }).catch(fail);
    console.log(
      `      test call: FlowTestCall on the bus ${arrived(command) - clicked} ms after the click, ` +
        `delivered to the IVR ${arrived(delivered) - clicked} ms, the draft's prompt playing ` +
        `${Date.parse(draftPlaying.timestamp) - clicked} ms (IVR log time); ${packets} audio packets at the page in 2 s`,
    );
  });

  it('discards the draft after a confirm step: the editor and the AS are back to the live version', async () => {
    await button(STRINGS.flowDiscardDraft).click();
    const confirm = page.getByRole('group', { name: STRINGS.flowDiscardConfirmGroup });
    await confirm.getByText(STRINGS.flowDiscardConfirm(1)).waitFor();
    await confirm.getByRole('button', { name: STRINGS.flowDiscardNo, exact: true }).click();
    await confirm.waitFor({ state: 'detached', timeout: 5000 });
    expect(((await asAdmin('GET', `/ivr-flows/${flowId}`)) as FlowRow).draft).to.not.equal(undefined);

    await button(STRINGS.flowDiscardDraft).click();
    await confirm.getByRole('button', { name: STRINGS.flowDiscardYes, exact: true }).click();
    await status().getByText(STRINGS.flowDiscarded(1)).waitFor({ timeout: 10_000 }).catch(fail);
    expect(((await asAdmin('GET', `/ivr-flows/${flowId}`)) as FlowRow).draft).to.equal(undefined);
    await side()
      .getByRole('button', { name: STRINGS.flowNodeOption(STRINGS.flowNodePlay, 'play1') })
      .click();
    expect(await side().getByLabel(STRINGS.flowFieldPrompt, { exact: true }).inputValue()).to.equal(
      'welcome',
    );
    await button(STRINGS.flowDiscardDraft).waitFor({ state: 'detached', timeout: 5000 });
  });
});
