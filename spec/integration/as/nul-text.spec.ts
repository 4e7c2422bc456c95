import { expect } from '../../support/chai';
import { mongoUri } from '../../support/servers';
import { setUp, tearDown, type Fixture } from './fixture';

/**
 * Regression (found by spec/fuzz/as-rest.spec.ts): a string holding U+0000 passed joi validation and
 * reached FerretDB on PostgreSQL, which refuses it (SQLSTATE 22P05); the AS answered 500. It is now
 * refused with 400 before validation (as/http/no-nul.ts).
 */
describe('AS refuses U+0000 in any text with 400 (it answered 500)', function () {
  let f: Fixture | undefined;
  before(async () => {
    process.env.MONGODB_URI ??= mongoUri();
    f = await setUp();
  });
  after(async () => tearDown(f));

  const cases: Array<[string, (fx: Fixture) => string, unknown]> = [
    ['POST /api/v1/customers firstName', () => '/api/v1/customers', { firstName: 'a\u0000b', lastName: 'x' }],
    [
      'POST /api/v1/customers notes',
      () => '/api/v1/customers',
      { firstName: 'a', lastName: 'x', notes: 'n\u0000' },
    ],
    [
      'POST /api/v1/customers custom value',
      () => '/api/v1/customers',
      { firstName: 'a', lastName: 'x', custom: { k: 'v\u0000' } },
    ],
    [
      'POST /api/v1/interactions/{id}/notes',
      (fx) => `/api/v1/interactions/${fx.contacts.a1}/notes`,
      { text: 'n\u0000' },
    ],
  ];
  for (const [name, url, payload] of cases) {
    it(`${name} ${JSON.stringify(payload)}: 400, not 500`, async () => {
      const fx = f as Fixture;
      const res = await fx.server.inject({
        method: 'POST',
        url: url(fx),
        payload: payload as object,
        headers: { authorization: `Bearer ${fx.tokens.admin}` },
      });
      expect(res.statusCode, res.payload).to.equal(400);
      expect((JSON.parse(res.payload) as { message: string }).message).to.match(/NUL/);
    });
  }
});
