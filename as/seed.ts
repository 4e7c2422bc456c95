import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import mongoose from 'mongoose';
import { defaults } from '../lib/config';
import { createLogger, errorText } from '../lib/log';
import { connectStore, disconnectStore } from './db';
import { checkFlow } from '../lib/flow/flow';
import { hashPassword } from './domain/password';
import {
  Agent,
  Customer,
  DEFAULT_DISPOSITION_CODES,
  DEFAULT_NOT_READY_REASONS,
  DispositionCode,
  IvrFlow,
  NotReadyReason,
  Prompt,
  Queue,
} from './models';
import { demoAgents, demoCustomers, demoFlow, demoPrompts, demoQueues, demoStaff } from './seed-data';

const CREDENTIALS_FILE = path.resolve(__dirname, '..', '.run', 'demo-credentials.json');

/**
 * The password never lives in the repository: SEED_PASSWORD, else the one a previous run wrote to
 * .run/ (gitignored), else a fresh random one written there.
 */
async function demoPassword(): Promise<{ password: string; source: string }> {
  const fromEnv = process.env.SEED_PASSWORD;
  if (fromEnv) return { password: fromEnv, source: 'SEED_PASSWORD' };
  try {
    const saved = JSON.parse(await readFile(CREDENTIALS_FILE, 'utf8')) as { password?: unknown };
    if (typeof saved.password === 'string' && saved.password.length >= 12) {
      return { password: saved.password, source: CREDENTIALS_FILE };
    }
  } catch {
    // No previous file: generate below.
  }
  return { password: randomBytes(12).toString('base64url'), source: 'generated' };
}

/** Upserts by natural key (login, name, called number, first phone), so running it twice changes nothing. */
export async function seed(password: string): Promise<{ logins: string[] }> {
  const now = new Date();
  for (const p of demoPrompts) {
    await Prompt.updateOne({ name: p.name }, { $set: { ...p, updatedAt: now } }, { upsert: true });
  }
  for (const q of demoQueues) {
    await Queue.updateOne({ name: q.name }, { $set: { ...q, updatedAt: now } }, { upsert: true });
  }
  // Only into an empty list: a reason an administrator removed stays removed.
  if ((await NotReadyReason.countDocuments()) === 0) {
    await NotReadyReason.insertMany(DEFAULT_NOT_READY_REASONS.map((r) => ({ ...r })));
  }
  if ((await DispositionCode.countDocuments()) === 0) {
    await DispositionCode.insertMany(DEFAULT_DISPOSITION_CODES.map((d) => ({ ...d })));
  }
  const passwordHash = await hashPassword(password);
  const people = [...demoAgents, ...demoStaff];
  for (const person of people) {
    await Agent.updateOne(
      { login: person.login },
      { $set: { ...person, passwordHash, active: true, updatedAt: now } },
      { upsert: true, runValidators: true },
    );
  }
  const check = checkFlow(demoFlow, {
    prompts: new Set(demoPrompts.map((p) => p.name)),
    queues: new Set(demoQueues.map((q) => q.name)),
    schedules: new Set<string>(),
  });
  if (check.errors.length > 0) throw new Error(`demo flow invalid: ${JSON.stringify(check.errors)}`);
  await IvrFlow.updateOne(
    { calledNumber: demoFlow.calledNumber },
    { $set: { ...demoFlow, updatedAt: now } },
    { upsert: true },
  );
  for (const c of demoCustomers) {
    const searchName = `${c.firstName} ${c.lastName}`.toLowerCase();
    await Customer.updateOne(
      { phones: c.phones[0] },
      { $set: { ...c, searchName, updatedAt: now } },
      { upsert: true, runValidators: true },
    );
  }
  return { logins: people.map((p) => p.login) };
}

/**
 * The collections CTI writes, created ahead of its first write: the embedded store's tuning
 * (scripts/docstore.sh tune) indexes the tables that exist when it runs.
 */
const CTI_COLLECTIONS = ['interactions', 'agentstates', 'ctistate', 'ctistatelog'];

async function ensureCollections(): Promise<void> {
  const db = mongoose.connection.db;
  if (db === undefined) throw new Error('not connected');
  const have = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const name of CTI_COLLECTIONS) if (!have.has(name)) await db.createCollection(name);
}

async function main(): Promise<void> {
  const log = createLogger('as-seed', 'seed');
  await connectStore(defaults.mongoUri(), log);
  try {
    await ensureCollections();
    const { password, source } = await demoPassword();
    const { logins } = await seed(password);
    if (source !== 'SEED_PASSWORD') {
      await mkdir(path.dirname(CREDENTIALS_FILE), { recursive: true });
      await writeFile(CREDENTIALS_FILE, JSON.stringify({ logins, password }, null, 2) + '\n', {
        mode: 0o600,
      });
    }
    log.info('demo tenant seeded', {
      logins,
      passwordFrom: source === 'generated' ? CREDENTIALS_FILE : source,
    });
  } finally {
    await disconnectStore();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`seed failed: ${errorText(err)}`);
    process.exit(1);
  });
}
