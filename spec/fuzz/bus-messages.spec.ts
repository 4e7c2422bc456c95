import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import amqplib, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import fc from 'fast-check';
import { z } from 'zod';
import { DEAD_LETTER_QUEUE, EXCHANGES, REASON_HEADER, queues } from '../../lib/bus/topology';
import { Message } from '../../lib/messages';
import { BusObserver, eventually } from '../support/bus-observer';
import { expect } from '../support/chai';
import { amqpUrl, requireSystem } from '../support/servers';
import { sipp } from '../support/sipp';
import {
  LONG,
  deepJson,
  fromSchema,
  hostileJsonValue,
  malformedJson,
  mutate,
  params,
  runs,
  timeoutFor,
  type JsonSchema,
} from './support/fuzz';

/**
 * Hostile RabbitMQ messages against the real consumers: for every message schema, invalid variants
 * (missing fields, wrong types, extra keys, huge payloads, non-JSON) published where CTI, SoftACD and the
 * IVR read. Each must land in cc.dead-letter with its reason, the consumers must keep consuming, and a
 * real call must still complete. Valid messages about unknown contacts and agents must crash nothing.
 */
const PER_TYPE = runs(50);
const BATCH = 25;
const ROOT = path.resolve(__dirname, '..', '..');
const RUN_DIR = process.env.IPCC_RUN ?? path.join(ROOT, '.run');
const FUZZ_HEADER = 'x-fuzz-id';

const options = (Message as unknown as { options: Array<z.ZodType> }).options;
const typeOf = (schema: z.ZodType) =>
  ((z.toJSONSchema(schema) as JsonSchema).properties?.type?.const as string | undefined) ?? 'unknown';

interface Target {
  exchange: string;
  routingKey: (type: string) => string;
}

/** One message to publish; printed short in a counterexample (fast-check's toStringMethod). */
class Item {
  constructor(
    readonly body: Buffer,
    readonly target: Target,
    readonly type: string,
  ) {}
  [fc.toStringMethod](): string {
    const text = this.body.toString('utf8');
    const shown = text.length > 300 ? `${text.slice(0, 300)}…(${this.body.length} bytes)` : text;
    return `${this.target.exchange}/${this.target.routingKey(this.type)} ${JSON.stringify(shown)}`;
  }
}
const eventKey = (type: string) => (type.startsWith('Agent') ? `agent.${type}` : `call.${type}`);
const TARGETS: Target[] = [
  { exchange: EXCHANGES.events, routingKey: eventKey },
  { exchange: EXCHANGES.commands, routingKey: () => 'softacd.softacd-1' },
  { exchange: EXCHANGES.commands, routingKey: () => 'ivr.ivr-1' },
  { exchange: EXCHANGES.commands, routingKey: () => 'ivr.handover' },
];

/**
 * Invalid for every consumer. A bare `null` body is left out: other suites' BusObserver (spec/support)
 * reads `body.type` of whatever crosses cc.events, and would trip over it while running at the same time.
 */
function isInvalid(bytes: Buffer): boolean {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    return true;
  }
  return raw !== null && !Message.safeParse(raw).success;
}

/** cc.dead-letter has no consumer and keeps every dead letter: huge payloads are capped in total. */
let hugeBudget = Number(process.env.FUZZ_HUGE_BUDGET_BYTES ?? 48 * 1024 * 1024);
function huge(n: number): number {
  if (hugeBudget <= 0) return 20_000;
  hugeBudget -= n;
  return n;
}

function validArb(schema: z.ZodType): fc.Arbitrary<Record<string, unknown>> {
  const json = z.toJSONSchema(schema) as JsonSchema;
  return fromSchema(json, () => ({}))
    .map((v) => v as Record<string, unknown>)
    .filter((v) => schema.safeParse(v).success);
}

function invalidArb(schema: z.ZodType): fc.Arbitrary<Buffer> {
  const valid = validArb(schema);
  const json = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'undefined');
  return fc
    .oneof(
      { weight: 6, arbitrary: valid.chain(mutate).map(json) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(valid, fc.constantFrom('id', 'contactId', 'source', 'at', 'v', 'type'))
          .map(([v, k]) => {
            const copy = { ...v };
            delete copy[k];
            return json(copy);
          }),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            valid,
            fc.constantFrom(
              { v: 2 },
              { v: '1' },
              { at: 'yesterday' },
              { id: 'not-a-uuid' },
              { contactId: '' },
            ),
          )
          .map(([v, o]) => json({ ...v, ...o })),
      },
      {
        weight: 1,
        arbitrary: valid.map((v) => json({ ...v, __proto__: { polluted: true }, constructor: 1 })),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(valid, fc.integer({ min: 20_000, max: 1_000_000 }), fc.boolean())
          .map(([v, n, extra]) =>
            json(extra ? { ...v, padding: 'x'.repeat(huge(n)) } : { ...v, contactId: 'c'.repeat(huge(n)) }),
          ),
      },
      { weight: 1, arbitrary: malformedJson.map((s) => Buffer.from(s)) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)) },
      { weight: 1, arbitrary: deepJson.map((s) => Buffer.from(s)) },
      { weight: 1, arbitrary: hostileJsonValue.map(json) },
    )
    .filter(isInvalid);
}

