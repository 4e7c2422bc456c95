import {
  AccountGuard,
  changeRevokesTokens,
  refusal,
  type AccountReader,
  type AccountRecord,
} from '../../../as/domain/account-access';
import type { TokenClaims } from '../../../lib/auth-token';
import { expect } from '../../support/chai';

const agent = (over: Partial<TokenClaims> = {}): TokenClaims => ({
  sub: 'a1',
  roles: ['agent'],
  ver: 0,
  ...over,
});
const account = (over: Partial<AccountRecord> = {}): AccountRecord => ({
  active: true,
  roles: ['agent'],
  tokenVersion: 0,
  ...over,
});

/** A store of accounts that counts its reads. */
function store(accounts: Record<string, AccountRecord>) {
  const reads: string[][] = [];
  const reader: AccountReader = {
    read(ids) {
      reads.push([...ids]);
      const found = new Map<string, AccountRecord>();
      for (const id of ids) {
        const a = Object.hasOwn(accounts, id) ? accounts[id] : undefined;
        if (a !== undefined) found.set(id, a);
      }
      return Promise.resolve(found);
    },
  };
  return { reader, reads, accounts };
}

describe('as/domain/account-access', () => {
  it('accepts a token of an active account holding its roles and version', () => {
    expect(refusal(agent(), account())).to.equal(null);
    expect(refusal(agent(), account({ roles: ['agent', 'supervisor'] }))).to.equal(null);
  });

  it('refuses an unknown, deactivated, demoted or revoked account', () => {
    expect(refusal(agent(), null)).to.equal('unknown_account');
    expect(refusal(agent(), account({ active: false }))).to.equal('account_inactive');
    expect(refusal(agent({ roles: ['agent', 'admin'] }), account())).to.equal('token_revoked');
    expect(refusal(agent({ ver: 0 }), account({ tokenVersion: 1 }))).to.equal('token_revoked');
    expect(refusal(agent({ ver: 2 }), account({ tokenVersion: 1 }))).to.equal('token_revoked');
  });

  it('lets the IVR service token through with no account, but not ivr mixed with a person role', () => {
    expect(refusal({ sub: 'ivr-1', roles: ['ivr'], ver: 0 }, null)).to.equal(null);
    expect(refusal({ sub: 'a1', roles: ['ivr', 'admin'], ver: 0 }, account({ roles: ['admin'] }))).to.equal(
      'token_revoked',
    );
  });

  it('reads each account once per cache period, again after it, and at once after forget()', async () => {
    let now = 0;
    const s = store({ a1: account() });
    const guard = new AccountGuard(s.reader, { cacheMs: 2_000, now: () => now });
    expect(await guard.check(agent())).to.equal(null);
    expect(await guard.check(agent())).to.equal(null);
    expect(await guard.check({ sub: 'ivr-x', roles: ['ivr'], ver: 0 })).to.equal(null);
    expect(s.reads).to.deep.equal([['a1']]);
    s.accounts.a1 = account({ tokenVersion: 1 });
    expect(await guard.check(agent())).to.equal(null); // cached: the revocation is not seen yet
    now = 2_000;
    expect(await guard.check(agent())).to.equal('token_revoked');
    s.accounts.a1 = account({ tokenVersion: 1, active: false });
    guard.forget('a1');
    expect(await guard.check(agent({ ver: 1 }))).to.equal('account_inactive');
    expect(s.reads).to.have.length(3);
  });

  it('caches an unknown subject too, within a bounded cache', async () => {
    const s = store({});
    const guard = new AccountGuard(s.reader, { cacheMs: 10_000, maxEntries: 2 });
    expect(await guard.check(agent({ sub: 'ghost' }))).to.equal('unknown_account');
    expect(await guard.check(agent({ sub: 'ghost' }))).to.equal('unknown_account');
    expect(s.reads).to.have.length(1);
  });

  it('checks many sessions with one read per chunk and returns those refused', async () => {
    const s = store({ a1: account(), a2: account({ active: false }), a3: account({ tokenVersion: 4 }) });
    const guard = new AccountGuard(s.reader);
    const sessions = [
      agent(),
      agent({ sub: 'a2' }),
      agent({ sub: 'a3', ver: 3 }),
      agent({ sub: 'a4' }),
      agent(),
      { sub: 'ivr-1', roles: ['ivr' as const], ver: 0 },
    ];
    const refused = await guard.checkMany(sessions, 2);
    expect(refused.map((r) => `${r.claims.sub}:${r.refused}`)).to.deep.equal([
      'a2:account_inactive',
      'a3:token_revoked',
      'a4:unknown_account',
    ]);
    expect(s.reads).to.deep.equal([
      ['a1', 'a2'],
      ['a3', 'a4'],
    ]);
  });

  it("says which administrator's changes revoke the account's tokens", () => {
    const before = { active: true, roles: ['agent'] };
    expect(changeRevokesTokens(before, { active: false })).to.equal(true);
    expect(changeRevokesTokens(before, { roles: ['agent', 'supervisor'] })).to.equal(true);
    expect(changeRevokesTokens(before, { roles: ['supervisor'] })).to.equal(true);
    expect(changeRevokesTokens(before, { password: 'a-new-password' })).to.equal(true);
    expect(changeRevokesTokens(before, { roles: ['agent'], active: true })).to.equal(false);
    expect(changeRevokesTokens(before, {})).to.equal(false);
    expect(changeRevokesTokens({ active: false, roles: ['agent'] }, { active: false })).to.equal(false);
  });
});
