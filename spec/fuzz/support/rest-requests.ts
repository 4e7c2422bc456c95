import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { signToken, type Role } from '../../../lib/auth-token';
import { SECRET, type Fixture } from '../../integration/as/fixture';
import {
  deepJson,
  fromSchema,
  hostileJsonValue,
  hostileString,
  malformedJson,
  mutate,
  operatorObject,
  pollutionJson,
  type JsonSchema,
} from './fuzz';
import type { Operation, Req } from './openapi-ops';

/**
 * Hostile requests for one AS operation: every kind of credential, path values from real ids to
 * hostile strings, declared and undeclared query parameters, bodies valid, mutated or malformed, and any
 * content type (as-rest.spec.ts).
 */

/** Every kind of credential: none, garbage, forged, expired, wrong audience, `alg: none`, every role. */
function tokenArb(f: Fixture): fc.Arbitrary<string | undefined> {
  const other = randomBytes(32).toString('hex');
  const now = Math.floor(Date.now() / 1000);
  const claims = (sub: string, roles: unknown) => ({ sub, roles, iss: 'ipcc-as', aud: 'ipcc' });
  const unknownId = randomBytes(12).toString('hex');
  const header = (t: string) => `Bearer ${t}`;
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const bad = [
    header(jwt.sign({ ...claims(f.ids.admin, ['admin']) }, other)),
    header(jwt.sign({ ...claims(f.ids.admin, ['admin']), exp: now - 60 }, SECRET)),
    header(jwt.sign({ ...claims(f.ids.admin, ['admin']), aud: 'other' }, SECRET)),
    header(jwt.sign({ ...claims(f.ids.admin, ['admin']), iss: 'evil' }, SECRET)),
    header(jwt.sign({ ...claims(f.ids.admin, ['admin']), nbf: now + 3600 }, SECRET)),
    header(jwt.sign({ ...claims(f.ids.admin, ['root']) }, SECRET)),
    header(jwt.sign({ ...claims(f.ids.admin, 'admin') }, SECRET)),
    header(jwt.sign({ ...claims(f.ids.admin, [{ $ne: null }]) }, SECRET)),
    header(jwt.sign({ roles: ['admin'], iss: 'ipcc-as', aud: 'ipcc', sub: { $gt: '' } }, SECRET)),
    header(jwt.sign({ ...claims(f.ids.admin, ['admin']) }, SECRET, { algorithm: 'HS512' })),
    header(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims(f.ids.admin, ['admin']))}.`),
    header(`${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims(f.ids.admin, ['admin']))}.c2lnbmF0dXJl`),
    'Bearer',
    'Bearer ',
    'Basic YWRtaW46YWRtaW4=',
    `Bearer ${'A'.repeat(9000)}`,
    'Bearer a.b.c',
    'Bearer ..',
  ];
  const good = (sub: string, roles: Role[]) => header(signToken({ sub, roles }, SECRET).token);
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constantFrom(...bad) },
    { weight: 1, arbitrary: hostileString.map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, '')}`) },
    {
      weight: 8,
      arbitrary: fc.constantFrom(
        header(f.tokens.agentA),
        header(f.tokens.agentB),
        header(f.tokens.supervisor),
        header(f.tokens.admin),
        header(f.tokens.admin),
        header(f.tokens.ivr),
        good(unknownId, ['agent']),
        good(unknownId, ['admin']),
        good(unknownId, ['supervisor']),
        good(f.ids.admin, ['agent', 'supervisor', 'admin', 'ivr']),
      ),
    },
  );
}

/** A path parameter: a real id (so handlers run), a random well-formed one, or something hostile. */
function pathValueArb(real: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...real) },
    { weight: 1, arbitrary: fc.stringMatching(/^[0-9a-f]{24}$/) },
    { weight: 1, arbitrary: fc.uuid({ version: 4 }) },
    { weight: 1, arbitrary: fc.stringMatching(/^\+?[0-9]{1,15}$/) },
    { weight: 3, arbitrary: hostileString.filter((s) => s.length < 3000).map(enc) },
    { weight: 1, arbitrary: operatorObject.map((o) => enc(JSON.stringify(o))) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '%',
        '%zz',
        '%00',
        '..',
        '%2e%2e',
        '%2e%2e%2f',
        '$gt',
        '[$ne]',
        '__proto__',
        'constructor',
      ),
    },
  );
}

