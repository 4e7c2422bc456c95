import amqplib from 'amqplib';
import { MongoClient } from 'mongodb';
import { EXCHANGES, routingKeys } from '../../lib/bus/topology';
import { Draft, makeMessage } from '../../lib/messages';
import { sipPassword } from '../../stasis-app/provisioning/agent-endpoints';
import { amqpUrl, mongoUri } from './servers';
import { SippRun, sipp } from './sipp';

/** The agent's id as CTI and the AS know it (its document id), from the seeded demo tenant. */
export async function agentIdOf(login: string): Promise<string> {
  const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  try {
    const doc = await mongo.db().collection('agents').findOne({ login });
    if (doc === null) throw new Error(`agent ${login} is not seeded (scripts/test.sh runs as/seed.ts)`);
    return doc._id.toHexString();
  } finally {
    await mongo.close();
  }
}

type AgentEventType = 'AgentLogin' | 'AgentReady' | 'AgentLogout';

/** What the agent's client does through CTI: sign in, become ready, sign out. */
export async function agentEvents(
  agentId: string,
  types: Array<AgentEventType | { notReady: string }>,
): Promise<void> {
  const conn = await amqplib.connect(amqpUrl());
  try {
    const ch = await conn.createConfirmChannel();
    for (const t of types) {
      const draft: Draft<AgentEventType> | Draft<'AgentNotReady'> =
        typeof t === 'string'
          ? { type: t, contactId: `agent-${agentId}`, agentId }
          : { type: 'AgentNotReady', contactId: `agent-${agentId}`, agentId, reason: t.notReady };
      const message = makeMessage({ service: 'agent', instance: 'spec' }, draft);
      ch.publish(
        EXCHANGES.events,
        routingKeys.agentEvent(message.type),
        Buffer.from(JSON.stringify(message)),
        {
          persistent: true,
        },
      );
    }
    await ch.waitForConfirms();
  } finally {
    await conn.close();
  }
}

/** Registers a real SIP phone (sipp) for an agent endpoint at a local port, with its digest password. */
export async function registerPhone(endpoint: string, localPort: number): Promise<void> {
  const secret = process.env.AGENT_SIP_SECRET;
  if (!secret) throw new Error('AGENT_SIP_SECRET not set (scripts/test.sh loads .run/secrets.env)');
  const run = await sipp('agent-register.xml', {
    service: endpoint,
    localPort,
    vars: { endpoint },
    extra: ['-au', endpoint, '-ap', sipPassword(secret, endpoint)],
  });
  if (run.code !== 0) throw new Error(`registering ${endpoint} failed:\n${run.stdout.slice(-800)}`);
}

/**
 * A caller reaches one agent of the demo tenant whose SIP phone (sipp, agent-answer.xml) rings for
 * `ringMs` and answers: the agent is signed in and made Ready, and the other agents of the queue are
 * signed out first so no one else can take the call. Resolves with both sides' sipp results.
 */
export async function callAnsweredBy(o: {
  login: string;
  others: string[];
  phonePort: number;
  ringMs: number;
  caller: {
    scenario: string;
    service: string;
    localPort: number;
    holdMs: number;
    number: string;
    name: string;
  };
}): Promise<{ agentId: string; call: SippRun; phone: SippRun }> {
  for (const other of o.others) await agentEvents(await agentIdOf(other), ['AgentLogout']);
  const agentId = await agentIdOf(o.login);
  await agentEvents(agentId, ['AgentLogin', 'AgentReady']);
  const phone = sipp('agent-answer.xml', {
    service: `agent${o.login}`,
    localPort: o.phonePort,
    holdMs: o.ringMs,
  });
  await new Promise((r) => setTimeout(r, 300));
  const call = await sipp(o.caller.scenario, {
    service: o.caller.service,
    localPort: o.caller.localPort,
    holdMs: o.caller.holdMs,
    vars: { caller: o.caller.number, caller_name: o.caller.name },
  });
  return { agentId, call, phone: await phone };
}
