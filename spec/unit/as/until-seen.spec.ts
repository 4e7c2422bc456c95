import { expect } from '../../support/chai';
import { WriteLostError, writeUntilSeen } from '../../../lib/until-seen';

const done = (): Promise<void> => Promise.resolve();
const answer = (v: boolean) => (): Promise<boolean> => Promise.resolve(v);

/** A document two writers update at once, as FerretDB v1 does it: read, change, write the whole back. */
describe('writeUntilSeen: an agent write applied again while a concurrent update overwrote it', () => {
  it('answers after one write when the write is there on the read back', async () => {
    let writes = 0;
    const n = await writeUntilSeen(
      () => {
        writes += 1;
        return done();
      },
      answer(true),
      { sleep: done },
    );
    expect([n, writes]).to.deep.equal([1, 1]);
  });

  it('writes again while the read back misses it, and waits settleMs before each read', async () => {
    let stored = false;
    let overwrites = 2;
    const slept: number[] = [];
    const n = await writeUntilSeen(
      () => {
        stored = true;
        // A concurrent writer read before this write and writes its own copy back after it.
        if (overwrites-- > 0) stored = false;
        return done();
      },
      () => Promise.resolve(stored),
      {
        settleMs: 120,
        sleep: (ms) => {
          slept.push(ms);
          return done();
        },
      },
    );
    expect(n).to.equal(3);
    expect(slept).to.deep.equal([120, 120, 120]);
  });

  it('gives up after `attempts` writes with a WriteLostError', async () => {
    let writes = 0;
    const err = await writeUntilSeen(
      () => {
        writes += 1;
        return done();
      },
      answer(false),
      { attempts: 4, sleep: done },
    ).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(WriteLostError);
    expect((err as WriteLostError).attempts).to.equal(4);
    expect(writes).to.equal(4);
  });

  it('a failing write is not retried: the caller sees the store error', async () => {
    const err = await writeUntilSeen(() => Promise.reject(new Error('store down')), answer(true), {
      sleep: done,
    }).catch((e: unknown) => e);
    expect((err as Error).message).to.equal('store down');
  });
});
