import { isServiceToken, type TokenClaims } from '../../lib/auth-token';
import { TtlCache } from '../../lib/ttl-cache';

/**
 * Whether a token's account still allows it: one rule for the AS (every request) and the CTI (the agent
 * WebSocket, at `auth`, `refresh` and periodically). Pure; the store is read through `AccountReader`.
 */
export interface AccountRecord {
  active: boolean;
  roles: readonly string[];
  tokenVersion: number;
}

/** Reads accounts by id; an id that names no account is absent from the answer. */
export interface AccountReader {
  read(ids: readonly string[]): Promise<Map<string, AccountRecord>>;
}

export type AccountRefusal = 'unknown_account' | 'account_inactive' | 'token_revoked';

export const REFUSAL_TEXT: Readonly<Record<AccountRefusal, string>> = {
  unknown_account: 'no such account',
  account_inactive: 'account deactivated',
  token_revoked: 'token revoked',
};

/**
 * null when the token may be used. The IVR's service token has no account and is accepted as is (the
 * caller checked its signature and role); every other token needs an account that exists, is active, still
 * holds every role the token claims (a demotion revokes) and has the token's version (a bump revokes).
 */
export function refusal(claims: TokenClaims, account: AccountRecord | null): AccountRefusal | null {
  if (isServiceToken(claims)) return null;
  if (account === null) return 'unknown_account';
  if (!account.active) return 'account_inactive';
  if (!claims.roles.every((r) => account.roles.includes(r))) return 'token_revoked';
  if (account.tokenVersion !== claims.ver) return 'token_revoked';
  return null;
}

export interface AccountGuardOptions {
  /** How long an account read stays trusted: the longest a revocation takes to reach this process. */
  cacheMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export const DEFAULT_ACCOUNT_CACHE_MS = 2_000;

/** `refusal` over the store, with a short cache so a burst of requests reads each account once. */
export class AccountGuard {
  private readonly cache: TtlCache<AccountRecord | null>;

  constructor(
    private readonly reader: AccountReader,
    options: AccountGuardOptions = {},
  ) {
    this.cache = new TtlCache(
      options.cacheMs ?? DEFAULT_ACCOUNT_CACHE_MS,
      options.maxEntries ?? 10_000,
      options.now,
    );
  }

  /** Throws what the reader throws (store unavailable): the caller decides whether that refuses. */
  async check(claims: TokenClaims): Promise<AccountRefusal | null> {
    if (isServiceToken(claims)) return null;
    const cached = this.cache.get(claims.sub);
    if (cached !== undefined) return refusal(claims, cached);
    const found = await this.reader.read([claims.sub]);
    const account = found.get(claims.sub) ?? null;
    this.cache.set(claims.sub, account);
    return refusal(claims, account);
  }

  /** Checks many tokens with one read per `chunk` accounts, bypassing (and refreshing) the cache. */
  async checkMany<T extends TokenClaims>(
    claims: readonly T[],
    chunk = 200,
  ): Promise<Array<{ claims: T; refused: AccountRefusal }>> {
    const ids = [...new Set(claims.filter((c) => !isServiceToken(c)).map((c) => c.sub))];
    const accounts = new Map<string, AccountRecord>();
    for (let i = 0; i < ids.length; i += chunk) {
      const part = ids.slice(i, i + chunk);
      const found = await this.reader.read(part);
      for (const id of part) {
        const account = found.get(id) ?? null;
        this.cache.set(id, account);
        if (account !== null) accounts.set(id, account);
      }
    }
    const refused: Array<{ claims: T; refused: AccountRefusal }> = [];
    for (const c of claims) {
      const r = refusal(c, accounts.get(c.sub) ?? null);
      if (r !== null) refused.push({ claims: c, refused: r });
    }
    return refused;
  }

  /** This process changed the account: the next check reads it again. */
  forget(accountId: string): void {
    this.cache.delete(accountId);
  }
}

/**
 * Whether an administrator's change to an account revokes its tokens: a deactivation, any change of roles
 * (a token's roles are fixed at issue) or a new password (someone else may have known the old one).
 */
export function changeRevokesTokens(
  before: { active?: boolean | null; roles: readonly string[] },
  change: { active?: boolean; roles?: readonly string[]; password?: string },
): boolean {
  if (change.password !== undefined) return true;
  if (change.active === false && before.active !== false) return true;
  if (change.roles === undefined) return false;
  const was = new Set(before.roles);
  return change.roles.length !== was.size || !change.roles.every((r) => was.has(r));
}
