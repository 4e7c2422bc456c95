/**
 * The call of the compose test (scripts/compose-test.sh), against a compose stack on its own ports: a
 * caller (sipp) dials the demo IVR (100), presses 1 for sales, and agent 1001's desk phone (sipp,
 * registered with its digest password) rings and answers; the agent signs in and becomes Ready as its
 * client does through CTI (spec/integration/queue-report.spec.ts takes the same path on the embedded
 * system). Checks the exact outcome: both sipp runs exit 0, CTI stored the interaction as answered by
 * the agent in the sales queue and cleared, and the recording SoftACD reported is a file in the
 * recordings volume Asterisk shares. Also: the seeded first administrator signs in, and an agent they
 * add gets a phone in the running Asterisk (the agents' endpoints volume). Prints one JSON line with the
 * figures; exits 1 on any failure.
 *
 * Env: the compose env file's variables (SIP_PORT, AS_PORT, ASTERISK_HTTP_PORT, ARI_USER, ARI_PASSWORD,
 * SEED_PASSWORD) plus the operator's AMQP_URL, MONGODB_URI and AGENT_SIP_SECRET, and
 * COMPOSE_RECORDINGS_DIR (the recordings volume's mount point on the host).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { agentEvents, agentIdOf, registerPhone } from '../spec/support/agents';
import { eventually } from '../spec/support/bus-observer';
import { sipp } from '../spec/support/sipp';

// Local SIP and media ports of the two sipp peers: away from the embedded system's tests (52xx, media
// 6000 and 16000-19999) and from the compose Asterisk's RTP range.
const PHONE_PORT = 5361;
const CALLER_PORT = 5362;
const CALLER = '15557770361';

function fail(message: string): never {
  throw new Error(message);
}

const asUrl = () => `http://127.0.0.1:${process.env.AS_PORT ?? fail('AS_PORT not set')}`;

/** The first administrator the init service seeded signs in through the AS's REST API. */
async function adminSignsIn(): Promise<{ token: string; roles: string[] }> {
  const res = await fetch(`${asUrl()}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      login: 'admin',
      password: process.env.SEED_PASSWORD ?? fail('SEED_PASSWORD not set'),
    }),
  });
  if (res.status !== 200) fail(`admin login: HTTP ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  const me = await fetch(`${asUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  if (me.status !== 200) fail(`GET /api/v1/me as admin: HTTP ${me.status}`);
  const { roles } = (await me.json()) as { roles: string[] };
  if (!roles.includes('admin')) fail(`admin has roles ${JSON.stringify(roles)}`);
  return { token, roles };
}

/**
 * An agent the administrator adds gets a phone in the running Asterisk: the AS publishes the change,
 * SoftACD (as its own user) rewrites the endpoints file in the volume it shares with Asterisk and
 * reloads PJSIP. Resolves with the milliseconds from the POST to ARI knowing the endpoint.
 */
async function newAgentGetsAPhone(token: string): Promise<number> {
  const login = `c${Date.now().toString(36)}`;
  const endpoint = `agent${login}`;
  const started = Date.now();
  const res = await fetch(`${asUrl()}/api/v1/agents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      login,
      password: `${login}-compose-test`,
      displayName: 'Compose Test',
      roles: ['agent'],
      endpoints: { sip: `PJSIP/${endpoint}` },
    }),
  });
  if (res.status !== 201 && res.status !== 200)
    fail(`POST /api/v1/agents: HTTP ${res.status} ${await res.text()}`);
  const ari = `http://127.0.0.1:${process.env.ASTERISK_HTTP_PORT ?? fail('ASTERISK_HTTP_PORT not set')}/ari`;
  const auth = Buffer.from(
    `${process.env.ARI_USER ?? 'ipcc'}:${process.env.ARI_PASSWORD ?? fail('ARI_PASSWORD not set')}`,
  );
  await eventually(
    `Asterisk to know PJSIP/${endpoint}`,
    async () => {
      const r = await fetch(`${ari}/endpoints/PJSIP/${endpoint}`, {
        headers: { authorization: `Basic ${auth.toString('base64')}` },
      });
      return r.status === 200;
    },
    20_000,
  );
  return Date.now() - started;
}

async function main(): Promise<void> {
  const started = Date.now();
  const admin = await adminSignsIn();
  const agentId = await agentIdOf('1001');
  for (const other of ['1002', '1004']) await agentEvents(await agentIdOf(other), ['AgentLogout']);
  await registerPhone('agent1001', PHONE_PORT);
  await agentEvents(agentId, ['AgentLogin', 'AgentReady']);
  const phone = sipp('agent-answer.xml', {
    service: 'agent1001',
    localPort: PHONE_PORT,
    holdMs: 1000,
    extra: ['-mp', '31100'],
  });
  await new Promise((r) => setTimeout(r, 300));
  const call = await sipp('ivr-key1-sales.xml', {
    service: '100',
    localPort: CALLER_PORT,
    holdMs: 9000,
    vars: { caller: CALLER, caller_name: 'Compose Test' },
    extra: ['-mp', '31000'],
  });
  const agentSide = await phone;
  await agentEvents(agentId, ['AgentLogout']);
  if (call.code !== 0) fail(`caller sipp exited ${call.code}:\n${call.stdout.slice(-1500)}`);
  if (agentSide.code !== 0) fail(`agent sipp exited ${agentSide.code}:\n${agentSide.stdout.slice(-1500)}`);

  const mongo = new MongoClient(process.env.MONGODB_URI ?? fail('MONGODB_URI not set'), {
    serverSelectionTimeoutMS: 5000,
  });
  try {
    const interactions = mongo.db().collection('interactions');
    // CTI writes a contact's history behind the call (held bursts): read until it is cleared.
    const doc = await eventually(
      'the interaction stored as cleared',
      async () => {
        // This call's: created after the run began (a stack kept with --keep holds earlier ones).
        const d = await interactions.findOne({
          agentId,
          queueId: 'sales',
          state: 'cleared',
          createdAt: { $gte: new Date(started) },
        });
        return d !== null && d.recording !== undefined ? d : undefined;
      },
      20_000,
    );
    if (!String(doc.from).endsWith(CALLER)) fail(`interaction from ${String(doc.from)}, expected ${CALLER}`);
    if (!(doc.answeredAt instanceof Date)) fail('interaction has no answeredAt: the agent did not answer');
    if (doc.abandoned !== false) fail(`interaction abandoned: ${String(doc.abandoned)}`);
    const recording = doc.recording as { path: string };
    const dir = process.env.COMPOSE_RECORDINGS_DIR ?? fail('COMPOSE_RECORDINGS_DIR not set');
    const file = await stat(path.join(dir, path.basename(recording.path)));
    if (file.size === 0) fail(`recording ${recording.path} is empty`);
    const newPhoneMs = await newAgentGetsAPhone(admin.token);
    console.log(
      JSON.stringify({
        result: 'pass',
        adminRoles: admin.roles,
        contactId: doc._id,
        answeredAfterMs: doc.answeredAt.getTime() - (doc.createdAt as Date).getTime(),
        recordingBytes: file.size,
        newAgentPhoneMs: newPhoneMs,
        callMs: Date.now() - started,
      }),
    );
  } finally {
    await mongo.close();
  }
}

main().catch((err: unknown) => {
  console.error(`compose call failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
