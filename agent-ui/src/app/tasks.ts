import type { MessagesApi } from '../adapters/messages-api';
import type { ClientMessage, ServerMessage } from '../domain/interface-a';
import {
  initialTasks,
  parseCapacity,
  reduceTasks,
  type Capacity,
  type TasksInput,
  type TasksState,
} from '../domain/tasks';
import { STRINGS } from '../strings';
import { Store } from './store';
import { channelLabel, endedReason } from './tasks-labels';
import { ConversationController } from './tasks-thread';

export interface InboxView {
  tasks: TasksState;
  capacity: Capacity;
  /** What the inbox's live region reads out: a new offer, a task that ended. */
  announcement: string;
}

export interface TasksDeps {
  /** Sends to CTI (interface A); false when not connected. */
  send: (m: ClientMessage) => void;
  messages: MessagesApi;
  /** Saves a disposition and notes (the AS's interaction routes, as after a call). */
  saveWrapUp: (contactId: string, disposition: string, notes: string) => Promise<void>;
  log: (message: string, data?: unknown) => void;
  now?: () => number;
}

const TASK_INPUTS = new Set<string>([
  'snapshot',
  'error',
  'task-offer',
  'task-accepted',
  'task-ended',
  'task-message',
]);

/**
 * The inbox's composition: feeds CTI's task messages and the agent's clicks through the task table
 * (domain/tasks.ts), sends accept-task, reject-task and complete-task, and keeps the open
 * conversation (tasks-thread.ts) on the selected task.
 */
export class TasksController {
  readonly view = new Store<InboxView>({ tasks: initialTasks, capacity: { maxTasks: {} }, announcement: '' });
  readonly conversation: ConversationController;

  constructor(private readonly deps: TasksDeps) {
    this.conversation = new ConversationController(deps.messages, deps.log);
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private step(input: TasksInput): void {
    const before = this.view.get().tasks;
    const { state, problem } = reduceTasks(before, input, this.now());
    if (problem !== undefined) this.deps.log(`inbox refused: ${problem}`);
    if (state === before) return;
    const said = this.announcement(input, before, state);
    this.view.update({ tasks: state, ...(said === undefined ? {} : { announcement: said }) });
    this.conversation.open(state.selected);
    if (input.type === 'task-message') this.conversation.changed(input.contactId);
  }

  private announcement(input: TasksInput, before: TasksState, after: TasksState): string | undefined {
    if (input.type === 'task-offer' && !before.tasks.some((t) => t.contactId === input.contactId)) {
      return STRINGS.taskOfferAnnounce(channelLabel(input.channel), input.from);
    }
    const notice = after.notice;
    if (input.type === 'task-ended' && notice?.contactId === input.contactId) {
      return STRINGS.taskEndedAnnounce(channelLabel(notice.channel), notice.from, endedReason(notice.detail));
    }
    return undefined;
  }

  /** Every message from CTI passes here; the inbox takes the task messages, snapshots and errors. */
  onServer(m: ServerMessage): void {
    if (TASK_INPUTS.has(m.type)) this.step(m as TasksInput);
  }

  /** After sign-in: the agent's capacity, for the counts beside each channel. */
  start(): void {
    this.deps.messages.profile().then(
      (raw) => this.view.update({ capacity: parseCapacity(raw) }),
      (err: unknown) => this.deps.log('agent profile not loaded', String(err)),
    );
  }

  /** Signed out: nothing of the last agent's tasks stays on the page. */
  reset(): void {
    this.view.set({ tasks: initialTasks, capacity: { maxTasks: {} }, announcement: '' });
    this.conversation.reset();
  }

  accept(contactId: string): void {
    this.step({ type: 'accept', contactId });
    this.deps.send({ type: 'accept-task', contactId });
  }

  reject(contactId: string): void {
    this.step({ type: 'reject', contactId });
    this.deps.send({ type: 'reject-task', contactId });
  }

  select(contactId: string): void {
    this.step({ type: 'select', contactId });
  }

  dismissNotice(): void {
    this.step({ type: 'dismiss-task-notice' });
  }

  /** Saves the disposition and notes (if any), then asks CTI to end the task; rejects if saving failed. */
  async complete(contactId: string, disposition = '', notes = ''): Promise<void> {
    if (disposition !== '' || notes.trim() !== '') {
      await this.deps.saveWrapUp(contactId, disposition, notes).catch((err: unknown) => {
        this.deps.log('task wrap-up not saved', String(err));
        throw err;
      });
    }
    this.step({ type: 'complete', contactId });
    this.deps.send({ type: 'complete-task', contactId });
  }
}
