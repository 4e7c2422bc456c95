import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import amqplib from 'amqplib';
import type { DeadLetter } from '../../../lib/bus/dead-letter-view';
import { DEAD_LETTER_QUEUE, EXCHANGES, REASON_HEADER } from '../../../lib/bus/topology';
import { InvalidMessage, parseMessage } from '../../../lib/messages';
import { eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { amqpUrl, requireSystem } from '../../support/servers';

const root = path.resolve(__dirname, '..', '..', '..');

/** `npm run dead-letters -- args`, as an operator runs it. */
function deadLetters(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['scripts/dead-letters.sh', ...args],
      // The queue keeps what every earlier run's fuzz suites refused (thousands): the listing's JSON runs past
      // execFile's default 1 MB, which killed the CLI mid-list and left its messages unacked for a while.
      { cwd: root, timeout: 60_000, maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) =>
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr }),
    );
  });
}

async function listed(): Promise<DeadLetter[]> {
  const r = await deadLetters(['list', '--json', '--limit', '10000']);
  expect(r.code, r.stderr).to.equal(0);
  return JSON.parse(r.stdout) as DeadLetter[];
}

/** The reason lib/bus gives a message that fails validation. */
function reasonFor(body: string): string {
  try {
    parseMessage(body);
  } catch (err) {
    if (err instanceof InvalidMessage) return err.reason;
  }
  throw new Error('the message was expected to be invalid');
}

/** Takes the spec's own dead letter out of the queue (the others go back), so runs do not pile up. */
async function removeDeadLetter(id: string): Promise<void> {
  const c = await amqplib.connect(amqpUrl());
  try {
    const ch = await c.createChannel();
    const { messageCount } = await ch.checkQueue(DEAD_LETTER_QUEUE);
    for (let i = 0; i < messageCount; i++) {
      const m = await ch.get(DEAD_LETTER_QUEUE, { noAck: false });
      if (m === false) break;
      if (m.content.toString().includes(id)) ch.ack(m);
    }
    // Closing the channel returns every message not acknowledged to the queue.
  } finally {
    await c.close();
  }
}

describe('dead letters: list and replay (scripts/dead-letters.ts)', function () {
  this.timeout(90_000);
  let connection: amqplib.ChannelModel;
  let ch: amqplib.ConfirmChannel;

  before(async () => {
    await requireSystem(['rabbitmq', 'cti']);
    connection = await amqplib.connect(amqpUrl());
    ch = await connection.createConfirmChannel();
    // The test system's dead-letter queue keeps what earlier runs' fuzz suites refused: thousands after a
    // few runs, enough to make a listing slow and its counts move while another reader holds some. The
    // spec starts from an empty queue so what it lists and counts is its own.
    await ch.purgeQueue(DEAD_LETTER_QUEUE);
  });
  after(() => connection?.close());

  it('lists a message CTI refused with its exact reason, and leaves the queue as it was', async () => {
    const id = randomUUID();
    const routingKey = `call.DeadLetterSpec${id.slice(0, 8)}`;
    const body = JSON.stringify({ id, type: 'CallDelivered', v: 1 });
    ch.publish(EXCHANGES.events, routingKey, Buffer.from(body), { persistent: true });
    await ch.waitForConfirms();
    const mine = await eventually(
      'the refused message in the dead-letter queue',
      async () => (await listed()).find((d) => d.id === id),
      20_000,
    );
    expect(mine).to.deep.include({
      id,
      type: 'CallDelivered',
      exchange: EXCHANGES.events,
      routingKey,
      reason: reasonFor(body),
      bytes: body.length,
    });
    const before = (await ch.checkQueue(DEAD_LETTER_QUEUE)).messageCount;
    await listed();
    expect((await ch.checkQueue(DEAD_LETTER_QUEUE)).messageCount, 'list takes nothing away').to.equal(before);
    await removeDeadLetter(id);
  });

  it('replays one dead letter to its original exchange and routing key, and only that one', async () => {
    // A queue of the test's own bound where the message first went, and a dead letter published the
    // way lib/bus/bus.ts publishes one (to cc.dlx, the reason and the exchange in headers).
    const id = randomUUID();
    const routingKey = `spec.replay.${id.slice(0, 8)}`; // no service consumes it
    const { queue } = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(queue, EXCHANGES.events, routingKey);
    const reason = `handler failed: spec ${id}`;
    const body = JSON.stringify({ id, type: 'CallCleared', at: '2026-12-07T03:00:00.000Z' });
    ch.publish(EXCHANGES.deadLetter, routingKey, Buffer.from(body), {
      persistent: true,
      headers: { [REASON_HEADER]: reason, 'x-ipcc-exchange': EXCHANGES.events, 'x-trace': 'kept' },
    });
    await ch.waitForConfirms();
    const mine = (await listed()).find((d) => d.id === id);
    expect(mine).to.deep.equal({
      id,
      type: 'CallCleared',
      exchange: EXCHANGES.events,
      routingKey,
      reason,
      time: '2026-12-07T03:00:00.000Z',
      bytes: body.length,
    });
    const dlqBefore = (await ch.checkQueue(DEAD_LETTER_QUEUE)).messageCount;

    const r = await deadLetters(['replay', id]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.include('1 dead letter(s) replayed');

    expect((await ch.checkQueue(queue)).messageCount, 'back in its queue').to.equal(1);
    expect((await ch.checkQueue(DEAD_LETTER_QUEUE)).messageCount, 'out of the dead-letter queue').to.equal(
      dlqBefore - 1,
    );
    const back = await ch.get(queue, { noAck: true });
    if (back === false) throw new Error('no message in the queue');
    expect(back.content.toString()).to.equal(body);
    expect(back.fields.exchange).to.equal(EXCHANGES.events);
    expect(back.properties.messageId).to.equal(id);
    expect(back.properties.headers).to.include({ 'x-trace': 'kept' });
    expect(back.properties.headers).to.not.have.property(REASON_HEADER);
    expect((await listed()).some((d) => d.id === id)).to.equal(false);
  });

  it('names an unknown id and replays nothing', async () => {
    const before = (await ch.checkQueue(DEAD_LETTER_QUEUE)).messageCount;
    const r = await deadLetters(['replay', 'no-such-id']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('no dead letter with id no-such-id');
    expect((await ch.checkQueue(DEAD_LETTER_QUEUE)).messageCount).to.equal(before);
  });
});
