import { expect } from '../../support/chai';
import fc from 'fast-check';
import { isCountryCode, normalisePhone } from '../../../as/domain/phone';

describe('as/domain/phone normalisePhone', () => {
  const cases: [string, string | null][] = [
    ['01 99 00 00 01', '+33199000001'],
    ['+33 1 99 00 00 01', '+33199000001'],
    ['0033199000001', '+33199000001'],
    ['(+44) 7700 900003', '+447700900003'],
    ['+1 (202) 555-0143', '+12025550143'],
    ['12', null],
    ['', null],
    ['not a number', null],
  ];
  for (const [raw, expected] of cases) {
    it(`${JSON.stringify(raw)} -> ${String(expected)}`, () => {
      expect(normalisePhone(raw, 'FR')).to.equal(expected);
    });
  }

  it('is idempotent: a normalised number normalises to itself', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+33[1-9][0-9]{8}$/), (n) => {
        const once = normalisePhone(n, 'FR');
        return once === null || normalisePhone(once, 'US') === once;
      }),
    );
  });

  it('knows country codes', () => {
    expect(isCountryCode('FR')).to.equal(true);
    expect(isCountryCode('fr')).to.equal(false);
  });
});
