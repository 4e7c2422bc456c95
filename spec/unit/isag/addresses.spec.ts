import { expect } from '../../support/chai';
import { AddressDirectory, addressKey } from '../../../isag/core/addresses';

describe('isag address book: address -> queue from the queues', () => {
  const book = new AddressDirectory([
    { name: 'support', channel: 'email', addresses: ['Support@IPCC.local', '<help@ipcc.local>'] },
    { name: 'sms', channel: 'sms', addresses: ['+1 (555) 010-0'] },
    { name: 'fax', channel: 'fax', addresses: ['7000'] },
    { name: 'sales', addresses: ['sales@ipcc.local'] }, // a voice queue: no channel
    { name: 'zz-dup', channel: 'email', addresses: ['support@ipcc.local'] },
  ]);

  it('finds a queue by address, case and brackets aside, per channel', () => {
    expect(book.queueOf('email', 'SUPPORT@ipcc.local')).to.equal('support');
    expect(book.queueOf('email', 'help@ipcc.local')).to.equal('support');
    expect(book.queueOf('sms', '+15550100')).to.equal('sms');
    expect(book.queueOf('fax', '7000')).to.equal('fax');
    expect(book.queueOf('sms', '7000')).to.equal(undefined);
  });

  it('gives voice queues no messages', () => {
    expect(book.queueOf('email', 'sales@ipcc.local')).to.equal(undefined);
  });

  it('keeps an address named twice with the first queue by name and reports the conflict', () => {
    expect(book.queueOf('email', 'support@ipcc.local')).to.equal('support');
    expect(book.conflicts).to.deep.equal([{ address: 'support@ipcc.local', queues: ['support', 'zz-dup'] }]);
    expect(book.size).to.equal(4);
  });

  it('routes by the first recipient that has a queue', () => {
    expect(book.route('email', ['nobody@ipcc.local', 'help@ipcc.local'])).to.deep.equal({
      address: 'help@ipcc.local',
      queueId: 'support',
    });
    expect(book.route('email', ['nobody@ipcc.local'])).to.equal(undefined);
    expect(book.route('email', [])).to.equal(undefined);
  });

  it('normalises keys: e-mail lower-cased, numbers without punctuation', () => {
    expect(addressKey('email', ' <A@B.C> ')).to.equal('a@b.c');
    expect(addressKey('fax', '+33 1.23-45 (67)')).to.equal('+331234567');
  });
});
