import { errorText, type Logger } from '../../lib/log';
import type { MessageOf } from '../../lib/messages';
import type { CtiDomain, Outcome, Result } from '../domain';
import type {
  AgentContact,
  AgentEntry,
  DirectoryData,
  DirectorySource,
  QueueEntry,
  StaffEntry,
} from './directory';

export type DirectoryResult = { what: string; result: Result<Outcome> };

export interface LiveDirectoryPorts {
  source: DirectorySource;
  domain: CtiDomain;
  log: Logger;
}

/**
 * The AS's directory as CTI uses it, kept current while CTI runs: at start the whole directory is
 * applied to the (fresh or restored) domain, then every ConfigChanged the AS publishes (as/outbox/)
 * applies one change. The event names what changed; the record is read again from the store, so a
 * repeated, late or spurious event changes nothing. Agents are read one by one; queues and reasons (a
 * handful) whole, so a rename or a delete is seen as such.
 * The maps here are the ones routing, call control and call events read: they change in place.
 */
export class LiveDirectory {
  readonly contacts = new Map<string, AgentContact>();
  readonly ringTimeoutSec = new Map<string, number>();
  readonly recordingQueues = new Set<string>();
  readonly queueNames = new Set<string>();
  /** Supervisors and administrators by id: the queues each one's wallboard covers (cti/supervisor/). */
  readonly staff = new Map<string, StaffEntry>();
  /** Each queue's service-level threshold in seconds (the AS's `serviceLevelSec`). */
  readonly serviceLevelSec = new Map<string, number>();
  private readonly reasons = new Set<string>();
  private readonly fallbacks = new Map<string, string | undefined>();
  /** One change at a time, in arrival order: a slower read must not apply an older state last. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly ports: LiveDirectoryPorts) {}

  /** Not-ready reasons come from the AS's configured list (as/models/not-ready-reason.ts). */
  allowsReason(reason: string): boolean {
    return this.reasons.has(reason);
  }

  get reasonList(): string[] {
    return [...this.reasons].sort();
  }

  /**
   * The whole directory against the domain: queues and agents added or updated, those the domain has
   * and the directory lacks removed (changed while CTI was down). Answers what each command produced.
   */
  reconcile(data: DirectoryData): DirectoryResult[] {
    this.setReasons(data.reasons);
    if (data.staff !== undefined) {
      this.staff.clear();
      for (const entry of data.staff) this.staff.set(entry.id, entry);
    }
    const results = this.reconcileQueues(data.queues, false);
    const listed = new Set<string>();
    for (const entry of data.agents) {
      listed.add(entry.input.id);
      results.push(this.upsertAgent(entry));
    }
    for (const a of this.ports.domain.snapshot().agents) {
      if (listed.has(a.config.id)) continue;
      this.contacts.delete(a.config.id);
      results.push({
        what: `agent ${a.config.id} removed`,
        result: this.ports.domain.removeAgent(a.config.id),
      });
    }
    results.push(...this.removeQueues(data.queues));
    return results;
  }

  /** Applies one change event; the results are handed to `apply` (the routing service) in order. */
  changed(
    message: MessageOf<'ConfigChanged'>,
    apply: (result: Result<Outcome>, what: string) => Promise<void>,
  ): Promise<void> {
    const run = this.chain.then(async () => {
      const results = await this.read(message);
      for (const { what, result } of results) {
        if (!result.ok)
          this.ports.log.warn('directory change refused', { what, error: result.error.message });
        else await apply(result, what);
      }
      this.ports.log.info('directory change applied', {
        entity: message.entity,
        entityId: message.entityId,
        action: message.action,
        changes: results.length,
      });
    });
    this.chain = run.catch((err: unknown) =>
      this.ports.log.error('directory change failed', { entityId: message.entityId, error: errorText(err) }),
    );
    return run;
  }

  private async read(message: MessageOf<'ConfigChanged'>): Promise<DirectoryResult[]> {
    const { source, domain } = this.ports;
    switch (message.entity) {
      case 'agent': {
        await this.readStaff(message.entityId);
        const entry = await source.agent(message.entityId);
        if (entry !== undefined) return [this.upsertAgent(entry)];
        this.contacts.delete(message.entityId);
        if (!domain.agentView(message.entityId).ok) return [];
        return [{ what: `agent ${message.entityId} removed`, result: domain.removeAgent(message.entityId) }];
      }
      case 'queue': {
        const queues = await source.queues();
        return [...this.reconcileQueues(queues, true), ...this.removeQueues(queues)];
      }
      case 'reason':
        this.setReasons(await source.reasons());
        return [];
      case 'ivrflow':
        return []; // the IVR's business (stasis-app/ivr)
      case 'hours':
        return []; // business hours: closed-hours.ts reloads them
    }
  }

  /** A person's supervision scope, read again on every change of its record (a store without it: none). */
  private async readStaff(id: string): Promise<void> {
    const source = this.ports.source;
    if (source.staff === undefined) return;
    const entry = await source.staff(id);
    if (entry === undefined) this.staff.delete(id);
    else this.staff.set(id, entry);
  }

  private upsertAgent(entry: AgentEntry): DirectoryResult {
    const domain = this.ports.domain;
    const id = entry.input.id;
    this.contacts.set(id, entry.contact);
    const known = domain.agentView(id).ok;
    return {
      what: `agent ${id}`,
      result: known ? domain.updateAgent(entry.input) : domain.addAgent(entry.input),
    };
  }

  /** Adds and updates first: a deleted queue's fallback may be new. */
  private reconcileQueues(entries: readonly QueueEntry[], onlyChanged: boolean): DirectoryResult[] {
    const domain = this.ports.domain;
    const results: DirectoryResult[] = [];
    for (const q of entries) {
      const id = q.input.id;
      const before = domain.queueSnapshot(id)?.config;
      this.ringTimeoutSec.set(id, q.ringTimeoutSec);
      if (q.serviceLevelSec === undefined) this.serviceLevelSec.delete(id);
      else this.serviceLevelSec.set(id, q.serviceLevelSec);
      if (q.recording) this.recordingQueues.add(id);
      else this.recordingQueues.delete(id);
      this.queueNames.add(id);
      this.fallbacks.set(id, q.fallbackQueue);
      if (before === undefined) results.push({ what: `queue ${id}`, result: domain.addQueue(q.input) });
      else if (!onlyChanged || !sameQueue(before, q.input))
        results.push({ what: `queue ${id}`, result: domain.updateQueue(q.input) });
    }
    return results;
  }

  private removeQueues(entries: readonly QueueEntry[]): DirectoryResult[] {
    const domain = this.ports.domain;
    const listed = new Set(entries.map((q) => q.input.id));
    const results: DirectoryResult[] = [];
    for (const q of domain.snapshot().queues) {
      const id = q.config.id;
      if (listed.has(id)) continue;
      const fallback = this.fallbacks.get(id);
      this.queueNames.delete(id);
      this.ringTimeoutSec.delete(id);
      this.serviceLevelSec.delete(id);
      this.recordingQueues.delete(id);
      this.fallbacks.delete(id);
      results.push({ what: `queue ${id} removed`, result: domain.removeQueue(id, fallback) });
    }
    return results;
  }

  private setReasons(names: readonly string[]): void {
    this.reasons.clear();
    for (const name of names) this.reasons.add(name);
  }
}

/** Whether a stored queue's settings already are the given ones (an unchanged queue is not updated). */
function sameQueue(config: object, input: QueueEntry['input']): boolean {
  const current = new Map(Object.entries(config));
  return Object.entries(input).every(([k, v]) => JSON.stringify(current.get(k)) === JSON.stringify(v));
}
