import { expect } from '../../support/chai';
import { makeMessage, type Draft, type MessageOf } from '../../../lib/messages';
import winston from 'winston';
import { contactRecord, taskFields } from '../../../cti/app/contact-record';
import { ContactOwners } from '../../../cti/app/owners';
import { TaskBook } from '../../../cti/tasks/book';
import type { TaskServerMessage } from '../../../cti/tasks/messages';
import { TaskService, type TaskPublication } from '../../../cti/tasks/service';
import type { Outcome, Result } from '../../../cti/domain';
import { must, queue, readyAgent, world } from './helpers';

const ISAG = { service: 'isag' as const, instance: 'isag-1' };

/**
 * The task service over a real domain; routing's part (apply the outcome, tell the service) inlined.
 * The interaction's state is written behind as in CTI: each change's state waits in `unwritten` until
 * the service asks for the contact's history to be stored (`historyStored`).
 */
function harness(stored: Map<string, string>) {
  const unwritten = new Map<string, string>();
  /** A slow store: history writes wait for `release()`. */
  let writing: Promise<void> = Promise.resolve();
  const slowStore = (): (() => void) => {
    let release = () => {};
    writing = new Promise((resolve) => (release = resolve));
    return release;
  };
  const w = world();
  queue(w, { id: 'mail', channel: 'email', ringTimeoutMs: 60_000 });
  queue(w, { id: 'q', channel: 'voice' });
  const owners = new ContactOwners();
  const book = new TaskBook();
  const told: Array<[string, TaskServerMessage]> = [];
  const published: TaskPublication[] = [];
  const service: TaskService = new TaskService({
    domain: w.cti,
    book,
    owners,
    commands: {
      taskArrived: (contactId, queueId) => apply(w.cti.contactArrived({ contactId, queueId })),
      answered: async (contactId) => {
        await apply(w.cti.answered(contactId));
      },
      rejectTask: async (contactId) => {
        await apply(w.cti.ringNoAnswer(contactId, 'task-rejected'));
      },
      completeTask: async (contactId) => {
        await apply(w.cti.released(contactId));
      },
    },
    storedState: (contactId) => Promise.resolve(stored.get(contactId)),
    historyStored: async (contactId) => {
      await writing;
      const state = unwritten.get(contactId);
      if (state !== undefined) stored.set(contactId, state);
      unwritten.delete(contactId);
    },
    record: (contactId, _entry, set) => {
      if (typeof set.state === 'string') stored.set(contactId, set.state);
      return Promise.resolve();
    },
    notify: { toAgent: (agentId, m) => told.push([agentId, m]) },
    publish: (draft) => {
      published.push(draft);
      return Promise.resolve();
    },
    log: winston.createLogger({ silent: true }),
  });
  /** What RoutingService.apply does for tasks: owners, then the changes, then the offers. */
  async function apply(result: Result<Outcome>): Promise<boolean> {
    if (!result.ok) return false;
    for (const offer of result.value.offers) owners.setAgent(offer.contactId, offer.agentId);
    for (const change of result.value.contactChanges) {
      const { entry } = contactRecord(change);
      const state = taskFields(change, entry).state;
      if (service.handles(change.contactId) && state !== undefined) unwritten.set(change.contactId, state);
    }
    for (const change of result.value.contactChanges)
      if (service.handles(change.contactId)) await service.changed(change);
    for (const offer of result.value.offers) await service.offered(offer);
    return true;
  }
  return { w, service, book, told, published, owners, unwritten, slowStore };
}

function created(contactId: string, queueId = 'mail'): MessageOf<'TaskCreated'> {
  const draft: Draft<'TaskCreated'> = {
    type: 'TaskCreated',
    contactId,
    channel: 'email',
    from: 'ann@customer.test',
    to: 'support@ipcc.local',
    subject: 'Invoice',
    queueId,
    messageId: 'm-1',
  };
  return makeMessage(ISAG, draft);
}

/** The message of the refusal the promise ends in. */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

const kinds = (told: Array<[string, TaskServerMessage]>) => told.map(([a, m]) => `${a}:${m.type}`);

