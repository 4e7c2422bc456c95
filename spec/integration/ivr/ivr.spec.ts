import type { FlowNode } from '../../../lib/flow/flow';
import { EXCHANGES } from '../../../lib/bus/topology';
import { AriEvent, AriObserver, ari, asteriskIsClean } from '../../support/ari';
import { BusObserver, eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { requireSystem } from '../../support/servers';
import { speechName } from '../../../stasis-app/media/speech';
import {
  ariRequest,
  bargeDelays,
  eventTime,
  holdingApp,
  ensurePrompt,
  mediaOf,
  percentile,
  sendToIvr,
  publishEvent,
  sippIvr,
  upsertFlow,
} from './fixture';

/**
 * The IVR on real parts: sipp calls Asterisk, SoftACD and CTI route the call to the IVR, which runs the
 * flow the AS holds for the called number. What the IVR did is read from Asterisk (an ARI observer app
 * subscribed to everything) and from RabbitMQ, never from the IVR's own logs.
 */
const welcomeThenMenu = (menu: Extract<FlowNode, { type: 'menu' }>, more: FlowNode[]): FlowNode[] => [
  { id: 'welcome', type: 'play', prompt: 'welcome', next: menu.id },
  menu,
  ...more,
];
const menu = (
  prompt: string,
  choices: Array<{ key: string; next: string }>,
  extra: Partial<Extract<FlowNode, { type: 'menu' }>> = {},
): Extract<FlowNode, { type: 'menu' }> => ({
  id: 'main',
  type: 'menu',
  prompt,
  choices,
  timeoutSec: 5,
  maxRetries: 2,
  default: 'bye',
  ...extra,
});
const bye: FlowNode = { id: 'bye', type: 'hangup', prompt: 'goodbye' };

const FLOWS: Record<string, { entry: string; nodes: FlowNode[] }> = {
  // Nested menus: 1 goes from the main menu to the sub-menu and back, so every key interrupts a prompt.
  '7101': {
    entry: 'welcome',
    nodes: welcomeThenMenu(
      menu(
        'menu',
        ['1', '3', '5', '7', '9', '#'].map((key) => ({ key, next: 'sub' })),
      ),
      [
        {
          id: 'sub',
          type: 'menu',
          prompt: 'agent-unavailable',
          // Asterisk drops an RFC 2833 event whose RTP sequence is not newer than the last one, and each
          // pcap has fixed sequence numbers and timestamps: the keys are the pcaps in that order (0 comes
          // first by timestamp, last by sequence, so it is left out).
          choices: ['2', '4', '6', '8', '*'].map((key) => ({ key, next: 'main' })),
          timeoutSec: 5,
          maxRetries: 1,
          default: 'bye',
        },
        bye,
      ],
    ),
  },
  '7102': {
    entry: 'welcome',
    nodes: welcomeThenMenu(
      menu('hello', [{ key: '1', next: 'bye' }], {
        invalidPrompt: 'invalid',
        noInputPrompt: 'no-input',
        timeoutSec: 1,
        maxRetries: 2,
        default: 'bye',
      }),
      [bye],
    ),
  },
  '7103': {
    entry: 'welcome',
    nodes: welcomeThenMenu(menu('hello', [{ key: '9', next: 'balance' }], { timeoutSec: 10 }), [
      { id: 'balance', type: 'data', field: 'balance', next: 'main', notFound: 'bye' },
      bye,
    ]),
  },
  '7104': {
    entry: 'welcome',
    nodes: welcomeThenMenu(menu('hello', [{ key: '2', next: 'to-sales' }]), [
      { id: 'to-sales', type: 'queue', queue: 'sales' },
      bye,
    ]),
  },
};
/** A called number no flow is stored for. */
const NO_FLOW = '7199';
/** CTI routes this number straight to queue `sales` (CTI_DIRECT_QUEUES), so the IVR gets `queue,sales`. */
const DIRECT_QUEUE = '200';

describe('IVR: flows from the AS, barge-in, video prompts, data step, queueing', function () {
  this.timeout(120_000);
  const bus = new BusObserver();
  const asterisk = new AriObserver();
  let n = 0;

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await ensurePrompt('hello');
    await ensurePrompt('agent-unavailable');
    for (const [number, flow] of Object.entries(FLOWS)) await upsertFlow(number, flow.entry, flow.nodes);
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
    await asterisk.start();
  });
  after(async () => {
    asterisk.stop();
    await bus.stop();
  });

  /** One sipp call; each test gets its own SIP and RTP ports inside the IVR's ranges. */
  function call(scenario: string, service: string, holdMs: number, caller?: string) {
    n += 1;
    const number = caller ?? `1555${String(Date.now()).slice(-6)}${n}`;
    const run = sippIvr(scenario, {
      service,
      localPort: 5100 + n,
      mediaPort: 5140 + 4 * n,
      holdMs,
      vars: { caller: number, caller_name: 'IVR Test' },
    });
    return { number, run };
  }

  const channelEvents = (channelId: string): AriEvent[] => asterisk.forChannel(channelId);
  const played = (channelId: string) => mediaOf(channelEvents(channelId));

  /**
   * The call left nothing in Asterisk: no channel of this caller and no bridge holding its channel.
   * Scoped to the call because other suites place calls on the same Asterisk at the same time.
   */
  async function expectClean(channelId: string, callingNumber: string): Promise<void> {
    type Ch = { id: string; caller: { number: string } };
    type Br = { id: string; channels: string[] };
    const leftovers = async () => {
      const state = await asteriskIsClean();
      const channels = (state.channels as Ch[]).filter(
        (c) => c.id === channelId || c.caller.number === callingNumber,
      );
      const bridges = (state.bridges as Br[]).filter((b) => b.channels.includes(channelId));
      return { channels, bridges };
    };
    const left = await eventually(
      'Asterisk without the call',
      async () => {
        const l = await leftovers();
        return l.channels.length + l.bridges.length === 0 ? l : undefined;
      },
      5000,
    ).catch(() => leftovers());
    expect(left.channels, 'channels left in Asterisk').to.deep.equal([]);
    expect(left.bridges, 'bridges left in Asterisk').to.deep.equal([]);
  }

  const sippOk = (r: { code: number; stdout: string; stderr: string }) =>
    expect(r.code, `sipp failed:\n${r.stdout.slice(-1500)}\n${r.stderr}`).to.equal(0);

  it('plays the welcome prompt with video to a caller offering H.264; Asterisk sends video RTP to it', async () => {
    const { number, run } = call('ivr-video-caller.xml', '100', 4000);
    const delivered = await bus.deliveredToIvr(number);
    expect(delivered.body).to.include({ media: 'audio+video', calledNumber: '100' });
    const channelId = String(delivered.body.channelId);
    // From the H.264 directory: beside both .h264 and .vp8, Asterisk was seen sending VP8 to this caller.
    await eventually('welcome playing', () => played(channelId).includes('sound:ipcc/h264/welcome'));
    await new Promise((r) => setTimeout(r, 2500));
    // Asterisk's own RTP statistics for the caller's video stream, and where it sends it.
    const stats = await ari.get<{ value: string }>(
      `/channels/${channelId}/variable?variable=${encodeURIComponent('CHANNEL(rtcp,all,video)')}`,
    );
    const dest = await ari.get<{ value: string }>(
      `/channels/${channelId}/variable?variable=${encodeURIComponent('CHANNEL(rtp,dest,video)')}`,
    );
    const audio = await ari.get<{ value: string }>(
      `/channels/${channelId}/variable?variable=${encodeURIComponent('CHANNEL(rtcp,all,audio)')}`,
    );
    const txVideo = Number(/txcount=(\d+)/.exec(stats.value)?.[1] ?? 0);
    const txAudio = Number(/txcount=(\d+)/.exec(audio.value)?.[1] ?? 0);
    console.log(
      `      video: ${txVideo} RTP packets to ${dest.value}, audio: ${txAudio} packets, in the welcome`,
    );
    expect(dest.value, 'video goes to the caller video port').to.equal(`127.0.0.1:${5140 + 4 * n + 2}`);
    // 2.5 s of a 15 fps prompt is at least 37 frames; several packets per key frame.
    expect(txVideo, `video packets sent (${stats.value})`).to.be.greaterThan(30);
    expect(txAudio).to.be.greaterThan(100);
    sippOk(await run);
    const playbacks = channelEvents(channelId).filter((e) => e.type.startsWith('Playback'));
    expect(playbacks[0]?.playback?.media_uri).to.equal('sound:ipcc/h264/welcome');
    await expectClean(channelId, number); // hang-up during the welcome
  });

  it('barge-in: each key stops the playing prompt and starts the chosen menu (nested menus), delay measured', async () => {
    const { number, run } = call('ivr-barge.xml', '7101', 1000);
    const delivered = await bus.deliveredToIvr(number);
    const channelId = String(delivered.body.channelId);
    sippOk(await run);
    await eventually('channel destroyed', () =>
      channelEvents(channelId).some((e) => e.type === 'ChannelDestroyed'),
    );
    const events = channelEvents(channelId);
    const keys = events.filter((e) => e.type === 'ChannelDtmfReceived');
    expect(keys.map((k) => k.digit).join('')).to.equal('123456789*#');
    // welcome, then sub-menu and main menu alternating: each key went one level down or back up.
    const prompts = played(channelId);
    expect(prompts.slice(0, 5)).to.deep.equal([
      'sound:ipcc/welcome',
      'sound:ipcc/agent-unavailable',
      'sound:ipcc/menu',
      'sound:ipcc/agent-unavailable',
      'sound:ipcc/menu',
    ]);
    expect(prompts).to.have.length(12);
    // Each interrupted prompt finished (stopped) before its successor started.
    const finishedBeforeStart = events
      .filter((e) => e.type === 'PlaybackStarted' || e.type === 'PlaybackFinished')
      .map((e) => e.type);
    expect(finishedBeforeStart.slice(1, 7)).to.deep.equal([
      'PlaybackFinished',
      'PlaybackStarted',
      'PlaybackFinished',
      'PlaybackStarted',
      'PlaybackFinished',
      'PlaybackStarted',
    ]);
    const delays = bargeDelays(events);
    expect(delays).to.have.length(11);
    const p50 = percentile(delays, 50);
    const max = Math.max(...delays);
    console.log(
      `      barge-in DTMF -> new PlaybackStarted over ${delays.length} keys: p50 ${p50} ms, max ${max} ms`,
    );
    console.log(`      delays (ms): ${delays.join(', ')}`);
    expect(max, 'slowest barge-in').to.be.lessThan(300);
    await expectClean(channelId, number); // hang-up in a menu
  });

  it('invalid key then no input: retry prompts, then the default (goodbye) and the IVR hangs up', async () => {
    const { number, run } = call('ivr-retries.xml', '7102', 0);
    const delivered = await bus.deliveredToIvr(number);
    const channelId = String(delivered.body.channelId);
    sippOk(await run); // sipp succeeds only if Asterisk sent the BYE
    await eventually('channel destroyed', () =>
      channelEvents(channelId).some((e) => e.type === 'ChannelDestroyed'),
    );
    expect(played(channelId)).to.deep.equal([
      'sound:ipcc/welcome',
      'sound:ipcc/invalid', // the key 7 during the welcome, taken by the menu: not a choice
      'sound:ipcc/hello', // the menu again (retry 1)
      'sound:ipcc/no-input', // nothing within 1 s (retry 2)
      'sound:ipcc/hello',
      'sound:ipcc/goodbye', // nothing again: past maxRetries, the default node
    ]);
    const cleared = await eventually('ConnectionCleared', () =>
      bus.forContact(String(delivered.body.contactId)).find((s) => s.body.type === 'ConnectionCleared'),
    );
    expect(cleared.body).to.include({ stage: 'ivr' });
    await expectClean(channelId, number);
  });

  it("data step: speaks the seeded customer's balance with text-to-speech, then returns to the menu", async () => {
    // Alice Martin, demo customer with custom.balance 120.5.
    const { number, run } = call('ivr-data.xml', '7103', 5000, '+33199000001');
    const delivered = await bus.deliveredToIvr(number);
    const channelId = String(delivered.body.channelId);
    sippOk(await run);
    await eventually('channel destroyed', () =>
      channelEvents(channelId).some((e) => e.type === 'ChannelDestroyed'),
    );
    const prompts = played(channelId);
    expect(prompts[0]).to.equal('sound:ipcc/welcome');
    expect(prompts[1], 'the rendered speech').to.match(/^sound:ipcc\/tts-[0-9a-f]{16}$/);
    expect(prompts[2], 'back to the menu').to.equal('sound:ipcc/hello');
    const speech = channelEvents(channelId).find((e) => e.playback?.media_uri === prompts[1]);
    expect(speech?.type).to.equal('PlaybackStarted');
    // The speech was rendered for this value: the same text renders to the same cached name.
    expect(prompts[1]).to.equal(`sound:ipcc/${speechName('Your balance is 120.5.', 'en-us', 165, 0.2)}`);
    await expectClean(channelId, number);
  });

  it('a called number without a flow gets the default: welcome, goodbye, hang-up', async () => {
    const { number, run } = call('ivr-wait-bye.xml', NO_FLOW, 0);
    const delivered = await bus.deliveredToIvr(number);
    const channelId = String(delivered.body.channelId);
    sippOk(await run);
    await eventually('channel destroyed', () =>
      channelEvents(channelId).some((e) => e.type === 'ChannelDestroyed'),
    );
    expect(played(channelId)).to.deep.equal(['sound:ipcc/welcome', 'sound:ipcc/goodbye']);
    await expectClean(channelId, number);
  });

  it('a caller moved out of the IVR (an agent answered) is forgotten: no prompt or timer fires after StasisEnd', async () => {
    const hold = await holdingApp();
    try {
      const { number, run } = call('ivr-wait-bye.xml', '7102', 0);
      const delivered = await bus.deliveredToIvr(number);
      const channelId = String(delivered.body.channelId);
      const contactId = String(delivered.body.contactId);
      // The menu prompt is playing; its 1 s no-input timer starts when it ends.
      await eventually('menu prompt playing', () => played(channelId).includes('sound:ipcc/hello'));
      expect(await ariRequest('POST', `/channels/${channelId}/move?app=${hold.name}`)).to.equal(204);
      const movedAt = Date.now();
      const instance = (delivered.body.deliveredTo as { instance: string }).instance;
      await sendToIvr<'QueueStatus'>(instance, {
        type: 'QueueStatus',
        contactId,
        queueId: 'sales',
        position: 1,
        expectedWaitSec: 0,
      });
      // Without the StasisEnd clean-up the IVR would now play no-input (0.8 s prompt + 1 s timer).
      await new Promise((r) => setTimeout(r, 3500));
      const after = channelEvents(channelId).filter(
        (e) => e.type === 'PlaybackStarted' && eventTime(e) > movedAt,
      );
      expect(after.map((e) => e.playback?.media_uri)).to.deep.equal([]);
      expect(played(channelId)).to.deep.equal(['sound:ipcc/welcome', 'sound:ipcc/hello']);
      expect(bus.seen.filter((s) => s.exchange === 'cc.dlx' && s.body.contactId === contactId)).to.deep.equal(
        [],
      );
      await ariRequest('DELETE', `/channels/${channelId}`);
      sippOk(await run);
      await expectClean(channelId, number);
    } finally {
      hold.stop();
    }
  });

  it('transfer to a queue by key: AgentRequest to CTI, queue media looping, QueueStatus announced between loops', async () => {
    const { number, run } = call('ivr-queue-key.xml', '7104', 20_000);
    const delivered = await bus.deliveredToIvr(number);
    const contactId = String(delivered.body.contactId);
    const channelId = String(delivered.body.channelId);
    const request = await eventually('AgentRequest', () =>
      bus.forContact(contactId).find((s) => s.body.type === 'AgentRequest'),
    );
    expect(request.exchange).to.equal(EXCHANGES.events);
    expect(request.routingKey).to.equal('call.AgentRequest');
    expect(request.body).to.include({ queueId: 'sales' });
    expect(request.body.source).to.deep.include({ service: 'ivr' });
    await eventually('queue media playing', () => played(channelId).includes('sound:ipcc/queue-music'));
    const instance = (delivered.body.deliveredTo as { instance: string }).instance;
    await sendToIvr<'QueueStatus'>(instance, {
      type: 'QueueStatus',
      contactId,
      queueId: 'sales',
      position: 3,
      expectedWaitSec: 250,
    });
    // The music loop is 10 s; the announcement comes when it ends, then the music again.
    await eventually(
      'position and wait announced, then the music again',
      () => played(channelId).filter((m) => m === 'sound:ipcc/queue-music').length >= 2,
      15_000,
    );
    sippOk(await run);
    const prompts = played(channelId);
    const firstLoop = prompts.indexOf('sound:ipcc/queue-music');
    expect(prompts.slice(firstLoop + 1, firstLoop + 7)).to.deep.equal([
      'sound:ipcc/queue-position',
      'sound:ipcc/num-3',
      'sound:ipcc/wait-about',
      'sound:ipcc/num-4',
      'sound:ipcc/minutes',
      'sound:ipcc/queue-music',
    ]);
    await expectClean(channelId, number); // hang-up in the queue
  });

  async function queueTimeout(
    action: 'release' | 'callback' | 'voicemail',
    scenario: string,
    holdMs: number,
  ) {
    const { number, run } = call(scenario, DIRECT_QUEUE, holdMs);
    const delivered = await bus.deliveredToIvr(number);
    const contactId = String(delivered.body.contactId);
    const channelId = String(delivered.body.channelId);
    const request = await eventually('AgentRequest', () =>
      bus.forContact(contactId).find((s) => s.body.type === 'AgentRequest'),
    );
    expect(request.body).to.include({ queueId: 'sales' });
    await eventually('queue media playing', () => played(channelId).includes('sound:ipcc/queue-music'));
    const instance = (delivered.body.deliveredTo as { instance: string }).instance;
    await sendToIvr<'QueueTimeout'>(instance, { type: 'QueueTimeout', contactId, queueId: 'sales', action });
    sippOk(await run); // the IVR hung up: sipp waited for Asterisk's BYE
    await eventually('channel destroyed', () =>
      channelEvents(channelId).some((e) => e.type === 'ChannelDestroyed'),
    );
    return { contactId, channelId, number };
  }

  it('queue timeout, release: announces the timeout, says goodbye, hangs up', async () => {
    const { channelId, number } = await queueTimeout('release', 'ivr-wait-bye.xml', 0);
    expect(played(channelId)).to.deep.equal([
      'sound:ipcc/queue-music',
      'sound:ipcc/timeout',
      'sound:ipcc/goodbye',
    ]);
    await expectClean(channelId, number);
  });

  it('queue timeout, callback: announces, publishes CallbackRequested with the caller number, confirms, hangs up', async () => {
    const { channelId, contactId, number } = await queueTimeout('callback', 'ivr-wait-bye.xml', 0);
    expect(played(channelId)).to.deep.equal([
      'sound:ipcc/queue-music',
      'sound:ipcc/timeout',
      'sound:ipcc/callback-confirm',
    ]);
    const cb = bus.forContact(contactId).find((s) => s.body.type === 'CallbackRequested');
    expect(cb?.routingKey).to.equal('call.CallbackRequested');
    expect(cb?.body).to.include({ queueId: 'sales', number });
    await expectClean(channelId, number);
    // The callback waits in 'sales': withdrawn, or CTI would dial it to a sales agent of a later spec.
    await publishEvent<'CallbackCancelled'>(
      { service: 'ivr', instance: 'ivr-test' },
      { type: 'CallbackCancelled', contactId },
    );
  });

  it('queue timeout, voicemail: announces, records a message named after the contact, hangs up', async () => {
    const { channelId, contactId, number } = await queueTimeout('voicemail', 'ivr-voicemail.xml', 5500);
    expect(played(channelId)).to.deep.equal(['sound:ipcc/queue-music', 'sound:ipcc/timeout']);
    const name = `voicemail-${contactId}`;
    const recEvents = asterisk.events.filter(
      (e) => (e.recording as { name?: string } | undefined)?.name === name,
    );
    expect(recEvents.map((e) => e.type)).to.include.members(['RecordingStarted', 'RecordingFinished']);
    const stored = await ari.get<{ name: string; format: string }>(`/recordings/stored/${name}`);
    expect(stored).to.include({ name, format: 'wav' });
    await fetch(`${process.env.ARI_URL ?? 'http://127.0.0.1:8088'}/ari/recordings/stored/${name}`, {
      method: 'DELETE',
      headers: {
        authorization:
          'Basic ' + Buffer.from(`${process.env.ARI_USER}:${process.env.ARI_PASSWORD}`).toString('base64'),
      },
    });
    await expectClean(channelId, number);
  });
});
