import { MongoClient } from 'mongodb';
import { AgentClient } from '../../spec/support/agent-client';
import { mongoUri } from '../../spec/support/servers';
import { sipPassword } from '../../stasis-app/provisioning/agent-endpoints';
import { sleep } from './bench-system';
import { registerMany } from './register';

/**
 * The benchmarks' agents and queues: their rows in the document store (CTI and ISAG read them when they
 * start), the call bench's PJSIP registrations to the agents' sipp UAS, and every bench agent's sign-in
 * over interface A. Bench rows have logins and queue names no demo row has, and skills only bench agents
 * hold, so no demo agent is offered bench work and the cleanup removes bench rows only.
 */

type Db = ReturnType<MongoClient['db']>;

async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  await mongo.connect();
  try {
    return await work(mongo.db());
  } finally {
    await mongo.close();
  }
}

/** A queue for `skill`, longest-idle, no wrap-up, released on timeout; `fields` sets the rest. */
async function upsertQueue(
  db: Db,
  name: string,
  skill: string,
  fields: Record<string, unknown>,
): Promise<void> {
  const queue = {
    name,
    skills: [{ name: skill, minLevel: 1 }],
    selectionPolicy: 'longest-idle',
    wrapUpSec: 0,
    timeoutAction: 'release',
    recording: false,
    ...fields,
    updatedAt: new Date(),
  };
  await db.collection('queues').updateOne({ name }, { $set: queue }, { upsert: true });
}

/** Agents bench001… (or `loginOf(i)`) with `skill` and `fields` (capacities); answers their ids. */
async function upsertAgents(
  db: Db,
  n: number,
  loginOf: (i: number) => string,
  skill: string,
  fields: Record<string, unknown>,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const login = loginOf(i);
    const agent = {
      login,
      displayName: `Bench ${login}`,
      roles: ['agent'],
      active: true,
      skills: [{ name: skill, level: 1 }],
      endpoints: { sip: `PJSIP/${login}` },
      ...fields,
      updatedAt: new Date(),
    };
    await db.collection('agents').updateOne({ login }, { $set: agent }, { upsert: true });
    const doc = await db.collection('agents').findOne({ login });
    if (doc === null) throw new Error(`bench agent ${login} not stored`);
    ids.push(doc._id.toHexString());
  }
  return ids;
}

/** The agents whose login matches, and their stored states. */
async function removeAgents(db: Db, login: RegExp): Promise<void> {
  const agents = await db.collection('agents').find({ login }).toArray();
  await db.collection('agentstates').deleteMany({ agentId: { $in: agents.map((a) => a._id.toHexString()) } });
  await db.collection('agents').deleteMany({ login });
}

// The call benches (full-path, video-load): one queue behind the project's number's flow.

export const PROJECT_NUMBER = '9902';
export const BENCH_QUEUE = 'bench';
/** The agents' sipp UAS: every bench endpoint registers to this port. */
export const AGENT_PORT = 5301;

export const endpointOf = (i: number): string => `bench${String(i + 1).padStart(3, '0')}`;
const CALL_LOGIN = /^bench\d{3}$/;

/** The bench's agents, queue and flow in the document store (CTI reads them when it starts). */
export function seedDirectory(n: number): Promise<string[]> {
  return withDb(async (db) => {
    await upsertQueue(db, BENCH_QUEUE, 'bench', {
      priority: 1,
      ringTimeoutSec: 20,
      queueTimeoutSec: 300,
      serviceLevelSec: 20,
    });
    await db.collection('ivrflows').updateOne(
      { calledNumber: PROJECT_NUMBER },
      {
        $set: {
          name: 'Benchmark: welcome then queue',
          calledNumber: PROJECT_NUMBER,
          media: 'audio',
          entry: 'welcome',
          nodes: [
            { id: 'welcome', type: 'play', prompt: 'welcome', next: 'queue' },
            { id: 'queue', type: 'queue', queue: BENCH_QUEUE },
          ],
          updatedAt: new Date(),
        },
      },
      { upsert: true },
    );
    return upsertAgents(db, n, endpointOf, 'bench', {
      maxTasks: { voice: 1, video: 1, email: 0, sms: 0, fax: 0 },
    });
  });
}

/** Removes everything seedDirectory and the runs stored (agents, their states, the queue, the flow, contacts). */
export function cleanDirectory(): Promise<void> {
  return withDb(async (db) => {
    await removeAgents(db, CALL_LOGIN);
    await db.collection('queues').deleteMany({ name: BENCH_QUEUE });
    await db.collection('ivrflows').deleteMany({ calledNumber: PROJECT_NUMBER });
    await db
      .collection('interactions')
      .deleteMany({ $or: [{ queueId: BENCH_QUEUE }, { to: PROJECT_NUMBER }] });
  });
}

