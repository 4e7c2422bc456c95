import amqplib from 'amqplib';
import { MongoClient } from 'mongodb';
import { DEAD_LETTER_QUEUE, EXCHANGES, REASON_HEADER, queues } from '../../lib/bus/topology';
import { AriObserver, leftInAsterisk } from '../support/ari';
import { expect } from '../support/chai';
import { BusObserver, eventually } from '../support/bus-observer';
import { amqpUrl, mongoUri, requireSystem } from '../support/servers';
import { sipp } from '../support/sipp';

/**
 * The walking skeleton on real parts: sipp calls Asterisk, Stasis(softacd) reports the call over
 * RabbitMQ, CTI routes it to the IVR, the IVR answers and plays a prompt, the caller hangs up.
 */
describe('walking skeleton: a call from sipp through SoftACD, CTI and the IVR', function () {
  this.timeout(60_000);
  const bus = new BusObserver();
  const asterisk = new AriObserver();

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
    await asterisk.start();
  });
  after(async () => {
    asterisk.stop();
    await bus.stop();
  });

  it('reports, routes, plays the prompt, clears the connection and leaves Asterisk clean', async () => {
    const caller = `1555${Math.floor(Math.random() * 1e7)}`.padEnd(11, '0');
    const run = await sipp('uac-audio.xml', {
      service: '100',
      localPort: 5071,
      holdMs: 3000,
      vars: { caller, caller_name: 'Skeleton Test' },
    });
    expect(run.code, `sipp failed:\n${run.stdout.slice(-1500)}\n${run.stderr}`).to.equal(0);

    const delivered = await eventually('CallDelivered for the caller', () =>
      bus.seen.find((s) => s.body.type === 'CallDelivered' && s.body.callingNumber === caller),
    );
    const contactId = delivered.body.contactId as string;
    const channelId = delivered.body.channelId as string;
    await eventually('ConnectionCleared', () =>
      bus.forContact(contactId).some((s) => s.body.type === 'ConnectionCleared'),
    );
    await new Promise((r) => setTimeout(r, 300)); // anything published late (a duplicate) would show up now

    const seen = bus.forContact(contactId);
    const label = (s: (typeof seen)[number]) => {
      const to = s.body.deliveredTo as { kind: string } | undefined;
      return to ? `${String(s.body.type)}(${to.kind})` : String(s.body.type);
    };
    const labels = seen.map(label);
    expect([...labels].sort()).to.deep.equal(
      [
        'CallDelivered(acd)',
        'RouteRequest',
        'RouteSelect',
        'RouteEnd',
        'CallDelivered(ivr)',
        'ConnectionCleared',
      ].sort(),
    );
    // SoftACD and the IVR publish independently; causal order is what must hold.
    const at = (l: string) => labels.indexOf(l);
    expect(at('CallDelivered(acd)')).to.be.lessThan(at('RouteRequest'));
    expect(at('RouteRequest')).to.be.lessThan(at('RouteSelect'));
    expect(at('RouteSelect')).to.be.lessThan(at('RouteEnd'));
    expect(at('RouteSelect')).to.be.lessThan(at('CallDelivered(ivr)'));
    expect(labels[labels.length - 1]).to.equal('ConnectionCleared');

    const select = seen.find((s) => s.body.type === 'RouteSelect');
    expect(select?.exchange).to.equal(EXCHANGES.commands);
    expect(select?.body.destination).to.deep.equal({ kind: 'ivr' });
    expect(delivered.body).to.include({ calledNumber: '100', media: 'audio', callingName: 'Skeleton Test' });
    const cleared = seen.find((s) => s.body.type === 'ConnectionCleared');
    expect(cleared?.body).to.include({ releasedBy: 'caller', stage: 'ivr' });

    // Asterisk itself says the prompt was played on the caller's channel.
    const playbacks = asterisk.forChannel(channelId).filter((e) => e.type.startsWith('Playback'));
    expect(playbacks.map((e) => e.type)).to.include.members(['PlaybackStarted', 'PlaybackFinished']);
    expect(playbacks[0]?.playback?.media_uri).to.equal('sound:ipcc/welcome');
    // The IVR, not SoftACD, answered (S211): the channel went Up after the move.
    const up = asterisk
      .forChannel(channelId)
      .find((e) => e.type === 'ChannelStateChange' && (e.channel as { state?: string }).state === 'Up');
    expect(up, 'channel answered').to.not.equal(undefined);

    // The contact's history was stored with its timeline.
    const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    try {
      const interactions = mongo
        .db()
        .collection<{ _id: string; state: string; timeline: Array<{ type: string }> }>('interactions');
      const doc = await eventually('interaction stored as cleared', async () => {
        const d = await interactions.findOne({ _id: contactId });
        return d?.state === 'cleared' ? d : undefined;
      });
      expect(doc.timeline.map((t) => t.type)).to.include.members([
        'CallDelivered',
        'RouteRequest',
        'RouteSelect',
        'RouteEnd',
        'ConnectionCleared',
      ]);
    } finally {
      await mongo.close();
    }

    const left = await leftInAsterisk();
    expect(left.channels, 'channels left in Asterisk').to.deep.equal([]);
    expect(left.bridges, 'bridges left in Asterisk').to.deep.equal([]);
  });

  it('dead-letters a malformed message with its reason and keeps serving', async () => {
    const conn = await amqplib.connect(amqpUrl());
    try {
      const ch = await conn.createConfirmChannel();
      const { queue } = await ch.assertQueue('', { exclusive: true });
      await ch.bindQueue(queue, EXCHANGES.deadLetter, '#');
      const marker = `malformed-${Date.now()}`;
      ch.publish(
        EXCHANGES.events,
        'call.CallDelivered',
        Buffer.from(JSON.stringify({ type: 'CallDelivered', contactId: marker })),
      );
      ch.publish(EXCHANGES.events, 'call.Garbage', Buffer.from(`{not json ${marker}`));
      await ch.waitForConfirms();
      const dead: Array<{ reason: string; body: string }> = [];
      await ch.consume(
        queue,
        (m) => {
          if (m)
            dead.push({ reason: String(m.properties.headers?.[REASON_HEADER]), body: m.content.toString() });
        },
        { noAck: true },
      );
      await eventually(
        'both messages dead-lettered',
        () => dead.filter((d) => d.body.includes(marker)).length === 2,
      );
      const mine = dead.filter((d) => d.body.includes(marker));
      expect(mine.map((d) => d.reason).join('\n'))
        .to.match(/not JSON/)
        .and.to.match(/id|source|at/);
      const dlq = await ch.checkQueue(DEAD_LETTER_QUEUE);
      expect(dlq.messageCount).to.be.greaterThan(0);
      const cti = await ch.checkQueue(queues.cti);
      expect(cti.consumerCount, 'CTI still consuming').to.be.greaterThan(0);
    } finally {
      await conn.close();
    }
    // And a real call still goes through after the bad input.
    const run = await sipp('uac-audio.xml', {
      service: '100',
      localPort: 5072,
      holdMs: 1500,
      vars: { caller: '15550000002', caller_name: 'After DLQ' },
    });
    expect(run.code).to.equal(0);
    await eventually('call after bad input cleared', () =>
      bus.seen.some(
        (s) =>
          s.body.type === 'ConnectionCleared' &&
          bus.forContact(String(s.body.contactId)).some((x) => x.body.callingNumber === '15550000002'),
      ),
    );
  });
});
