import { expect } from '../../support/chai';
import { hashPassword, verifyPassword } from '../../../as/domain/password';

describe('as/domain/password', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).to.match(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', stored)).to.equal(true);
    expect(await verifyPassword('correct horse batterY', stored)).to.equal(false);
  });

  it('salts: the same password hashes differently', async () => {
    expect(await hashPassword('same')).to.not.equal(await hashPassword('same'));
  });

  it('refuses malformed stored hashes instead of throwing', async () => {
    expect(await verifyPassword('x', 'plaintext')).to.equal(false);
    expect(await verifyPassword('x', 'scrypt$1$2$3$$')).to.equal(false);
  });
});
