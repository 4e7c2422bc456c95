import type { FlowGraph } from '../../../lib/flow/flow';
import {
  Effect,
  IvrEvent,
  MachineConfig,
  MachineState,
  StepResult,
  TABLE,
  initialState,
  step,
} from '../../../stasis-app/ivr/flow-machine';
import { expect } from '../../support/chai';

const config: MachineConfig = {
  queueMedia: (queue) => (queue === 'vip' ? 'vip-music' : 'queue-music'),
  prompts: { timeout: 'timeout', goodbye: 'goodbye', callbackConfirm: 'callback-confirm' },
};

/** The demo flow plus a nested menu (3 -> sub, * back to main) and a play node with no menu after it. */
const flow: FlowGraph = {
  entry: 'welcome',
  nodes: [
    { id: 'welcome', type: 'play', prompt: 'welcome', next: 'main' },
    {
      id: 'main',
      type: 'menu',
      prompt: 'menu',
      choices: [
        { key: '1', next: 'sales' },
        { key: '3', next: 'sub' },
        { key: '9', next: 'balance' },
        { key: '0', next: 'bye' },
      ],
      invalidPrompt: 'invalid',
      noInputPrompt: 'no-input',
      timeoutSec: 5,
      maxRetries: 2,
      default: 'bye',
    },
    {
      id: 'sub',
      type: 'menu',
      prompt: 'sub-menu',
      choices: [
        { key: '*', next: 'main' },
        { key: '1', next: 'vip' },
      ],
      timeoutSec: 3,
      maxRetries: 0,
      default: 'silent-end',
    },
    { id: 'sales', type: 'queue', queue: 'sales' },
    { id: 'vip', type: 'queue', queue: 'vip' },
    { id: 'balance', type: 'data', field: 'balance', prompt: 'your-balance', next: 'main', notFound: 'bye' },
    { id: 'bye', type: 'hangup', prompt: 'goodbye' },
    { id: 'silent-end', type: 'hangup' },
  ],
};

/** Drives the machine through events, checking none is rejected; returns the last step. */
function run(events: IvrEvent[], from: MachineState = initialState()): StepResult & { all: Effect[] } {
  let state = from;
  let last: StepResult = { state, effects: [] };
  const all: Effect[] = [];
  for (const event of events) {
    last = step(flow, config, state, event);
    expect(last.rejected, `${event.type} in ${state.phase.name}`).to.equal(undefined);
    state = last.state;
    all.push(...last.effects);
  }
  return { ...last, all };
}

const plays = (effects: Effect[]) =>
  effects.filter((e): e is Extract<Effect, { kind: 'play' }> => e.kind === 'play').map((e) => e.prompts);
const lastPlayId = (effects: Effect[]): string => {
  const p = effects.filter((e) => e.kind === 'play').pop() as Extract<Effect, { kind: 'play' }>;
  return p.playbackId;
};
const finished = (r: StepResult): IvrEvent => ({
  type: 'playbackFinished',
  playbackId: lastPlayId(r.effects),
});

