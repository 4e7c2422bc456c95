import { contactLogger, errorText, type Logger } from '../../lib/log';
import type { Draft, MessageOf } from '../../lib/messages';
import { within } from '../../lib/within';
import { RING_NO_ANSWER, timerId, type ContactStateChange, type CtiDomain, type Offer } from '../domain';
import { CallControlRefused } from '../app/call-control';
import type { ContactOwners } from '../app/owners';
import { TASK_REJECTED, type TaskRoutingPort } from '../app/routing';
import type { InteractionDoc, TimelineEntry } from '../store/interactions';
import { isTaskChannel, type TaskBook } from './book';
import type { TaskEndReason, TaskNotifier, TaskStatus } from './messages';

/** The longest a task offer waits for its interaction to be stored (the AS lets the agent read it then). */
const OFFER_STORE_WAIT_MS = 500;

/**
 * Interaction states that mean the task was never taken: a TaskCreated for one that CTI does not hold
 * (CTI stopped between storing its history and its own state) is routed again. Any other stored state
 * (accepted, completed, ended...) means the TaskCreated is a duplicate.
 */
const NOT_YET_TAKEN = new Set(['received', 'queued', 'offered']);

export type TaskPublication = Draft<'TaskOffered'> | Draft<'TaskAccepted'> | Draft<'TaskCompleted'>;

/** The routing commands a task needs (RoutingService implements them; plain functions in unit tests). */
export interface TaskCommands {
  /** False when the domain refused the contact (an unknown or closed queue). */
  taskArrived(contactId: string, queueId: string): Promise<boolean>;
  answered(contactId: string): Promise<void>;
  rejectTask(contactId: string): Promise<void>;
  completeTask(contactId: string): Promise<void>;
}

export interface TaskPorts {
  domain: CtiDomain;
  commands: TaskCommands;
  book: TaskBook;
  owners: ContactOwners;
  /** The interaction's stored state; undefined when ISAG wrote none. */
  storedState(contactId: string): Promise<string | undefined>;
  /** Resolves once the contact's history (the offer's agent) is stored. */
  historyStored(contactId: string): Promise<void>;
  record(contactId: string, entry: TimelineEntry, set: Partial<InteractionDoc>): Promise<void>;
  notify: TaskNotifier;
  /** On `cc.tasks` (ISAG consumes TaskCompleted). */
  publish(draft: TaskPublication): Promise<void>;
  log: Logger;
}

type AgentTaskCommand =
  | { type: 'accept-task'; contactId: string }
  | { type: 'reject-task'; contactId: string }
  | { type: 'complete-task'; contactId: string };

/**
 * Tasks (e-mail, SMS, fax) in CTI: ISAG's TaskCreated puts one in its queue (once: a duplicate is
 * acknowledged and ignored), routing offers it like a call (cti/domain: capacity per channel and in
 * all, a call blocking tasks), the holding agent accepts, rejects or completes it over interface A, and
 * each step is stored on the interaction and published on `cc.tasks` (docs/tasks.md).
 */
export class TaskService implements TaskRoutingPort {
  constructor(private readonly ports: TaskPorts) {}

  handles(contactId: string): boolean {
    return this.ports.book.has(contactId);
  }

