import {
  bucketOf,
  bucketStarts,
  contactFigures,
  type ContactSummary,
  type QueueFigures,
  type ReportWindow,
} from './reports';

/**
 * What the reports page shows for a selection of queues (one, or all the caller may see): per interval
 * and over the whole range, the selection's contacts taken together, plus each queue over the range.
 * Computed from the contacts themselves rather than by adding queue rows, so service level, ASA and AHT
 * of several queues are exact (a mean of rounded means is not), each contact held to its own queue's
 * threshold.
 */
export interface QueueSummary {
  /** The queues the figures cover, by name. */
  queues: string[];
  intervals: (QueueFigures & { intervalStart: Date })[];
  total: QueueFigures;
  byQueue: (QueueFigures & { queueId: string })[];
  /**
   * The selection per channel (voice for calls, email, sms, fax for tasks), each channel once, in the
   * order its first queue comes: how many contacts of each kind were offered and handled.
   */
  byChannel: (QueueFigures & { channel: string })[];
}

export function queueSummary(
  contacts: readonly ContactSummary[],
  window: ReportWindow,
  thresholdSecByQueue: ReadonlyMap<string, number>,
  /** Each queue's channel; a queue missing here is a call queue (stored before queues had one). */
  channelByQueue: ReadonlyMap<string, string> = new Map(),
): QueueSummary {
  const starts = bucketStarts(window);
  const byBucket = starts.map(() => [] as ContactSummary[]);
  const byQueue = new Map<string, ContactSummary[]>([...thresholdSecByQueue.keys()].map((q) => [q, []]));
  const inWindow: ContactSummary[] = [];
  for (const c of contacts) {
    if (!c.queuedAt || typeof c.queueId !== 'string') continue;
    const ofQueue = byQueue.get(c.queueId);
    const b = bucketOf(c.queuedAt, window);
    if (ofQueue === undefined || b === null) continue;
    ofQueue.push(c);
    byBucket[b]?.push(c);
    inWindow.push(c);
  }
  const thresholdOf = (c: ContactSummary) => thresholdSecByQueue.get(c.queueId as string) ?? 0;
  const byChannel = new Map<string, ContactSummary[]>();
  for (const [queueId, of] of byQueue) {
    const channel = channelByQueue.get(queueId) ?? 'voice';
    byChannel.set(channel, [...(byChannel.get(channel) ?? []), ...of]);
  }
  return {
    queues: [...thresholdSecByQueue.keys()],
    intervals: starts.map((intervalStart, b) => ({
      intervalStart,
      ...contactFigures(byBucket[b] ?? [], thresholdOf),
    })),
    total: contactFigures(inWindow, thresholdOf),
    byQueue: [...byQueue].map(([queueId, of]) => ({ queueId, ...contactFigures(of, thresholdOf) })),
    byChannel: [...byChannel].map(([channel, of]) => ({ channel, ...contactFigures(of, thresholdOf) })),
  };
}

export interface SkillLevel {
  name: string;
  level: number;
}
export interface SkillNeed {
  name: string;
  minLevel: number;
}

/**
 * Whether an agent belongs to a queue's team: it holds every skill the queue asks for at the level asked
 * (the rule CTI routes by, cti/app/outbound.ts). A queue that asks for no skill takes every agent.
 */
export function servesQueue(agentSkills: readonly SkillLevel[], needs: readonly SkillNeed[]): boolean {
  const levels = new Map(agentSkills.map((s) => [s.name, s.level]));
  return needs.every((n) => (levels.get(n.name) ?? 0) >= n.minLevel);
}
