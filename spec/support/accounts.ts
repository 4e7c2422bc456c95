import { randomBytes } from 'node:crypto';
import { MongoClient, ObjectId, type Collection } from 'mongodb';
import { mongoUri } from './servers';

/**
 * Accounts made for one test in the running system's store, and removed after it: CTI and the AS check
 * that a token's account exists, is active and has the token's version, so a made-up subject is refused.
 * Written straight to the store, as another AS instance would: no change event, so CTI's directory does
 * not learn them (they are not offered calls); the password hash is unusable, so no one logs in as them.
 */
export class TestAccounts {
  private readonly ids: string[] = [];

  /** The login of each account made, by id. */
  readonly logins = new Map<string, string>();

  async create(
    o: { active?: boolean; tokenVersion?: number; roles?: string[]; passwordHash?: string } = {},
  ): Promise<string> {
    const login = `test-${randomBytes(6).toString('hex')}`;
    const id = await this.withAgents(async (agents) => {
      const r = await agents.insertOne({
        login,
        displayName: `Test ${login}`,
        passwordHash: o.passwordHash ?? '!',
        roles: o.roles ?? ['agent'],
        active: o.active ?? true,
        tokenVersion: o.tokenVersion ?? 0,
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      return r.insertedId.toHexString();
    });
    this.ids.push(id);
    this.logins.set(id, login);
    return id;
  }

  async removeAll(): Promise<void> {
    const ids = this.ids.splice(0);
    if (ids.length === 0) return;
    await this.withAgents((agents) => agents.deleteMany({ _id: { $in: ids.map((id) => new ObjectId(id)) } }));
  }

  private async withAgents<T>(use: (agents: Collection) => Promise<T>): Promise<T> {
    const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
    try {
      return await use(mongo.db().collection('agents'));
    } finally {
      await mongo.close();
    }
  }
}

/** Sets fields of an account in the running system's store (a change another AS instance made). */
export async function setAccount(id: string, fields: Record<string, unknown>): Promise<void> {
  const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  try {
    await mongo
      .db()
      .collection('agents')
      .updateOne({ _id: new ObjectId(id) }, { $set: fields });
  } finally {
    await mongo.close();
  }
}

/** An account's current token version in the running system's store (0 when it never changed). */
export async function tokenVersionOf(id: string): Promise<number> {
  const mongo = new MongoClient(mongoUri(), { serverSelectionTimeoutMS: 3000 });
  try {
    const doc = await mongo
      .db()
      .collection('agents')
      .findOne({ _id: new ObjectId(id) });
    return typeof doc?.tokenVersion === 'number' ? doc.tokenVersion : 0;
  } finally {
    await mongo.close();
  }
}