  /** ISAG's TaskCreated: the task enters its queue unless CTI has it already or it was taken before. */
  async created(m: MessageOf<'TaskCreated'>): Promise<void> {
    const { domain, book } = this.ports;
    const log = contactLogger(this.ports.log, m.contactId);
    if (domain.contactView(m.contactId).ok || book.has(m.contactId)) {
      log.info('duplicate TaskCreated ignored: CTI holds the task');
      return;
    }
    const stored = await this.ports.storedState(m.contactId);
    if (stored === undefined || !NOT_YET_TAKEN.has(stored)) {
      log.warn('TaskCreated ignored', { why: stored === undefined ? 'no interaction' : `state ${stored}` });
      return;
    }
    const queue = domain.queueSnapshot(m.queueId);
    if (queue === undefined || queue.config.channel !== m.channel) {
      const reason =
        queue === undefined ? `unknown queue ${m.queueId}` : `queue ${m.queueId} is not ${m.channel}`;
      log.error('task not routable', { queueId: m.queueId, reason });
      await this.ports.record(
        m.contactId,
        { at: new Date(), type: 'Unroutable', data: { queueId: m.queueId, reason } },
        { state: 'unroutable' },
      );
      return;
    }
    book.set(m.contactId, {
      channel: m.channel,
      from: m.from,
      ...(m.subject === undefined ? {} : { subject: m.subject }),
      queueId: m.queueId,
    });
    if (!(await this.ports.commands.taskArrived(m.contactId, m.queueId))) book.delete(m.contactId);
  }

  /** ISAG's TaskUpdated: the agent holding the task is told; a waiting task needs nothing. */
  updated(m: MessageOf<'TaskUpdated'>): void {
    const view = this.ports.domain.contactView(m.contactId);
    if (!view.ok || view.value.agentId === undefined) return;
    this.ports.notify.toAgent(view.value.agentId, {
      type: 'task-message',
      contactId: m.contactId,
      messageId: m.messageId,
    });
  }

  /** The agent's accept-task, reject-task or complete-task: only on a task it holds, in the right state. */
  async act(agentId: string, m: AgentTaskCommand): Promise<void> {
    const view = this.ports.domain.contactView(m.contactId);
    if (!view.ok || !this.ports.book.has(m.contactId) || view.value.agentId !== agentId)
      throw new CallControlRefused('gone', `task ${m.contactId} is not offered to you`);
    const state = view.value.state;
    if (m.type === 'complete-task') {
      if (state !== 'connected')
        throw new CallControlRefused('illegal_state', `task ${m.contactId} is ${state}`);
      return this.ports.commands.completeTask(m.contactId);
    }
    if (state !== 'offered') throw new CallControlRefused('illegal_state', `task ${m.contactId} is ${state}`);
    if (m.type === 'accept-task') return this.ports.commands.answered(m.contactId);
    return this.ports.commands.rejectTask(m.contactId);
  }

  /** Routing offered a task: the agent's desktop shows it (once its interaction names the agent). */
  async offered(offer: Offer): Promise<void> {
    const info = this.ports.book.get(offer.contactId);
    const log = contactLogger(this.ports.log, offer.contactId);
    if (info === undefined) {
      log.error('task offered without its details', { agentId: offer.agentId });
      return;
    }
    await within(this.ports.historyStored(offer.contactId), OFFER_STORE_WAIT_MS, (err) =>
      log.warn('task offer not stored before it is shown', { error: errorText(err) }),
    );
    const view = this.ports.domain.contactView(offer.contactId);
    // Taken back meanwhile (a timeout, a supervisor): no stale offer.
    if (!view.ok || view.value.agentId !== offer.agentId || view.value.state !== 'offered') return;
    const ring = this.ports.domain.timer(timerId('ring', offer.contactId));
    log.info('task offered', { agentId: offer.agentId, queueId: offer.queueId });
    this.ports.notify.toAgent(offer.agentId, {
      type: 'task-offer',
      contactId: offer.contactId,
      queueId: offer.queueId,
      channel: info.channel,
      from: info.from,
      ...(info.subject === undefined ? {} : { subject: info.subject }),
      enteredAt: new Date(view.value.enqueuedAt).toISOString(),
      ...(ring === undefined ? {} : { expiresAt: new Date(ring.dueAt).toISOString() }),
    });
    await this.publish({ type: 'TaskOffered', contactId: offer.contactId, agentId: offer.agentId });
  }

