import type { FlowGraph } from '../../../lib/flow/flow';
import {
  type Effect,
  type IvrEvent,
  type MachineConfig,
  type MachineState,
  type StepResult,
  initialState,
  step,
} from '../../../stasis-app/ivr/flow-machine';
import { expect } from '../../support/chai';

const config: MachineConfig = {
  queueMedia: () => 'queue-music',
  prompts: { timeout: 'timeout', goodbye: 'goodbye', callbackConfirm: 'callback-confirm' },
};

/** Open: the sales queue. Closed: a menu offering a callback (1) or voicemail (2, and the default). */
const flow: FlowGraph = {
  entry: 'when',
  nodes: [
    { id: 'when', type: 'hours', schedule: 'office', open: 'sales', closed: 'offer' },
    { id: 'sales', type: 'queue', queue: 'sales' },
    {
      id: 'offer',
      type: 'menu',
      prompt: 'closed-menu',
      choices: [
        { key: '1', next: 'cb' },
        { key: '2', next: 'vm' },
        { key: '3', next: 'vm-quiet' },
      ],
      timeoutSec: 5,
      maxRetries: 0,
      default: 'vm',
    },
    { id: 'cb', type: 'callback', queue: 'sales' },
    { id: 'vm', type: 'voicemail', prompt: 'leave-message', queue: 'support' },
    { id: 'vm-quiet', type: 'voicemail' },
  ],
};

function run(events: IvrEvent[], from: MachineState = initialState()): StepResult {
  let last: StepResult = { state: from, effects: [] };
  for (const event of events) {
    last = step(flow, config, last.state, event);
    expect(last.rejected, `${event.type} in ${last.state.phase.name}`).to.equal(undefined);
  }
  return last;
}

const playId = (effects: Effect[]): string =>
  (effects.filter((e) => e.kind === 'play').pop() as Extract<Effect, { kind: 'play' }>).playbackId;

describe('IVR flow machine: business hours, callback and voicemail nodes', () => {
  it('asks whether the schedule is open, then waits for the answer', () => {
    const r = run([{ type: 'start' }]);
    expect(r.effects).to.deep.equal([{ kind: 'checkHours', schedule: 'office' }]);
    expect(r.state.phase).to.deep.equal({ name: 'hoursCheck', node: 'when' });
  });

  it('takes the open edge to the queue', () => {
    const r = run([{ type: 'start' }, { type: 'hours', open: true }]);
    expect(r.effects).to.deep.equal([
      { kind: 'requestAgent', queue: 'sales' },
      { kind: 'play', playbackId: 'p1', prompts: ['queue-music'] },
    ]);
  });

  it('takes the closed edge to the menu', () => {
    const r = run([{ type: 'start' }, { type: 'hours', open: false }]);
    expect(r.effects).to.deep.equal([{ kind: 'play', playbackId: 'p1', prompts: ['closed-menu'] }]);
  });

  it('ignores keys while the schedule is checked (no effect, not rejected)', () => {
    const checking = run([{ type: 'start' }]);
    const key = step(flow, config, checking.state, { type: 'dtmf', digit: '1' });
    expect(key.rejected).to.equal(undefined);
    expect(key.effects).to.deep.equal([]);
    expect(key.stale).to.match(/business hours are being checked/);
    const early = step(flow, config, initialState(), { type: 'hours', open: true });
    expect(early.rejected).to.equal('hours is not allowed in phase idle');
  });

  it('callback: queues the caller, books the callback, confirms and hangs up', () => {
    const menu = run([{ type: 'start' }, { type: 'hours', open: false }]);
    const cb = run([{ type: 'dtmf', digit: '1' }], menu.state);
    expect(cb.effects).to.deep.equal([
      { kind: 'stopPlayback', playbackId: 'p1' },
      { kind: 'requestAgent', queue: 'sales', callback: true },
      { kind: 'requestCallback', queue: 'sales' },
      { kind: 'play', playbackId: 'p2', prompts: ['callback-confirm'] },
    ]);
    const closed = run([{ type: 'queueClosed', action: 'prompt', prompt: 'closed' }], cb.state);
    expect(closed.effects).to.deep.equal([]);
    const end = run([{ type: 'playbackFinished', playbackId: 'p2' }], cb.state);
    expect(end.effects).to.deep.equal([{ kind: 'hangup' }]);
  });

  it('voicemail: greeting, then a recording for the named queue, then hang-up', () => {
    const menu = run([{ type: 'start' }, { type: 'hours', open: false }]);
    const greet = run([{ type: 'dtmf', digit: '2' }], menu.state);
    expect(greet.effects).to.deep.equal([
      { kind: 'stopPlayback', playbackId: 'p1' },
      { kind: 'play', playbackId: 'p2', prompts: ['leave-message'] },
    ]);
    const keyDuringGreeting = step(flow, config, greet.state, { type: 'dtmf', digit: '5' });
    expect(keyDuringGreeting.effects).to.deep.equal([]);
    const rec = run([{ type: 'playbackFinished', playbackId: playId(greet.effects) }], greet.state);
    expect(rec.effects).to.deep.equal([{ kind: 'record', queue: 'support' }]);
    expect(rec.state.phase.name).to.equal('recording');
    expect(run([{ type: 'recordingFinished' }], rec.state).effects).to.deep.equal([{ kind: 'hangup' }]);
  });

  it('voicemail without greeting or queue records at once', () => {
    const menu = run([{ type: 'start' }, { type: 'hours', open: false }]);
    const rec = run([{ type: 'dtmf', digit: '3' }], menu.state);
    expect(rec.effects).to.deep.equal([{ kind: 'stopPlayback', playbackId: 'p1' }, { kind: 'record' }]);
  });

  it('menu default after no input reaches voicemail', () => {
    const menu = run([{ type: 'start' }, { type: 'hours', open: false }]);
    const wait = run([{ type: 'playbackFinished', playbackId: 'p1' }], menu.state);
    const timer = (wait.effects[0] as Extract<Effect, { kind: 'startTimer' }>).timerId;
    const vm = run([{ type: 'timer', timerId: timer }], wait.state);
    expect(vm.effects).to.deep.equal([{ kind: 'play', playbackId: 'p3', prompts: ['leave-message'] }]);
  });
});