function queryArb(op: Operation, real: string[]): fc.Arbitrary<string> {
  const pair = (k: string, v: string) => `${enc(k)}=${enc(v)}`;
  const declared = op.queryParams.map(({ name, schema }) =>
    fc.option(
      fc.oneof(
        { weight: 3, arbitrary: fromSchema(schema, () => ({})).map((v) => pair(name, String(v))) },
        { weight: 1, arbitrary: fc.constantFrom(...real).map((v) => pair(name, v)) },
        { weight: 2, arbitrary: hostileString.filter((s) => s.length < 5000).map((v) => pair(name, v)) },
        {
          weight: 1,
          arbitrary: fc.constantFrom('$gt', '$ne', '$where', '$regex').map((o) => `${name}[${o}]=1`),
        },
        { weight: 1, arbitrary: operatorObject.map((o) => pair(name, JSON.stringify(o))) },
        { weight: 1, arbitrary: fc.constant(`${name}=a&${name}=b`) },
      ),
      { freq: 2, nil: '' },
    ),
  );
  const extra = fc.option(
    fc.oneof(
      fc.constantFrom(
        '__proto__[polluted]=1',
        'constructor[prototype][polluted]=1',
        '$where=1',
        'roles=admin',
        'limit=99999999999999999999',
        'skip=-1',
        'format=xml',
        '%zz=1',
      ),
      fc.tuple(hostileString, hostileString).map(([k, v]) => pair(k.slice(0, 200), v.slice(0, 2000))),
    ),
    { freq: 3, nil: '' },
  );
  return fc.tuple(fc.tuple(...declared, extra), fc.boolean()).map(([parts]) => {
    const q = parts.filter((p) => p !== '').join('&');
    return q === '' ? '' : `?${q}`;
  });
}

function bodyArb(op: Operation, resolve: (ref: string) => JsonSchema): fc.Arbitrary<string | undefined> {
  const json = (v: unknown) => JSON.stringify(v);
  const huge = fc.integer({ min: 60_000, max: 200_000 }).map((n) => json({ firstName: 'x'.repeat(n) }));
  const hostile: Array<fc.WeightedArbitrary<string | undefined>> = [
    { weight: 1, arbitrary: hostileJsonValue.map(json) },
    { weight: 1, arbitrary: malformedJson },
    { weight: 1, arbitrary: pollutionJson },
    { weight: 1, arbitrary: deepJson },
    { weight: 1, arbitrary: huge },
  ];
  if (!op.body) return fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, ...hostile);
  const valid = fromSchema(op.body, resolve);
  return fc.oneof(
    { weight: 3, arbitrary: valid.map(json) },
    { weight: 4, arbitrary: valid.chain(mutate).map(json) },
    ...hostile,
  );
}

const contentTypeArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      'application/json; charset=nonsense',
      'application/xml',
      '',
      '*/*',
    ),
  },
);

export function requestArb(
  op: Operation,
  f: Fixture,
  real: string[],
  resolve: (r: string) => JsonSchema,
): fc.Arbitrary<Req> {
  const pathArb = fc.tuple(...op.pathParams.map(() => pathValueArb(real)), fc.constant(0)).map((values) => {
    let p = op.path;
    op.pathParams.forEach((param, i) => (p = p.replace(`{${param.name}}`, values[i] as string)));
    return p;
  });
  return fc
    .record({
      path: pathArb,
      query: queryArb(op, real),
      token: tokenArb(f),
      body: bodyArb(op, resolve),
      contentType: contentTypeArb,
    })
    .map(({ path, query, token, body, contentType }) => {
      const headers: Record<string, string> = {};
      if (token !== undefined) headers.authorization = token;
      if (body !== undefined && contentType !== '') headers['content-type'] = contentType;
      return {
        method: op.method,
        url: path + query,
        headers,
        ...(body === undefined ? {} : { payload: body }),
      };
    });
}

/** Percent-encodes the UTF-8 bytes (lone surrogates, which encodeURIComponent refuses, become U+FFFD). */
function enc(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}
