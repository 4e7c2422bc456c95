import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import type { ServerInjectResponse } from '@hapi/hapi';
import { Test } from 'mocha';
import { signToken, type Role } from '../../lib/auth-token';
import { Agent, Customer, Interaction } from '../../as/models';
import { expect } from '../support/chai';
import { mongoUri } from '../support/servers';
import { capturingLogger, type CapturedErrors } from './support/captured-log';
import { SECRET, setUp, tearDown, type Fixture } from '../integration/as/fixture';
import {
  LONG,
  deepJson,
  fromSchema,
  hostileJsonValue,
  hostileString,
  malformedJson,
  mutate,
  nastyString,
  operatorObject,
  params,
  pollutionJson,
  runs,
  timeoutFor,
  type JsonSchema,
} from './support/fuzz';

/**
 * Hostile input against every AS REST route, the route list read from the served OpenAPI description.
 * The real server runs through `server.inject()` on a database of its own (the AS integration fixture).
 * Invariants: never a 5xx, always a JSON answer, a clear `message` on every error, no prototype pollution,
 * no unhandled rejection (spec/support/hooks.ts); what an authorised write stores comes back verbatim.
 */
const PER_ROUTE = runs(100);

interface Operation {
  method: string;
  path: string;
  pathParams: Array<{ name: string; schema: JsonSchema }>;
  queryParams: Array<{ name: string; schema: JsonSchema }>;
  body?: JsonSchema;
}

interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{ in: string; name: string; schema?: JsonSchema }>;
        requestBody?: { content?: Record<string, { schema: JsonSchema }> };
      }
    >
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface Req {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const ps = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: ps.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        queryParams: ps
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        ...(op.requestBody?.content?.['application/json']
          ? { body: op.requestBody.content['application/json'].schema }
          : {}),
      });
    }
  }
  return ops;
}

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

