import { expect } from '../../support/chai';
import { attachmentsRefusal, nulField, printable } from '../../../isag/core/limits';
import { customerLookup, pickCustomer } from '../../../isag/core/customers';
import { acceptsRecipient } from '../../../isag/email/recipients';

const limits = { attachmentMaxBytes: 10, messageAttachmentsMaxBytes: 25 };
const att = (name: string, size: number) => ({ name, content: Buffer.alloc(size) });

describe('isag limits, recipients and customer matching', () => {
  it('refuses an attachment over its limit, naming it, and a total over the message limit', () => {
    expect(attachmentsRefusal([att('a', 10), att('b', 10)], limits)).to.equal(undefined);
    expect(attachmentsRefusal([att('big.zip', 11)], limits)).to.equal(
      'attachment "big.zip" is 11 bytes, over the limit of 10',
    );
    expect(attachmentsRefusal([att('a', 9), att('b', 9), att('c', 9)], limits)).to.equal(
      'attachments total 27 bytes, over the limit of 25',
    );
  });

  it('makes names from input printable and short', () => {
    expect(printable('a\r\nb')).to.equal('a??b');
    expect(printable('x'.repeat(150))).to.have.length(101);
  });

  it('finds the first field with NUL, which the store cannot hold', () => {
    expect(nulField({ subject: 'ok', text: 'a\u0000b' })).to.equal('text');
    expect(nulField({ subject: 'ok', text: undefined })).to.equal(undefined);
  });

  it('accepts only recipients in the accepted domains', () => {
    expect(acceptsRecipient('support@IPCC.local', ['ipcc.local'])).to.equal(true);
    expect(acceptsRecipient('support@other.test', ['ipcc.local'])).to.equal(false);
    expect(acceptsRecipient('support@sub.ipcc.local', ['ipcc.local'])).to.equal(false);
    expect(acceptsRecipient('@ipcc.local', ['ipcc.local'])).to.equal(false);
    expect(acceptsRecipient('nodomain', ['ipcc.local'])).to.equal(false);
  });

  it('looks customers up by lower-cased e-mail or E.164 number, and links only a single match', () => {
    expect(customerLookup('email', ' Ann@Customer.Test ')).to.deep.equal({
      field: 'emails',
      value: 'ann@customer.test',
    });
    expect(customerLookup('sms', '+1 555 010 0123')).to.deep.equal({
      field: 'phones',
      value: '+15550100123',
    });
    expect(customerLookup('fax', '7000')).to.equal(undefined);
    expect(customerLookup('email', 'not an address')).to.equal(undefined);
    expect(pickCustomer(['a'])).to.equal('a');
    expect(pickCustomer(['a', 'b'])).to.equal(undefined);
    expect(pickCustomer([])).to.equal(undefined);
  });
});
