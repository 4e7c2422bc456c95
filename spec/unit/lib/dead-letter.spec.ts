import { MAX_REASON_CHARS, deadLetterHeaders } from '../../../lib/bus/dead-letter';
import { REASON_HEADER } from '../../../lib/bus/topology';
import { expect } from '../../support/chai';

describe('dead-letter headers (lib/bus/dead-letter.ts)', () => {
  it('keeps the original headers and adds the reason and the exchange', () => {
    const h = deadLetterHeaders({ 'x-fuzz': 'id-1' }, 'invalid: type', 'cc.events');
    expect(h).to.deep.equal({
      'x-fuzz': 'id-1',
      [REASON_HEADER]: 'invalid: type',
      'x-ipcc-exchange': 'cc.events',
    });
  });

  it('bounds a reason that quotes a huge field, saying how long it was', () => {
    const reason = `callingName: too long: ${'x'.repeat(1_000_000)}`;
    const r = String(deadLetterHeaders(undefined, reason, 'cc.events')[REASON_HEADER]);
    expect(r.length).to.be.below(MAX_REASON_CHARS + 60);
    expect(r.startsWith('callingName: too long: xxx')).to.equal(true);
    expect(r).to.match(/\(1000023 characters in all\)$/);
  });

  it('drops original headers too large for an AMQP header table (64 KiB), keeping the reason', () => {
    const h = deadLetterHeaders({ big: 'y'.repeat(70_000), 'x-fuzz': 'id-2' }, 'bad', 'cc.commands');
    expect(h).to.not.have.property('big');
    expect(h).to.not.have.property('x-fuzz');
    expect(h[REASON_HEADER]).to.equal('bad');
    expect(String(h['x-ipcc-headers-dropped'])).to.match(/^\d+ characters of JSON$/);
  });
});