describe('IVR flow machine (state table)', () => {
  it('has a row for every phase, and rejects an event a phase does not accept', () => {
    expect(Object.keys(TABLE).sort()).to.deep.equal(
      [
        'idle',
        'playing',
        'menuPrompt',
        'menuRetryPrompt',
        'menuWait',
        'dataFetch',
        'dataSpeak',
        'hoursCheck',
        'voicemailGreeting',
        'queued',
        'timeoutNotice',
        'farewell',
        'recording',
        'ended',
      ].sort(),
    );
    const r = step(flow, config, initialState(), { type: 'dtmf', digit: '1' });
    expect(r.rejected).to.match(/dtmf is not allowed in phase idle/);
    expect(r.effects).to.deep.equal([]);
    const status = run([{ type: 'start' }]);
    const wrong = step(flow, config, status.state, { type: 'queueTimeout', action: 'release' });
    expect(wrong.rejected).to.match(/queueTimeout is not allowed in phase playing/);
  });

  it('plays the entry prompt, then the menu, then waits for a key with the menu timeout', () => {
    const start = run([{ type: 'start' }]);
    expect(start.effects).to.deep.equal([{ kind: 'play', playbackId: 'p1', prompts: ['welcome'] }]);
    const menu = run([finished(start)], start.state);
    expect(plays(menu.effects)).to.deep.equal([['menu']]);
    const wait = run([finished(menu)], menu.state);
    expect(wait.effects).to.deep.equal([{ kind: 'startTimer', timerId: 't3', ms: 5000 }]);
    expect(wait.state.phase.name).to.equal('menuWait');
  });

  it('barge-in: a key during the welcome stops it and is taken as the menu choice', () => {
    const start = run([{ type: 'start' }]);
    const r = run([{ type: 'dtmf', digit: '3' }], start.state);
    expect(r.effects).to.deep.equal([
      { kind: 'stopPlayback', playbackId: 'p1' },
      { kind: 'play', playbackId: 'p2', prompts: ['sub-menu'] },
    ]);
    // The stopped prompt's own PlaybackFinished arrives later and changes nothing.
    const late = step(flow, config, r.state, { type: 'playbackFinished', playbackId: 'p1' });
    expect(late.stale).to.match(/not the current one/);
    expect(late.effects).to.deep.equal([]);
    expect(late.state).to.deep.equal(r.state);
  });

  it('navigates into a nested menu and back with keys that interrupt each menu prompt', () => {
    const start = run([{ type: 'start' }]);
    const r = run(
      [
        finished(start),
        { type: 'dtmf', digit: '3' },
        { type: 'dtmf', digit: '*' },
        { type: 'dtmf', digit: '3' },
      ],
      start.state,
    );
    expect(plays(r.all)).to.deep.equal([['menu'], ['sub-menu'], ['menu'], ['sub-menu']]);
    expect(r.all.filter((e) => e.kind === 'stopPlayback')).to.have.length(3);
    expect(r.state.phase).to.include({ name: 'menuPrompt', node: 'sub', retries: 0 });
  });

  it('an invalid key plays the invalid prompt and the menu again; past maxRetries the default', () => {
    const start = run([{ type: 'start' }]);
    const menu = run([finished(start)], start.state);
    const bad1 = run([{ type: 'dtmf', digit: '7' }], menu.state);
    expect(plays(bad1.effects)).to.deep.equal([['invalid']]);
    expect(bad1.state.phase).to.include({ name: 'menuRetryPrompt', retries: 1 });
    const again = run([finished(bad1)], bad1.state);
    expect(plays(again.effects)).to.deep.equal([['menu']]);
    const bad2 = run([{ type: 'dtmf', digit: '#' }], again.state);
    expect(bad2.state.phase).to.include({ name: 'menuRetryPrompt', retries: 2 });
    const bad3 = run([{ type: 'dtmf', digit: '8' }], bad2.state);
    // Third invalid key with maxRetries 2: the default node (hang-up with goodbye).
    expect(bad3.effects).to.deep.equal([
      { kind: 'stopPlayback', playbackId: lastPlayId(bad2.effects) },
      { kind: 'play', playbackId: `p${bad3.state.seq}`, prompts: ['goodbye'] },
    ]);
    const end = run([finished(bad3)], bad3.state);
    expect(end.effects).to.deep.equal([{ kind: 'hangup' }]);
    expect(end.state.phase.name).to.equal('ended');
  });

  it('no input: the no-input prompt on each timeout, then the default; a stale timer is ignored', () => {
    const start = run([{ type: 'start' }]);
    let r = run([finished(start)], start.state);
    r = run([finished(r)], r.state);
    const firstTimer = (r.effects[0] as Extract<Effect, { kind: 'startTimer' }>).timerId;
    r = run([{ type: 'timer', timerId: firstTimer }], r.state);
    expect(plays(r.effects)).to.deep.equal([['no-input']]);
    r = run([finished(r)], r.state); // menu again
    r = run([finished(r)], r.state); // waiting
    const stale = step(flow, config, r.state, { type: 'timer', timerId: firstTimer });
    expect(stale.stale).to.match(/not the current one/);
    const timerId = (r.effects[0] as Extract<Effect, { kind: 'startTimer' }>).timerId;
    r = run([{ type: 'timer', timerId }], r.state);
    expect(plays(r.effects)).to.deep.equal([['no-input']]);
    r = run([finished(r)], r.state);
    r = run([finished(r)], r.state);
    r = run(
      [{ type: 'timer', timerId: (r.effects[0] as Extract<Effect, { kind: 'startTimer' }>).timerId }],
      r.state,
    );
    expect(plays(r.effects)).to.deep.equal([['goodbye']]);
    expect(r.state.phase.name).to.equal('farewell');
  });

  it('a key while waiting cancels the no-input timer', () => {
    const start = run([{ type: 'start' }]);
    let r = run([finished(start)], start.state);
    r = run([finished(r)], r.state);
    const r2 = run([{ type: 'dtmf', digit: '0' }], r.state);
    expect(r2.effects[0]).to.deep.equal({ kind: 'cancelTimer', timerId: 't3' });
    expect(plays(r2.effects)).to.deep.equal([['goodbye']]);
  });

  it('a menu without retry prompts and maxRetries 0 goes to its default at once; a hang-up without prompt hangs up', () => {
    const start = run([{ type: 'start' }]);
    const r = run(
      [
        { type: 'dtmf', digit: '3' },
        { type: 'dtmf', digit: '5' },
      ],
      start.state,
    );
    expect(r.effects).to.deep.equal([{ kind: 'stopPlayback', playbackId: 'p2' }, { kind: 'hangup' }]);
  });

  it('data step: fetches the field, speaks it after its prompt, then returns to the menu', () => {
    const start = run([{ type: 'start' }]);
    const fetch = run([{ type: 'dtmf', digit: '9' }], start.state);
    expect(fetch.effects).to.deep.equal([
      { kind: 'stopPlayback', playbackId: 'p1' },
      { kind: 'fetchData', field: 'balance' },
    ]);
    const key = step(flow, config, fetch.state, { type: 'dtmf', digit: '1' });
    expect(key.stale).to.match(/being fetched/);
    const speak = run([{ type: 'data', speech: 'tts-abc' }], fetch.state);
    expect(plays(speak.effects)).to.deep.equal([['your-balance', 'tts-abc']]);
    const back = run([finished(speak)], speak.state);
    expect(plays(back.effects)).to.deep.equal([['menu']]);
  });

  it('data step: an unknown caller or field goes to notFound', () => {
    const start = run([{ type: 'start' }]);
    const r = run(
      [
        { type: 'dtmf', digit: '9' },
        { type: 'data', speech: null },
      ],
      start.state,
    );
    expect(plays(r.effects)).to.deep.equal([['goodbye']]);
  });

  it('queue: asks for an agent, loops the queue media, announces the latest status between loops', () => {
    const start = run([{ type: 'start' }]);
    const q = run([{ type: 'dtmf', digit: '1' }], start.state);
    expect(q.effects.slice(1)).to.deep.equal([
      { kind: 'requestAgent', queue: 'sales' },
      { kind: 'play', playbackId: 'p2', prompts: ['queue-music'] },
    ]);
    const loop = run([finished(q)], q.state);
    expect(plays(loop.effects)).to.deep.equal([['queue-music']]);
    const noted = run(
      [
        { type: 'queueStatus', position: 9, expectedWaitSec: 30 },
        { type: 'queueStatus', position: 3, expectedWaitSec: 250 },
      ],
      loop.state,
    );
    expect(noted.all).to.deep.equal([]); // announced between loops, not over the music
    const announced = run([{ type: 'playbackFinished', playbackId: lastPlayId(loop.effects) }], noted.state);
    expect(plays(announced.effects)).to.deep.equal([
      ['queue-position', 'num-3', 'wait-about', 'num-4', 'minutes', 'queue-music'],
    ]);
    const next = run([finished(announced)], announced.state);
    expect(plays(next.effects)).to.deep.equal([['queue-music']]);
    const key = step(flow, config, next.state, { type: 'dtmf', digit: '5' });
    expect(key.stale).to.match(/queue/);
  });

  it("queue media comes from the queue's setting", () => {
    const start = run([{ type: 'start' }]);
    const r = run(
      [
        { type: 'dtmf', digit: '3' },
        { type: 'dtmf', digit: '1' },
      ],
      start.state,
    );
    expect(plays(r.all).pop()).to.deep.equal(['vip-music']);
  });

  const queued = () => {
    const start = run([{ type: 'start' }]);
    return run([{ type: 'dtmf', digit: '1' }], start.state);
  };

  it('queue timeout, release: announce, goodbye, hang up', () => {
    const q = queued();
    const t = run([{ type: 'queueTimeout', action: 'release' }], q.state);
    expect(t.effects).to.deep.equal([
      { kind: 'stopPlayback', playbackId: 'p2' },
      { kind: 'play', playbackId: 'p3', prompts: ['timeout'] },
    ]);
    const bye = run([finished(t)], t.state);
    expect(plays(bye.effects)).to.deep.equal([['goodbye']]);
    expect(run([finished(bye)], bye.state).effects).to.deep.equal([{ kind: 'hangup' }]);
  });

  it('queue timeout, voicemail: announce, record for the queue, hang up when the recording ends', () => {
    const q = queued();
    const t = run([{ type: 'queueTimeout', action: 'voicemail' }], q.state);
    const rec = run([finished(t)], t.state);
    expect(rec.effects).to.deep.equal([{ kind: 'record', queue: 'sales' }]);
    expect(run([{ type: 'recordingFinished' }], rec.state).effects).to.deep.equal([{ kind: 'hangup' }]);
  });

  it('queue timeout, callback: announce, request the callback, confirm, hang up', () => {
    const q = queued();
    const t = run([{ type: 'queueTimeout', action: 'callback' }], q.state);
    const cb = run([finished(t)], t.state);
    expect(cb.effects).to.deep.equal([
      { kind: 'requestCallback', queue: 'sales' },
      { kind: 'play', playbackId: 'p4', prompts: ['callback-confirm'] },
    ]);
    expect(run([finished(cb)], cb.state).effects).to.deep.equal([{ kind: 'hangup' }]);
  });

  it('after the end every late event is stale, never an effect', () => {
    const q = queued();
    let r = run([{ type: 'queueTimeout', action: 'release' }], q.state);
    r = run([finished(r)], r.state);
    r = run([finished(r)], r.state);
    for (const event of [
      { type: 'dtmf', digit: '1' },
      { type: 'playbackFinished', playbackId: 'p9' },
      { type: 'timer', timerId: 't1' },
      { type: 'queueStatus', position: 1, expectedWaitSec: 0 },
    ] as IvrEvent[]) {
      const late = step(flow, config, r.state, event);
      expect(late.effects).to.deep.equal([]);
      expect(late.stale).to.match(/ended/);
    }
  });
});

describe('IVR flow machine: the end of a stopped prompt', () => {
  it('is stale while fetching data, waiting for a key or recording', () => {
    const start = step(flow, config, initialState(), { type: 'start' });
    const fetching = step(flow, config, start.state, { type: 'dtmf', digit: '9' });
    const late = step(flow, config, fetching.state, { type: 'playbackFinished', playbackId: 'p1' });
    expect(late.rejected).to.equal(undefined);
    expect(late.stale).to.match(/no prompt is playing/);
    expect(late.effects).to.deep.equal([]);
  });
});
