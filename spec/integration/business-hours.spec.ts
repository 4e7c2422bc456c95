import { EXCHANGES } from '../../lib/bus/topology';
import type { FlowNode } from '../../lib/flow/flow';
import { type AriEvent, AriObserver, ari } from '../support/ari';
import { AsApi } from '../support/as-api';
import { demoPassword } from '../support/browser';
import { BusObserver, type Seen, eventually } from '../support/bus-observer';
import { expect } from '../support/chai';
import { requireSystem } from '../support/servers';
import { ariRequest, ensurePrompt, mediaOf, sippIvr, upsertFlow } from './ivr/fixture';

/**
 * Business hours on real parts (docs/business-hours.md): schedules are written through the AS's REST
 * API while everything runs (no restart), sipp calls Asterisk, SoftACD and CTI route the call to the IVR,
 * and what happened is read from RabbitMQ (CTI's QueueStatus names the queue a caller waits in, CTI's
 * QueueClosed the closed action) and from Asterisk (an ARI observer: prompts played, hang-up cause).
 */
const DAY = 'bh-day';
const NIGHT = 'bh-night';
const SCHEDULE = 'bh-test';
const FLOW_SCHEDULE = 'bh-flow';
/** Flow: straight to queue bh-day. */
const QUEUE_NUMBER = '7301';
/** Flow: an hours branch on bh-flow; open to bh-day, closed to a prompt and hang-up. */
const BRANCH_NUMBER = '7302';
/** Flow: straight to bh-day; the number itself is gated by bh-number. */
const GATED_NUMBER = '7303';
const NUMBER_SCHEDULE = 'bh-number';

const ALL_WEEK = (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const).map((day) => ({
  day,
  open: '00:00',
  close: '00:00',
}));

/** Closed right now, whatever the time: no weekly hours and today (UTC) a holiday. */
function closedNow(
  closedAction: Record<string, string>,
  queues: string[],
  name = SCHEDULE,
  numbers: string[] = [],
) {
  return {
    name,
    timeZone: 'UTC',
    weekly: ALL_WEEK,
    holidays: [{ date: new Date().toISOString().slice(0, 10), name: 'Test closing day' }],
    closedAction,
    queues,
    numbers,
  };
}
function openNow(closedAction: Record<string, string>, queues: string[], name = SCHEDULE) {
  return { ...closedNow(closedAction, queues, name), holidays: [] };
}

