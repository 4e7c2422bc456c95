import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { FAX_WATCHER_DEFAULTS, type FaxJob, FaxWatcher } from '../../../isag/fax/watcher';
import { eventually } from '../../support/bus-observer';
import { expect } from '../../support/chai';

const log = winston.createLogger({ silent: true });
const status = (id: string, extra = 'status=SUCCESS|pages=2') =>
  `v=1|uniqueid=${id}|to=7000|from=555|${extra}|end=1`;

describe('fax spool watcher (isag/fax/watcher.ts)', () => {
  let dir: string;
  let watcher: FaxWatcher | undefined;
  let clock: number;
  const jobs: FaxJob[] = [];
  let failNext = 0;

  const make = (pollMs = 60_000) =>
    new FaxWatcher(
      { ...FAX_WATCHER_DEFAULTS, dir, pollMs, incompleteMs: 1_000, maxRetryMs: 4_000 },
      (job) => {
        if (failNext > 0) {
          failNext--;
          return Promise.reject(new Error('store down'));
        }
        jobs.push(job);
        return Promise.resolve();
      },
      log,
      () => clock,
    );

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fax-watcher-'));
    clock = Date.now();
    jobs.length = 0;
    failNext = 0;
  });
  afterEach(async () => {
    await watcher?.stop();
    watcher = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('at start, handles what arrived while it was down, once each, and removes the files', async () => {
    await writeFile(path.join(dir, 'ipcc-1.1.status'), status('ipcc-1.1'));
    await writeFile(path.join(dir, 'ipcc-1.1.tif'), 'II*\0');
    await writeFile(path.join(dir, 'ipcc-1.2.status'), status('ipcc-1.2', 'status=FAILED|pages=0'));
    watcher = make();
    await watcher.start();
    expect(jobs.map((j) => [j.id, j.report.faxStatus, j.tiffPath])).to.deep.equal([
      ['ipcc-1.1', 'SUCCESS', path.join(dir, 'ipcc-1.1.tif')],
      ['ipcc-1.2', 'FAILED', path.join(dir, 'ipcc-1.2.tif')],
    ]);
    expect(await readdir(dir)).to.deep.equal([]);
    await watcher.scanNow();
    expect(jobs).to.have.length(2);
  });

  it('keeps the files of a job the store could not take, and tries again after a back-off', async () => {
    await writeFile(path.join(dir, 'ipcc-2.1.status'), status('ipcc-2.1'));
    await writeFile(path.join(dir, 'ipcc-2.1.tif'), 'II*\0');
    failNext = 2;
    watcher = make(1_000);
    await watcher.start();
    expect(jobs).to.have.length(0);
    expect(watcher.retrying).to.equal(1);
    expect((await readdir(dir)).sort()).to.deep.equal(['ipcc-2.1.status', 'ipcc-2.1.tif']);
    await watcher.scanNow(); // within the back-off: not tried
    expect(failNext).to.equal(1);
    clock += 1_001;
    await watcher.scanNow(); // second failure: the wait doubles
    expect(failNext).to.equal(0);
    clock += 1_001;
    await watcher.scanNow();
    expect(jobs).to.have.length(0);
    clock += 1_000;
    await watcher.scanNow();
    expect(jobs.map((j) => j.id)).to.deep.equal(['ipcc-2.1']);
    expect(watcher.retrying).to.equal(0);
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('sets aside a status file that is not ours, with its TIFF, and never hands it on', async () => {
    await writeFile(path.join(dir, 'ipcc-3.1.status'), status('ipcc-3.1', 'status=SUCCESS|cmd=rm'));
    await writeFile(path.join(dir, 'ipcc-3.1.tif'), 'II*\0');
    await writeFile(path.join(dir, 'ipcc-3.2.status'), status('ipcc-3.9'));
    watcher = make();
    await watcher.start();
    expect(jobs).to.have.length(0);
    expect((await readdir(path.join(dir, 'rejected'))).sort()).to.deep.equal([
      'ipcc-3.1.status',
      'ipcc-3.1.tif',
      'ipcc-3.2.status',
    ]);
  });

  it('waits for an unfinished status file, and sets it aside once it is too old to be finished', async () => {
    const file = path.join(dir, 'ipcc-4.1.status');
    await writeFile(file, 'v=1|uniqueid=ipcc-4.1|to=7000|sta');
    watcher = make();
    await watcher.start();
    expect(existsSync(file)).to.equal(true);
    const old = new Date(clock - 5_000);
    await utimes(file, old, old);
    await watcher.scanNow();
    expect(existsSync(path.join(dir, 'rejected', 'ipcc-4.1.status'))).to.equal(true);
  });

  it('picks up a fax that arrives while it runs, without waiting for a restart', async () => {
    watcher = make(100);
    await watcher.start();
    await writeFile(path.join(dir, 'ipcc-5.1.status'), status('ipcc-5.1'));
    await eventually('the new fax', () => jobs.length === 1, 3_000);
    expect(jobs[0]?.id).to.equal('ipcc-5.1');
    await eventually('its files removed', async () => (await readdir(dir)).length === 0, 3_000);
  });

  it('removes a TIFF left without a status file only when it is a day old', async () => {
    const tif = path.join(dir, 'ipcc-6.1.tif');
    await writeFile(tif, 'II*\0');
    watcher = make();
    await watcher.start();
    expect(existsSync(tif)).to.equal(true);
    clock += 24 * 3600_000 + 60_000;
    await watcher.scanNow();
    expect(existsSync(tif)).to.equal(false);
  });
});
