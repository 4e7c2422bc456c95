import { isValidObjectId } from 'mongoose';
import type { AccountReader, AccountRecord } from '../domain/account-access';
import { Agent } from './agent';

/**
 * The store side of the account check (as/domain/account-access.ts), used by the AS and the CTI alike:
 * reads only what the check needs. An id that is not an ObjectId names no account (and is not queried).
 */
export const accountReader: AccountReader = {
  async read(ids) {
    const valid = ids.filter((id) => isValidObjectId(id) && /^[0-9a-f]{24}$/i.test(id));
    const found = new Map<string, AccountRecord>();
    if (valid.length === 0) return found;
    // One id (every AS request that misses the cache) is an equality on _id, which the store's _id
    // index serves (scripts/docstore.sh tune); $in is for CTI's periodic check of every connection.
    const filter = valid.length === 1 ? { _id: valid[0] } : { _id: { $in: valid } };
    const docs = await Agent.find(filter).select('active roles tokenVersion').lean();
    for (const d of docs) {
      found.set(d._id.toHexString(), {
        active: d.active !== false,
        roles: d.roles,
        tokenVersion: d.tokenVersion ?? 0,
      });
    }
    return found;
  },
};

/** Revokes every token of the account issued so far (logout, deactivation, role or password change). */
export async function revokeTokens(accountId: string): Promise<void> {
  await Agent.updateOne({ _id: accountId }, { $inc: { tokenVersion: 1 } });
}
