/**
 * Whether an inbound message continues an interaction: plain logic over what the store answered.
 * E-mail names its parents by Message-ID (In-Reply-To, then References newest first); SMS continues the
 * sender's open conversation.
 */

/** A Message-ID without its angle brackets and surrounding blanks; empty when there is none. */
export function bareMessageId(raw: string): string {
  return raw.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
}

/** The Message-IDs a References / In-Reply-To header value names, in order (they are `<...>` tokens). */
export function messageIdsIn(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const parts = typeof value === 'string' ? [value] : value;
  const out: string[] = [];
  for (const part of parts) {
    const tokens = part.match(/<[^<>\s]+>/g);
    if (tokens === null) {
      const bare = bareMessageId(part);
      if (bare !== '' && !/\s/.test(bare)) out.push(bare);
    } else {
      for (const t of tokens) out.push(bareMessageId(t));
    }
  }
  return out;
}

/** At most this many parents are looked up: a References header can be long, and is the sender's. */
export const MAX_THREAD_IDS = 20;

/** The ids to look up, nearest parent first, each once: In-Reply-To, then References from the end. */
export function threadCandidates(
  inReplyTo: string | readonly string[] | undefined,
  references: string | readonly string[] | undefined,
): string[] {
  const ordered = [...messageIdsIn(inReplyTo), ...messageIdsIn(references).reverse()];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of ordered) {
    if (id === '' || seen.has(id)) continue;
    seen.add(id);
    out.push(id);
    if (out.length === MAX_THREAD_IDS) break;
  }
  return out;
}

/** What the store holds of an interaction, as far as threading needs it. */
export interface InteractionSummary {
  id: string;
  channel: string;
  /** The customer's address or number (`from` of the interaction). */
  from: string;
  state: string;
  endedAt?: Date;
}

/**
 * States in which CTI is done with an interaction (a task completed, a call cleared; docs/tasks.md), or
 * will never route it (`unroutable`: its queue was unknown): a message does not join those.
 */
const CLOSED_STATES: ReadonlySet<string> = new Set([
  'completed',
  'unroutable',
  'ended',
  'cleared',
  'closed',
  'timed-out',
  'abandoned',
  'failed',
  'callback-failed',
]);

export function isOpen(i: InteractionSummary): boolean {
  return i.endedAt === undefined && !CLOSED_STATES.has(i.state);
}

export type ThreadDecision = { kind: 'join'; interactionId: string } | { kind: 'new'; previous?: string };

const sameSender = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Joins the interaction of the nearest parent found, if it is open, on the same channel and from the
 * same sender; a completed one is continued by a new task that names it (`previous`). Only the sender
 * of the interaction may add to it: a Message-ID is no secret (it travels in every copy of the mail),
 * so a stranger quoting it starts a task of their own.
 */
export function decideThread(
  candidates: readonly string[],
  parents: ReadonlyMap<string, string>,
  interactions: ReadonlyMap<string, InteractionSummary>,
  message: { channel: string; from: string },
): ThreadDecision {
  for (const id of candidates) {
    const interactionId = parents.get(id);
    if (interactionId === undefined) continue;
    const i = interactions.get(interactionId);
    if (i === undefined) continue;
    if (i.channel !== message.channel || !sameSender(i.from, message.from)) continue;
    return isOpen(i) ? { kind: 'join', interactionId: i.id } : { kind: 'new', previous: i.id };
  }
  return { kind: 'new' };
}

/**
 * SMS: the newest interaction of this sender on this channel, joined while open; once it is closed the
 * next message opens a new one that names it.
 */
export function decideConversation(latest: InteractionSummary | undefined): ThreadDecision {
  if (latest === undefined) return { kind: 'new' };
  return isOpen(latest) ? { kind: 'join', interactionId: latest.id } : { kind: 'new', previous: latest.id };
}
