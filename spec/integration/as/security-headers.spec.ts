import { expect } from '../../support/chai';
import { CONTENT_SECURITY_POLICY } from '../../../as/http/security-headers';
import { call, PASSWORD, setUp, tearDown, type Fixture } from './fixture';

/**
 * Security 6 of issue 10: responses carrying tokens or personal data must not be stored by any cache,
 * and every response has a Content-Security-Policy and `nosniff` (the AS serves JSON and CSV only).
 */
describe('AS response headers: no-store, Content-Security-Policy, nosniff (integration)', () => {
  let f: Fixture;
  before(async () => {
    f = await setUp();
  });
  after(async () => tearDown(f));

  const cases: Array<{ what: string; status: number; send: () => ReturnType<typeof call> }> = [
    {
      what: 'login (a token)',
      status: 200,
      send: () => call(f, 'POST', '/api/v1/auth/login', { payload: { login: 'super', password: PASSWORD } }),
    },
    {
      what: 'a customer (personal data)',
      status: 200,
      send: () => call(f, 'GET', `/api/v1/customers/${f.ids.alice}`, { token: f.tokens.supervisor }),
    },
    {
      what: 'a report as CSV',
      status: 200,
      send: () =>
        call(
          f,
          'GET',
          '/api/v1/reports/agents?from=2026-01-05T09:00:00Z&to=2026-01-05T10:00:00Z&format=csv',
          {
            token: f.tokens.supervisor,
          },
        ),
    },
    { what: 'the OpenAPI document', status: 200, send: () => call(f, 'GET', '/openapi.json') },
    {
      what: 'a service error mapped to 404',
      status: 404,
      send: () =>
        call(f, 'GET', '/api/v1/customers/0123456789abcdef01234567', { token: f.tokens.supervisor }),
    },
    { what: 'an unknown path', status: 404, send: () => call(f, 'GET', '/api/v1/nothing-here') },
    { what: 'no token', status: 401, send: () => call(f, 'GET', '/api/v1/customers?q=a') },
    {
      what: 'a validation error',
      status: 400,
      send: () => call(f, 'GET', '/api/v1/customers/not-an-id', { token: f.tokens.supervisor }),
    },
    {
      what: 'a refused content type',
      status: 415,
      send: () =>
        call(f, 'POST', '/api/v1/auth/login', {
          payload: 'login=x',
          headers: { 'content-type': 'text/plain' },
        }),
    },
  ];

  for (const c of cases) {
    it(`${c.what}: ${c.status} with cache-control no-store, the CSP and nosniff`, async () => {
      const res = await c.send();
      expect(res.statusCode).to.equal(c.status);
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.headers['content-security-policy']).to.equal(CONTENT_SECURITY_POLICY);
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
    });
  }

  it("the policy is the strict one: default-src 'none' and no framing", () => {
    expect(CONTENT_SECURITY_POLICY).to.equal(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
  });
});
