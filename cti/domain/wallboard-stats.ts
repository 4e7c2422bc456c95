import type { ContactStateChange } from './types';

/**
 * Today's figures per queue for the supervisor's wallboard, counted from the contact state changes the
 * domain produces (never read back from the store). Pure: the day of an instant comes from `dayOf`
 * (wallboard.ts's `dayInZone`), so "today" is whatever calendar day the configured time zone says.
 *
 * - offered: contacts that entered the queue today (new -> waiting). A contact moved to another queue
 *   takes its offer with it (the source counts it no more, the target does).
 * - answered: the first answer of a contact offered today (a retrieve, a transfer's take-over or a
 *   contact answered again after a missed offer is not a second answer); its wait is answer - enqueue.
 * - abandoned: a contact offered today that ended unanswered with no reason, i.e. the caller hung up
 *   (while waiting, while an agent's phone rang, or a callback the customer cancelled). Every abandon
 *   counts, short ones too. Contacts that left otherwise (queue timeout, queue deleted, failed callback)
 *   are `left`: neither answered nor abandoned.
 * - service level: answered within the queue's threshold / offered, where offered leaves out the
 *   contacts still waiting (or ringing) within the threshold: they may yet be answered in time. Abandoned
 *   and left contacts are in the denominator (whenever they left) and so lower it; a contact still
 *   unanswered past the threshold lowers it too. Null while no contact counts yet.
 * - ASA: the average wait of today's answered contacts; null before the first answer.
 */
export interface QueueCounters {
  offered: number;
  answered: number;
  answeredInThreshold: number;
  abandoned: number;
  left: number;
  waitSumMs: number;
}

export interface QueueFigures extends QueueCounters {
  /** 0..1; null while nothing was offered today. */
  serviceLevel: number | null;
  asaMs: number | null;
}

interface LiveEntry {
  queueId: string;
  day: string;
  answered: boolean;
  enqueuedAt: number;
}

/** A contact of the stored history (a restarted CTI's figures start from today's). */
export interface PastContact {
  contactId: string;
  queueId: string;
  queuedAt: number;
  answeredAt?: number;
  ended: boolean;
  abandoned: boolean;
}

export interface ObserveContext {
  /** When the contact entered its queue (the domain's view of it), to measure its wait at the answer. */
  enqueuedAt?: number;
  /** The queue's service-level threshold. */
  thresholdMs: (queueId: string) => number;
}

export const ZERO: QueueCounters = {
  offered: 0,
  answered: 0,
  answeredInThreshold: 0,
  abandoned: 0,
  left: 0,
  waitSumMs: 0,
};

export class DailyStats {
  private day: string;
  private readonly counters = new Map<string, QueueCounters>();
  /** Contacts counted as offered, until they end (removed on `ended`; `sweep` drops strays). */
  private readonly live = new Map<string, LiveEntry>();

  constructor(
    private readonly dayOf: (ms: number) => string,
    now: number,
  ) {
    this.day = dayOf(now);
  }

  get today(): string {
    return this.day;
  }

  /** Live contacts followed (a metric: it must stay near the number of contacts CTI holds). */
  get following(): number {
    return this.live.size;
  }

  /** Starts a new day when `now` is past midnight; true when it did (every figure is zero again). */
  rollover(now: number): boolean {
    const day = this.dayOf(now);
    if (day === this.day) return false;
    this.day = day;
    this.counters.clear();
    return true;
  }

  /**
   * Today's figures from the stored interactions (at start, before any event): the same rules, from
   * each contact's queue, enqueue, answer and end; those not ended are followed from here.
   */
  restore(rows: readonly PastContact[], thresholdMs: (queueId: string) => number): number {
    let restored = 0;
    for (const r of rows) {
      if (this.dayOf(r.queuedAt) !== this.day || this.live.has(r.contactId)) continue;
      restored++;
      const answered = r.answeredAt !== undefined;
      const waitMs = answered ? Math.max(0, (r.answeredAt ?? r.queuedAt) - r.queuedAt) : 0;
      this.add(r.queueId, {
        offered: 1,
        ...(answered
          ? { answered: 1, answeredInThreshold: waitMs <= thresholdMs(r.queueId) ? 1 : 0, waitSumMs: waitMs }
          : r.ended
            ? r.abandoned
              ? { abandoned: 1 }
              : { left: 1 }
            : {}),
      });
      if (!r.ended)
        this.live.set(r.contactId, { queueId: r.queueId, day: this.day, answered, enqueuedAt: r.queuedAt });
    }
    return restored;
  }

