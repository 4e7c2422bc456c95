import type { Collection, Db } from 'mongodb';
import type { AgentStateChange } from '../domain';
import { type RetryOptions, retryTransient } from '../../lib/transient';

interface AgentStateDoc {
  agentId: string;
  state: string;
  from: string;
  reason?: string;
  contactId?: string;
  at: Date;
}

/** Every agent state change, appended: the AS's per-agent reports (not-ready time by reason) read it. */
export class AgentStateStore {
  private readonly col: Collection<AgentStateDoc>;

  /** A store restarting delays a write (retryTransient) rather than failing the event being handled. */
  constructor(
    db: Db,
    private readonly retry: RetryOptions = {},
  ) {
    this.col = db.collection<AgentStateDoc>('agentstates');
  }

  async append(changes: readonly AgentStateChange[]): Promise<void> {
    if (changes.length === 0) return;
    const docs = changes.map((c) => ({
      agentId: c.agentId,
      state: c.to,
      from: c.from,
      at: new Date(c.at),
      ...(c.reason === undefined ? {} : { reason: c.reason }),
      ...(c.contactId === undefined ? {} : { contactId: c.contactId }),
    }));
    // A fresh copy per try: the driver adds an _id to each document it was given.
    await retryTransient(
      'agent states append',
      () => this.col.insertMany(docs.map((d) => ({ ...d }))),
      this.retry,
    );
  }
}
