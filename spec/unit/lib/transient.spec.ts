import { isTransient, retryTransient } from '../../../lib/transient';
import { expect } from '../../support/chai';

const named = (name: string, cause?: unknown) => Object.assign(new Error(name, { cause }), { name });

describe('retryTransient: a store restarting delays a write instead of failing it', () => {
  it('recognises the driver errors that mean "unreachable for now", also as a cause', () => {
    expect(isTransient(named('MongoServerSelectionError'))).to.equal(true);
    expect(isTransient(named('MongoNetworkError'))).to.equal(true);
    expect(isTransient(new Error('wrapped', { cause: named('MongoNotConnectedError') }))).to.equal(true);
    expect(isTransient(named('MongoServerError'))).to.equal(false);
    expect(isTransient(new Error('validation failed'))).to.equal(false);
    expect(isTransient('MongoNetworkError')).to.equal(false);
  });

  it('runs the operation again until it succeeds', async () => {
    let tries = 0;
    const out = await retryTransient('op', () => {
      tries += 1;
      return tries < 3 ? Promise.reject(named('MongoNetworkError')) : Promise.resolve('done');
    });
    expect(out).to.equal('done');
    expect(tries).to.equal(3);
  });

  it('throws any other error at once, and a transient one after the time limit', async () => {
    let tries = 0;
    const refused = await retryTransient('op', () => {
      tries += 1;
      return Promise.reject(new Error('duplicate key'));
    }).catch((e: Error) => e.message);
    expect(refused).to.equal('duplicate key');
    expect(tries).to.equal(1);
    const late = await retryTransient('op', () => Promise.reject(named('MongoNetworkError')), {
      maxMs: 100,
    }).catch((e: Error) => e.name);
    expect(late).to.equal('MongoNetworkError');
  });
});