  /** Applies one contact state change; true when a figure changed. */
  observe(change: ContactStateChange, ctx: ObserveContext): boolean {
    this.rollover(change.at);
    const entry = this.live.get(change.contactId);
    if (change.from === 'new') {
      if (change.to !== 'waiting') return false; // outbound contacts are never offered by a queue
      this.live.set(change.contactId, {
        queueId: change.queueId,
        day: this.day,
        answered: false,
        enqueuedAt: ctx.enqueuedAt ?? change.at,
      });
      this.add(change.queueId, { offered: 1 });
      return true;
    }
    if (entry === undefined) return false;
    const counted = entry.day === this.day;
    if (change.to === 'ended') {
      this.live.delete(change.contactId);
      if (!counted || entry.answered) return false;
      if (change.reason === undefined) this.add(entry.queueId, { abandoned: 1 });
      else this.add(entry.queueId, { left: 1 });
      return true;
    }
    if (change.queueId !== entry.queueId) {
      const from = entry.queueId;
      entry.queueId = change.queueId;
      if (!counted || entry.answered) return false;
      this.add(from, { offered: -1 });
      this.add(change.queueId, { offered: 1 });
      return true;
    }
    const firstAnswer =
      change.to === 'connected' &&
      (change.from === 'offered' || change.from === 'ringing') &&
      !entry.answered;
    if (!firstAnswer) return false;
    entry.answered = true;
    if (!counted) return false;
    const waitMs = Math.max(0, change.at - (ctx.enqueuedAt ?? change.at));
    this.add(entry.queueId, {
      answered: 1,
      answeredInThreshold: waitMs <= ctx.thresholdMs(entry.queueId) ? 1 : 0,
      waitSumMs: waitMs,
    });
    return true;
  }

  /**
   * The queues' figures at `now`. `thresholdMs` decides which unanswered contacts of today are still
   * within their queue's threshold (left out of the service level's denominator).
   */
  figures(now: number, thresholdMs: (queueId: string) => number): Map<string, QueueFigures> {
    const pending = new Map<string, number>();
    for (const e of this.live.values()) {
      if (e.answered || e.day !== this.day || now - e.enqueuedAt > thresholdMs(e.queueId)) continue;
      pending.set(e.queueId, (pending.get(e.queueId) ?? 0) + 1);
    }
    const out = new Map<string, QueueFigures>();
    for (const [queueId, c] of this.counters) {
      const counted = c.offered - (pending.get(queueId) ?? 0);
      out.set(queueId, {
        ...c,
        serviceLevel: counted <= 0 ? null : Math.min(1, c.answeredInThreshold / counted),
        asaMs: c.answered === 0 ? null : Math.round(c.waitSumMs / c.answered),
      });
    }
    return out;
  }

  /** Whether some contact of today is unanswered within its threshold (its crossing changes a figure). */
  pendingWithin(now: number, thresholdMs: (queueId: string) => number): boolean {
    for (const e of this.live.values())
      if (!e.answered && e.day === this.day && now - e.enqueuedAt <= thresholdMs(e.queueId)) return true;
    return false;
  }

  /** Drops followed contacts the domain no longer holds (an end CTI never saw, e.g. across a restart). */
  sweep(isLive: (contactId: string) => boolean): number {
    let dropped = 0;
    for (const id of [...this.live.keys()]) {
      if (isLive(id)) continue;
      this.live.delete(id);
      dropped++;
    }
    return dropped;
  }

  private add(queueId: string, delta: Partial<QueueCounters>): void {
    const c = { ...(this.counters.get(queueId) ?? ZERO) };
    c.offered = Math.max(0, c.offered + (delta.offered ?? 0));
    c.answered += delta.answered ?? 0;
    c.answeredInThreshold += delta.answeredInThreshold ?? 0;
    c.abandoned += delta.abandoned ?? 0;
    c.left += delta.left ?? 0;
    c.waitSumMs += delta.waitSumMs ?? 0;
    this.counters.set(queueId, c);
  }
}
