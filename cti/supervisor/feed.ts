import { errorText, type Logger } from '../../lib/log';
import type { DomainSnapshot, Outcome } from '../domain';
import { buildWallboard, servesQueue, type WallboardView } from '../domain/wallboard';
import type { DailyStats, PastContact } from '../domain/wallboard-stats';

export interface FeedPorts {
  /** CTI's in-memory state (the routing domain); never the store. */
  snapshot: () => DomainSnapshot;
  stats: DailyStats;
  person: (agentId: string) => { login: string; name: string } | undefined;
  serviceLevelSec: (queueId: string) => number;
  callingNumber?: (contactId: string) => string | undefined;
  /** When a live contact entered its queue (its wait at the answer). */
  enqueuedAt: (contactId: string) => number | undefined;
  now: () => number;
  /** The shortest time between two pushes (200 ms): a busy centre's changes are grouped. */
  intervalMs?: number;
  /**
   * How often (1 s) the figures are looked at without events: midnight resets them, and a contact
   * passing its threshold changes the service level (pushed only if a row changed).
   */
  tickMs?: number;
  log: Logger;
}

type Listener = (view: WallboardView, at: number) => void;

/**
 * The wallboard pushed from CTI's own state: every command's outcome (the routing service's `observe`
 * hook) updates today's figures and marks the board changed; the board is then built once from the
 * domain and handed to every listener (one per supervisor socket), at most once per `intervalMs`. The
 * first change after a quiet spell goes out at once, later ones wait for the interval's end.
 */
export class WallboardFeed {
  private readonly listeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private lastPush = 0;
  private pendingBefore = false;
  private readonly intervalMs: number;

  constructor(private readonly ports: FeedPorts) {
    this.intervalMs = ports.intervalMs ?? 200;
    this.startTicking();
  }

  /** Called for every outcome the routing service applies (agent and contact changes). */
  observe(outcome: Outcome): void {
    let changed = outcome.agentChanges.length > 0 || outcome.offers.length > 0;
    for (const change of outcome.contactChanges) {
      this.ports.stats.observe(change, {
        enqueuedAt: this.ports.enqueuedAt(change.contactId),
        thresholdMs: (q) => this.ports.serviceLevelSec(q) * 1000,
      });
      changed = true;
    }
    if (changed) this.changed();
  }

  /** Something the board shows changed outside an outcome (the directory: names, thresholds, scope). */
  changed(): void {
    if (this.listeners.size === 0 || this.timer !== undefined) return;
    const wait = Math.max(0, this.lastPush + this.intervalMs - this.ports.now());
    this.timer = setTimeout(() => this.push(), wait);
  }

  /** The whole board now (a socket's snapshot). */
  view(): WallboardView {
    const s = this.ports.snapshot();
    return buildWallboard({
      queues: s.queues,
      agents: s.agents,
      contacts: s.contacts,
      stats: this.ports.stats,
      now: this.ports.now(),
      person: this.ports.person,
      serviceLevelSec: this.ports.serviceLevelSec,
      ...(this.ports.callingNumber === undefined ? {} : { callingNumber: this.ports.callingNumber }),
    });
  }

  /** The queues an agent serves (its scope check), undefined for an agent CTI does not know. */
  agentQueues(agentId: string): string[] | undefined {
    const s = this.ports.snapshot();
    const agent = s.agents.find((a) => a.config.id === agentId);
    if (agent === undefined) return undefined;
    return s.queues.filter((q) => servesQueue(agent.config, q.config)).map((q) => q.config.id);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Today's figures from the stored history (a restarted CTI); answers how many contacts counted. */
  restore(rows: readonly PastContact[]): number {
    const restored = this.ports.stats.restore(rows, (q) => this.ports.serviceLevelSec(q) * 1000);
    this.changed();
    return restored;
  }

  /** Contacts today's figures follow (a metric). */
  get following(): number {
    return this.ports.stats.following;
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  stop(): void {
    clearTimeout(this.timer);
    clearInterval(this.ticker);
    this.timer = undefined;
    this.ticker = undefined;
  }

  private push(): void {
    this.timer = undefined;
    this.lastPush = this.ports.now();
    let view: WallboardView;
    try {
      view = this.view();
    } catch (err) {
      this.ports.log.error('wallboard not built', { error: errorText(err) });
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(view, this.lastPush);
      } catch (err) {
        this.ports.log.error('wallboard push failed', { error: errorText(err) });
      }
    }
  }

  /** Midnight resets the figures (even with no event), contacts whose end was missed are dropped. */
  private startTicking(): void {
    if (this.ticker !== undefined) return;
    this.ticker = setInterval(() => {
      const now = this.ports.now();
      const newDay = this.ports.stats.rollover(now);
      if (newDay) {
        const live = new Set(this.ports.snapshot().contacts.map((c) => c.id));
        const dropped = this.ports.stats.sweep((id) => live.has(id));
        this.ports.log.info('wallboard day started', { day: this.ports.stats.today, dropped });
        this.changed();
      } else if (this.pendingBefore) {
        // A contact waiting at the last tick may have passed its threshold: the service level moves.
        this.changed();
      }
      this.pendingBefore = this.ports.stats.pendingWithin(now, (q) => this.ports.serviceLevelSec(q) * 1000);
    }, this.ports.tickMs ?? 1_000);
    this.ticker.unref();
  }
}