describe('IVR flow machine: a queue closed by its business hours', () => {
  const queued = () => run([{ type: 'start' }, { type: 'hours', open: true }]);

  it('prompt: stops the queue media, plays the closed prompt, hangs up after it', () => {
    const q = queued();
    const c = run([{ type: 'queueClosed', action: 'prompt', prompt: 'closed-now' }], q.state);
    expect(c.effects).to.deep.equal([
      { kind: 'stopPlayback', playbackId: 'p1' },
      { kind: 'play', playbackId: 'p2', prompts: ['closed-now'] },
    ]);
    expect(run([{ type: 'playbackFinished', playbackId: 'p2' }], c.state).effects).to.deep.equal([
      { kind: 'hangup' },
    ]);
  });

  it('voicemail with a greeting: greeting, then a recording for the closed queue', () => {
    const q = queued();
    const c = run([{ type: 'queueClosed', action: 'voicemail', prompt: 'leave-message' }], q.state);
    expect(c.effects).to.deep.equal([
      { kind: 'stopPlayback', playbackId: 'p1' },
      { kind: 'play', playbackId: 'p2', prompts: ['leave-message'] },
    ]);
    const rec = run([{ type: 'playbackFinished', playbackId: 'p2' }], c.state);
    expect(rec.effects).to.deep.equal([{ kind: 'record', queue: 'sales' }]);
  });

  it('voicemail without a greeting records at once', () => {
    const q = queued();
    const c = run([{ type: 'queueClosed', action: 'voicemail', prompt: null }], q.state);
    expect(c.effects).to.deep.equal([
      { kind: 'stopPlayback', playbackId: 'p1' },
      { kind: 'record', queue: 'sales' },
    ]);
  });

  it('is refused outside a queue (a bug or a message for the wrong call)', () => {
    const r = step(flow, config, initialState(), { type: 'queueClosed', action: 'voicemail', prompt: null });
    expect(r.rejected).to.equal('queueClosed is not allowed in phase idle');
  });
});