  /** A task's state changed (stored already): its agent is told, the bus hears accept and completion. */
  async changed(change: ContactStateChange): Promise<void> {
    const agentId = change.agentId;
    const contactId = change.contactId;
    if (change.to === 'connected' && change.from === 'offered' && agentId !== undefined) {
      // On the interaction before the accept command ends: an agent's commands run one at a time, so no
      // completion reaches CTI's state before it, and a CTI killed between a completion's state write and
      // its interaction write finds `accepted` there (a TaskCreated redelivered then is a duplicate).
      await this.stored(contactId);
      this.ports.notify.toAgent(agentId, { type: 'task-accepted', contactId });
      await this.publish({ type: 'TaskAccepted', contactId, agentId });
      return;
    }
    if (change.to === 'waiting' && change.from === 'offered' && agentId !== undefined) {
      // The agent may no longer act on it (interface A checks the contact's agent), unless the same
      // outcome offered it back to that agent (nobody else could take it).
      const now = this.ports.domain.contactView(contactId);
      const backToIt = now.ok && now.value.agentId === agentId;
      if (!backToIt && this.ports.owners.agent(contactId) === agentId)
        this.ports.owners.clearAgent(contactId);
      const reason: TaskEndReason =
        change.reason === TASK_REJECTED
          ? 'rejected'
          : change.reason === RING_NO_ANSWER
            ? 'timed-out'
            : 'ended';
      this.ports.notify.toAgent(agentId, { type: 'task-ended', contactId, reason });
      return;
    }
    if (change.to !== 'ended') return;
    // The end is on the interaction before CTI forgets the task (its history is written behind, and
    // nothing waits for it after an agent's command or a timer): until then the book holds the task, and
    // from then on the stored state says it is done, so a TaskCreated redelivered at any time (ISAG's
    // outbox republishing after a restart) is a duplicate either way.
    await this.stored(contactId);
    this.ports.book.delete(contactId);
    this.ports.owners.forget(contactId);
    if (agentId === undefined) return;
    const completed = change.from === 'connected' || change.from === 'held';
    this.ports.notify.toAgent(agentId, {
      type: 'task-ended',
      contactId,
      reason: completed ? 'completed' : 'ended',
    });
    if (completed) await this.publish({ type: 'TaskCompleted', contactId, agentId });
  }

  /** The tasks the agent holds, for its snapshot. */
  tasksOf(agentId: string): TaskStatus[] {
    const out: TaskStatus[] = [];
    for (const contactId of this.ports.book.ids()) {
      const view = this.ports.domain.contactView(contactId);
      const info = this.ports.book.get(contactId);
      if (!view.ok || info === undefined || view.value.agentId !== agentId) continue;
      const offered = view.value.state === 'offered';
      const since = offered ? view.value.offeredAt : (view.value.answeredAt ?? view.value.offeredAt);
      out.push({
        contactId,
        queueId: view.value.queueId,
        channel: info.channel,
        from: info.from,
        ...(info.subject === undefined ? {} : { subject: info.subject }),
        state: offered ? 'offered' : 'accepted',
        since: new Date(since ?? view.value.enqueuedAt).toISOString(),
      });
    }
    return out;
  }

  /** Restored tasks (their domain contacts) get their details back from their interactions. */
  restoredIds(): string[] {
    return this.ports.domain
      .snapshot()
      .contacts.filter((c) => {
        const queue = this.ports.domain.queueSnapshot(c.queueId);
        return queue !== undefined && isTaskChannel(queue.config.channel);
      })
      .map((c) => c.id);
  }

  /** Resolves once the task's history asked so far is stored (a failed write is logged by its writer). */
  private stored(contactId: string): Promise<void> {
    return this.ports.historyStored(contactId).catch((err: unknown) => {
      contactLogger(this.ports.log, contactId).warn('task history not stored', { error: errorText(err) });
    });
  }

  /** A failed publication is logged: the task's state is stored, only the bus's listeners miss it. */
  private publish(draft: TaskPublication): Promise<void> {
    return this.ports.publish(draft).catch((err: unknown) => {
      this.ports.log.error('task event not published', { type: draft.type, error: errorText(err) });
    });
  }
}
