import type { Channel } from '../domain';

/** What an agent is shown of a task beyond routing: who sent it and about what (interface A `task-offer`). */
export interface TaskInfo {
  channel: Extract<Channel, 'email' | 'sms' | 'fax'>;
  from: string;
  subject?: string;
  queueId: string;
}

/** The fields of a stored interaction the book is rebuilt from after a restart. */
export interface StoredTask {
  _id: string;
  channel: string;
  from: string;
  subject?: string;
  queueId?: string;
}

const TASK_CHANNELS = new Set<string>(['email', 'sms', 'fax']);

export function isTaskChannel(channel: string): channel is TaskInfo['channel'] {
  return TASK_CHANNELS.has(channel);
}

/**
 * The tasks CTI routes (e-mail, SMS, fax), by contact id: the domain holds their state, this what the
 * agent's desktop shows. Entries come with TaskCreated and leave when the task ends; after a restart the
 * restored tasks' entries are read again from their interactions (ISAG wrote them before TaskCreated).
 */
export class TaskBook {
  private readonly tasks = new Map<string, TaskInfo>();

  set(contactId: string, info: TaskInfo): void {
    this.tasks.set(contactId, info);
  }

  get(contactId: string): TaskInfo | undefined {
    return this.tasks.get(contactId);
  }

  has(contactId: string): boolean {
    return this.tasks.has(contactId);
  }

  delete(contactId: string): void {
    this.tasks.delete(contactId);
  }

  ids(): IterableIterator<string> {
    return this.tasks.keys();
  }

  get size(): number {
    return this.tasks.size;
  }

  /** Rebuilds the entries of restored tasks from their interactions; answers the ids it could not. */
  load(docs: readonly StoredTask[], wanted: readonly string[]): string[] {
    const byId = new Map(docs.map((d) => [d._id, d]));
    const missing: string[] = [];
    for (const id of wanted) {
      const doc = byId.get(id);
      if (doc === undefined || !isTaskChannel(doc.channel) || doc.queueId === undefined) {
        missing.push(id);
        continue;
      }
      this.tasks.set(id, {
        channel: doc.channel,
        from: doc.from,
        ...(doc.subject === undefined ? {} : { subject: doc.subject }),
        queueId: doc.queueId,
      });
    }
    return missing;
  }
}
