import type { AccountRefusal } from '../../../as/domain/account-access';
import { AgentGateway, type ClientSocket, type GatewayPorts } from '../../../cti/agent-gateway/gateway';
import type { ServerMessage } from '../../../cti/agent-gateway/protocol';
import { TokenError, type VerifiedToken } from '../../../lib/auth-token';
import { expect } from '../../support/chai';
import winston from 'winston';

const log = winston.createLogger({ silent: true });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Interface A's access rules on the gateway alone: the token's account is checked at `auth`, `refresh`
 * and periodically; a connection closes when its token expires unless refreshed over it.
 * Tokens here are `agentId:ver:ttlMs` (the real verifier has its own tests).
 */
function setUp() {
  const accounts = new Map<string, { active: boolean; version: number }>();
  let storeDown = false;
  const events: string[] = [];
  const states = new Map<string, string>();
  const refusalOf = (c: VerifiedToken): AccountRefusal | null => {
    const a = accounts.get(c.sub);
    if (a === undefined) return 'unknown_account';
    if (!a.active) return 'account_inactive';
    return a.version === c.ver ? null : 'token_revoked';
  };
  const ports = {
    routing: {
      agentStatus: (id: string) => (states.has(id) ? { state: states.get(id), since: 0 } : undefined),
      agentEvent: (kind: string, id: string) => {
        events.push(`${kind} ${id}`);
        if (kind === 'logout') states.set(id, 'logged-out');
        if (kind === 'login') states.set(id, 'not-ready');
        return Promise.resolve();
      },
    },
    owners: { agent: () => undefined, party: () => undefined },
    verifyToken: (token: string): VerifiedToken => {
      const [sub, ver, ttlMs, role] = token.split(':');
      if (!sub || ver === undefined || ttlMs === undefined) throw new TokenError('invalid token');
      const exp = (Date.now() + Number(ttlMs)) / 1000;
      return { sub, roles: [role === 'supervisor' ? 'supervisor' : 'agent'], ver: Number(ver), exp };
    },
    accounts: {
      check: (c: VerifiedToken) =>
        storeDown ? Promise.reject(new Error('store down')) : Promise.resolve(refusalOf(c)),
      checkMany: <T extends VerifiedToken>(cs: readonly T[]) =>
        storeDown
          ? Promise.reject(new Error('store down'))
          : Promise.resolve(
              cs.flatMap((c) => {
                const r = refusalOf(c);
                return r === null ? [] : [{ claims: c, refused: r }];
              }),
            ),
    },
    clearCall: () => Promise.resolve(),
    control: () => Promise.resolve(),
    recordAnswer: () => Promise.resolve(),
    log,
  } as unknown as GatewayPorts;
  const gateway = new AgentGateway(ports);
  const client = () => {
    const got: ServerMessage[] = [];
    const c: { got: ServerMessage[]; closed?: { code: number; reason: string }; socket: ClientSocket } = {
      got,
      socket: {
        send: (m) => void got.push(m),
        close: (code, reason) => {
          c.closed = { code, reason };
          gateway.closed(c.socket);
        },
      },
    };
    const say = (m: unknown) => gateway.received(c.socket, JSON.stringify(m));
    return Object.assign(c, { say, codes: () => got.filter((m) => m.type === 'error').map((m) => m.code) });
  };
  return {
    gateway,
    accounts,
    events,
    client,
    setStoreDown: (down: boolean) => (storeDown = down),
  };
}

