import type { AccountGuard } from '../../as/domain/account-access';
import { Interaction } from '../../as/models';
import type { VerifiedToken } from '../../lib/auth-token';
import { errorText, type Logger } from '../../lib/log';
import type { CtiDomain, Outcome } from '../domain';
import { DEFAULT_SERVICE_LEVEL_SEC, dayInZone } from '../domain/wallboard';
import { scopeOf } from '../domain/wallboard-scope';
import { DailyStats } from '../domain/wallboard-stats';
import type { LiveDirectory } from '../app/live-directory';
import type { ContactOwners } from '../app/owners';
import type { RoutingService } from '../app/routing';
import { storeAudit, type AuditWriter } from './audit';
import { SupervisorControl } from './control';
import { WallboardFeed } from './feed';
import { SupervisorGateway } from './gateway';
import type { SupervisePort } from './supervise-port';

/**
 * Builds the supervisors' side of CTI (docs/supervisor.md) from the parts cti/main.ts already has:
 * the wallboard feed (fed by the routing service's `observe`), then the supervisor socket's gateway.
 */
export interface FeedParts {
  domain: CtiDomain;
  directory: Pick<LiveDirectory, 'contacts' | 'serviceLevelSec'>;
  owners: Pick<ContactOwners, 'caller'>;
  /** IANA time zone whose midnight starts a new day (CTI_TIMEZONE); undefined: the process's (TZ). */
  timeZone: string | undefined;
  log: Logger;
}

export function wallboardFeed(p: FeedParts): WallboardFeed {
  const now = () => Date.now();
  return new WallboardFeed({
    snapshot: () => p.domain.snapshot(),
    stats: new DailyStats(dayInZone(p.timeZone), now()),
    person: (id) => {
      const c = p.directory.contacts.get(id);
      return c === undefined ? undefined : { login: c.login, name: c.displayName ?? c.login };
    },
    serviceLevelSec: (q) => p.directory.serviceLevelSec.get(q) ?? DEFAULT_SERVICE_LEVEL_SEC,
    callingNumber: (c) => p.owners.caller(c)?.callingNumber,
    enqueuedAt: (c) => {
      const view = p.domain.contactView(c);
      return view.ok ? view.value.enqueuedAt : undefined;
    },
    now,
    log: p.log,
  });
}

/**
 * Today's figures after a restart: the interactions queued in the last 26 hours (today's are kept),
 * read once through the AS's model before CTI takes any event. A store that cannot be read leaves the
 * figures at zero (logged); the board itself comes from CTI's restored state either way.
 */
export async function restoreToday(feed: WallboardFeed, log: Logger): Promise<void> {
  try {
    const since = new Date(Date.now() - 26 * 3600_000);
    const rows = await Interaction.find({ queuedAt: { $gte: since }, queueId: { $exists: true } })
      .select('queueId queuedAt answeredAt endedAt abandoned')
      .lean();
    const restored = feed.restore(
      rows.flatMap((r) =>
        r.queueId == null || r.queuedAt == null
          ? []
          : [
              {
                contactId: String(r._id),
                queueId: r.queueId,
                queuedAt: r.queuedAt.getTime(),
                ...(r.answeredAt == null ? {} : { answeredAt: r.answeredAt.getTime() }),
                ended: r.endedAt != null,
                abandoned: r.abandoned === true,
              },
            ],
      ),
    );
    log.info("wallboard: today's figures restored", { contacts: restored, read: rows.length });
  } catch (err) {
    log.error("wallboard: today's figures not restored (they start at zero)", { error: errorText(err) });
  }
}

/** The routing service's hook: a wallboard that fails never fails a routing command. */
export function observer(feed: WallboardFeed, log: Logger): (outcome: Outcome) => void {
  return (outcome) => {
    try {
      feed.observe(outcome);
    } catch (err) {
      log.error('wallboard did not take an outcome', { error: errorText(err) });
    }
  };
}

export interface GatewayParts {
  feed: WallboardFeed;
  domain: CtiDomain;
  routing: RoutingService;
  directory: Pick<LiveDirectory, 'staff' | 'allowsReason' | 'reasonList'>;
  verifyToken: (token: string) => VerifiedToken;
  accounts: Pick<AccountGuard, 'check' | 'checkMany'>;
  serializeAgent: (agentId: string, task: () => Promise<void>) => Promise<void>;
  serializeContact: (contactId: string, task: () => Promise<void>) => Promise<void>;
  supervise: SupervisePort;
  audit?: AuditWriter;
  log: Logger;
}

export function supervisorGateway(p: GatewayParts): SupervisorGateway {
  const control = new SupervisorControl({
    routing: p.routing,
    domain: p.domain,
    agentQueues: (id) => p.feed.agentQueues(id),
    reasons: { allows: (r) => p.directory.allowsReason(r), list: () => p.directory.reasonList },
    serializeAgent: p.serializeAgent,
    serializeContact: p.serializeContact,
    audit: p.audit ?? storeAudit,
    log: p.log,
  });
  return new SupervisorGateway({
    verifyToken: p.verifyToken,
    accounts: p.accounts,
    // A token's admin role sees every queue; otherwise the person's `supervises`, read live.
    scope: (id, admin) => (admin ? { all: true } : scopeOf(p.directory.staff.get(id))),
    feed: p.feed,
    control,
    supervise: p.supervise,
    reasons: () => p.directory.reasonList,
    log: p.log,
  });
}