function requestArb(
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

function describeReq(req: Req, res: ServerInjectResponse<unknown>): string {
  const body = req.payload === undefined ? '' : ` body=${req.payload.slice(0, 300)}`;
  return `${req.method} ${req.url.slice(0, 300)} auth=${(req.headers.authorization ?? '-').slice(0, 40)}…${body} -> ${res.statusCode} ${res.payload.slice(0, 400)}`;
}

/** Requests that may revoke the fixture's tokens when they succeed. */
const REVOKING = /^(POST \/api\/v1\/auth\/logout|(PATCH|DELETE) \/api\/v1\/agents\/)/;

/** The invariants every answer must hold, whatever was asked. */
let captured: CapturedErrors | undefined;

function checkAnswer(req: Req, res: ServerInjectResponse<unknown>): void {
  const what = describeReq(req, res);
  expect(res.statusCode, `5xx: ${what}; last logged error: ${captured?.lines.at(-1) ?? 'none'}`).to.be.below(
    500,
  );
  const type = String(res.headers['content-type'] ?? '');
  if (res.payload.length > 0) {
    if (type.startsWith('text/csv')) {
      expect(res.statusCode, `CSV only for a report: ${what}`).to.equal(200);
      expect(req.url, what).to.match(/^\/api\/v1\/reports\//);
    } else {
      expect(type, `not JSON: ${what}`).to.match(/^application\/json/);
      const parsed = JSON.parse(res.payload) as { message?: unknown };
      if (res.statusCode >= 400) {
        expect(parsed.message, `no message: ${what}`).to.be.a('string').and.not.equal('');
      }
    }
  } else {
    expect(res.statusCode, `empty answer: ${what}`).to.be.oneOf([200, 204]);
  }
  const proto = Object.prototype as Record<string, unknown>;
  expect(proto.polluted, `prototype polluted by ${what}`).to.equal(undefined);
  expect(proto.isAdmin, `prototype polluted by ${what}`).to.equal(undefined);
}

describe('fuzz: every AS REST route from the OpenAPI description', function (this: Mocha.Suite) {
  const suite: Mocha.Suite = this; // eslint-disable-line @typescript-eslint/no-this-alias -- tests are added from before()
  let f: Fixture | undefined;
  this.timeout(120_000);

  before(async function () {
    process.env.MONGODB_URI ??= mongoUri();
    const capture = capturingLogger();
    captured = capture.errors;
    // No account cache: the fixture's accounts are put back after each revoking request (see below).
    f = await setUp({ log: capture.log, accountCacheMs: 0 });
    const fx = f;
    const people = [fx.ids.agentA, fx.ids.agentB, fx.ids.supervisor, fx.ids.admin];
    const originals = await Agent.find({ _id: { $in: people } })
      .select('+passwordHash')
      .lean();
    const res = await fx.server.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).to.equal(200);
    const doc = JSON.parse(res.payload) as OpenApiDoc;
    const schemas = doc.components?.schemas ?? {};
    const resolve = (ref: string): JsonSchema => schemas[ref.replace('#/components/schemas/', '')] ?? {};
    const ops = operationsOf(doc);
    // Real ids of every kind, so a share of the requests reach the handlers and the store.
    const list = async (url: string) => {
      const r = await fx.server.inject({ url, headers: { authorization: `Bearer ${fx.tokens.admin}` } });
      const items = JSON.parse(r.payload) as unknown;
      const arr = Array.isArray(items) ? items : ((items as { items?: unknown[] }).items ?? []);
      return (arr as Array<{ id?: string; _id?: string }>).map((x) => String(x.id ?? x._id));
    };
    const real = [
      ...Object.values(fx.ids),
      ...Object.values(fx.contacts),
      ...(await list('/api/v1/prompts')),
      ...(await list('/api/v1/ivr-flows')),
      '100',
      '+33199000001',
      '0199000001',
      'balance',
      'tier',
    ];
    suite.ctx.ops = ops;
    for (const op of ops) {
      const test = new Test(
        `${op.method} ${op.path}: ${PER_ROUTE} hostile requests, no 5xx, JSON answers`,
        async () => {
          await fc.assert(
            fc.asyncProperty(requestArb(op, fx, real, resolve), async (req) => {
              const res = await fx.server.inject(req);
              checkAnswer(req, res);
              // A logout, or an administrator's change to an account, revokes the fixture's tokens
              // (issue 10, item 4): the accounts are put back so later requests still reach the handlers.
              if (res.statusCode < 300 && REVOKING.test(`${req.method} ${req.url}`)) {
                for (const doc of originals) await Agent.replaceOne({ _id: doc._id }, doc, { upsert: true });
              }
            }),
            params(PER_ROUTE),
          );
        },
      );
      suite.addTest(test);
      // After addTest, which copies the suite's timeout onto the test.
      test.timeout(timeoutFor(PER_ROUTE, LONG ? 60 : 200));
    }
    for (const t of storedDataTests(fx)) {
      const ms = t.timeout();
      suite.addTest(t);
      t.timeout(ms);
    }
  });
  after(async () => {
    await tearDown(f);
  });

  it('the OpenAPI description lists every route (the suite below is generated from it)', function () {
    const ops = (suite.ctx as { ops?: Operation[] }).ops ?? [];
    expect(ops.length).to.be.greaterThan(30);
    expect(ops.map((o) => `${o.method} ${o.path}`)).to.include.members([
      'POST /api/v1/auth/login',
      'POST /api/v1/customers',
      'GET /api/v1/ivr/callers/{number}/data/{field}',
    ]);
  });
});

/** Text an agent UI would be tempted to interpret: it must be stored and returned as the same string. */
const scriptText = fc.oneof(
  fc.constantFrom(
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(document.cookie)>',
    "Robert'); DROP TABLE customers;--",
    '{"$gt":""}',
    '$where',
    '{{constructor.constructor("alert(1)")()}}',
    '<svg/onload=alert(1)>',
    'javascript:alert(1)',
    '\u202eevil\u202c',
    'A\u0007B\u001bC',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
  fc
    .tuple(
      fc.string({ maxLength: 10 }),
      fc.constantFrom('<script>', '</script>', '<b>', '&lt;', '&amp;', '\\"'),
      fc.string({ maxLength: 10 }),
    )
    .map((p) => p.join('')),
);

function storedDataTests(f: Fixture): Test[] {
  const auth = (t: string) => ({ authorization: `Bearer ${t}`, 'content-type': 'application/json' });
  const n = runs(100);
  const t1 = new Test(
    `POST/GET /api/v1/customers: ${n} names and notes stored and returned verbatim`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          scriptText,
          scriptText,
          scriptText,
          scriptText,
          fc.constantFrom(f.tokens.admin, f.tokens.supervisor, f.tokens.agentA),
          async (first, last, notes, customValue, token) => {
            const payload = { firstName: first, lastName: last, notes, custom: { field: customValue } };
            const req = {
              method: 'POST',
              url: '/api/v1/customers',
              headers: auth(token),
              payload: JSON.stringify(payload),
            };
            const res = await f.server.inject(req);
            checkAnswer(req, res);
            if (res.statusCode >= 400) return; // refused with a clear message (e.g. a name of only spaces)
            expect(res.statusCode, describeReq(req, res)).to.equal(201);
            const created = JSON.parse(res.payload) as {
              id: string;
              firstName: unknown;
              lastName: unknown;
              notes: unknown;
            };
            expect(created.firstName).to.equal(first.trim());
            expect(created.lastName).to.equal(last.trim());
            const stored = await Customer.findById(created.id).lean();
            expect(stored, 'stored').to.not.equal(null);
            expect(stored?.firstName, 'stored firstName').to.equal(first.trim());
            expect(stored?.lastName, 'stored lastName').to.equal(last.trim());
            expect((stored as { notes?: unknown }).notes ?? '', 'stored notes').to.equal(notes.trim());
            const custom = (stored as { custom?: Record<string, unknown> }).custom ?? {};
            expect(custom.field, 'stored custom value').to.equal(customValue);
            const again = await f.server.inject({
              url: `/api/v1/customers/${created.id}`,
              headers: auth(f.tokens.admin),
            });
            expect(again.statusCode).to.equal(200);
            expect(again.headers['content-type']).to.match(/^application\/json/);
            const read = JSON.parse(again.payload) as {
              firstName: unknown;
              custom?: Record<string, unknown>;
            };
            expect(read.firstName).to.equal(first.trim());
            expect(read.custom?.field).to.equal(customValue);
          },
        ),
        params(n),
      );
    },
  );
  t1.timeout(timeoutFor(n, 60));
  const t2 = new Test(
    `POST /api/v1/interactions/{id}/notes: ${n} texts stored on the timeline verbatim`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          scriptText,
          fc.constantFrom(f.tokens.admin, f.tokens.agentA),
          async (text, token) => {
            const contactId = f.contacts.a1;
            const req = {
              method: 'POST',
              url: `/api/v1/interactions/${contactId}/notes`,
              headers: auth(token),
              payload: JSON.stringify({ text }),
            };
            const res = await f.server.inject(req);
            checkAnswer(req, res);
            if (res.statusCode >= 400) return;
            const stored = await Interaction.findById(contactId).lean();
            const notes = JSON.stringify(stored);
            expect(notes, 'note stored as text').to.include(JSON.stringify(text.trim()).slice(1, -1));
          },
        ),
        params(n),
      );
    },
  );
  t2.timeout(timeoutFor(n, 60));
  return [t1, t2];
}

// Silence "unused" for helpers kept for replays.
void randomUUID;
void nastyString;
