import { expect } from '../../support/chai';
import { contactAddress } from '../../../as/domain/contact-address';

describe('as/domain/contact-address contactAddress', () => {
  const cases: [string, ReturnType<typeof contactAddress>][] = [
    ['Ann@Customer.test', { kind: 'email', address: 'ann@customer.test' }],
    ['+15550123456', { kind: 'number', number: '+15550123456' }],
    [' 01 99 00 00 01 ', { kind: 'number', number: '01 99 00 00 01' }],
    // SMS over SIP MESSAGE: the URI's user part is the number, whatever host and port follow.
    ['sip:+15550123456@127.0.0.1:5172', { kind: 'number', number: '+15550123456' }],
    ['sips:15550123456@pbx.example;transport=tls', { kind: 'number', number: '15550123456' }],
    ['sip:%2B15550123456@127.0.0.1', { kind: 'number', number: '+15550123456' }],
    ['tel:+33199000001;phone-context=example', { kind: 'number', number: '+33199000001' }],
    ['sip:alice@example.com', null],
    ['sip:%E0%A4%A@host', null],
    ['', null],
  ];
  for (const [from, expected] of cases) {
    it(`${JSON.stringify(from)} -> ${JSON.stringify(expected)}`, () => {
      expect(contactAddress(from)).to.deep.equal(expected);
    });
  }
});
