/**
 * The callbacks CTI has promised: the number to call and which SoftACD is to dial it, by contact id,
 * from CallbackRequested until the callback connects and ends, or fails for good. The routing domain
 * keeps the entry's place in the queue; this book keeps what the domain does not know about (numbers,
 * instances) and whether the caller who asked is still on the line (the dial waits for the hang-up).
 */
export interface CallbackEntry {
  readonly number: string;
  readonly queueId: string;
  /** The SoftACD that took the caller's call: it dials the callback. */
  readonly softacd: string | undefined;
  /** The caller is still in the IVR (hearing the confirmation); the dial waits for its hang-up. */
  callerOnLine: boolean;
  /** An offer made while the caller was still on the line, dialled when it hangs up. */
  pending?: { agentId: string; queueId: string };
}

/** What a callback can dial: a phone number, never a dial string (no `@`, `/`, `&`, spaces). */
export const DIALABLE = /^\+?[0-9*#]{1,32}$/;

export class CallbackBook {
  private readonly entries = new Map<string, CallbackEntry>();
  /** Entries changed since the persister last took them (cti/app/persistence.ts). */
  private readonly changed = new Set<string>();

  requested(contactId: string, number: string, queueId: string, softacd: string | undefined): void {
    this.entries.set(contactId, { number, queueId, softacd, callerOnLine: true });
    this.changed.add(contactId);
  }

  /** An offer made while the caller is still on the line waits for its hang-up. */
  setPending(contactId: string, pending: { agentId: string; queueId: string }): void {
    const entry = this.entries.get(contactId);
    if (entry === undefined) return;
    entry.pending = pending;
    this.changed.add(contactId);
  }

  /** The entry as it is now (read it; change it through this book's methods only). */
  get(contactId: string): Readonly<CallbackEntry> | undefined {
    return this.entries.get(contactId);
  }

  /** The caller who asked hung up: returns the offer that waited for it, if any. */
  callerLeft(contactId: string): { agentId: string; queueId: string } | undefined {
    const entry = this.entries.get(contactId);
    if (entry === undefined) return undefined;
    entry.callerOnLine = false;
    this.changed.add(contactId);
    const pending = entry.pending;
    delete entry.pending;
    return pending;
  }

  remove(contactId: string): void {
    if (this.entries.delete(contactId)) this.changed.add(contactId);
  }

  /** The entries changed since the last call of this (and forgets them). */
  takeChanged(): string[] {
    const ids = [...this.changed];
    this.changed.clear();
    return ids;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The book as plain data, stored with CTI's state (cti/app/persistence.ts). */
  snapshot(): Array<CallbackEntry & { contactId: string }> {
    return [...this.entries].map(([contactId, e]) => ({ contactId, ...e }));
  }

  static restore(entries: ReadonlyArray<CallbackEntry & { contactId: string }>): CallbackBook {
    const book = new CallbackBook();
    for (const { contactId, ...e } of entries) book.entries.set(contactId, { ...e });
    return book;
  }
}
