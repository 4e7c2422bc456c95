import { randomBytes, randomUUID } from 'node:crypto';
import type { Server, ServerInjectResponse } from '@hapi/hapi';
import mongoose from 'mongoose';
import winston from 'winston';
import { signToken, type Role } from '../../../lib/auth-token';
import { connectStore, disconnectStore } from '../../../as/db';
import { hashPassword } from '../../../as/domain/password';
import {
  Agent,
  Customer,
  DEFAULT_DISPOSITION_CODES,
  DispositionCode,
  Interaction,
  Prompt,
  Queue,
} from '../../../as/models';
import { LoginLimiter } from '../../../as/plugins/auth/limiter';
import { createServer, type ServerDeps } from '../../../as/server';
import type { DesktopSettings } from '../../../as/settings';

/**
 * One fixture for every AS integration test: a real store (MONGODB_URI, FerretDB locally) with a database
 * unique to this run and dropped afterwards, and the real server driven through `server.inject()`.
 */
export const SECRET = randomBytes(32).toString('hex');
export const PASSWORD = 'integration-pass-1';
export const AGENT_SIP_SECRET = randomBytes(24).toString('hex');
export const GUEST_SECRET = randomBytes(32).toString('hex');

/**
 * The desktop's settings in tests: fixed URLs, this run's secrets, public number 100, and a UI build
 * directory that does not exist (the pages answer 503) unless a test gives its own.
 */
export function desktopSettings(overrides: Partial<DesktopSettings> = {}): DesktopSettings {
  return {
    ctiUrl: 'ws://127.0.0.1:8091',
    sipWsUrl: 'ws://127.0.0.1:8088/ws',
    sipHost: '127.0.0.1',
    agentSipSecret: AGENT_SIP_SECRET,
    publicNumbers: ['100'],
    guestSecret: GUEST_SECRET,
    pagesDir: `/nonexistent/ipcc-agent-ui-${randomBytes(4).toString('hex')}`,
    ...overrides,
  };
}

export interface Fixture {
  server: Server;
  dbName: string;
  ids: {
    agentA: string;
    agentB: string;
    supervisor: string;
    admin: string;
    sales: string;
    support: string;
    alice: string;
    bob: string;
  };
  tokens: { agentA: string; agentB: string; supervisor: string; admin: string; ivr: string };
  /** Contacts: `a1` offered to agent A from Alice's number, `b1` offered to agent B from Bob's e-mail. */
  contacts: { a1: string; a2: string; b1: string; unassigned: string };
}

const silent = winston.createLogger({ silent: true });