// The ISAG bench (isag-email): an e-mail and an SMS queue, agents with room for many tasks at once (so
// the figures measure the path, not the agents' capacity).

export const BENCH_EMAIL = { queue: 'bench-email', address: 'bench@ipcc.local' };
export const BENCH_SMS = { queue: 'bench-sms', address: '+15550999' };
const TASK_SKILL = 'bench-task';
export const benchTaskLogin = (i: number) => `benchtask${String(i + 1).padStart(2, '0')}`;
const TASK_LOGIN = /^benchtask\d{2}$/;

/** Stores the two task queues and `agents` agents holding `capacity` of each; answers the agents' ids. */
export function seedTaskBench(agents: number, capacity: number): Promise<string[]> {
  return withDb(async (db) => {
    for (const [q, channel] of [
      [BENCH_EMAIL, 'email'],
      [BENCH_SMS, 'sms'],
    ] as const) {
      await upsertQueue(db, q.queue, TASK_SKILL, {
        channel,
        addresses: [q.address],
        priority: 0,
        ringTimeoutSec: 60,
        queueTimeoutSec: 0,
        serviceLevelSec: 14_400,
      });
    }
    return upsertAgents(db, agents, benchTaskLogin, TASK_SKILL, {
      maxTasks: { voice: 1, video: 1, email: capacity, sms: capacity, fax: 0 },
      maxTotal: 2 * capacity,
      callBlocksTasks: false,
    });
  });
}

/** Removes the task queues, their agents and what the runs stored for them (interactions, messages, states). */
export function cleanTaskBench(): Promise<void> {
  return withDb(async (db) => {
    await removeAgents(db, TASK_LOGIN);
    const queues = [BENCH_EMAIL.queue, BENCH_SMS.queue];
    const interactions = await db
      .collection<{ _id: string }>('interactions')
      .find({ queueId: { $in: queues } }, { projection: { _id: 1 } })
      .toArray();
    const ids = interactions.map((d) => d._id);
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      await db.collection('messages').deleteMany({ interactionId: { $in: part } });
      await db.collection<{ _id: string }>('interactions').deleteMany({ _id: { $in: part } });
    }
    await db.collection('queues').deleteMany({ name: { $in: queues } });
  });
}

export async function registerAgents(n: number): Promise<void> {
  const secret = process.env.AGENT_SIP_SECRET;
  if (!secret) throw new Error('AGENT_SIP_SECRET not set');
  await registerMany({
    host: process.env.SIP_HOST ?? '127.0.0.1',
    port: Number(process.env.SIP_PORT ?? 5060),
    localPort: AGENT_PORT,
    phones: Array.from({ length: n }, (_, i) => ({
      user: endpointOf(i),
      password: sipPassword(secret, endpointOf(i)),
    })),
  });
}

/** A frame from CTI as it arrives at a bench agent's socket, before the client records it. */
export type FrameHook = (client: AgentClient, frame: { type: string; contactId?: unknown }) => void;

async function connect(c: AgentClient): Promise<void> {
  // CTI's ops port answers ready before its agent WebSocket listens (just after a restart): retry.
  for (let tries = 0; ; tries++) {
    try {
      return await c.connect();
    } catch (err) {
      if (tries > 100) throw err;
      await sleep(200);
    }
  }
}

/** Interface A: each bench agent's client authenticates, logs in and becomes Ready. */
export async function signIn(ids: string[], onFrame?: FrameHook): Promise<AgentClient[]> {
  const clients: AgentClient[] = [];
  for (const id of ids) {
    const c = new AgentClient();
    await connect(c);
    if (onFrame !== undefined) {
      const push = c.received.push.bind(c.received);
      c.received.push = (...frames) => {
        for (const f of frames) onFrame(c, f);
        return push(...frames);
      };
    }
    c.send({ type: 'auth', token: AgentClient.tokenFor(id) });
    c.send({ type: 'login' });
    c.send({ type: 'ready' });
    clients.push(c);
  }
  const deadline = Date.now() + 30_000;
  while (clients.some((c) => !c.of('state').some((s) => s.state === 'ready'))) {
    if (Date.now() > deadline) {
      const notReady = clients.filter((c) => !c.of('state').some((s) => s.state === 'ready')).length;
      throw new Error(
        `${notReady} bench agents did not become ready (last: ${JSON.stringify(clients[0]?.received.slice(-3))})`,
      );
    }
    await sleep(200);
  }
  return clients;
}