describe('cti/tasks TaskService: TaskCreated once, the holding agent only', () => {
  it('routes a received task: offered with its details, accepted, completed, each published', async () => {
    const t = harness(new Map([['t1', 'received']]));
    readyAgent(t.w, { id: 'a' });
    await t.service.created(created('t1'));
    const offer = t.told[0]?.[1];
    expect(offer).to.deep.include({ type: 'task-offer', contactId: 't1', queueId: 'mail', channel: 'email' });
    expect(offer).to.deep.include({ from: 'ann@customer.test', subject: 'Invoice' });
    expect(t.service.tasksOf('a').map((x) => x.state)).to.deep.equal(['offered']);
    await t.service.act('a', { type: 'accept-task', contactId: 't1' });
    expect(t.service.tasksOf('a').map((x) => x.state)).to.deep.equal(['accepted']);
    await t.service.act('a', { type: 'complete-task', contactId: 't1' });
    expect(kinds(t.told)).to.deep.equal(['a:task-offer', 'a:task-accepted', 'a:task-ended']);
    expect(t.told[2]?.[1]).to.deep.equal({ type: 'task-ended', contactId: 't1', reason: 'completed' });
    expect(t.published.map((p) => p.type)).to.deep.equal(['TaskOffered', 'TaskAccepted', 'TaskCompleted']);
    expect(t.book.size).to.equal(0);
    expect(t.service.tasksOf('a')).to.deep.equal([]);
  });

  it('ignores a TaskCreated for a task it holds, or whose interaction is past offered, or missing', async () => {
    const t = harness(
      new Map([
        ['t1', 'received'],
        ['done', 'completed'],
        ['taken', 'accepted'],
      ]),
    );
    readyAgent(t.w, { id: 'a' });
    await t.service.created(created('t1'));
    await t.service.created(created('t1'));
    await t.service.created(created('done'));
    await t.service.created(created('taken'));
    await t.service.created(created('nowhere'));
    expect(kinds(t.told)).to.deep.equal(['a:task-offer']);
    expect(t.book.size).to.equal(1);
  });

  it('stores the acceptance and the end on the interaction before going on: a later TaskCreated is a duplicate', async () => {
    const stored = new Map([['t1', 'received']]);
    const t = harness(stored);
    readyAgent(t.w, { id: 'a' });
    await t.service.created(created('t1'));
    await t.service.act('a', { type: 'accept-task', contactId: 't1' });
    expect(stored.get('t1')).to.equal('accepted');
    await t.service.act('a', { type: 'complete-task', contactId: 't1' });
    expect([stored.get('t1'), t.unwritten.size, t.book.size]).to.deep.equal(['completed', 0, 0]);
    await t.service.created(created('t1'));
    expect(kinds(t.told)).to.deep.equal(['a:task-offer', 'a:task-accepted', 'a:task-ended']);
    expect(t.book.size).to.equal(0);
  });

  it('a TaskCreated arriving while the end is being stored is a duplicate: CTI holds the task till then', async () => {
    const stored = new Map([['t1', 'received']]);
    const t = harness(stored);
    readyAgent(t.w, { id: 'a' });
    await t.service.created(created('t1'));
    await t.service.act('a', { type: 'accept-task', contactId: 't1' });
    const release = t.slowStore();
    const completing = t.service.act('a', { type: 'complete-task', contactId: 't1' });
    await t.service.created(created('t1'));
    expect([stored.get('t1'), t.book.size]).to.deep.equal(['accepted', 1]);
    release();
    await completing;
    expect(kinds(t.told)).to.deep.equal(['a:task-offer', 'a:task-accepted', 'a:task-ended']);
    expect([stored.get('t1'), t.book.size]).to.deep.equal(['completed', 0]);
  });

  it('routes again a task whose history says queued but that CTI does not hold (stopped in between)', async () => {
    const t = harness(new Map([['t1', 'queued']]));
    readyAgent(t.w, { id: 'a' });
    await t.service.created(created('t1'));
    expect(kinds(t.told)).to.deep.equal(['a:task-offer']);
  });

  it('an unknown queue or one of another channel: the interaction is unroutable', async () => {
    const stored = new Map([
      ['t1', 'received'],
      ['t2', 'received'],
    ]);
    const t = harness(stored);
    await t.service.created(created('t1', 'nowhere'));
    await t.service.created(created('t2', 'q'));
    expect([stored.get('t1'), stored.get('t2')]).to.deep.equal(['unroutable', 'unroutable']);
    expect(t.book.size).to.equal(0);
  });

  it('refuses an agent acting on a task it does not hold, and an action in the wrong state', async () => {
    const t = harness(new Map([['t1', 'received']]));
    readyAgent(t.w, { id: 'a' });
    readyAgent(t.w, { id: 'b' });
    await t.service.created(created('t1'));
    expect(await refusal(t.service.act('b', { type: 'accept-task', contactId: 't1' }))).to.equal(
      'task t1 is not offered to you',
    );
    expect(await refusal(t.service.act('a', { type: 'complete-task', contactId: 't1' }))).to.equal(
      'task t1 is offered',
    );
    expect(await refusal(t.service.act('a', { type: 'accept-task', contactId: 'x' }))).to.equal(
      'task x is not offered to you',
    );
    expect(kinds(t.told)).to.deep.equal(['a:task-offer']);
  });

  it('a rejection tells the agent and offers the task to the other; TaskUpdated reaches the holder', async () => {
    const t = harness(new Map([['t1', 'received']]));
    readyAgent(t.w, { id: 'a' });
    readyAgent(t.w, { id: 'b' });
    await t.service.created(created('t1'));
    await t.service.act('a', { type: 'reject-task', contactId: 't1' });
    expect(t.told.map(([agent, m]) => [agent, m.type, 'reason' in m ? m.reason : ''])).to.deep.equal([
      ['a', 'task-offer', ''],
      ['a', 'task-ended', 'rejected'],
      ['b', 'task-offer', ''],
    ]);
    t.service.updated(makeMessage(ISAG, { type: 'TaskUpdated', contactId: 't1', messageId: 'm-2' }));
    expect(t.told[3]).to.deep.equal(['b', { type: 'task-message', contactId: 't1', messageId: 'm-2' }]);
    expect(must(t.w.cti.agentView('a')).state).to.equal('ready');
    expect(t.owners.agent('t1')).to.equal('b');
  });

  it('a task rejected by the only agent that can take it comes back to it, which may then accept it', async () => {
    const t = harness(new Map([['t1', 'received']]));
    readyAgent(t.w, { id: 'a' });
    await t.service.created(created('t1'));
    await t.service.act('a', { type: 'reject-task', contactId: 't1' });
    expect(kinds(t.told)).to.deep.equal(['a:task-offer', 'a:task-ended', 'a:task-offer']);
    // Interface A lets the contact's agent act (the gateway checks the owners).
    expect(t.owners.agent('t1')).to.equal('a');
    await t.service.act('a', { type: 'accept-task', contactId: 't1' });
    expect(t.service.tasksOf('a').map((x) => x.state)).to.deep.equal(['accepted']);
  });
});
