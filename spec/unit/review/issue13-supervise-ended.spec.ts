import winston from 'winston';
import { TokenError, type VerifiedToken } from '../../../lib/auth-token';
import { WallboardFeed } from '../../../cti/supervisor/feed';
import { SupervisorGateway, type SupervisorSocket } from '../../../cti/supervisor/gateway';
import type { SupervisorServerMessage } from '../../../cti/supervisor/protocol';
import type { SupervisePort } from '../../../cti/supervisor/supervise-port';
import { scopeOf } from '../../../cti/domain/wallboard-scope';
import { DailyStats } from '../../../cti/domain/wallboard-stats';
import { dayInZone } from '../../../cti/domain/wallboard';
import { expect } from '../../support/chai';
import { queue, world } from '../cti/helpers';

const log = winston.createLogger({ silent: true });

/**
 * Review of issue 13: a supervision session that ends without the supervisor asking (the agent or the
 * caller hangs up) must reach that supervisor's pages, and only its pages, as `supervise-ended`.
 */
describe('review 13: a supervision ended unasked is pushed to its supervisor', () => {
  const w = world();
  queue(w, { id: 'sales', channel: 'voice', skills: [{ name: 'sales', minLevel: 1 }] });
  const feed = new WallboardFeed({
    snapshot: () => w.cti.snapshot(),
    stats: new DailyStats(dayInZone('UTC'), w.clock.now()),
    person: (id) => ({ login: id, name: id }),
    serviceLevelSec: () => 20,
    enqueuedAt: () => undefined,
    now: () => Date.now(),
    intervalMs: 60_000,
    log,
  });
  const refuse = () => Promise.resolve({ ok: false as const, reason: 'not used here' });
  const port: SupervisePort = { start: refuse, change: refuse, stop: refuse };
  const gateway = new SupervisorGateway({
    verifyToken: (token): VerifiedToken => {
      const [sub, role] = token.split(':');
      if (!sub || !role) throw new TokenError('invalid token');
      return { sub, roles: [role as 'supervisor'], ver: 0, exp: Date.now() / 1000 + 600 };
    },
    accounts: { check: () => Promise.resolve(null), checkMany: () => Promise.resolve([]) },
    scope: () => scopeOf({ admin: false, supervises: ['sales'] }),
    feed,
    control: {} as never,
    supervise: port,
    reasons: () => [],
    log,
  });
  after(() => (gateway.stop(), feed.stop()));

  const page = async (token: string) => {
    const got: SupervisorServerMessage[] = [];
    const socket: SupervisorSocket = { send: (m) => void got.push(m), close: () => undefined };
    await gateway.received(socket, JSON.stringify({ type: 'auth', token }));
    return got;
  };

  it("sends supervise-ended with its reason to every page of that supervisor and no one else's", async () => {
    const tab1 = await page('sup1:supervisor');
    const tab2 = await page('sup1:supervisor');
    const other = await page('sup2:supervisor');
    const before = other.length;
    gateway.supervisionEnded('sup1', {
      sessionId: 's1',
      agentId: 'ann',
      contactId: 'c1',
      reason: 'agent-leg-gone',
    });
    const ended = {
      type: 'supervise-ended',
      sessionId: 's1',
      agentId: 'ann',
      contactId: 'c1',
      reason: 'agent-leg-gone',
    };
    expect(tab1.at(-1)).to.deep.equal(ended);
    expect(tab2.at(-1)).to.deep.equal(ended);
    expect(other.length, "another supervisor's page").to.equal(before);
  });
});