function testUri(): { uri: string; dbName: string } {
  const base = process.env.MONGODB_URI;
  if (!base) {
    throw new Error(
      'MONGODB_URI is not set: AS integration tests need a MongoDB-compatible server (FerretDB)',
    );
  }
  const dbName = `ipcc_as_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  return { uri: url.toString(), dbName };
}

export async function setUp(overrides: Partial<ServerDeps> = {}): Promise<Fixture> {
  const { uri, dbName } = testUri();
  try {
    await connectStore(uri, silent);
  } catch (err) {
    const host = new URL(uri).host;
    throw new Error(
      `cannot reach the store at ${host} (MONGODB_URI): start FerretDB or MongoDB there. ${(err as Error).message}`,
      { cause: err },
    );
  }
  const passwordHash = await hashPassword(PASSWORD);
  const person = (login: string, roles: Role[]) => ({
    login,
    displayName: `Test ${login}`,
    roles,
    passwordHash,
    endpoints: { sip: `PJSIP/agent${login}` },
  });
  const [agentA, agentB, supervisor, admin] = await Agent.insertMany([
    person('a1001', ['agent']),
    person('b1002', ['agent']),
    // Supervises both queues: reports and supervision cover a supervisor's own queues only.
    { ...person('super', ['supervisor']), supervises: ['sales', 'support'] },
    person('root', ['admin']),
  ]);
  await Prompt.create(
    ['welcome', 'menu', 'queue-music', 'invalid', 'no-input', 'goodbye'].map((name) => ({ name })),
  );
  await DispositionCode.insertMany(DEFAULT_DISPOSITION_CODES.map((d) => ({ ...d })));
  const [sales, support] = await Queue.insertMany([
    { name: 'sales', serviceLevelSec: 20, media: { music: 'queue-music' } },
    { name: 'support', serviceLevelSec: 30 },
  ]);
  const [alice, bob] = await Customer.insertMany([
    {
      firstName: 'Alice',
      lastName: 'Martin',
      searchName: 'alice martin',
      phones: ['+33199000001'],
      emails: ['alice@example.com'],
      custom: { balance: 120.5, tier: 'gold' },
    },
    {
      firstName: 'Bob',
      lastName: 'Dupont',
      searchName: 'bob dupont',
      phones: ['+33199000002'],
      emails: ['bob@example.org'],
    },
  ]);
  const id = (d: { _id: mongoose.Types.ObjectId } | undefined) =>
    (d as { _id: mongoose.Types.ObjectId })._id.toHexString();
  const ids = {
    agentA: id(agentA),
    agentB: id(agentB),
    supervisor: id(supervisor),
    admin: id(admin),
    sales: id(sales),
    support: id(support),
    alice: id(alice),
    bob: id(bob),
  };
  const contacts = { a1: randomUUID(), a2: randomUUID(), b1: randomUUID(), unassigned: randomUUID() };
  const at = new Date('2026-02-01T10:00:00Z');
  const voice = {
    channel: 'voice' as const,
    direction: 'inbound' as const,
    to: '100',
    state: 'Established',
    createdAt: at,
  };
  await Interaction.insertMany([
    {
      _id: contacts.a1,
      ...voice,
      from: '01 99 00 00 01',
      agentId: ids.agentA,
      queueId: 'sales',
      timeline: [{ at, type: 'CallDelivered' }],
    },
    {
      _id: contacts.a2,
      ...voice,
      from: '+33199000001',
      agentId: ids.agentA,
      queueId: 'sales',
      createdAt: new Date('2026-01-31T10:00:00Z'),
      disposition: 'sale',
    },
    {
      _id: contacts.b1,
      ...voice,
      channel: 'email' as const,
      from: 'Bob@Example.org',
      to: 'support@example.com',
      agentId: ids.agentB,
      queueId: 'support',
    },
    { _id: contacts.unassigned, ...voice, from: '+33199000009', state: 'Queued' },
  ]);
  const token = (sub: string, roles: Role[]) => signToken({ sub, roles }, SECRET).token;
  const tokens = {
    agentA: token(ids.agentA, ['agent']),
    agentB: token(ids.agentB, ['agent']),
    supervisor: token(ids.supervisor, ['supervisor']),
    admin: token(ids.admin, ['admin']),
    ivr: token('ivr-test', ['ivr']),
  };
  const server = await createServer({
    log: silent,
    tokenSecret: SECRET,
    defaultCountry: 'FR',
    loginLimiter: new LoginLimiter(),
    desktop: desktopSettings(),
    ...overrides,
  });
  await server.initialize();
  return { server, dbName, ids, tokens, contacts };
}

export async function tearDown(fixture: Fixture | undefined): Promise<void> {
  if (fixture) await fixture.server.stop();
  if (mongoose.connection.readyState === mongoose.ConnectionStates.connected)
    await mongoose.connection.dropDatabase();
  await disconnectStore();
}

export interface Call {
  token?: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

export async function call(
  fixture: Fixture,
  method: string,
  url: string,
  opts: Call = {},
): Promise<ServerInjectResponse<unknown>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  return fixture.server.inject({
    method,
    url,
    headers,
    payload: opts.payload as object | string | undefined,
  });
}

/** Parsed JSON body, typed loosely for assertions. */
export function body<T = Record<string, unknown>>(res: ServerInjectResponse<unknown>): T {
  return JSON.parse(res.payload) as T;
}
