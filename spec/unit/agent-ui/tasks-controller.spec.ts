import { expect } from '../../support/chai';
import { ApiError } from '../../../agent-ui/src/adapters/as-api';
import type { MessagesApi, ReplyInput, ThreadMessage } from '../../../agent-ui/src/adapters/messages-api';
import { TasksController } from '../../../agent-ui/src/app/tasks';
import { replyProgressText } from '../../../agent-ui/src/app/tasks-labels';
import { replyProgress } from '../../../agent-ui/src/app/tasks-thread';
import type { ClientMessage } from '../../../agent-ui/src/domain/interface-a';
import type { ScreenPopView } from '../../../agent-ui/src/domain/screen-pop';
import { STRINGS } from '../../../agent-ui/src/strings';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function message(id: string, o: Partial<ThreadMessage> = {}): ThreadMessage {
  return {
    id,
    channel: 'email',
    direction: 'inbound',
    from: 'ann@customer.test',
    to: ['support@ipcc.local'],
    cc: [],
    text: `text ${id}`,
    attachments: [],
    status: 'received',
    createdAt: 1,
    ...o,
  };
}

/** The AS as the inbox sees it: answers from `threads`, counts what was asked. */
class FakeMessages {
  threads = new Map<string, ThreadMessage[]>();
  /** Answers 404 this many times first (the AS not yet knowing the agent holds the task). */
  notYet = 0;
  reads: string[] = [];
  replies: { contactId: string; input: ReplyInput }[] = [];
  thread(contactId: string): Promise<ThreadMessage[]> {
    this.reads.push(contactId);
    if (this.notYet > 0) {
      this.notYet -= 1;
      return Promise.reject(new ApiError(404, 'not found'));
    }
    return Promise.resolve([...(this.threads.get(contactId) ?? [])]);
  }
  reply(contactId: string, input: ReplyInput): Promise<ThreadMessage> {
    this.replies.push({ contactId, input });
    const m = message(`r${this.replies.length}`, {
      direction: 'outbound',
      status: 'queued',
      text: input.text,
      createdAt: 2,
    });
    this.threads.set(contactId, [...(this.threads.get(contactId) ?? []), m]);
    return Promise.resolve(m);
  }
  templates(): Promise<[]> {
    return Promise.resolve([]);
  }
  profile(): Promise<unknown> {
    return Promise.resolve({ maxTasks: { email: 3, sms: 2, fax: 1 }, maxTotal: 5 });
  }
  attachment(): Promise<Blob> {
    return Promise.resolve(new Blob([]));
  }
  pops: string[] = [];
  /** The screen pop's answer (undefined: the AS fails it). */
  pop: ScreenPopView | undefined = { candidates: [], ivr: [], history: [] };
  screenPop(contactId: string): Promise<ScreenPopView> {
    this.pops.push(contactId);
    return this.pop === undefined ? Promise.reject(new ApiError(500, 'down')) : Promise.resolve(this.pop);
  }
}

function setup(o: { save?: (id: string, d: string, n: string) => Promise<void> } = {}) {
  const sent: ClientMessage[] = [];
  const logs: string[] = [];
  const api = new FakeMessages();
  const saved: string[][] = [];
  const tasks = new TasksController({
    send: (m) => sent.push(m),
    messages: api as unknown as MessagesApi,
    saveWrapUp:
      o.save ??
      ((id, d, n) => {
        saved.push([id, d, n]);
        return Promise.resolve();
      }),
    log: (m) => logs.push(m),
  });
  return { tasks, sent, logs, api, saved };
}

const OFFER = {
  type: 'task-offer',
  contactId: 'c1',
  queueId: 'email',
  channel: 'email',
  from: 'ann@customer.test',
  subject: 'Invoice',
  enteredAt: new Date().toISOString(),
} as const;

