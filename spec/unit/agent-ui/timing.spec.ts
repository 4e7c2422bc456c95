import { expect } from '../../support/chai';
import {
  backoffDelay,
  formatDuration,
  RECONNECT_BACKOFF,
  refreshDelay,
  refreshRetryDelay,
  timeInState,
  wrapUpSecondsLeft,
} from '../../../agent-ui/src/domain/timing';
import { initialState, reduce } from '../../../agent-ui/src/domain/desktop-machine';

const T0 = Date.parse('2026-12-07T00:00:00Z');

describe('agent-ui timing', () => {
  it('formats durations as m:ss, h:mm:ss from an hour, never negative', () => {
    expect(formatDuration(0)).to.equal('0:00');
    expect(formatDuration(999)).to.equal('0:00');
    expect(formatDuration(61_000)).to.equal('1:01');
    expect(formatDuration(3_599_000)).to.equal('59:59');
    expect(formatDuration(3_600_000 + 5 * 60_000 + 7000)).to.equal('1:05:07');
    expect(formatDuration(-5000)).to.equal('0:00');
  });

  it('counts the wrap-up down in whole seconds, rounded up, stopping at zero', () => {
    const ends = T0 + 30_000;
    expect(wrapUpSecondsLeft(ends, T0)).to.equal(30);
    expect(wrapUpSecondsLeft(ends, T0 + 100)).to.equal(30);
    expect(wrapUpSecondsLeft(ends, T0 + 29_001)).to.equal(1);
    expect(wrapUpSecondsLeft(ends, T0 + 30_000)).to.equal(0);
    expect(wrapUpSecondsLeft(ends, T0 + 45_000)).to.equal(0);
    expect(wrapUpSecondsLeft(undefined, T0)).to.equal(undefined);
  });

  it('the wrap-up countdown runs from the state message and ends with the next state', () => {
    let s = { ...initialState(), status: 'on-contact' as const, ctiState: 'talking' };
    s = reduce(
      s,
      {
        type: 'state',
        state: 'wrap-up',
        at: new Date(T0).toISOString(),
        wrapUpEndsAt: new Date(T0 + 20_000).toISOString(),
      },
      T0 + 200,
    ).state as typeof s;
    expect(wrapUpSecondsLeft(s.wrapUpEndsAt, T0 + 5000)).to.equal(15);
    const ready = reduce(
      s,
      { type: 'state', state: 'ready', at: new Date(T0 + 8000).toISOString() },
      T0 + 8000,
    );
    expect(ready.state.wrapUpEndsAt).to.equal(undefined);
  });

  it('time in state counts from the state change and never goes negative', () => {
    expect(timeInState(T0, T0 + 90_000)).to.equal(90_000);
    expect(timeInState(T0 + 5000, T0)).to.equal(0);
    expect(timeInState(undefined, T0)).to.equal(0);
  });

  it('a server clock ahead of the page does not start the state in the future', () => {
    const step = reduce(
      { ...initialState(), status: 'ready' },
      { type: 'state', state: 'not-ready', reason: 'break', at: new Date(T0 + 4000).toISOString() },
      T0,
    );
    expect(step.state.since).to.equal(T0);
  });

  it('refreshes the token after 80% of its life, a minute before expiry at the latest', () => {
    expect(refreshDelay(T0 + 15 * 60_000, T0)).to.equal(12 * 60_000);
    expect(refreshDelay(T0 + 120_000, T0)).to.equal(60_000);
    expect(refreshDelay(T0 + 60_000, T0)).to.equal(0);
    expect(refreshDelay(T0 + 1000, T0)).to.equal(0);
    expect(refreshDelay(T0 - 1000, T0)).to.equal(0);
  });

  it('retries a failed refresh within the token life, not after it', () => {
    expect(refreshRetryDelay(T0 + 60_000, T0)).to.equal(5000);
    expect(refreshRetryDelay(T0 + 4000, T0)).to.equal(2000);
    expect(refreshRetryDelay(T0, T0)).to.equal(undefined);
  });

  it('backs off by 1.7 from 500 ms up to 15 s, jittered within ±20%', () => {
    const nominal = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffDelay(a, 0.5));
    expect(nominal).to.deep.equal([500, 850, 1445, 2456, 4176, 7099, 12069, 15000, 15000]);
    expect(backoffDelay(0, 0)).to.equal(400);
    expect(backoffDelay(0, 0.999999)).to.equal(600);
    expect(backoffDelay(20, 0.999999)).to.equal(RECONNECT_BACKOFF.maxMs);
    expect(backoffDelay(20, 0)).to.equal(12_000);
    expect(backoffDelay(-3, 0.5)).to.equal(500);
  });
});