describe('agent gateway: account and token rules', () => {
  it('refuses an unknown, deactivated or revoked account at auth with an error frame and 4401', async () => {
    const t = setUp();
    t.accounts.set('off', { active: false, version: 0 });
    t.accounts.set('bumped', { active: true, version: 2 });
    for (const [token, code] of [
      ['ghost:0:60000', 'unknown_account'],
      ['off:0:60000', 'account_inactive'],
      ['bumped:1:60000', 'token_revoked'],
      ['garbage', 'invalid_token'],
      ['bumped:2:60000:supervisor', 'not_an_agent'],
    ] as const) {
      const c = t.client();
      await c.say({ type: 'auth', token });
      expect(c.codes(), token).to.deep.equal([code]);
      expect(c.closed?.code, token).to.equal(4401);
      expect(t.gateway.isAuthenticated(c.socket)).to.equal(false);
    }
  });

  it('refuses with 1013 (try again) when the account cannot be read', async () => {
    const t = setUp();
    t.accounts.set('a1', { active: true, version: 0 });
    t.setStoreDown(true);
    const c = t.client();
    await c.say({ type: 'auth', token: 'a1:0:60000' });
    expect(c.codes()).to.deep.equal(['unavailable']);
    expect(c.closed?.code).to.equal(1013);
  });

  it('holds the messages sent right after auth until it is checked, then acts on them in order', async () => {
    const t = setUp();
    t.accounts.set('a1', { active: true, version: 0 });
    const c = t.client();
    const all = [
      c.say({ type: 'auth', token: 'a1:0:60000' }),
      c.say({ type: 'login' }),
      c.say({ type: 'ready' }),
    ];
    await Promise.all(all);
    expect(c.closed).to.equal(undefined);
    expect(c.got[0]).to.include({ type: 'welcome', agentId: 'a1' });
    expect(t.events).to.deep.equal(['login a1', 'ready a1']);
  });

  it('closes the connection when its token expires, unless a fresh token for the same agent came first', async () => {
    const t = setUp();
    t.accounts.set('a1', { active: true, version: 0 });
    t.accounts.set('a2', { active: true, version: 0 });
    const expiring = t.client();
    await expiring.say({ type: 'auth', token: 'a1:0:150' });
    const refreshed = t.client();
    await refreshed.say({ type: 'auth', token: 'a1:0:150' });
    await refreshed.say({ type: 'refresh', token: 'a2:0:60000' }); // another agent's: refused, kept
    await refreshed.say({ type: 'refresh', token: 'a1:5:60000' }); // a revoked version: refused, kept
    await refreshed.say({ type: 'refresh', token: 'a1:0:60000' });
    expect(refreshed.codes()).to.deep.equal(['wrong_agent', 'token_revoked']);
    expect(refreshed.got.filter((m) => m.type === 'refreshed')).to.have.length(1);
    await sleep(250);
    expect(expiring.closed).to.deep.equal({ code: 4401, reason: 'token expired' });
    expect(expiring.codes()).to.deep.equal(['token_expired']);
    expect(refreshed.closed).to.equal(undefined);
    expect(t.gateway.isAuthenticated(refreshed.socket)).to.equal(true);
  });

  it('re-checks accounts: closes revoked connections and logs the agent out of CTI unless another is valid', async () => {
    const t = setUp();
    t.accounts.set('a1', { active: true, version: 0 });
    t.accounts.set('a2', { active: true, version: 0 });
    t.accounts.set('a3', { active: true, version: 0 });
    const [c1, c2, c3old] = [t.client(), t.client(), t.client()];
    await c1.say({ type: 'auth', token: 'a1:0:60000' });
    await c1.say({ type: 'login' });
    await c2.say({ type: 'auth', token: 'a2:0:60000' });
    await c2.say({ type: 'login' });
    await c3old.say({ type: 'auth', token: 'a3:0:60000' });
    await c3old.say({ type: 'login' });
    t.events.splice(0);

    // The store cannot be read: nothing is closed.
    t.setStoreDown(true);
    await t.gateway.recheckAccounts();
    expect([c1.closed, c2.closed, c3old.closed]).to.deep.equal([undefined, undefined, undefined]);
    t.setStoreDown(false);

    t.accounts.set('a1', { active: false, version: 0 }); // deactivated
    t.accounts.set('a3', { active: true, version: 1 }); // logged out, then in again on a new connection
    const c3new = t.client();
    await c3new.say({ type: 'auth', token: 'a3:1:60000' });
    await t.gateway.recheckAccounts();
    expect(c1.closed?.code).to.equal(4401);
    expect(c1.codes()).to.deep.equal(['account_inactive']);
    expect(c3old.closed?.code).to.equal(4401);
    expect(c3old.codes()).to.deep.equal(['token_revoked']);
    expect(c2.closed).to.equal(undefined);
    expect(c3new.closed).to.equal(undefined);
    expect(t.events).to.deep.equal(['logout a1']);
  });
});
