/**
 * FerretDB v1 applies an update by reading the document, changing it in its own process and writing the
 * whole document back, with no lock between the read and the write: of two updates of one document at
 * the same moment, one is lost (34 of 48 concurrent pairs on this machine kind, printed by
 * spec/integration/as/concurrent-writes.spec.ts; docs/as.md). An interaction has several writers (CTI's
 * write-behind, ISAG, the AS for what agents enter), so a write an agent was told is saved is read back
 * once the other writers had time to land, and applied again while it is not there.
 */
export interface UntilSeenOptions {
  /** Writes at most (the first one included). */
  attempts: number;
  /** How long a concurrent update that read before this write may take to write back. */
  settleMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export const UNTIL_SEEN_DEFAULTS: UntilSeenOptions = { attempts: 5, settleMs: 250 };

/** The write was overwritten every time it was applied. */
export class WriteLostError extends Error {
  constructor(readonly attempts: number) {
    super(`the write was overwritten by concurrent updates ${attempts} times`);
    this.name = 'WriteLostError';
  }
}

/**
 * Applies `write`, waits `settleMs`, and answers how many writes it took once `seen` finds it stored.
 * `write` must be safe to repeat when it was lost: a lost update took all of itself with it, so applying
 * it again adds nothing twice as long as `seen` looks for the write's own mark (its time, its author).
 */
export async function writeUntilSeen(
  write: () => Promise<void>,
  seen: () => Promise<boolean>,
  options: Partial<UntilSeenOptions> = {},
): Promise<number> {
  const o = { ...UNTIL_SEEN_DEFAULTS, ...options };
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    await write();
    await sleep(o.settleMs);
    if (await seen()) return attempt;
  }
  throw new WriteLostError(o.attempts);
}