/** A valid message about contacts, agents and queues nobody knows (never a real queue or called number). */
function unknownArb(schema: z.ZodType): fc.Arbitrary<Record<string, unknown>> {
  return validArb(schema)
    .map((v) => {
      const m: Record<string, unknown> = { ...v, contactId: `fuzz-${randomUUID()}` };
      if ('agentId' in m) m.agentId = `fuzz-agent-${randomUUID()}`;
      if ('queueId' in m) m.queueId = `fuzz-queue-${randomUUID()}`;
      if ('channelId' in m) m.channelId = `fuzz-chan-${randomUUID()}`;
      if ('calledNumber' in m) m.calledNumber = '100';
      if ('endpoint' in m) m.endpoint = 'PJSIP/fuzz-nobody';
      const to = m.deliveredTo as { agentId?: string } | undefined;
      if (to?.agentId) m.deliveredTo = { ...to, agentId: `fuzz-agent-${randomUUID()}` };
      return m;
    })
    .filter((m) => Message.safeParse(m).success);
}

function logSizes(): Record<string, number> {
  const dir = path.join(RUN_DIR, 'logs');
  const out: Record<string, number> = {};
  for (const f of ['cti.log', 'softacd.log', 'ivr.log']) {
    try {
      out[f] = statSync(path.join(dir, f)).size;
    } catch {
      out[f] = 0;
    }
  }
  return out;
}

function newLogLines(since: Record<string, number>): string[] {
  const lines: string[] = [];
  for (const [f, offset] of Object.entries(since)) {
    const text = readFileSync(path.join(RUN_DIR, 'logs', f))
      .subarray(offset)
      .toString('utf8');
    lines.push(
      ...text
        .split('\n')
        .filter((l) => /unhandled|uncaught/i.test(l))
        .map((l) => `${f}: ${l.slice(0, 400)}`),
    );
  }
  return lines;
}

function pidsAlive(): string[] {
  const dead: string[] = [];
  for (const f of readdirSync(path.join(RUN_DIR, 'pids'))) {
    const pid = Number(readFileSync(path.join(RUN_DIR, 'pids', f), 'utf8').trim());
    try {
      process.kill(pid, 0);
    } catch {
      dead.push(`${f} (${pid})`);
    }
  }
  return dead;
}

