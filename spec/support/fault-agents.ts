import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { agentEvents, registerPhone } from './agents';
import { ari } from './ari';
import { eventually } from './bus-observer';
import { LOGINS, type Login, MEDIA_PORT, PHONE_PORT, sleep, storedState } from './fault-load-parts';
import { mongoUri } from './servers';

/**
 * The agents of a fault round: the demo tenant's four, and for the long form extra sales agents so
 * that many calls are talking when the fault hits (the demo tenant has one agent free to talk). The
 * extras are created through the AS's REST API, as an administrator would, so CTI and SoftACD (which
 * writes their PJSIP endpoints into Asterisk) take them without a restart; `npm run fault` removes
 * them again at the end.
 */

export interface RoundAgent {
  login: string;
  id: string;
  /** PJSIP endpoint name, also the phone's SIP user. */
  endpoint: string;
  /** The phone's SIP port (sipp -p) and media port (sipp -mp). */
  sipPort: number;
  mediaPort: number;
}

const AS = `http://${process.env.AS_HOST ?? '127.0.0.1'}:${process.env.AS_PORT ?? '8090'}/api/v1`;
const RUN = process.env.IPCC_RUN ?? path.resolve(__dirname, '..', '..', '.run');
/** Extras' SIP ports from 5801 and media ports from 19000 (callers use 5710-5789, 18000-18799). */
const EXTRA_SIP_PORT = 5801;
const EXTRA_MEDIA_PORT = 19_000;

export const extraLogin = (i: number) => `fault-talk-${String(i + 1).padStart(2, '0')}`;
const extraEndpoint = (i: number) => `faulttalk${String(i + 1).padStart(2, '0')}`;

export function demoAgent(login: Login, id: string): RoundAgent {
  return {
    login,
    id,
    endpoint: `agent${login}`,
    sipPort: PHONE_PORT[login],
    mediaPort: MEDIA_PORT + 900 + Number(login.slice(-1)) * 4,
  };
}

export const isDemo = (login: string): login is Login => (LOGINS as readonly string[]).includes(login);

async function adminToken(): Promise<string> {
  const demo = JSON.parse(await readFile(path.join(RUN, 'demo-credentials.json'), 'utf8')) as {
    password: string;
  };
  const res = await fetch(`${AS}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: demo.password }),
  });
  if (res.status !== 200) throw new Error(`AS admin login: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

async function storedId(login: string): Promise<string | undefined> {
  const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  try {
    const doc = await mongo.db().collection('agents').findOne({ login });
    return doc === null ? undefined : doc._id.toHexString();
  } finally {
    await mongo.close();
  }
}

/**
 * `n` extra sales agents (kept from an earlier run that did not remove them), each with its endpoint
 * in Asterisk and its phone registered.
 */
export async function extraAgents(n: number): Promise<RoundAgent[]> {
  if (n <= 0) return [];
  const token = await adminToken();
  const agents: RoundAgent[] = [];
  for (let i = 0; i < n; i += 1) {
    const login = extraLogin(i);
    const endpoint = extraEndpoint(i);
    let id = await storedId(login);
    if (id === undefined) {
      const res = await fetch(`${AS}/agents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          login,
          password: `fault-${login}-password`,
          displayName: `Fault talker ${i + 1}`,
          roles: ['agent'],
          skills: [{ name: 'sales', level: 1 }],
          endpoints: { sip: `PJSIP/${endpoint}` },
        }),
      });
      if (res.status !== 201) throw new Error(`creating ${login}: HTTP ${res.status} ${await res.text()}`);
      id = String(((await res.json()) as { id: string }).id);
    }
    agents.push({ login, id, endpoint, sipPort: EXTRA_SIP_PORT + i, mediaPort: EXTRA_MEDIA_PORT + i * 4 });
  }
  for (const a of agents) {
    await eventually(
      `endpoint ${a.endpoint} in Asterisk`,
      () =>
        ari.get(`/endpoints/PJSIP/${a.endpoint}`).then(
          () => true,
          () => false,
        ),
      10_000,
    );
    await registerPhone(a.endpoint, a.sipPort);
  }
  return agents;
}

/** Deletes the extras through the AS (which signs them out in CTI and drops their endpoints). */
export async function removeExtraAgents(agents: readonly RoundAgent[]): Promise<void> {
  const extras = agents.filter((a) => !isDemo(a.login));
  if (extras.length === 0) return;
  const token = await adminToken();
  for (const a of extras) {
    const res = await fetch(`${AS}/agents/${a.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok && res.status !== 404) throw new Error(`deleting ${a.login}: HTTP ${res.status}`);
  }
}

/** Every phone registered again: after an Asterisk restart its registrations are not to be trusted. */
export async function registerAll(agents: readonly RoundAgent[]): Promise<void> {
  for (const a of agents) await registerPhone(a.endpoint, a.sipPort);
}

/** Every agent signed out, as stored (a sign-out CTI refuses is sent again for up to 35 s). */
export async function signOutAgents(agents: readonly RoundAgent[]): Promise<void> {
  const deadline = Date.now() + 35_000;
  let left = [...agents];
  while (left.length > 0) {
    // Login first: an agent CTI already has logged out (a restarted CTI) would refuse a bare logout
    // and its stored state would stay whatever it was; an agent signed in refuses the login instead.
    for (const a of left) await agentEvents(a.id, ['AgentLogin', 'AgentLogout']);
    await sleep(300);
    const states = await Promise.all(left.map((a) => storedState(a.id)));
    left = left.filter((_, i) => states[i] !== 'logged-out');
    if (left.length > 0 && Date.now() > deadline)
      throw new Error(`agents not signed out: ${left.map((a) => a.login).join(', ')}`);
    if (left.length > 0) await sleep(2_000);
  }
}
