import { expect } from '../../support/chai';
import { CUSTOM_LIMITS, customBytes, customOverLimit, mergeCustom } from '../../../as/domain/custom-fields';
import { forbiddenCharacter } from '../../../as/http/validation';

const fields = (n: number, value: string | number = 1) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, value]));

describe('as customers: custom fields bounded across the stored document', () => {
  it('merges a patch over what is stored: null removes, other values set, own keys only', () => {
    expect(mergeCustom({ a: 1, b: 'x' }, { b: null, c: true })).to.deep.equal({ a: 1, c: true });
    expect(mergeCustom(undefined, { constructor: 'k', toString: 2 })).to.deep.equal({
      constructor: 'k',
      toString: 2,
    });
    expect(Object.keys(mergeCustom(null, {}))).to.deep.equal([]);
  });

  it(`refuses the ${CUSTOM_LIMITS.fields + 1}th field, not the ${CUSTOM_LIMITS.fields}th`, () => {
    expect(customOverLimit(fields(50))).to.equal(null);
    expect(customOverLimit(fields(51))).to.equal(
      'a customer holds at most 50 custom fields; this would make 51',
    );
  });

  it(`refuses ${CUSTOM_LIMITS.bytes + 1} bytes of JSON, not ${CUSTOM_LIMITS.bytes}`, () => {
    // {"a":"…"} is 8 bytes around the value; é is 2 bytes in UTF-8.
    const exactly = { a: 'é'.repeat((CUSTOM_LIMITS.bytes - 8) / 2) };
    expect(customBytes(exactly)).to.equal(CUSTOM_LIMITS.bytes);
    expect(customOverLimit(exactly)).to.equal(null);
    const over = { a: `${exactly.a}x` };
    expect(customOverLimit(over)).to.equal(
      `a customer's custom fields hold at most 16384 bytes (as JSON); this would make 16385`,
    );
  });
});

describe('as text: control and bidirectional characters', () => {
  const cases: Array<[string, number, boolean, string | null]> = [
    ['space', 0x20, false, null],
    ['unit separator', 0x1f, false, 'U+001F'],
    ['bell', 0x07, true, 'U+0007'],
    ['tab in one line', 0x09, false, 'U+0009'],
    ['tab in notes', 0x09, true, null],
    ['line feed in notes', 0x0a, true, null],
    ['carriage return in notes', 0x0d, true, null],
    ['vertical tab in notes', 0x0b, true, 'U+000B'],
    ['tilde', 0x7e, false, null],
    ['DEL', 0x7f, false, 'U+007F'],
    ['NEL (C1)', 0x85, true, 'U+0085'],
    ['last C1', 0x9f, false, 'U+009F'],
    ['no-break space', 0xa0, false, null],
    ['LRE', 0x202a, false, 'U+202A'],
    ['RLO', 0x202e, true, 'U+202E'],
    ['narrow no-break space', 0x202f, false, null],
    ['word joiner', 0x2060, false, null],
    ['LRI', 0x2066, false, 'U+2066'],
    ['PDI', 0x2069, true, 'U+2069'],
    ['Arabic letter', 0x0627, false, null],
  ];
  for (const [what, code, multiline, expected] of cases) {
    it(`${what} (U+${code.toString(16).toUpperCase().padStart(4, '0')}, ${multiline ? 'multi-line' : 'one line'}): ${expected ?? 'allowed'}`, () => {
      expect(forbiddenCharacter(`Ali${String.fromCodePoint(code)}ce`, multiline)).to.equal(expected);
    });
  }
});
