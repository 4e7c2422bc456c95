import { KeyedHold, type Timers } from '../../../lib/keyed-hold';
import { expect } from '../../support/chai';

/** A clock and timers the test moves by hand. */
function manualTime() {
  let now = 0;
  let next = 1;
  const armed = new Map<number, { at: number; fire: () => void }>();
  const timers: Timers = {
    set: (fire, ms) => {
      armed.set(next, { at: now + ms, fire });
      return next++;
    },
    clear: (handle) => void armed.delete(handle as number),
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = [...armed].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      armed.delete(due[0]);
      now = due[1].at;
      due[1].fire();
    }
    now = until;
  };
  return { timers, now: () => now, advance, armed: () => armed.size };
}

function recorder(quietMs: number, maxMs: number) {
  const t = manualTime();
  const passed: Array<[string, string[]]> = [];
  const hold = new KeyedHold<string>((key, items) => passed.push([key, items]), {
    quietMs,
    maxMs,
    now: t.now,
    timers: t.timers,
  });
  return { hold, passed, ...t };
}

describe('keyed hold (lib/keyed-hold.ts)', () => {
  it("hands a key's items on together, in order, once the key is quiet; keys apart", () => {
    const { hold, passed, advance, armed } = recorder(300, 1_000);
    hold.add('c1', 'a');
    hold.add('c2', 'x');
    advance(100);
    hold.add('c1', 'b');
    advance(199);
    expect(passed).to.deep.equal([]);
    advance(1); // c2 quiet for 300 ms, c1 for 200
    expect(passed).to.deep.equal([['c2', ['x']]]);
    advance(100);
    expect(passed).to.deep.equal([
      ['c2', ['x']],
      ['c1', ['a', 'b']],
    ]);
    expect(hold.size).to.equal(0);
    expect(armed(), 'no timer left').to.equal(0);
  });

  it('a key that never goes quiet is handed on at the longest hold', () => {
    const { hold, passed, advance } = recorder(300, 1_000);
    for (let i = 0; i < 10; i++) {
      hold.add('busy', String(i));
      advance(200);
    }
    // Items every 200 ms: never quiet for 300; each group goes 1,000 ms after its first item.
    expect(passed).to.deep.equal([
      ['busy', ['0', '1', '2', '3', '4']],
      ['busy', ['5', '6', '7', '8', '9']],
    ]);
  });

  it('release hands on at once (a reader needs the items stored); releaseAll every key', () => {
    const { hold, passed, armed } = recorder(1_000, 5_000);
    hold.add('c1', 'a');
    hold.add('c2', 'b');
    hold.add('c3', 'c');
    hold.release('c2');
    hold.release('nobody');
    expect(passed).to.deep.equal([['c2', ['b']]]);
    hold.releaseAll();
    expect(passed.map(([k]) => k).sort()).to.deep.equal(['c1', 'c2', 'c3']);
    expect(hold.size).to.equal(0);
    expect(armed()).to.equal(0);
  });

  it("with no quiet time a key's items of one turn go together, on the next", () => {
    const { hold, passed, advance } = recorder(0, 0);
    hold.add('c1', 'a');
    hold.add('c1', 'b');
    expect(passed).to.deep.equal([]);
    advance(0);
    expect(passed).to.deep.equal([['c1', ['a', 'b']]]);
    expect(hold.size).to.equal(0);
  });
});
