import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { SMS_SPOOL_DEFAULTS, type SpoolEntry, SmsSpoolWatcher } from '../../../isag/sms/spool-watcher';
import { eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';
import { spoolLine, spoolName } from '../../support/sms-spool';

const log = winston.createLogger({ silent: true });

describe('isag sms: the SIP MESSAGE spool watcher (isag/sms/spool-watcher.ts)', () => {
  let dir: string;
  let watcher: SmsSpoolWatcher | undefined;
  let clock: number;
  const handled: SpoolEntry[] = [];
  let failNext = 0;
  let refuse: string | undefined;
  /** Set to hold every handler until released (what a scan does while handlers run). */
  let gate: Promise<void> | undefined;
  let active = 0;
  let maxActive = 0;

  const make = (opts: { pollMs?: number; parallel?: number } = {}) =>
    new SmsSpoolWatcher(
      {
        ...SMS_SPOOL_DEFAULTS,
        dir,
        pollMs: opts.pollMs ?? 60_000,
        incompleteMs: 1_000,
        maxRetryMs: 4_000,
        parallel: opts.parallel ?? 8,
      },
      async (entry) => {
        if (failNext > 0) {
          failNext--;
          throw new Error('store down');
        }
        active++;
        maxActive = Math.max(maxActive, active);
        await gate;
        active--;
        if (refuse !== undefined) return { kind: 'refused', reason: refuse };
        handled.push(entry);
        return { kind: 'stored' };
      },
      log,
      () => clock,
    );
  const write = (name: string, text: string) => writeFile(path.join(dir, name), text);
  const bodies = () => handled.map((e) => e.message.body);

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sms-spool-'));
    clock = Date.now();
    handled.length = 0;
    failNext = 0;
    refuse = undefined;
    gate = undefined;
    active = 0;
    maxActive = 0;
  });
  afterEach(async () => {
    await watcher?.stop();
    watcher = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('at start, stores what was spooled while ISAG was down, in arrival order, and removes each file', async () => {
    await write(spoolName(1765100000002, 2), spoolLine({ body: 'second' }));
    await write(spoolName(1765100000001, 1), spoolLine({ body: 'first' }));
    await write('notes.txt', 'not ours');
    watcher = make();
    await watcher.start();
    expect(bodies()).to.deep.equal(['first', 'second']);
    expect(handled[0]?.raw.toString()).to.equal(spoolLine({ body: 'first' }));
    expect(await readdir(dir)).to.deep.equal(['notes.txt']);
    await watcher.scanNow();
    expect(handled).to.have.length(2);
  });

  it('picks up a file written while it runs, through the directory watch', async () => {
    watcher = make();
    await watcher.start();
    await write(spoolName(1765100000001, 1), spoolLine({ body: 'live' }));
    await eventually('the watch event handled', () => handled.length === 1, 3_000);
    await eventually('the file removed', async () => (await readdir(dir)).length === 0, 3_000);
  });

  it('leaves a line still being written alone until it is whole', async () => {
    const name = spoolName(1765100000001, 1);
    const line = spoolLine({ body: 'slowly' });
    await write(name, line.slice(0, line.length - 3));
    watcher = make();
    await watcher.start();
    expect(handled).to.deep.equal([]);
    expect(await readdir(dir)).to.deep.equal([name]);
    await write(name, line);
    await watcher.scanNow();
    expect(bodies()).to.deep.equal(['slowly']);
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('sets aside a line never finished, and one that is not the dialplan’s, into rejected/', async () => {
    const old = spoolName(1765100000001, 1);
    const forged = spoolName(1765100000002, 2);
    await write(old, spoolLine().slice(0, 50));
    await write(forged, spoolLine().replace('|end=1', '|x=1|end=1'));
    const past = new Date(clock - 5_000);
    await utimes(path.join(dir, old), past, past);
    watcher = make();
    await watcher.start();
    expect(handled).to.deep.equal([]);
    expect((await readdir(path.join(dir, 'rejected'))).sort()).to.deep.equal([old, forged].sort());
    expect(await readdir(dir)).to.deep.equal(['rejected']);
  });

  it('sets aside what the handler refuses (no SMS of ours), keeping it for a look', async () => {
    const name = spoolName(1765100000001, 1);
    await write(name, spoolLine({ to: 'pjsip:sales@h' }));
    refuse = 'To is not one of our numbers';
    watcher = make();
    await watcher.start();
    expect(await readdir(path.join(dir, 'rejected'))).to.deep.equal([name]);
  });

  it('keeps the file while the store fails and tries again later, doubling the wait', async () => {
    const name = spoolName(1765100000001, 1);
    await write(name, spoolLine({ body: 'patience' }));
    failNext = 2;
    watcher = make({ pollMs: 1_000 });
    await watcher.start();
    expect(watcher.retrying).to.equal(1);
    await watcher.scanNow(); // too early: not tried
    expect(failNext).to.equal(1);
    clock += 1_000;
    await watcher.scanNow(); // second failure: waits 2 s now
    expect(failNext).to.equal(0);
    clock += 1_000;
    await watcher.scanNow();
    expect(handled).to.deep.equal([]);
    clock += 1_000;
    await watcher.scanNow();
    expect(bodies()).to.deep.equal(['patience']);
    expect(watcher.retrying).to.equal(0);
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('handles up to `parallel` entries at once, starting them in arrival order', async () => {
    for (let i = 1; i <= 5; i++) await write(spoolName(1765100000000 + i, i), spoolLine({ body: `m${i}` }));
    let release = () => {};
    gate = new Promise<void>((r) => (release = r));
    watcher = make({ parallel: 2 });
    const started = watcher.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(handled).to.deep.equal([]);
    expect(active).to.equal(2);
    release();
    await started;
    expect(bodies()).to.deep.equal(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(maxActive).to.equal(2);
  });

  it('a file stored but not yet removed (a crash between the two) is handed over again', async () => {
    // The handler's store finds it by Call-ID/CSeq and answers "duplicate": the watcher only
    // has to hand it over again rather than lose it.
    const name = spoolName(1765100000001, 1);
    await write(name, spoolLine({ body: 'again' }));
    watcher = make();
    await watcher.start();
    await watcher.stop();
    await write(name, spoolLine({ body: 'again' }));
    watcher = make();
    await watcher.start();
    expect(bodies()).to.deep.equal(['again', 'again']);
    expect(handled[0]?.message.callId).to.equal(handled[1]?.message.callId);
  });
});
