import { ApiError } from '../adapters/as-api';
import type { MessagesApi, ReplyInput, ReplyTemplate, ThreadMessage } from '../adapters/messages-api';
import type { TaskChannel } from '../domain/interface-a';
import type { ScreenPopView } from '../domain/screen-pop';
import { Store } from './store';

export interface ThreadView {
  contactId: string;
  status: 'loading' | 'ok' | 'failed';
  messages: readonly ThreadMessage[];
  /** Why the last load failed. */
  error?: string;
}

/** The open task's customer and its earlier contacts, as the AS's screen pop gives them. */
export interface CustomerPanelView {
  contactId: string;
  status: 'loading' | 'ok' | 'failed';
  pop?: ScreenPopView;
}

export interface ConversationView {
  thread?: ThreadView;
  customer?: CustomerPanelView;
  /** Reply templates by channel, once loaded. */
  templates: Partial<Record<TaskChannel, readonly ReplyTemplate[]>>;
  /** The agent's last reply the AS took (its id unless the AS answered without the message). */
  lastReply?: { contactId: string; messageId?: string };
}

/** Where the agent's last reply stands: queued until ISAG sends it, then sent or failed with the reason. */
export type ReplyProgress = { state: 'queued' } | { state: 'sent' } | { state: 'failed'; reason?: string };

/**
 * The last reply on `contactId` as the thread last read from the AS has it: ISAG's outcome reaches the
 * page only through the stored message (no CTI event says a reply left), so this follows the thread.
 * Undefined while no reply was sent, or while the thread is read again without it.
 */
export function replyProgress(view: ConversationView, contactId: string): ReplyProgress | undefined {
  const last = view.lastReply;
  if (last?.contactId !== contactId) return undefined;
  if (last.messageId === undefined) return { state: 'queued' };
  const thread = view.thread?.contactId === contactId ? view.thread : undefined;
  const m = thread?.messages.find((x) => x.id === last.messageId);
  switch (m?.status) {
    case undefined:
      return undefined;
    case 'sent':
      return { state: 'sent' };
    case 'failed':
      return m.statusReason === undefined ? { state: 'failed' } : { state: 'failed', reason: m.statusReason };
    default:
      return { state: 'queued' };
  }
}

/** Delays before reading the thread again while a reply of the agent is still `queued`. */
const QUEUED_POLL_MS = [500, 1000, 1000, 2000, 2000, 4000, 4000, 8000, 8000, 15_000, 15_000];
/**
 * CTI offers a task (and sends `task-accepted`) before the AS lets this agent read it (CTI writes
 * the interaction's agent right after): a 403/404 is asked again a few times, quickly.
 */
const EARLY_RETRIES_MS = [100, 200, 400, 800, 1600];

/**
 * The open conversation: loads the selected task's thread from the AS, reloads it when CTI says a
 * message joined (`task-message`) and while the agent's reply waits to be sent, sends replies and
 * reads templates and attachments.
 */
export class ConversationController {
  readonly view = new Store<ConversationView>({ templates: {} });
  private poll: ReturnType<typeof setTimeout> | undefined;
  private pollStep = 0;
  private generation = 0;

  constructor(
    private readonly api: MessagesApi,
    private readonly log: (message: string, data?: unknown) => void,
  ) {}

  /** Opens `contactId`'s thread (undefined: none open). A different task starts from empty. */
  open(contactId: string | undefined): void {
    if (this.view.get().thread?.contactId === contactId) return;
    this.stopPolling();
    this.generation += 1;
    if (contactId === undefined) {
      this.view.update({ thread: undefined, customer: undefined });
      return;
    }
    this.view.update({ thread: { contactId, status: 'loading', messages: [] }, customer: undefined });
    this.load(contactId, this.generation, 0);
  }

  /** A message joined `contactId`: read the thread again if it is the open one. */
  changed(contactId: string): void {
    if (this.view.get().thread?.contactId === contactId) this.load(contactId, this.generation, 0);
  }

  reset(): void {
    this.open(undefined);
    this.view.update({ templates: {}, lastReply: undefined });
  }

  private load(contactId: string, generation: number, attempt: number): void {
    this.api.thread(contactId).then(
      (messages) => {
        if (generation !== this.generation) return;
        this.view.update({ thread: { contactId, status: 'ok', messages } });
        this.pollWhileQueued(contactId, generation, messages);
        // Once the AS lets this agent read the thread it lets it read the screen pop too: asked once.
        if (this.view.get().customer?.contactId !== contactId) this.loadCustomer(contactId, generation);
      },
      (err: unknown) => {
        if (generation !== this.generation) return;
        const early = err instanceof ApiError && (err.status === 403 || err.status === 404);
        const delay = EARLY_RETRIES_MS[attempt];
        if (early && delay !== undefined) {
          setTimeout(() => this.load(contactId, generation, attempt + 1), delay);
          return;
        }
        this.log('thread not loaded', String(err));
        const thread = this.view.get().thread;
        this.view.update({
          thread: { contactId, status: 'failed', messages: thread?.messages ?? [], error: String(err) },
        });
      },
    );
  }

  private loadCustomer(contactId: string, generation: number): void {
    this.view.update({ customer: { contactId, status: 'loading' } });
    this.api.screenPop(contactId).then(
      (pop) => {
        if (generation === this.generation) this.view.update({ customer: { contactId, status: 'ok', pop } });
      },
      (err: unknown) => {
        if (generation !== this.generation) return;
        this.log('customer history not loaded', String(err));
        this.view.update({ customer: { contactId, status: 'failed' } });
      },
    );
  }

  private pollWhileQueued(contactId: string, generation: number, messages: readonly ThreadMessage[]): void {
    this.stopPolling();
    const queued = messages.some((m) => m.direction === 'outbound' && m.status === 'queued');
    if (!queued) {
      this.pollStep = 0;
      return;
    }
    const delay = QUEUED_POLL_MS[this.pollStep];
    if (delay === undefined) return; // the reply stays "queued" on screen; the next change reloads it
    this.pollStep += 1;
    this.poll = setTimeout(() => {
      if (generation === this.generation) this.load(contactId, generation, 0);
    }, delay);
  }

  private stopPolling(): void {
    clearTimeout(this.poll);
    this.poll = undefined;
  }

  /** Sends the reply; the thread shows it at once (queued) and follows it until it is sent or failed. */
  async reply(contactId: string, input: ReplyInput): Promise<void> {
    const sent = await this.api.reply(contactId, input);
    this.view.update({ lastReply: { contactId, ...(sent === undefined ? {} : { messageId: sent.id }) } });
    const thread = this.view.get().thread;
    if (thread?.contactId !== contactId) return;
    if (sent !== undefined && !thread.messages.some((m) => m.id === sent.id)) {
      this.view.update({ thread: { ...thread, messages: [...thread.messages, sent] } });
    }
    this.pollStep = 0;
    this.load(contactId, this.generation, 0);
  }

  /** The channel's reply templates, read once per sign-in. */
  loadTemplates(channel: TaskChannel): void {
    if (this.view.get().templates[channel] !== undefined) return;
    this.api.templates(channel).then(
      (list) => this.view.update({ templates: { ...this.view.get().templates, [channel]: list } }),
      (err: unknown) => this.log('reply templates not loaded', String(err)),
    );
  }

  attachment(fileId: string): Promise<Blob> {
    return this.api.attachment(fileId);
  }
}
