import { expect } from '../../support/chai';
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  INITIAL,
  step,
  type Action,
  type Event,
  type Snapshot,
} from '../../../lib/supervise/policy';

const quick = { baseMs: 1_000, maxMs: 60_000, stableMs: 60_000 };

/** Runs events from `at` and returns every action and the last snapshot; a refused event fails. */
function run(at: Snapshot, events: Event[]): { actions: Action[]; at: Snapshot } {
  const actions: Action[] = [];
  for (const e of events) {
    const r = step(at, e, quick);
    if (!r.ok) throw new Error(r.error);
    actions.push(r.action);
    at = r.next;
  }
  return { actions, at };
}

const crash = (ranMs = 10): Event => ({ type: 'exit', ranMs });
const timer: Event = { type: 'timer' };
const signal: Event = { type: 'signal' };

describe('supervisor restart policy', () => {
  it('doubles the delay from 1 s with each consecutive crash, up to 60 s', () => {
    const events = Array.from({ length: 9 }, () => [crash(), timer]).flat();
    const { actions, at } = run(INITIAL, events);
    const delays = actions.flatMap((a) => (a.type === 'schedule-restart' ? [a.delayMs] : []));
    expect(delays).to.deep.equal([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(at).to.deep.equal({ state: 'running', crashes: 9, restarts: 9 });
  });

  it('starts the delays again at 1 s after a run of 60 s or more', () => {
    const { actions } = run(INITIAL, [
      crash(),
      timer,
      crash(),
      timer,
      crash(),
      timer,
      crash(60_000),
      timer,
      crash(),
    ]);
    const delays = actions.flatMap((a) => (a.type === 'schedule-restart' ? [a.delayMs] : []));
    expect(delays).to.deep.equal([1_000, 2_000, 4_000, 1_000, 2_000]);
  });

  it('keeps counting after a run just short of stable', () => {
    const { actions } = run(INITIAL, [crash(), timer, crash(59_999)]);
    expect(actions.at(-1)).to.deep.equal({ type: 'schedule-restart', delayMs: 2_000 });
  });

  it('spawns on the timer and counts the restart (the child sees it as IPCC_RESTARTS)', () => {
    const { actions, at } = run(INITIAL, [crash(), timer]);
    expect(actions).to.deep.equal([{ type: 'schedule-restart', delayMs: 1_000 }, { type: 'spawn' }]);
    expect(at.restarts).to.equal(1);
  });

  it('forwards a stop signal once and exits without restarting when the child is gone', () => {
    const { actions, at } = run(INITIAL, [signal, signal, crash()]);
    expect(actions).to.deep.equal([{ type: 'forward-signal' }, { type: 'ignore' }, { type: 'exit' }]);
    expect(at.state).to.equal('stopped');
    expect(at.restarts).to.equal(0);
  });

  it('cancels a scheduled restart on a stop signal', () => {
    const { actions, at } = run(INITIAL, [crash(), signal]);
    expect(actions.at(-1)).to.deep.equal({ type: 'cancel-restart-and-exit' });
    expect(at.state).to.equal('stopped');
  });

  it('refuses events that cannot happen in a state, naming both', () => {
    expect(step(INITIAL, timer)).to.deep.equal({ ok: false, error: 'timer is not expected while running' });
    const backoff: Snapshot = { state: 'backoff', crashes: 1, restarts: 0 };
    expect(step(backoff, crash())).to.deep.equal({ ok: false, error: 'exit is not expected while backoff' });
    const stopped: Snapshot = { state: 'stopped', crashes: 0, restarts: 0 };
    for (const e of [crash(), timer, signal]) expect(step(stopped, e).ok).to.equal(false);
  });

  it('computes the defaults: 1 s, 60 s cap', () => {
    expect(backoffDelay(1, DEFAULT_BACKOFF)).to.equal(1_000);
    expect(backoffDelay(7, DEFAULT_BACKOFF)).to.equal(60_000);
    expect(backoffDelay(5000, DEFAULT_BACKOFF)).to.equal(60_000);
  });
});
