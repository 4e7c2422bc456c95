import { expect } from '../../support/chai';
import {
  CURRENT_PARAMS,
  LEGACY_PARAMS,
  hashPassword,
  needsRehash,
  verifyPassword,
} from '../../../as/domain/password';

describe('as/domain/password', () => {
  it('hashes with scrypt N=2^17, r=8, p=1 recorded in the hash, and verifies it', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(CURRENT_PARAMS.N).to.be.at.least(2 ** 17);
    expect(stored).to.match(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', stored)).to.equal(true);
    expect(await verifyPassword('correct horse batterY', stored)).to.equal(false);
    expect(needsRehash(stored)).to.equal(false);
  });

  it('still verifies a hash of the older, lower parameters, and says it needs a rehash', async () => {
    const old = await hashPassword('correct horse battery', LEGACY_PARAMS);
    expect(old).to.match(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', old)).to.equal(true);
    expect(await verifyPassword('wrong', old)).to.equal(false);
    expect(needsRehash(old)).to.equal(true);
  });

  it('salts: the same password hashes differently', async () => {
    const cheap = { N: 1024, r: 8, p: 1 };
    expect(await hashPassword('same', cheap)).to.not.equal(await hashPassword('same', cheap));
  });

  it('refuses malformed stored hashes and absurd parameters instead of throwing', async () => {
    expect(await verifyPassword('x', 'plaintext')).to.equal(false);
    expect(await verifyPassword('x', 'scrypt$1$2$3$$')).to.equal(false);
    expect(await verifyPassword('x', 'scrypt$1000$8$1$c2FsdA==$a2V5')).to.equal(false);
    // 2^30 · 8 · 128 bytes: refused before any memory is taken.
    expect(await verifyPassword('x', `scrypt$${2 ** 30}$8$1$c2FsdA==$a2V5`)).to.equal(false);
    expect(needsRehash('plaintext')).to.equal(false);
  });
});
