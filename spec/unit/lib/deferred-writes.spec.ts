import { DeferredWrites } from '../../../lib/deferred-writes';
import { expect } from '../../support/chai';

/** A write that finishes when the test says so. */
function held() {
  let finish: () => void = () => undefined;
  let fail: (err: Error) => void = () => undefined;
  const write = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { write, finish: () => finish(), fail: (err: Error) => fail(err) };
}

const turn = () => new Promise((r) => setImmediate(r));
const failure = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (err: unknown) => String(err),
  );

describe('deferred writes (lib/deferred-writes.ts)', () => {
  it('the task ends without waiting; `written` waits for every write deferred inside it, however deep', async () => {
    const unwatched: unknown[] = [];
    const d = new DeferredWrites((err) => unwatched.push(err));
    const [w1, w2] = [held(), held()];
    const deep = async () => {
      await turn();
      d.defer(w2.write);
    };
    const { result, written } = await d.collect(async () => {
      d.defer(w1.write);
      await deep();
      return 'handled';
    });
    expect(result).to.equal('handled');
    let done = false;
    void written.then(() => (done = true));
    w1.finish();
    await turn();
    expect(done, 'one write still running').to.equal(false);
    w2.finish();
    await written;
    expect(unwatched).to.deep.equal([]);
  });

  it('a failed write fails `written` (the message is not acknowledged as stored)', async () => {
    const d = new DeferredWrites(() => undefined);
    const w = held();
    const { written } = await d.collect(() => Promise.resolve(d.defer(w.write)));
    const outcome = failure(written);
    w.fail(new Error('store refused'));
    expect(await outcome).to.equal('Error: store refused');
  });

  it('scopes of messages handled at the same time stay apart', async () => {
    const d = new DeferredWrites(() => undefined);
    const [a, b] = [held(), held()];
    const [ra, rb] = await Promise.all([
      d.collect(async () => {
        await turn();
        d.defer(a.write);
      }),
      d.collect(async () => {
        d.defer(b.write);
        await turn();
      }),
    ]);
    let aDone = false;
    void ra.written.then(() => (aDone = true));
    b.finish();
    await rb.written;
    await turn();
    expect(aDone).to.equal(false);
    a.finish();
    await ra.written;
  });

  it('outside a message (a timer, an agent action) nobody waits: a failure goes to `unwatched`', async () => {
    const unwatched: unknown[] = [];
    const d = new DeferredWrites((err) => unwatched.push(err));
    const w = held();
    d.defer(w.write);
    w.fail(new Error('lost'));
    await turn();
    expect(unwatched.map(String)).to.deep.equal(['Error: lost']);
  });

  it('a write deferred after its message was handled, or by a message that failed, is unwatched', async () => {
    const unwatched: unknown[] = [];
    const d = new DeferredWrites((err) => unwatched.push(err));
    const late = held();
    let later: () => void = () => undefined;
    await d.collect(() => {
      later = () => d.defer(late.write);
      return Promise.resolve();
    });
    later();
    late.fail(new Error('late'));
    const early = held();
    const handled = await failure(
      d.collect(() => {
        d.defer(early.write);
        return Promise.reject(new Error('handler failed'));
      }),
    );
    expect(handled).to.equal('Error: handler failed');
    early.fail(new Error('early'));
    await turn();
    expect(unwatched.map(String)).to.deep.equal(['Error: late', 'Error: early']);
  });
});
