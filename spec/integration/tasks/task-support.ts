import { randomUUID } from 'node:crypto';
import amqplib from 'amqplib';
import { MongoClient, type Db } from 'mongodb';
import { EXCHANGES, routingKeys } from '../../../lib/bus/topology';
import { makeMessage, type Draft } from '../../../lib/messages';
import { AgentClient } from '../../support/agent-client';
import { eventually } from '../../support/bus-observer';
import { amqpUrl, mongoUri } from '../../support/servers';

/** Resolves false after `ms` (a probe that waited and found nothing). */
export const sleep = (ms: number): Promise<false> => new Promise((r) => setTimeout(() => r(false), ms));

/**
 * What ISAG does for a new inbound message, for CTI's task routing tests: the interaction document
 * (state `received`) written first, then TaskCreated published on `cc.tasks` (docs/tasks.md).
 */
export class FakeIsagSide {
  private mongo?: MongoClient;
  db?: Db;
  readonly contacts: string[] = [];

  async start(): Promise<void> {
    this.mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    await this.mongo.connect();
    this.db = this.mongo.db();
  }

  async stop(): Promise<void> {
    await this.mongo?.close();
  }

  /** A new e-mail task of queue `email` (or the given one); answers its contact id. */
  async newTask(o: { queueId?: string; channel?: 'email' | 'sms' | 'fax'; subject?: string } = {}): Promise<{
    contactId: string;
    message: Draft<'TaskCreated'>;
  }> {
    const contactId = randomUUID();
    const channel = o.channel ?? 'email';
    const queueId = o.queueId ?? channel;
    const from = `customer-${contactId.slice(0, 8)}@customer.test`;
    const subject = o.subject ?? `Question ${contactId.slice(0, 8)}`;
    await this.interactions().insertOne({
      _id: contactId,
      channel,
      direction: 'inbound',
      from,
      to: 'support@ipcc.local',
      queueId,
      state: 'received',
      subject,
      createdAt: new Date(),
      timeline: [{ at: new Date(), type: 'Received', data: { channel } }],
    });
    this.contacts.push(contactId);
    const message: Draft<'TaskCreated'> = {
      type: 'TaskCreated',
      contactId,
      channel,
      from,
      to: 'support@ipcc.local',
      subject,
      queueId,
      messageId: randomUUID(),
    };
    await this.publish(message);
    return { contactId, message };
  }

  /** Publishes on `cc.tasks` as ISAG does (a duplicate: the same draft again, a new envelope id). */
  async publish(draft: Draft<'TaskCreated'> | Draft<'TaskUpdated'>): Promise<void> {
    const conn = await amqplib.connect(amqpUrl());
    try {
      const ch = await conn.createConfirmChannel();
      const key = draft.type === 'TaskCreated' ? routingKeys.taskCreated : routingKeys.taskUpdated;
      const body = makeMessage({ service: 'isag', instance: 'task-routing-spec' }, draft);
      ch.publish(EXCHANGES.tasks, key, Buffer.from(JSON.stringify(body)), { persistent: true });
      await ch.waitForConfirms();
    } finally {
      await conn.close();
    }
  }

  async interaction(contactId: string): Promise<Record<string, unknown> | null> {
    return this.interactions().findOne({ _id: contactId });
  }

  /** Resolves once the interaction's state is `state`, with the document. */
  async stateBecomes(contactId: string, state: string, ms = 8_000): Promise<Record<string, unknown>> {
    return eventually(
      `interaction ${contactId} ${state}`,
      async () => {
        const doc = await this.interaction(contactId);
        return doc?.state === state ? doc : undefined;
      },
      ms,
    );
  }

  private interactions() {
    if (this.db === undefined) throw new Error('start() first');
    return this.db.collection<{ _id: string } & Record<string, unknown>>('interactions');
  }
}

/** An agent's client on interface A for task tests: signed in, with helpers for its tasks. */
export class TaskAgent {
  client = new AgentClient();

  constructor(readonly agentId: string) {}

  async connect(): Promise<void> {
    if (this.client.closed !== undefined) this.client = new AgentClient();
    await this.client.connect();
    this.client.send({ type: 'auth', token: AgentClient.tokenFor(this.agentId) });
    await eventually('snapshot', () => this.client.of('snapshot')[0]);
  }

  send(message: unknown): void {
    this.client.send(message);
  }

  offers(contactId?: string) {
    return this.client.of('task-offer').filter((o) => contactId === undefined || o.contactId === contactId);
  }

  offerOf(contactId: string, ms = 8_000) {
    return eventually(`task-offer ${contactId} to ${this.agentId}`, () => this.offers(contactId)[0], ms);
  }

  ended(contactId: string, ms = 8_000) {
    return eventually(
      `task-ended ${contactId}`,
      () => this.client.of('task-ended').find((m) => m.contactId === contactId),
      ms,
    );
  }

  /** The agent's latest snapshot after asking for one. */
  async snapshot() {
    const before = this.client.of('snapshot').length;
    this.send({ type: 'status' });
    return eventually(
      `snapshot (connection ${JSON.stringify(this.client.closed ?? 'open')})`,
      () => this.client.of('snapshot')[before],
    );
  }

  /** Asks for a snapshot every 200 ms (well under CTI's message rate) until the state is `state`. */
  async state(state: string, ms = 8_000): Promise<void> {
    await eventually(
      `${this.agentId} ${state}`,
      async () => (await this.snapshot()).state === state || (await sleep(200)),
      ms,
    );
  }

  /**
   * Back to logged out holding nothing: tasks it holds are accepted and completed, anything offered
   * while it is ready (earlier runs' leftovers) likewise until quiet for `quietMs`.
   */
  async reset(drain = false, quietMs = 1_500): Promise<void> {
    // A CTI restart closed the connection: a new one, as the desktop makes.
    if (this.client.closed !== undefined) await this.connect();
    // One step at a time: CTI drops what a client sends over 20 messages a second.
    const finish = async (contactId: string, offered: boolean) => {
      if (offered) {
        this.send({ type: 'accept-task', contactId });
        await eventually(`task-accepted ${contactId}`, () =>
          this.client.of('task-accepted').find((m) => m.contactId === contactId),
        );
      }
      this.send({ type: 'complete-task', contactId });
      await this.ended(contactId);
    };
    for (const t of (await this.snapshot()).tasks ?? []) await finish(t.contactId, t.state === 'offered');
    if (drain) {
      this.send({ type: 'login' });
      this.send({ type: 'ready' });
      const done = new Set<string>();
      let quietSince = Date.now();
      while (Date.now() - quietSince < quietMs) {
        const next = this.offers().find((o) => !done.has(o.contactId));
        if (next === undefined) {
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        done.add(next.contactId);
        await finish(next.contactId, true);
        quietSince = Date.now();
      }
    }
    this.send({ type: 'logout' });
    await this.state('logged-out');
    this.client.received.splice(0);
  }

  close(): void {
    this.client.close();
  }
}
