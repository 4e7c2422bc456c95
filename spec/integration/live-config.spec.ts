import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { EXCHANGES } from '../../lib/bus/topology';
import { registerPhone } from '../support/agents';
import { AgentClient } from '../support/agent-client';
import { ari } from '../support/ari';
import { BusObserver, eventually } from '../support/bus-observer';
import { expect } from '../support/chai';
import { mongoUri, requireSystem } from '../support/servers';
import { sipp } from '../support/sipp';

const AS = `http://${process.env.AS_HOST ?? '127.0.0.1'}:${process.env.AS_PORT ?? '8090'}/api/v1`;
const RUN = process.env.IPCC_RUN ?? path.resolve(__dirname, '..', '..', '.run');

interface Answer {
  /** When the request left. */
  sent: number;
  status: number;
  body: Record<string, unknown>;
  /** When the AS's answer arrived: the effects are measured from here. */
  at: number;
}

/** Waits until `probe` answers truthy; resolves with the milliseconds since `from`. */
async function msUntil(from: number, what: string, probe: () => Promise<boolean>, limitMs = 5_000) {
  for (;;) {
    if (await probe().catch(() => false)) return Date.now() - from;
    if (Date.now() - from > limitMs) throw new Error(`${what}: not within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Whether PJSIP has the agent's endpoint, through ARI: `GET /endpoints/PJSIP/<name>` once it was loaded
 * (Asterisk keeps a removed PJSIP endpoint in ARI's endpoint list, `offline`), and PJSIP's own object
 * (the sorcery read of ARI's dynamic configuration: 404 once the configuration no longer has it).
 */
async function endpointKnown(name: string): Promise<boolean> {
  const pjsip = await ari.get(`/asterisk/config/dynamic/res_pjsip/endpoint/${name}`).then(
    () => true,
    (err: unknown) => {
      if (/: 404 /.test(String(err))) return false;
      throw err;
    },
  );
  if (!pjsip) return false;
  return ari.get(`/endpoints/PJSIP/${name}`).then(
    () => true,
    (err: unknown) => {
      if (/: 404 /.test(String(err))) return false;
      throw err;
    },
  );
}

/** CTI's log line for an applied directory change (its own clock: same machine). */
async function ctiApplied(entityId: string, after: number): Promise<number | undefined> {
  const text = await readFile(path.join(RUN, 'logs', 'cti.log'), 'utf8');
  for (const line of text.split('\n').reverse()) {
    if (!line.includes(entityId) || !line.includes('directory change applied')) continue;
    const at = Date.parse((JSON.parse(line) as { timestamp: string }).timestamp);
    if (at >= after - 50) return at;
  }
  return undefined;
}

/**
 * Issue 10: an administrator's change reaches CTI, the IVR and Asterisk within 2 s, with no restart.
 * Real parts: the AS's REST API, the outbox and RabbitMQ, CTI, SoftACD's PJSIP writer and Asterisk,
 * sipp phones and callers. Figures (ms from the AS's 2xx) are printed for the report.
 */
describe('live configuration: admin changes take effect without a restart', function () {
  this.timeout(120_000);
  const bus = new BusObserver();
  const tag = randomBytes(3).toString('hex');
  const skill = `live${tag}`;
  const queueName = `live-${tag}`;
  const spareQueue = `live2-${tag}`;
  const endpoint = `live${tag}`;
  const number = `77${parseInt(tag, 16) % 100_000}`;
  const figures: Record<string, number> = {};
  let token = '';
  let agentId = '';
  let queueId = '';
  let flowId = '';
  const client = new AgentClient();

  const call = async (method: string, pathname: string, body?: unknown): Promise<Answer> => {
    const sent = Date.now();
    const res = await fetch(`${AS}${pathname}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const at = Date.now();
    const text = await res.text();
    return {
      sent,
      status: res.status,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      at,
    };
  };

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    const demo = JSON.parse(await readFile(path.join(RUN, 'demo-credentials.json'), 'utf8')) as {
      password: string;
    };
    const login = await fetch(`${AS}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: demo.password }),
    });
    expect(login.status).to.equal(200);
    token = ((await login.json()) as { token: string }).token;
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
  });

  after(async () => {
    client.close();
    await bus.stop();
    for (const [kind, id] of [
      ['ivr-flows', flowId],
      ['agents', agentId],
      ['queues', queueId],
    ]) {
      if (id) await call('DELETE', `/${kind}/${id}`).catch(() => undefined);
    }
    console.log(`      live-config figures (ms from the AS's 2xx): ${JSON.stringify(figures)}`);
  });

  it('a new agent: endpoint in Asterisk and CTI within 2 s; its phone registers; it takes a call', async () => {
    const queue = await call('POST', '/queues', {
      name: queueName,
      skills: [{ name: skill, minLevel: 1 }],
      ringTimeoutSec: 20,
      timeoutAction: 'release',
    });
    expect(queue.status).to.equal(201);
    expect(queue.body.name).to.equal(queueName);
    // The name is a queue's identity: the API, the bus event and CTI's log all use it.
    queueId = queueName;
    const flow = await call('POST', '/ivr-flows', {
      name: `live ${tag}`,
      calledNumber: number,
      entry: 'q',
      nodes: [{ id: 'q', type: 'queue', queue: queueName }],
    });
    expect(flow.status, JSON.stringify(flow.body)).to.equal(201);
    flowId = String(flow.body.id);

    const created = await call('POST', '/agents', {
      login: `live-${tag}`,
      password: `pw-${tag}-long-enough`,
      displayName: `Live ${tag}`,
      roles: ['agent'],
      skills: [{ name: skill, level: 5 }],
      endpoints: { sip: `PJSIP/${endpoint}` },
    });
    expect(created.status).to.equal(201);
    agentId = String(created.body.id);
    figures.agentEndpointVisible = await msUntil(created.at, 'endpoint in Asterisk', () =>
      endpointKnown(endpoint),
    );
    const applied = await eventually('CTI applied the agent', () => ctiApplied(agentId, created.at));
    // CTI may apply it before the answer reaches the test (the AS publishes before it answers).
    figures.agentCtiApplied = applied - created.at;
    figures.agentCtiAppliedFromRequest = applied - created.sent;
    expect(figures.agentEndpointVisible).to.be.below(2_000);
    expect(figures.agentCtiApplied).to.be.below(2_000);

    await registerPhone(endpoint, 5731);
    await client.connect();
    client.send({ type: 'auth', token: AgentClient.tokenFor(agentId) });
    client.send({ type: 'login' });
    client.send({ type: 'ready' });
    await eventually('agent ready', () => client.of('state').some((m) => m.state === 'ready'));

    // A queue setting changed now applies to the next decision: the offer's ring timeout.
    const changed = await call('PATCH', `/queues/${queueId}`, { ringTimeoutSec: 17 });
    expect(changed.status).to.equal(200);
    const queueApplied = await eventually('CTI applied the queue', () => ctiApplied(queueId, changed.at));
    figures.queueCtiApplied = queueApplied - changed.at;
    figures.queueCtiAppliedFromRequest = queueApplied - changed.sent;
    expect(figures.queueCtiApplied).to.be.below(2_000);

    const phone = sipp('agent-answer.xml', { service: endpoint, localPort: 5731, holdMs: 500 });
    await new Promise((r) => setTimeout(r, 300));
    const caller = await sipp('uac-audio.xml', {
      service: number,
      localPort: 5732,
      holdMs: 5_000,
      vars: { caller: '15550001010', caller_name: 'Live Config' },
    });
    expect(caller.code, caller.stdout.slice(-800)).to.equal(0);
    expect((await phone).code).to.equal(0);
    const divert = bus.seen.find((s) => s.body.type === 'DivertCall' && s.body.agentId === agentId);
    expect(divert?.body).to.include({ endpoint: `PJSIP/${endpoint}`, ringTimeoutSec: 17 });
    expect(client.of('offer').length).to.equal(1);
  });

  it('not-ready reasons come from the configured list: unknown refused, a new one accepted live', async () => {
    const nap = `nap${tag}`;
    client.send({ type: 'not-ready', reason: nap });
    const refused = await eventually('unknown reason refused', () =>
      client.of('error').find((m) => m.code === 'unknown_reason'),
    );
    expect(refused.message).to.contain(`"${nap}"`).and.contain('lunch');
    const added = await call('POST', '/not-ready-reasons', { name: nap, label: 'Nap' });
    expect(added.status).to.equal(201);
    const reasonId = String(added.body.id);
    try {
      const applied = await eventually('CTI applied the reason', () => ctiApplied(reasonId, added.at));
      figures.reasonCtiApplied = applied - added.at;
      expect(figures.reasonCtiApplied).to.be.below(2_000);
      client.send({ type: 'not-ready', reason: nap });
      await eventually('not-ready with the new reason', () =>
        client.of('state').find((m) => m.state === 'not-ready' && m.reason === nap),
      );
      expect(client.of('error').filter((m) => m.code === 'unknown_reason')).to.have.length(1);
      client.send({ type: 'ready' });
    } finally {
      expect((await call('DELETE', `/not-ready-reasons/${reasonId}`)).status).to.equal(204);
    }
  });

  it('a deactivated agent is logged out at once and its endpoint leaves Asterisk', async () => {
    await eventually('agent ready again', () =>
      client.of('state').some((m, i, all) => m.state === 'ready' && i === all.length - 1),
    );
    const before = client.of('state').length;
    const off = await call('PATCH', `/agents/${agentId}`, { active: false });
    expect(off.status).to.equal(200);
    // CTI logs the agent out (stored with reason `removed`, pushed to its client); the account check of
    // interface A may cut the client off first (its token names an inactive account): either way the
    // client is told, and the agent is out of routing.
    const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    try {
      await mongo.connect();
      const stored = await eventually('logged-out stored', async () => {
        const row = await mongo
          .db()
          .collection<{ at: Date }>('agentstates')
          .findOne({ agentId, state: 'logged-out', reason: 'removed' });
        return row ?? undefined;
      });
      figures.deactivatedLoggedOut = stored.at.getTime() - off.at;
    } finally {
      await mongo.close();
    }
    const told = await eventually(
      'the client told',
      () =>
        client.closed !== undefined ||
        client
          .of('state')
          .slice(before)
          .some((m) => m.state === 'logged-out' && m.reason === 'removed'),
    );
    expect(told).to.equal(true);
    figures.deactivatedEndpointGone = await msUntil(
      off.at,
      'endpoint gone',
      async () => !(await endpointKnown(endpoint)),
    );
    expect(figures.deactivatedLoggedOut).to.be.below(2_000);
    expect(figures.deactivatedEndpointGone).to.be.below(2_000);
  });

  it('a change whose AS died before the publish: the pending outbox record is published by the sweep', async () => {
    // What a crash between the write and the publish leaves: the agent stored, its record pending.
    const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    const name = `crash${tag}`;
    let crashedId = '';
    try {
      await mongo.connect();
      const inserted = await mongo
        .db()
        .collection('agents')
        .insertOne({
          login: `crash-${tag}`,
          displayName: `Crash ${tag}`,
          passwordHash: '!',
          roles: ['agent'],
          skills: [],
          endpoints: { sip: `PJSIP/${name}` },
          active: true,
          tokenVersion: 0,
          createdAt: new Date(),
          updatedAt: new Date(),
        });
      crashedId = inserted.insertedId.toHexString();
      const stored = Date.now();
      await mongo
        .db()
        .collection('outbox')
        .insertOne({
          entity: 'agent',
          entityId: crashedId,
          action: 'create',
          createdAt: new Date(stored - 10_000),
          attempts: 0,
        });
      // The sweep runs every 2 s (AS_OUTBOX_SWEEP_MS): the change is out within one period.
      figures.pendingRecordEndpointVisible = await msUntil(stored, 'endpoint from the swept record', () =>
        endpointKnown(name),
      );
      const applied = await eventually('CTI applied the swept record', () => ctiApplied(crashedId, stored));
      figures.pendingRecordCtiApplied = applied - stored;
      expect(figures.pendingRecordEndpointVisible).to.be.below(3_000);
      expect(figures.pendingRecordCtiApplied).to.be.below(3_000);
    } finally {
      if (crashedId) expect((await call('DELETE', `/agents/${crashedId}`)).status).to.equal(204);
      await mongo.close();
    }
  });

  it('a changed flow is used by the next call; a deleted queue moves its waiting caller to the fallback', async () => {
    const spare = await call('POST', '/queues', {
      name: spareQueue,
      skills: [{ name: `nobody${tag}`, minLevel: 1 }],
      fallbackQueue: queueName,
    });
    expect(spare.status, JSON.stringify(spare.body)).to.equal(201);
    const spareId = String(spare.body.id);
    const flow = await call('PUT', `/ivr-flows/${flowId}`, {
      name: `live ${tag}`,
      calledNumber: number,
      entry: 'q',
      nodes: [{ id: 'q', type: 'queue', queue: spareQueue }],
    });
    expect(flow.status).to.equal(200);
    const waiting = sipp('uac-audio.xml', {
      service: number,
      localPort: 5733,
      holdMs: 12_000,
      vars: { caller: '15550001011', caller_name: 'Live Waiting' },
    });
    const request = await eventually('AgentRequest for the changed flow', () =>
      bus.seen.find((s) => s.body.type === 'AgentRequest' && s.body.queueId === spareQueue),
    );
    figures.flowChangeToAgentRequest = Date.parse(String(request.body.at)) - flow.at;
    const contactId = String(request.body.contactId);

    // The flow goes back to the first queue so that the spare one can be deleted (a flow uses it).
    const back = await call('PUT', `/ivr-flows/${flowId}`, {
      name: `live ${tag}`,
      calledNumber: number,
      entry: 'q',
      nodes: [{ id: 'q', type: 'queue', queue: queueName }],
    });
    expect(back.status).to.equal(200);
    await new Promise((r) => setTimeout(r, 500));
    const deleted = await call('DELETE', `/queues/${spareId}`);
    expect(deleted.status).to.equal(204);
    const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    try {
      await mongo.connect();
      const moved = await eventually('the waiting caller moved to the fallback queue', async () => {
        const doc = await mongo
          .db()
          .collection<{
            _id: string;
            timeline: Array<{ type: string; at: Date; data?: { queueId?: string } }>;
          }>('interactions')
          .findOne({ _id: contactId });
        const timeline = doc?.timeline ?? [];
        return timeline.find((e) => e.type === 'QueueChanged' && e.data?.queueId === queueName);
      });
      figures.queueDeletedToFallback = moved.at.getTime() - deleted.at;
      expect(figures.queueDeletedToFallback).to.be.below(2_000);
    } finally {
      await mongo.close();
    }
    expect((await waiting).code).to.equal(0);
    // The deactivated agent was offered nothing more: only the first test's call.
    const offers = bus.seen.filter((s) => s.body.type === 'DivertCall' && s.body.agentId === agentId);
    expect(offers).to.have.length(1);
  });
});
