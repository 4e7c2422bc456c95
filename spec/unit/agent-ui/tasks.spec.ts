import { expect } from '../../support/chai';
import type { TaskOffer } from '../../../agent-ui/src/domain/interface-a';
import {
  TASK_TRANSITIONS,
  channelLoads,
  heldTasks,
  initialTasks,
  offers,
  parseCapacity,
  reduceTasks,
  type TasksInput,
  type TasksState,
} from '../../../agent-ui/src/domain/tasks';

const T0 = Date.parse('2026-12-07T10:00:00Z');

function offer(contactId: string, o: Partial<TaskOffer> = {}): TaskOffer {
  return {
    type: 'task-offer',
    contactId,
    queueId: 'email',
    channel: 'email',
    from: 'ann@customer.test',
    subject: 'Invoice',
    enteredAt: '2026-12-07T09:58:00Z',
    ...o,
  };
}

/** Runs the inputs in order; every step must be allowed. */
function run(inputs: TasksInput[], from: TasksState = initialTasks, now = T0): TasksState {
  return inputs.reduce((s, input) => {
    const step = reduceTasks(s, input, now);
    if (step.problem !== undefined) throw new Error(`${input.type}: ${step.problem}`);
    return step.state;
  }, from);
}

describe('agent-ui inbox tasks (agent-ui/src/domain/tasks)', () => {
  it('an offer appears with its waiting start; accept waits for CTI, task-accepted holds and opens it', () => {
    let s = run([offer('c1')]);
    expect(s.tasks).to.have.length(1);
    expect(s.tasks[0]).to.include({
      contactId: 'c1',
      phase: 'offered',
      from: 'ann@customer.test',
      subject: 'Invoice',
    });
    expect(s.tasks[0]?.enteredAt).to.equal(Date.parse('2026-12-07T09:58:00Z'));
    expect(s.selected).to.equal(undefined);
    s = run([{ type: 'accept', contactId: 'c1' }], s);
    expect(s.tasks[0]?.phase).to.equal('accepting');
    expect(offers(s.tasks).map((t) => t.contactId)).to.deep.equal(['c1']);
    s = run([{ type: 'task-accepted', contactId: 'c1' }], s, T0 + 500);
    expect(s.tasks[0]).to.include({ phase: 'accepted', since: T0 + 500 });
    expect(s.selected).to.equal('c1');
    expect(offers(s.tasks)).to.deep.equal([]);
    expect(heldTasks(s.tasks).map((t) => t.contactId)).to.deep.equal(['c1']);
  });

  it("reject hides the offer at once and drops it on CTI's task-ended, without a notice", () => {
    let s = run([offer('c1'), { type: 'reject', contactId: 'c1' }]);
    expect(s.tasks.map((t) => t.phase)).to.deep.equal(['rejecting']);
    expect(offers(s.tasks)).to.deep.equal([]);
    s = run([{ type: 'task-ended', contactId: 'c1', reason: 'rejected' }], s);
    expect(s.tasks).to.deep.equal([]);
    expect(s.notice).to.equal(undefined);
    // A refused reject puts the offer back.
    s = run(
      [offer('c2'), { type: 'reject', contactId: 'c2' }, { type: 'error', code: 'x', message: 'no' }],
      s,
    );
    expect(offers(s.tasks).map((t) => t.contactId)).to.deep.equal(['c2']);
  });

  it('a refusal (CTI error) puts the waiting task back: accepting -> offered, completing -> accepted', () => {
    let s = run([offer('c1'), { type: 'accept', contactId: 'c1' }]);
    s = run([{ type: 'error', code: 'capacity', message: 'no capacity' }], s);
    expect(s.tasks[0]?.phase).to.equal('offered');
    s = run(
      [
        { type: 'task-accepted', contactId: 'c1' },
        { type: 'complete', contactId: 'c1' },
      ],
      s,
    );
    expect(s.tasks[0]?.phase).to.equal('completing');
    s = run([{ type: 'error', code: 'not_holder', message: 'not yours' }], s);
    expect(s.tasks[0]?.phase).to.equal('accepted');
    // An error with nothing waiting changes nothing.
    expect(reduceTasks(s, { type: 'error', code: 'x', message: 'y' }, T0).state).to.equal(s);
  });

  it('complete then task-ended removes the task without a notice; a timeout or reassignment is told', () => {
    let s = run([
      offer('c1'),
      { type: 'task-accepted', contactId: 'c1' },
      { type: 'complete', contactId: 'c1' },
    ]);
    s = run([{ type: 'task-ended', contactId: 'c1', reason: 'completed' }], s);
    expect(s.tasks).to.deep.equal([]);
    expect(s.notice).to.equal(undefined);
    expect(s.selected).to.equal(undefined);
    s = run(
      [
        offer('c2', { channel: 'sms', from: '+15550123' }),
        { type: 'task-ended', contactId: 'c2', reason: 'timed-out' },
      ],
      s,
    );
    expect(s.tasks).to.deep.equal([]);
    expect(s.notice).to.deep.equal({
      code: 'ended',
      contactId: 'c2',
      channel: 'sms',
      from: '+15550123',
      detail: 'timed-out',
    });
    s = run([{ type: 'dismiss-task-notice' }], s);
    expect(s.notice).to.equal(undefined);
  });

  it('task-message counts unread on a task not open, none on the open one; select clears the count', () => {
    let s = run([
      offer('c1'),
      offer('c2', { from: 'bob@customer.test' }),
      { type: 'task-accepted', contactId: 'c1' },
      { type: 'task-accepted', contactId: 'c2' },
    ]);
    expect(s.selected).to.equal('c2');
    s = run(
      [
        { type: 'task-message', contactId: 'c1', messageId: 'm1' },
        { type: 'task-message', contactId: 'c1', messageId: 'm2' },
        { type: 'task-message', contactId: 'c2', messageId: 'm3' },
      ],
      s,
    );
    expect(s.tasks.map((t) => [t.contactId, t.unread])).to.deep.equal([
      ['c1', 2],
      ['c2', 0],
    ]);
    s = run([{ type: 'select', contactId: 'c1' }], s);
    expect(s.selected).to.equal('c1');
    expect(s.tasks[0]?.unread).to.equal(0);
  });

  it('the open conversation moves to the next held task when the open one ends', () => {
    let s = run([
      offer('c1'),
      offer('c2'),
      { type: 'task-accepted', contactId: 'c1' },
      { type: 'task-accepted', contactId: 'c2' },
    ]);
    s = run(
      [
        { type: 'select', contactId: 'c1' },
        { type: 'task-ended', contactId: 'c1', reason: 'completed' },
      ],
      s,
    );
    expect(s.selected).to.equal('c2');
  });

  it('refuses what the table does not allow, and says why', () => {
    const s = run([offer('c1')]);
    expect(reduceTasks(s, { type: 'complete', contactId: 'c1' }, T0).problem).to.equal(
      'complete not allowed for a task in phase offered',
    );
    expect(reduceTasks(s, { type: 'task-message', contactId: 'c1', messageId: 'm' }, T0).problem).to.equal(
      'message not allowed for a task in phase offered',
    );
    expect(reduceTasks(s, { type: 'select', contactId: 'c1' }, T0).problem).to.equal(
      'select: task c1 is not held',
    );
    expect(reduceTasks(s, { type: 'accept', contactId: 'nope' }, T0).problem).to.equal(
      'accept: no task nope',
    );
    const held = run([{ type: 'task-accepted', contactId: 'c1' }], s);
    expect(reduceTasks(held, { type: 'reject', contactId: 'c1' }, T0).problem).to.equal(
      'reject not allowed for a task in phase accepted',
    );
    // The table names every phase, and every target is a phase or `removed`.
    for (const [phase, row] of Object.entries(TASK_TRANSITIONS)) {
      for (const next of Object.values(row)) {
        expect(['offered', 'accepting', 'rejecting', 'accepted', 'completing', 'removed'], phase).to.include(
          next,
        );
      }
    }
  });

  it("a repeated offer updates the card (CTI's re-send after a reconnect) and keeps one task", () => {
    const s = run([offer('c1'), offer('c1', { subject: 'Invoice 2', expiresAt: '2026-12-07T10:01:00Z' })]);
    expect(s.tasks).to.have.length(1);
    expect(s.tasks[0]).to.include({
      subject: 'Invoice 2',
      expiresAt: Date.parse('2026-12-07T10:01:00Z'),
      phase: 'offered',
    });
  });

  it('the snapshot is the truth: it replaces the list, keeps what the page knew of tasks it still has', () => {
    let s = run([
      offer('c1'),
      offer('c2'),
      offer('gone'),
      { type: 'task-accepted', contactId: 'c1' },
      { type: 'task-accepted', contactId: 'c2' },
      { type: 'select', contactId: 'c1' },
      { type: 'task-message', contactId: 'c2', messageId: 'm' },
    ]);
    expect(s.tasks[1]?.unread).to.equal(1);
    s = run(
      [
        {
          type: 'snapshot',
          state: 'ready',
          at: '2026-12-07T10:00:00Z',
          tasks: [
            {
              contactId: 'c1',
              queueId: 'email',
              channel: 'email',
              from: 'ann@customer.test',
              state: 'accepted',
              since: '2026-12-07T09:59:00Z',
            },
            {
              contactId: 'c2',
              queueId: 'email',
              channel: 'email',
              from: 'ann@customer.test',
              state: 'accepted',
              since: '2026-12-07T09:59:00Z',
            },
            {
              contactId: 'c3',
              queueId: 'sms',
              channel: 'sms',
              from: '+15550100',
              state: 'offered',
              since: '2026-12-07T09:59:30Z',
            },
          ],
        },
      ],
      s,
    );
    expect(s.tasks.map((t) => [t.contactId, t.phase, t.unread])).to.deep.equal([
      ['c1', 'accepted', 0],
      ['c2', 'accepted', 1],
      ['c3', 'offered', 0],
    ]);
    expect(s.tasks[2]?.enteredAt).to.equal(Date.parse('2026-12-07T09:59:30Z'));
    expect(s.selected).to.equal('c1');
    // A snapshot without `tasks` (a CTI without tasks) leaves the inbox alone.
    const same = reduceTasks(s, { type: 'snapshot', state: 'ready', at: '2026-12-07T10:00:00Z' }, T0);
    expect(same.state).to.equal(s);
  });

  it('counts held tasks per channel against the capacity, and reads the capacity leniently', () => {
    const s = run([
      offer('e1'),
      offer('e2'),
      offer('s1', { channel: 'sms' }),
      { type: 'task-accepted', contactId: 'e1' },
      { type: 'task-accepted', contactId: 's1' },
    ]);
    const capacity = parseCapacity({
      maxTasks: { voice: 1, email: 3, sms: 2, fax: 0, bogus: 9 },
      maxTotal: 5,
    });
    expect(capacity).to.deep.equal({ maxTasks: { email: 3, sms: 2, fax: 0 }, maxTotal: 5 });
    expect(channelLoads(s.tasks, capacity)).to.deep.equal([
      { channel: 'email', held: 1, max: 3 },
      { channel: 'sms', held: 1, max: 2 },
    ]);
    expect(channelLoads(s.tasks, { maxTasks: {} })).to.deep.equal([
      { channel: 'email', held: 1 },
      { channel: 'sms', held: 1 },
      { channel: 'fax', held: 0 },
    ]);
    expect(parseCapacity({ maxTasks: { email: -1, sms: 1.5 }, maxTotal: 'x' })).to.deep.equal({
      maxTasks: {},
    });
    expect(parseCapacity(null)).to.deep.equal({ maxTasks: {} });
  });
});