describe('Business hours: closed-hours actions in routing and the flow branch (sipp)', function () {
  this.timeout(120_000);
  const bus = new BusObserver();
  const asterisk = new AriObserver();
  let admin: AsApi;
  let n = 20;

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    admin = await AsApi.signIn('admin', await demoPassword());
    await ensurePrompt('agent-unavailable');
    await ensurePrompt('hello');
    for (const name of [DAY, NIGHT]) {
      const r = await admin.request('POST', '/api/v1/queues', { name, queueTimeoutSec: 600 });
      expect([201, 409]).to.include(r.status);
    }
    await removeSchedules();
    await upsertFlow(QUEUE_NUMBER, 'q', [{ id: 'q', type: 'queue', queue: DAY }]);
    await upsertFlow(GATED_NUMBER, 'q', [{ id: 'q', type: 'queue', queue: DAY }]);
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
    await asterisk.start();
  });
  after(async () => {
    asterisk.stop();
    await bus.stop();
    await removeSchedules();
  });

  async function removeSchedules() {
    // The branch flow names bh-flow: it goes first, then the schedules (a used schedule is kept: 409).
    await upsertFlow(BRANCH_NUMBER, 'bye', [{ id: 'bye', type: 'hangup' }]);
    for (const name of [SCHEDULE, FLOW_SCHEDULE, NUMBER_SCHEDULE]) {
      const r = await admin.request('DELETE', `/api/v1/business-hours/${name}`);
      expect([204, 404]).to.include(r.status);
    }
  }

  async function putSchedule(body: ReturnType<typeof closedNow>): Promise<void> {
    const exists = await admin.request('GET', `/api/v1/business-hours/${body.name}`);
    const r =
      exists.status === 200
        ? await admin.request('PUT', `/api/v1/business-hours/${body.name}`, body)
        : await admin.request('POST', '/api/v1/business-hours', body);
    expect(r.status, JSON.stringify(r.body)).to.equal(exists.status === 200 ? 200 : 201);
    // The change reaches CTI and the IVR as an event (outbox); it is applied to the next call.
    await eventually(
      `ConfigChanged hours ${body.name}`,
      () =>
        bus.seen.find(
          (s) =>
            s.body.type === 'ConfigChanged' &&
            s.body.entity === 'hours' &&
            s.body.entityId === body.name &&
            new Date(String(s.body.at)).getTime() >= Date.now() - 5_000,
        ),
      5_000,
    );
    await new Promise((r) => setTimeout(r, 300));
  }

  function call(scenario: string, service: string, holdMs: number) {
    n += 1;
    const number = `1666${String(Date.now()).slice(-6)}${n}`;
    const run = sippIvr(scenario, {
      service,
      localPort: 5100 + n,
      mediaPort: 5140 + 2 * n,
      holdMs,
      vars: { caller: number, caller_name: 'Hours Test' },
    });
    return { number, run };
  }

  async function delivered(callingNumber: string): Promise<{ contactId: string; channelId: string }> {
    const seen = await bus.deliveredToIvr(callingNumber);
    return { contactId: String(seen.body.contactId), channelId: String(seen.body.channelId) };
  }

  const ofContact = (contactId: string, type: string): Seen | undefined =>
    bus.forContact(contactId).find((s) => s.body.type === type);
  const channelEvents = (channelId: string): AriEvent[] => asterisk.forChannel(channelId);
  const sippOk = (r: { code: number; stdout: string; stderr: string }) =>
    expect(r.code, `sipp failed:\n${r.stdout.slice(-1500)}\n${r.stderr}`).to.equal(0);

  it('a queue closed now sends the caller to its closed-hours queue; opened again, the next call queues normally', async () => {
    await putSchedule(closedNow({ kind: 'queue', queue: NIGHT }, [DAY]));
    const first = call('uac-audio.xml', QUEUE_NUMBER, 4000);
    const a = await delivered(first.number);
    const status = await eventually('QueueStatus for the first caller', () =>
      ofContact(a.contactId, 'QueueStatus'),
    );
    expect(ofContact(a.contactId, 'AgentRequest')?.body).to.include({ queueId: DAY });
    expect(status.body).to.include({ queueId: NIGHT, position: 1 });
    sippOk(await first.run);

    const history = await eventually('the closed queue on the timeline', async () => {
      const i = await admin.interaction(a.contactId);
      const timeline = (i.timeline ?? []) as Array<{ type: string; data?: Record<string, unknown> }>;
      return timeline.find((e) => e.type === 'QueueClosed');
    });
    expect(history.data).to.deep.equal({ queueId: DAY, schedule: SCHEDULE, action: 'queue' });

    await putSchedule(openNow({ kind: 'queue', queue: NIGHT }, [DAY]));
    const second = call('uac-audio.xml', QUEUE_NUMBER, 4000);
    const b = await delivered(second.number);
    const again = await eventually('QueueStatus for the second caller', () =>
      ofContact(b.contactId, 'QueueStatus'),
    );
    expect(again.body).to.include({ queueId: DAY, position: 1 });
    sippOk(await second.run);
  });

  it('closed with a prompt: CTI sends QueueClosed, the IVR plays it and hangs up (cause 16)', async () => {
    await putSchedule(closedNow({ kind: 'prompt', prompt: 'agent-unavailable' }, [DAY]));
    const { number, run } = call('ivr-wait-bye.xml', QUEUE_NUMBER, 0);
    const { contactId, channelId } = await delivered(number);
    const closed = await eventually('QueueClosed', () => ofContact(contactId, 'QueueClosed'));
    expect(closed.routingKey).to.match(/^ivr\./);
    expect(closed.body).to.include({
      queueId: DAY,
      schedule: SCHEDULE,
      action: 'prompt',
      prompt: 'agent-unavailable',
    });
    sippOk(await run); // the IVR hung up: sipp waited for Asterisk's BYE
    const destroyed = await eventually('channel destroyed', () =>
      channelEvents(channelId).find((e) => e.type === 'ChannelDestroyed'),
    );
    expect(mediaOf(channelEvents(channelId))).to.deep.equal([
      'sound:ipcc/queue-music',
      'sound:ipcc/agent-unavailable',
    ]);
    expect((destroyed as { cause?: number }).cause).to.equal(16);
    expect(ofContact(contactId, 'QueueStatus'), 'never queued').to.equal(undefined);
  });

  it('closed with voicemail: greeting, a recorded message, and the recording on the contact for the queue', async () => {
    await putSchedule(closedNow({ kind: 'voicemail', prompt: 'hello' }, [DAY]));
    const { number, run } = call('ivr-voicemail.xml', QUEUE_NUMBER, 3000);
    const { contactId, channelId } = await delivered(number);
    sippOk(await run);
    const name = `voicemail-${contactId}`;
    const stored = await eventually('RecordingStored from the IVR', () =>
      ofContact(contactId, 'RecordingStored'),
    );
    expect(stored.body).to.include({ kind: 'voicemail', name, format: 'wav', queueId: DAY });
    expect(Number(stored.body.durationSec)).to.be.within(1, 10);
    expect(mediaOf(channelEvents(channelId))).to.deep.equal(['sound:ipcc/queue-music', 'sound:ipcc/hello']);
    const file = await ari.get<{ name: string; format: string }>(`/recordings/stored/${name}`);
    expect(file).to.include({ name, format: 'wav' });
    const interaction = await eventually('the voicemail on the interaction', async () => {
      const i = await admin.interaction(contactId);
      return (i.recording as { name?: string } | undefined)?.name === name ? i : undefined;
    });
    expect(interaction.queueId).to.equal(DAY);
    expect(await ariRequest('DELETE', `/recordings/stored/${name}`)).to.equal(204);
  });

  it('voicemail: a caller who hangs up while recording still leaves the message on the contact', async () => {
    await putSchedule(closedNow({ kind: 'voicemail' }, [DAY]));
    // No greeting: the recording starts at once; the caller leaves about 2 s into it, before the 5 s of
    // silence that would end it from Asterisk's side.
    const { number, run } = call('uac-audio.xml', QUEUE_NUMBER, 2500);
    const { contactId } = await delivered(number);
    sippOk(await run);
    const name = `voicemail-${contactId}`;
    const stored = await eventually(
      'RecordingStored after the hang-up',
      () => ofContact(contactId, 'RecordingStored'),
      10_000,
    );
    expect(stored.body).to.include({ kind: 'voicemail', name, queueId: DAY });
    expect(await ariRequest('DELETE', `/recordings/stored/${name}`)).to.equal(204);
  });

  it("a flow's hours branch takes the closed edge while its schedule is closed", async () => {
    await putSchedule(closedNow({ kind: 'voicemail' }, [], FLOW_SCHEDULE));
    const nodes: FlowNode[] = [
      { id: 'when', type: 'hours', schedule: FLOW_SCHEDULE, open: 'q', closed: 'closed' },
      { id: 'q', type: 'queue', queue: DAY },
      { id: 'closed', type: 'hangup', prompt: 'agent-unavailable' },
    ];
    await upsertFlow(BRANCH_NUMBER, 'when', nodes);
    await eventually('the IVR told the flow changed', () =>
      bus.seen.find(
        (s) =>
          s.body.type === 'ConfigChanged' &&
          s.body.entity === 'ivrflow' &&
          new Date(String(s.body.at)).getTime() >= Date.now() - 3_000,
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    const { number, run } = call('ivr-wait-bye.xml', BRANCH_NUMBER, 0);
    const { contactId, channelId } = await delivered(number);
    sippOk(await run);
    await eventually('channel destroyed', () =>
      channelEvents(channelId).some((e) => e.type === 'ChannelDestroyed'),
    );
    expect(mediaOf(channelEvents(channelId))).to.deep.equal(['sound:ipcc/agent-unavailable']);
    expect(ofContact(contactId, 'AgentRequest'), 'the open edge was not taken').to.equal(undefined);
  });

  it("a called number closed now gets its schedule's action instead of its flow", async () => {
    await putSchedule(
      closedNow({ kind: 'prompt', prompt: 'agent-unavailable' }, [], NUMBER_SCHEDULE, [GATED_NUMBER]),
    );
    const { number, run } = call('ivr-wait-bye.xml', GATED_NUMBER, 0);
    const { contactId, channelId } = await delivered(number);
    sippOk(await run);
    await eventually('channel destroyed', () =>
      channelEvents(channelId).some((e) => e.type === 'ChannelDestroyed'),
    );
    expect(mediaOf(channelEvents(channelId))).to.deep.equal(['sound:ipcc/agent-unavailable']);
    expect(ofContact(contactId, 'AgentRequest'), "the number's flow did not run").to.equal(undefined);
  });
});
