import { GroupCommit } from '../../../lib/group-commit';
import { expect } from '../../support/chai';

/** A store whose writes finish when the test says so. */
function heldStore(intervalMs = 0, now?: () => number) {
  const batches: string[][] = [];
  const finish: Array<(errors?: unknown[]) => void> = [];
  const fail: Array<(err: Error) => void> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const commit = new GroupCommit<string>(
    (ops) =>
      new Promise<unknown[] | void>((resolve, reject) => {
        batches.push([...ops]);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        finish.push((errors) => {
          inFlight -= 1;
          resolve(errors);
        });
        fail.push((err) => {
          inFlight -= 1;
          reject(err);
        });
      }),
    intervalMs,
    now,
  );
  return { commit, batches, finish, fail, maxInFlight: () => maxInFlight };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('group commit (lib/group-commit.ts)', () => {
  it('writes the operations of one turn as one batch, in submission order', async () => {
    const s = heldStore();
    const done = [s.commit.submit('a'), s.commit.submit('b'), s.commit.submit('c')];
    await turn();
    expect(s.batches).to.deep.equal([['a', 'b', 'c']]);
    s.finish[0]?.();
    await Promise.all(done);
    expect(s.commit.stats).to.deep.equal({ batches: 1, ops: 3, pending: 0 });
  });

  it('one batch in flight: what arrives meanwhile waits and goes in the next batch together', async () => {
    const s = heldStore();
    const first = s.commit.submit('a');
    await turn();
    const later = [s.commit.submit('b'), s.commit.submit('c')];
    await turn();
    expect(s.batches).to.deep.equal([['a']]);
    let resolvedEarly = false;
    void later[0]?.then(() => (resolvedEarly = true));
    s.finish[0]?.();
    await first;
    await turn();
    expect(resolvedEarly).to.equal(false);
    expect(s.batches).to.deep.equal([['a'], ['b', 'c']]);
    s.finish[1]?.();
    await Promise.all(later);
    expect(s.maxInFlight()).to.equal(1);
  });

  it('a failed batch rejects each of its operations, and the next batch still runs', async () => {
    const s = heldStore();
    const a = s.commit.submit('a');
    await turn();
    const b = s.commit.submit('b');
    const outcome = a.then(
      () => 'stored',
      (err: unknown) => String(err),
    );
    s.fail[0]?.(new Error('store down'));
    expect(await outcome).to.equal('Error: store down');
    await turn();
    expect(s.batches).to.deep.equal([['a'], ['b']]);
    s.finish[1]?.();
    await b;
  });

  it('per-operation errors reject only the operations they name', async () => {
    const s = heldStore();
    const ops = [s.commit.submit('a'), s.commit.submit('bad'), s.commit.submit('c')];
    await turn();
    s.finish[0]?.([undefined, new Error('refused: bad'), undefined]);
    const settled = await Promise.allSettled(ops);
    expect(settled.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('with an interval: the first write goes at once, later ones wait for the interval and share a batch', async () => {
    let clock = 1_000;
    const s = heldStore(40, () => clock);
    const a = s.commit.submit('a');
    await turn();
    expect(s.batches).to.deep.equal([['a']]);
    s.finish[0]?.();
    await a;
    // 10 ms after the first batch started: the next one may start 30 ms later, and takes what came meanwhile.
    clock += 10;
    const later = [s.commit.submit('b')];
    await turn();
    later.push(s.commit.submit('c'));
    await turn();
    expect(s.batches).to.deep.equal([['a']]);
    await new Promise((r) => setTimeout(r, 45));
    expect(s.batches).to.deep.equal([['a'], ['b', 'c']]);
    s.finish[1]?.();
    await Promise.all(later);
    expect(s.commit.stats).to.deep.equal({ batches: 2, ops: 3, pending: 0 });
  });

  it('with an interval already over, a write goes on the next turn', async () => {
    let clock = 1_000;
    const s = heldStore(40, () => clock);
    const a = s.commit.submit('a');
    await turn();
    s.finish[0]?.();
    await a;
    clock += 100;
    const b = s.commit.submit('b');
    await turn();
    expect(s.batches).to.deep.equal([['a'], ['b']]);
    s.finish[1]?.();
    await b;
  });
});
