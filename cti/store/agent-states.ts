import type { Collection, Db } from 'mongodb';
import type { AgentStateChange } from '../domain';

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

  constructor(db: Db) {
    this.col = db.collection<AgentStateDoc>('agentstates');
  }

  async append(changes: readonly AgentStateChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.col.insertMany(
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
}
