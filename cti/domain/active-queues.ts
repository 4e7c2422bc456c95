import { IndexedHeap } from './indexed-heap';
import { qualifies, type ActiveEntry, type AgentRec, type QueueRec } from './records';

/**
 * Queues that have contacts waiting, in one heap per (channel, skill) ordered by service order: priority
 * (higher first), then the head contact's enqueue time. An agent that becomes free walks, for each of its
 * skills, that heap in order and stops at the first queue it qualifies for; the best of those is its next
 * contact. Queues with nobody waiting are not in any heap, so an idle system costs nothing to scan.
 */
export class ActiveQueueIndex {
  /** [channelIndex][skillId] */
  private readonly heaps: (IndexedHeap<ActiveEntry> | undefined)[][] = [];

  /** Call whenever the queue's head, priority or requirements may have changed. */
  refresh(queue: QueueRec): void {
    const head = queue.waiting.head();
    if (!head) {
      this.detach(queue);
      return;
    }
    queue.headAt = head.enqueuedAt;
    queue.headSeq = head.seq;
    for (const entry of queue.activeEntries) {
      const heap = this.heap(queue.channelIndex, entry.skill);
      if (heap.has(entry)) heap.update(entry);
      else heap.push(entry);
    }
  }

  detach(queue: QueueRec): void {
    for (const entry of queue.activeEntries) this.heaps[queue.channelIndex]?.[entry.skill]?.remove(entry);
  }

  /** The queue whose head this agent should serve next on this channel, if any. */
  bestFor(agent: AgentRec, channelIndex: number): QueueRec | undefined {
    const perSkill = this.heaps[channelIndex];
    if (!perSkill) return undefined;
    let best: ActiveEntry | undefined;
    for (const skill of agent.skillIds) {
      const heap = perSkill[skill];
      if (!heap || heap.size === 0) continue;
      // Stop as soon as the walk reaches queues no better than the best found so far.
      const found = heap.walk(
        (e) => (best !== undefined && !serveBefore(e, best)) || qualifies(agent, e.queue.reqs),
      );
      if (found && (best === undefined || serveBefore(found, best)) && qualifies(agent, found.queue.reqs)) {
        best = found;
      }
    }
    return best?.queue;
  }

  private heap(channelIndex: number, skill: number): IndexedHeap<ActiveEntry> {
    const perSkill = (this.heaps[channelIndex] ??= []);
    return (perSkill[skill] ??= new IndexedHeap<ActiveEntry>(serveBefore));
  }
}

export function queueServedBefore(a: QueueRec, b: QueueRec): boolean {
  const pa = a.config.priority;
  const pb = b.config.priority;
  if (pa !== pb) return pa > pb;
  if (a.headAt !== b.headAt) return a.headAt < b.headAt;
  return a.headSeq < b.headSeq;
}

function serveBefore(a: ActiveEntry, b: ActiveEntry): boolean {
  return queueServedBefore(a.queue, b.queue);
}
