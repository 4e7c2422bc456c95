import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import amqplib, { type ChannelModel } from 'amqplib';
import { EXCHANGES, queues, routingKeys } from '../../../lib/bus/topology';
import { makeMessage } from '../../../lib/messages';
import { eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { amqpUrl, requireSystem } from '../../support/servers';

const root = path.resolve(__dirname, '..', '..', '..');
const run = process.env.IPCC_RUN ?? path.join(root, '.run');
/** Sent as the producers would: the AS's SendReply, ISAG's tasks. */
const fromAs = { service: 'as' as const, instance: 'shared-queues-spec' };
const fromIsag = { service: 'isag' as const, instance: 'shared-queues-spec' };

function sh(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', args, { cwd: root, timeout: 180_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

async function restart(name: 'as' | 'isag' | 'cti'): Promise<void> {
  await sh('scripts/services.sh', 'stop', name);
  await sh('scripts/services.sh', 'start', name);
  await sh('scripts/wait-ready.sh', name);
}

/** A service's JSON log lines since `since` naming `text` in their message. */
async function logLines(name: string, since: number, text: string): Promise<Array<Record<string, unknown>>> {
  const lines = (await readFile(path.join(run, 'logs', `${name}.log`), 'utf8')).split('\n');
  return lines.flatMap((l) => {
    try {
      const j = JSON.parse(l) as Record<string, unknown>;
      return Date.parse(String(j.timestamp)) >= since && String(j.message).includes(text) ? [j] : [];
    } catch {
      return [];
    }
  });
}

/**
 * A topic exchange drops a message that no queue is bound for, and the publisher's confirm comes all the
 * same: the outbox would mark it sent, and it would be lost. So the producer declares its consumer's
 * queue too (lib/bus/topology.ts `sharedQueues`). Here the consumer is stopped and its queue deleted, as
 * on a system where it never ran; the producer alone is restarted; a message published then must wait
 * in the queue and reach the consumer once it starts.
 */
describe('shared queues: what a producer sends before its consumer ever ran is kept (issue 14)', function () {
  this.timeout(300_000);
  let conn: ChannelModel;

  before(async () => {
    await requireSystem(['rabbitmq', 'docstore']);
    conn = await amqplib.connect(amqpUrl());
  });

  after(async () => {
    // Whatever happened above, every service runs again for the next spec.
    await sh('scripts/services.sh', 'start');
    await sh('scripts/wait-ready.sh');
    await conn.close();
  });

  /** Message count of a queue, or `missing` (a failed check closes its channel: one channel each). */
  async function depth(queue: string): Promise<number | 'missing'> {
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    try {
      return (await ch.checkQueue(queue)).messageCount;
    } catch {
      return 'missing';
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  /** Published mandatory with a confirm: answers whether the broker returned it as unroutable. */
  async function publish(exchange: string, routingKey: string, body: object): Promise<'routed' | 'returned'> {
    const ch = await conn.createConfirmChannel();
    let returned = false;
    ch.on('return', () => {
      returned = true;
    });
    try {
      await new Promise<void>((resolve, reject) =>
        ch.publish(exchange, routingKey, Buffer.from(JSON.stringify(body)), { mandatory: true }, (err) =>
          err ? reject(new Error(`publish not confirmed: ${String(err)}`)) : resolve(),
        ),
      );
      return returned ? 'returned' : 'routed'; // the return precedes the confirm
    } finally {
      await ch.close();
    }
  }

  /** The consumer stopped and its queue removed, as on a system where it never ran. */
  async function neverRan(service: 'isag' | 'cti', queue: string): Promise<void> {
    await sh('scripts/services.sh', 'stop', service);
    const ch = await conn.createChannel();
    await ch.deleteQueue(queue, { ifEmpty: true }); // a message left in it would fail this step
    await ch.close();
    expect(await depth(queue)).to.equal('missing');
  }

  it("the AS declares ISAG's reply queue: a SendReply sent before ISAG ran reaches ISAG", async () => {
    await neverRan('isag', queues.isagReplies);
    await restart('as');
    expect(await depth(queues.isagReplies), 'cc.isag.replies after the AS started').to.equal(0);

    const command = makeMessage<'SendReply'>(fromAs, {
      type: 'SendReply',
      contactId: randomUUID(),
      messageId: `<shared-queues-${randomUUID()}@ipcc.test>`,
    });
    expect(await publish(EXCHANGES.commands, routingKeys.isagReply, command)).to.equal('routed');
    expect(await depth(queues.isagReplies)).to.equal(1);

    const since = Date.now();
    await sh('scripts/services.sh', 'start', 'isag');
    await sh('scripts/wait-ready.sh', 'isag');
    await eventually(
      'cc.isag.replies drained by ISAG',
      async () => (await depth(queues.isagReplies)) === 0,
      30_000,
    );
    // ISAG took this very command: the message it names does not exist, so it sends nothing.
    const seen = await eventually(
      'ISAG logging the command',
      async () => {
        const lines = await logLines('isag', since, 'reply: no such message');
        return lines.some((l) => l.messageId === command.messageId) ? lines : undefined;
      },
      10_000,
    );
    expect(seen.filter((l) => l.messageId === command.messageId)).to.have.length(1);
  });

  it("ISAG declares CTI's task queue: a task announced before CTI ran reaches CTI", async () => {
    await neverRan('cti', queues.ctiTasks);
    await restart('isag');
    expect(await depth(queues.ctiTasks), 'cc.cti-tasks after ISAG started').to.equal(0);

    // Bound for both kinds ISAG publishes. An unknown interaction: CTI notes it and changes nothing.
    const contactId = randomUUID();
    const updated = makeMessage<'TaskUpdated'>(fromIsag, {
      type: 'TaskUpdated',
      contactId,
      messageId: 'm-1',
    });
    expect(await publish(EXCHANGES.tasks, routingKeys.taskUpdated, updated)).to.equal('routed');
    const created = makeMessage<'TaskCreated'>(fromIsag, {
      type: 'TaskCreated',
      contactId,
      channel: 'email',
      from: 'nobody@customer.test',
      to: 'nobody@ipcc.local',
      queueId: 'no-such-queue',
      messageId: 'm-0',
    });
    expect(await publish(EXCHANGES.tasks, routingKeys.taskCreated, created)).to.equal('routed');
    expect(await depth(queues.ctiTasks)).to.equal(2);

    const since = Date.now();
    await sh('scripts/services.sh', 'start', 'cti');
    await sh('scripts/wait-ready.sh', 'cti');
    await eventually('cc.cti-tasks drained by CTI', async () => (await depth(queues.ctiTasks)) === 0, 30_000);
    const ignored = await eventually(
      'CTI taking the TaskCreated (no interaction: ignored)',
      async () => {
        const lines = await logLines('cti', since, 'TaskCreated ignored');
        return lines.some((l) => l.contactId === contactId) ? lines : undefined;
      },
      10_000,
    );
    expect(ignored.filter((l) => l.contactId === contactId).map((l) => l.why)).to.deep.equal([
      'no interaction',
    ]);
  });
});
