import { KeyedSerial } from '../../../lib/keyed-serial';
import { expect } from '../../support/chai';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('KeyedSerial', () => {
  it('runs tasks of one key in order, one at a time, and different keys side by side', async () => {
    const s = new KeyedSerial();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await tick(ms);
      log.push(`end ${name}`);
    };
    await Promise.all([s.run('a', task('a1', 20)), s.run('a', task('a2', 1)), s.run('b', task('b1', 5))]);
    expect(log.indexOf('end a1')).to.be.lessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).to.be.lessThan(log.indexOf('end a1'));
  });

  it('goes on after a failed task and forgets idle keys', async () => {
    const s = new KeyedSerial();
    const failed = s.run('a', () => Promise.reject(new Error('boom')));
    const next = s.run('a', () => Promise.resolve(42));
    expect(await failed.catch((e: Error) => e.message)).to.equal('boom');
    expect(await next).to.equal(42);
    await tick(0);
    expect(s.size).to.equal(0);
  });
});