describe('agent-ui inbox controller (agent-ui/src/app/tasks)', () => {
  it('offer -> Accept sends accept-task; task-accepted opens the thread; task-message reads it again', async () => {
    const { tasks, sent, api } = setup();
    api.threads.set('c1', [message('m1')]);
    tasks.onServer(OFFER);
    expect(tasks.view.get().announcement).to.equal(
      STRINGS.taskOfferAnnounce(STRINGS.taskChannelEmail, 'ann@customer.test'),
    );
    tasks.accept('c1');
    expect(sent).to.deep.equal([{ type: 'accept-task', contactId: 'c1' }]);
    expect(tasks.conversation.view.get().thread).to.equal(undefined);
    tasks.onServer({ type: 'task-accepted', contactId: 'c1' });
    expect(tasks.conversation.view.get().thread).to.deep.include({ contactId: 'c1', status: 'loading' });
    await wait(5);
    expect(tasks.conversation.view.get().thread?.messages.map((m) => m.id)).to.deep.equal(['m1']);
    api.threads.set('c1', [message('m1'), message('m2')]);
    tasks.onServer({ type: 'task-message', contactId: 'c1', messageId: 'm2' });
    await wait(5);
    expect(tasks.conversation.view.get().thread?.messages.map((m) => m.id)).to.deep.equal(['m1', 'm2']);
    expect(api.reads).to.deep.equal(['c1', 'c1']);
  });

  it("loads the task's customer and history once, after the thread; another task starts empty", async () => {
    const { tasks, api, logs } = setup();
    const history = [{ id: 'old', channel: 'sms', state: 'completed', at: '2026-12-01T09:00:00.000Z' }];
    api.pop = { candidates: [], ivr: [], history };
    api.notYet = 1;
    tasks.onServer(OFFER);
    tasks.onServer({ type: 'task-accepted', contactId: 'c1' });
    expect(tasks.conversation.view.get().customer).to.equal(undefined);
    await wait(150);
    expect(tasks.conversation.view.get().customer).to.deep.equal({
      contactId: 'c1',
      status: 'ok',
      pop: { candidates: [], ivr: [], history },
    });
    tasks.onServer({ type: 'task-message', contactId: 'c1', messageId: 'm2' });
    await wait(5);
    expect(api.pops, 'read once, not on every new message').to.deep.equal(['c1']);
    api.pop = undefined;
    tasks.onServer({ ...OFFER, contactId: 'c2' });
    tasks.onServer({ type: 'task-accepted', contactId: 'c2' });
    tasks.select('c2');
    expect(tasks.conversation.view.get().customer).to.equal(undefined);
    await wait(5);
    expect(tasks.conversation.view.get().customer).to.deep.equal({ contactId: 'c2', status: 'failed' });
    expect(logs).to.include('customer history not loaded');
  });

  it('asks again while the AS does not yet let the agent read the task (404), then shows it', async () => {
    const { tasks, api } = setup();
    api.threads.set('c1', [message('m1')]);
    api.notYet = 2;
    tasks.onServer(OFFER);
    tasks.onServer({ type: 'task-accepted', contactId: 'c1' });
    await wait(400);
    expect(api.reads).to.have.length(3);
    expect(tasks.conversation.view.get().thread).to.deep.include({ status: 'ok' });
  });

  it('a reply shows at once as queued and is followed until sent', async () => {
    const { tasks, api } = setup();
    tasks.onServer(OFFER);
    tasks.onServer({ type: 'task-accepted', contactId: 'c1' });
    await wait(5);
    await tasks.conversation.reply('c1', { text: 'Thanks', files: [] });
    expect(tasks.conversation.view.get().thread?.messages.map((m) => [m.id, m.status])).to.deep.equal([
      ['r1', 'queued'],
    ]);
    await wait(5);
    const readsQueued = api.reads.length;
    // ISAG sends it: the next poll (500 ms) sees `sent` and polling stops.
    api.threads.set('c1', [message('r1', { direction: 'outbound', status: 'sent' })]);
    await wait(650);
    expect(tasks.conversation.view.get().thread?.messages.map((m) => [m.id, m.status])).to.deep.equal([
      ['r1', 'sent'],
    ]);
    const readsSent = api.reads.length;
    expect(readsSent).to.equal(readsQueued + 1);
    await wait(1100);
    expect(api.reads.length).to.equal(readsSent);
  });

  it("the composer's line follows the reply: queued, then sent (the queued text goes), or failed", async () => {
    const { tasks, api } = setup();
    const line = () => {
      const p = replyProgress(tasks.conversation.view.get(), 'c1');
      return p === undefined ? '' : replyProgressText(p);
    };
    tasks.onServer(OFFER);
    tasks.onServer({ type: 'task-accepted', contactId: 'c1' });
    await wait(5);
    expect(line(), 'nothing sent yet').to.equal('');
    await tasks.conversation.reply('c1', { text: 'Thanks', files: [] });
    expect(line()).to.equal(STRINGS.replyQueued);
    expect(replyProgress(tasks.conversation.view.get(), 'c2'), 'another task').to.equal(undefined);
    api.threads.set('c1', [message('r1', { direction: 'outbound', status: 'sent' })]);
    await wait(650);
    expect(line()).to.equal(STRINGS.replySent);

    // The next reply is followed instead; ISAG gives up on it with a reason.
    await tasks.conversation.reply('c1', { text: 'And more', files: [] });
    expect(line()).to.equal(STRINGS.replyQueued);
    api.threads.set('c1', [
      message('r1', { direction: 'outbound', status: 'sent' }),
      message('r2', { direction: 'outbound', status: 'failed', statusReason: '550 no such user' }),
    ]);
    await wait(650);
    expect(line()).to.equal(STRINGS.replyNotSent('550 no such user'));
    tasks.reset();
    expect(line(), 'signed out').to.equal('');
  });

  it('Complete saves the disposition and notes first, then sends complete-task', async () => {
    const { tasks, sent, saved } = setup();
    tasks.onServer(OFFER);
    tasks.onServer({ type: 'task-accepted', contactId: 'c1' });
    await tasks.complete('c1', 'resolved', ' paid ');
    expect(saved).to.deep.equal([['c1', 'resolved', ' paid ']]);
    expect(sent).to.deep.equal([{ type: 'complete-task', contactId: 'c1' }]);
    expect(tasks.view.get().tasks.tasks[0]?.phase).to.equal('completing');
    tasks.onServer({ type: 'task-ended', contactId: 'c1', reason: 'completed' });
    expect(tasks.view.get().tasks.tasks).to.deep.equal([]);
    expect(tasks.conversation.view.get().thread).to.equal(undefined);
  });

  it('a failed save keeps the task: no complete-task is sent', async () => {
    const { tasks, sent, logs } = setup({ save: () => Promise.reject(new Error('500')) });
    tasks.onServer(OFFER);
    tasks.onServer({ type: 'task-accepted', contactId: 'c1' });
    const err = await tasks.complete('c1', 'resolved', '').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error);
    expect(sent).to.deep.equal([]);
    expect(tasks.view.get().tasks.tasks[0]?.phase).to.equal('accepted');
    expect(logs).to.include('task wrap-up not saved');
    // Without a disposition or notes there is nothing to save: complete at once.
    await tasks.complete('c1');
    expect(sent).to.deep.equal([{ type: 'complete-task', contactId: 'c1' }]);
  });

  it('ignores the call messages, logs a task message it cannot apply, and forgets everything on reset', async () => {
    const { tasks, logs } = setup();
    tasks.start();
    await wait(5);
    expect(tasks.view.get().capacity).to.deep.equal({ maxTasks: { email: 3, sms: 2, fax: 1 }, maxTotal: 5 });
    const before = tasks.view.get();
    tasks.onServer({ type: 'offer', contactId: 'x', queueId: 'q', kind: 'call' });
    expect(tasks.view.get()).to.equal(before);
    tasks.onServer({ type: 'task-accepted', contactId: 'nobody' });
    expect(logs).to.deep.equal(['inbox refused: accepted: no task nobody']);
    tasks.onServer(OFFER);
    tasks.onServer({ type: 'task-ended', contactId: 'c1', reason: 'timed-out' });
    expect(tasks.view.get().announcement).to.equal(
      STRINGS.taskEndedAnnounce(STRINGS.taskChannelEmail, 'ann@customer.test', STRINGS.taskEndedTimeout),
    );
    tasks.reset();
    expect(tasks.view.get()).to.deep.equal({
      tasks: { tasks: [] },
      capacity: { maxTasks: {} },
      announcement: '',
    });
  });
});