describe('fuzz: every RabbitMQ message type against the real consumers', function () {
  this.timeout(120_000);
  let conn: ChannelModel | undefined;
  let ch: ConfirmChannel;
  const waiting = new Map<string, (reason: string) => void>();
  const reasons = new Map<string, string>();
  let logsAtStart: Record<string, number> = {};
  const types = options.map((s) => ({ schema: s, type: typeOf(s) }));

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    logsAtStart = logSizes();
    conn = await amqplib.connect(amqpUrl());
    ch = await conn.createConfirmChannel();
    const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true });
    await ch.bindQueue(queue, EXCHANGES.deadLetter, '#');
    await ch.consume(
      queue,
      (m) => {
        const id = m?.properties.headers?.[FUZZ_HEADER] as string | undefined;
        if (m === null || id === undefined) return;
        const h = m.properties.headers ?? {};
        const reason =
          h[REASON_HEADER] === undefined
            ? `NO ${REASON_HEADER}; headers ${JSON.stringify({ ...h, [FUZZ_HEADER]: undefined }).slice(0, 600)}`
            : String(h[REASON_HEADER]);
        reasons.set(id, reason);
        waiting.get(id)?.(reason);
      },
      { noAck: true },
    );
  });
  after(async () => {
    await conn?.close();
  });

  /** Publishes each body with a marker header and resolves once all are seen in the dead-letter copy. */
  async function publishAndAwaitDead(
    items: Array<{ body: Buffer; target: Target; type: string }>,
  ): Promise<void> {
    const seen = items.map(({ body, target, type }) => {
      const id = randomUUID();
      const arrived = new Promise<string>((resolve, reject) => {
        if (reasons.has(id)) resolve(reasons.get(id) as string);
        waiting.set(id, resolve);
        setTimeout(
          () =>
            reject(
              new Error(
                `not dead-lettered within 15 s: ${target.exchange} ${target.routingKey(type)} ${body.toString('utf8').slice(0, 300)}`,
              ),
            ),
          15_000,
        ).unref();
      });
      ch.publish(target.exchange, target.routingKey(type), body, { headers: { [FUZZ_HEADER]: id } });
      return arrived.then((reason) => {
        waiting.delete(id);
        reasons.delete(id);
        expect(reason, `dead letter without a reason: ${body.toString('utf8').slice(0, 200)}`).to.not.equal(
          '',
        );
      });
    });
    await ch.waitForConfirms();
    await Promise.all(seen);
  }

  for (const { schema, type } of types) {
    it(`${type}: ${PER_TYPE} invalid variants each dead-lettered with ${REASON_HEADER}`, async function () {
      this.timeout(timeoutFor(PER_TYPE, LONG ? 12 : 60));
      const item = fc
        .record({ body: invalidArb(schema), target: fc.constantFrom(...TARGETS) })
        .map((x) => ({ ...x, type }));
      await fc.assert(
        fc.asyncProperty(fc.array(item, { minLength: BATCH, maxLength: BATCH }), publishAndAwaitDead),
        params(Math.ceil(PER_TYPE / BATCH)),
      );
    });
  }

  it(`valid messages about unknown contacts and agents (${PER_TYPE} per type) crash nothing`, async function () {
    this.timeout(timeoutFor(PER_TYPE * types.length, LONG ? 5 : 20));
    const item = fc.oneof(
      ...types.map(({ schema, type }) =>
        fc
          .tuple(unknownArb(schema), fc.constantFrom(...TARGETS))
          .map(([body, target]) => new Item(Buffer.from(JSON.stringify(body)), target, type)),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        for (const { body, target, type } of batch) {
          const key =
            target.exchange === EXCHANGES.events && type.startsWith('Task')
              ? `task.${type}`
              : target.routingKey(type);
          const exchange =
            type.startsWith('Task') && target.exchange === EXCHANGES.events
              ? EXCHANGES.tasks
              : target.exchange;
          ch.publish(exchange, key, body, {
            headers: { [FUZZ_HEADER]: randomUUID() },
          });
        }
        await ch.waitForConfirms();
      }),
      params(Math.ceil((PER_TYPE * types.length) / BATCH)),
    );
    // Let the consumers work through them before judging.
    await eventually(
      'consumer queues drained',
      async () => {
        const counts = await Promise.all(
          [queues.cti, queues.softacd('softacd-1'), queues.ivr('ivr-1')].map((q) => ch.checkQueue(q)),
        );
        return counts.every((c) => c.messageCount === 0);
      },
      60_000,
    );
    // Refusals of valid messages by a handler are allowed (dead-lettered with the reason); show them.
    await new Promise((r) => setTimeout(r, 500));
    const refused = [...reasons.values()].filter(
      (r) => r.startsWith('handler failed') && !/does not handle/.test(r),
    );
    const kinds = [...new Set(refused.map((r) => r.replace(/[0-9a-f-]{36}/g, '<id>').slice(0, 160)))];
    if (kinds.length > 0)
      console.log(`      ${refused.length} valid messages refused by a handler:`, kinds.slice(0, 8));
    reasons.clear();
  });

  it('afterwards: consumers still consuming, processes alive, no unhandled line in their logs', async () => {
    for (const q of [queues.cti, queues.softacd('softacd-1'), queues.ivr('ivr-1')]) {
      const info = await ch.checkQueue(q);
      expect(info.consumerCount, `${q} consumers`).to.be.greaterThan(0);
    }
    const dlq = await ch.checkQueue(DEAD_LETTER_QUEUE);
    expect(dlq.messageCount).to.be.greaterThan(0);
    expect(pidsAlive(), 'dead processes').to.deep.equal([]);
    expect(newLogLines(logsAtStart), 'unhandled lines in the logs').to.deep.equal([]);
  });

  it('afterwards: a real call still completes (sipp to 100, CallDelivered to ConnectionCleared)', async function () {
    this.timeout(60_000);
    const bus = new BusObserver();
    await bus.start([EXCHANGES.events]);
    try {
      const caller = `1555${Math.floor(Math.random() * 1e7)}`.padEnd(11, '0');
      const run = await sipp('uac-audio.xml', {
        service: '100',
        localPort: 5590,
        holdMs: 1500,
        vars: { caller, caller_name: 'After fuzz' },
      });
      expect(run.code, `sipp failed:\n${run.stdout.slice(-1500)}\n${run.stderr}`).to.equal(0);
      const delivered = await eventually('CallDelivered', () =>
        bus.seen.find((s) => s.body?.type === 'CallDelivered' && s.body.callingNumber === caller),
      );
      await eventually('ConnectionCleared', () =>
        bus.seen.some(
          (s) => s.body?.contactId === delivered.body.contactId && s.body.type === 'ConnectionCleared',
        ),
      );
    } finally {
      await bus.stop();
    }
  });
});
