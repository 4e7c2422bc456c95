import type { Collection, Db } from 'mongodb';
import type { AgentStateChange } from '../domain';
import { GroupCommit } from '../../lib/group-commit';
import { type RetryOptions, firstRefusedIndex, isTransient, retryTransient } from '../../lib/transient';

interface AgentStateDoc {
  agentId: string;
  state: string;
  from: string;
  reason?: string;
  contactId?: string;
  at: Date;
}

/**
 * Every agent state change, appended: the AS's per-agent reports (not-ready time by reason) read it.
 * The changes of a moment share one `insertMany` (lib/group-commit.ts).
 */
export class AgentStateStore {
  private readonly col: Collection<AgentStateDoc>;
  private readonly batch: GroupCommit<AgentStateDoc[]>;

  /**
   * A store restarting delays a write (retryTransient) rather than failing the event being handled.
   * `intervalMs`: batches at least this far apart (one `insertMany` for more agents' changes).
   */
  constructor(
    db: Db,
    private readonly retry: RetryOptions = {},
    intervalMs = 0,
  ) {
    this.col = db.collection<AgentStateDoc>('agentstates');
    this.batch = new GroupCommit<AgentStateDoc[]>((appends) => this.write(appends), intervalMs);
  }

  append(changes: readonly AgentStateChange[]): Promise<void> {
    if (changes.length === 0) return Promise.resolve();
    return this.batch.submit(
      changes.map((c) => ({
        agentId: c.agentId,
        state: c.to,
        from: c.from,
        at: new Date(c.at),
        ...(c.reason === undefined ? {} : { reason: c.reason }),
        ...(c.contactId === undefined ? {} : { contactId: c.contactId }),
      })),
    );
  }

  private async write(appends: ReadonlyArray<AgentStateDoc[]>): Promise<unknown[] | void> {
    try {
      await this.insert(appends.flat());
    } catch (err) {
      if (isTransient(err)) throw err;
      // One refused document must not fail the other appends. In order, the documents before it are
      // stored; the appends from the one that holds it on are inserted each on its own.
      let stored = firstRefusedIndex(err);
      const errors: unknown[] = [];
      for (const docs of appends) {
        if (stored >= docs.length) {
          stored -= docs.length;
          errors.push(undefined);
          continue;
        }
        const rest = docs.slice(stored);
        stored = 0;
        errors.push(
          await this.insert(rest).then(
            () => undefined,
            (e: unknown) => e,
          ),
        );
      }
      return errors;
    }
  }

  private async insert(docs: AgentStateDoc[]): Promise<void> {
    // A fresh copy per try: the driver adds an _id to each document it was given.
    await retryTransient(
      'agent states append',
      () => this.col.insertMany(docs.map((d) => ({ ...d }))),
      this.retry,
    );
  }
}
