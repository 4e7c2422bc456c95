import winston from 'winston';
import { expect } from '../../support/chai';
import type { QueueAddressing } from '../../../isag/core/addresses';
import { QueueDirectory } from '../../../isag/core/queue-directory';

const log = winston.createLogger({ silent: true });

describe('isag queue directory: the address book read again on queue changes', () => {
  it('answers from the last read, reads again on reload, and keeps the last good book when a read fails', async () => {
    let queues: QueueAddressing[] = [{ name: 'email', channel: 'email', addresses: ['support@ipcc.local'] }];
    let fail = false;
    const dir = new QueueDirectory(async () => {
      await Promise.resolve();
      if (fail) throw new Error('store down');
      return queues;
    }, log);
    expect(dir.get().queueOf('email', 'support@ipcc.local')).to.equal(undefined); // nothing read yet
    await dir.reload();
    expect(dir.get().queueOf('email', 'support@ipcc.local')).to.equal('email');
    queues = [{ name: 'help', channel: 'email', addresses: ['help@ipcc.local'] }];
    await dir.reload();
    expect([
      dir.get().queueOf('email', 'support@ipcc.local'),
      dir.get().queueOf('email', 'help@ipcc.local'),
    ]).to.deep.equal([undefined, 'help']);
    fail = true;
    let failed = false;
    await dir.reload().catch(() => {
      failed = true;
    });
    expect([failed, dir.get().queueOf('email', 'help@ipcc.local')]).to.deep.equal([true, 'help']);
  });

  it('shares one read among concurrent reloads and reads once more for a change during it', async () => {
    let reads = 0;
    const dir = new QueueDirectory(async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 10));
      return [];
    }, log);
    const first = dir.reload();
    const second = dir.reload(); // during the first read: shares it, and asks for one more
    expect(second).to.equal(first);
    await first;
    await new Promise((r) => setTimeout(r, 30));
    expect(reads).to.equal(2);
  });
  it('tells its listeners of every book read, and of none when a read fails', async () => {
    let fax = ['7000'];
    let fail = false;
    const dir = new QueueDirectory(() => {
      if (fail) return Promise.reject(new Error('store down'));
      return Promise.resolve([{ name: 'fax', channel: 'fax', addresses: fax }]);
    }, log);
    const seen: string[][] = [];
    dir.onLoad((book) => seen.push(book.addresses('fax')));
    await dir.reload();
    fax = ['7000', '7001'];
    await dir.reload();
    fail = true;
    await dir.reload().catch(() => undefined);
    expect(seen).to.deep.equal([['7000'], ['7000', '7001']]);
  });
});
