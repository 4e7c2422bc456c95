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

  requested(contactId: string, number: string, queueId: string, softacd: string | undefined): void {
    this.entries.set(contactId, { number, queueId, softacd, callerOnLine: true });
  }

  get(contactId: string): CallbackEntry | undefined {
    return this.entries.get(contactId);
  }

  /** The caller who asked hung up: returns the offer that waited for it, if any. */
  callerLeft(contactId: string): { agentId: string; queueId: string } | undefined {
    const entry = this.entries.get(contactId);
    if (entry === undefined) return undefined;
    entry.callerOnLine = false;
    const pending = entry.pending;
    delete entry.pending;
    return pending;
  }

  remove(contactId: string): void {
    this.entries.delete(contactId);
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
