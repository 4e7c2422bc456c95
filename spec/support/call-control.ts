import { MongoClient } from 'mongodb';
import { EXCHANGES } from '../../lib/bus/topology';
import { AgentClient } from './agent-client';
import { agentIdOf, registerPhone } from './agents';
import { storedAgentStates } from './agent-states';
import { ari } from './ari';
import { BusObserver, Seen, eventually } from './bus-observer';
import { expect } from './chai';
import { mongoUri, requireSystem } from './servers';
import type { SippRun } from './sipp';

/**
 * What the agent call-control suites on real parts share: agents 1002 (a2, phone at sipp port 5401) and
 * 1003 (a3, port 5411) signed in through interface A, the bus seen from the start, the document store,
 * and the checks every test makes (event order, ConnectionCleared once, agent states, Asterisk clean).
 */
export class CallControlFixture {
  readonly bus = new BusObserver();
  readonly mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  readonly clients: AgentClient[] = [];
  a2 = '';
  a3 = '';

  async start(): Promise<void> {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await this.bus.start([EXCHANGES.events, EXCHANGES.commands]);
    await this.mongo.connect();
    this.a2 = await agentIdOf('1002');
    this.a3 = await agentIdOf('1003');
    await registerPhone('agent1002', 5401);
    await registerPhone('agent1003', 5411);
  }

  async signOutAll(): Promise<void> {
    for (const c of this.clients.splice(0)) {
      c.send({ type: 'logout' });
      await new Promise((r) => setTimeout(r, 200));
      c.close();
    }
  }

  async stop(): Promise<void> {
    await this.bus.stop();
    await this.mongo.close();
  }

  /** Signs an agent in through interface A from logged-out, ready or not. */
  async signIn(agentId: string, ready: boolean): Promise<AgentClient> {
    const c = new AgentClient();
    await c.connect();
    this.clients.push(c);
    c.send({ type: 'auth', token: AgentClient.tokenFor(agentId) });
    await eventually('welcome', () => c.of('welcome')[0]);
    c.send({ type: 'logout' });
    await new Promise((r) => setTimeout(r, 300));
    c.received.splice(0);
    c.send({ type: 'login' });
    if (ready) c.send({ type: 'ready' });
    await eventually(`${agentId} ${ready ? 'ready' : 'not-ready'}`, () =>
      c.of('state').some((s) => s.state === (ready ? 'ready' : 'not-ready')),
    );
    return c;
  }

  /** This contact's messages (other suites may publish anything, even `null`, on the same exchanges). */
  forContact(contactId: string): Seen[] {
    return this.bus.seen.filter(
      (s) => typeof s.body === 'object' && s.body !== null && s.body.contactId === contactId,
    );
  }

  callerChannel(contactId: string): string {
    return String(this.forContact(contactId).find((s) => s.body.type === 'CallDelivered')?.body.channelId);
  }

  /** Types, with `:a2`/`:a3` for the agent and `(kind)` for where a CallDelivered went. */
  labels(contactId: string): string[] {
    return this.forContact(contactId).map((s) => {
      const to = s.body.deliveredTo as { kind: string } | undefined;
      const id = s.body.agentId;
      const agent =
        typeof id === 'string' ? (id === this.a2 ? ':a2' : id === this.a3 ? ':a3' : ':other') : '';
      return to ? `${String(s.body.type)}(${to.kind})` : `${String(s.body.type)}${agent}`;
    });
  }

  inOrder(contactId: string, expected: string[]): void {
    const seq = this.labels(contactId);
    let from = 0;
    for (const l of expected) {
      const i = seq.indexOf(l, from);
      expect(i, `${l} after position ${from} in ${seq.join(', ')}`).to.be.greaterThan(-1);
      from = i + 1;
    }
  }

  async clearedOnce(contactId: string): Promise<Seen> {
    await eventually(
      'ConnectionCleared',
      () => this.forContact(contactId).some((s) => s.body.type === 'ConnectionCleared'),
      25_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    const cleared = this.forContact(contactId).filter((s) => s.body.type === 'ConnectionCleared');
    expect(cleared).to.have.length(1);
    return cleared[0] as Seen;
  }

  /** The agent's stored states (`state` or `state:reason`) from `since`, once `done` says they are all in. */
  agentStates(agentId: string, since: Date, done: (states: string[]) => boolean): Promise<string[]> {
    return storedAgentStates(this.mongo.db(), { agentId, at: { $gte: since } }, done);
  }

  /** `expected` appears in `seen` as a run (other entries before or after it). */
  expectRun(seen: string[], expected: string[], what: string): void {
    const at = seen.findIndex((_, i) => expected.every((e, k) => seen[i + k] === e));
    expect(at, `${what}: ${expected.join(', ')} in ${seen.join(', ')}`).to.be.greaterThan(-1);
  }

  /** `expected` appears in `seen` in this order (other entries between). */
  expectOrdered(seen: string[], expected: string[], what: string): void {
    let from = 0;
    for (const e of expected) {
      const i = seen.indexOf(e, from);
      expect(i, `${what}: ${e} after position ${from} in ${seen.join(', ')}`).to.be.greaterThan(-1);
      from = i + 1;
    }
  }

  async interaction(contactId: string, ready: (d: Record<string, unknown>) => boolean) {
    return eventually(
      'interaction stored',
      async () => {
        const d = await this.mongo
          .db()
          .collection('interactions')
          .findOne({ _id: contactId as never });
        return d !== null && ready(d) ? d : undefined;
      },
      15_000,
    );
  }

  /** Nothing of this call left in Asterisk: no leg, no bridge (other suites' calls are not ours). */
  async leftInAsterisk(contactId: string, callerNumber: string, names: RegExp): Promise<string[]> {
    const [channels, bridges] = await Promise.all([
      ari.get<Array<{ id: string; name: string; caller: { number: string } }>>('/channels'),
      ari.get<Array<{ id: string }>>('/bridges'),
    ]);
    return [
      ...channels
        .filter((c) => c.id.startsWith(contactId) || c.caller.number === callerNumber || names.test(c.name))
        .map((c) => `channel ${c.name}`),
      ...bridges.filter((b) => b.id.startsWith(contactId)).map((b) => `bridge ${b.id}`),
    ];
  }

  async clean(contactId: string, callerNumber: string, names = /agent100[23]|outside/): Promise<void> {
    const left = await eventually(
      'Asterisk clean of the call',
      async () => {
        const l = await this.leftInAsterisk(contactId, callerNumber, names);
        return l.length === 0 ? l : undefined;
      },
      3000,
    ).catch(() => this.leftInAsterisk(contactId, callerNumber, names));
    expect(left).to.deep.equal([]);
  }

  async bridge(contactId: string): Promise<{ channels: string[]; technology: string; video_mode?: string }> {
    return ari.get(`/bridges/${contactId}-bridge`);
  }
}

export const sippOk = (run: SippRun, who: string) =>
  expect(run.code, `${who} sipp failed:\n${run.stdout.slice(-1500)}`).to.equal(0);
