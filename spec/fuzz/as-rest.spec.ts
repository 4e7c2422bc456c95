import fc from 'fast-check';
import { Test } from 'mocha';
import { Agent } from '../../as/models';
import { expect } from '../support/chai';
import { mongoUri } from '../support/servers';
import { capturingLogger } from './support/captured-log';
import { setUp, tearDown, type Fixture } from '../integration/as/fixture';
import { LONG, params, runs, timeoutFor, type JsonSchema } from './support/fuzz';
import { operationsOf, type OpenApiDoc, type Operation } from './support/openapi-ops';
import { answerChecker } from './support/rest-answers';
import { requestArb } from './support/rest-requests';
import { storedDataTests } from './support/stored-data';

/**
 * Hostile input against every AS REST route, the route list read from the served OpenAPI description.
 * The real server runs through `server.inject()` on a database of its own (the AS integration fixture).
 * Invariants: never a 5xx, always a JSON answer, a clear `message` on every error, no prototype pollution,
 * no unhandled rejection (spec/support/hooks.ts); what an authorised write stores comes back verbatim.
 */
const PER_ROUTE = runs(100);

/** Requests that may revoke the fixture's tokens when they succeed. */
const REVOKING = /^(POST \/api\/v1\/auth\/logout|(PATCH|DELETE) \/api\/v1\/agents\/)/;

describe('fuzz: every AS REST route from the OpenAPI description', function (this: Mocha.Suite) {
  const suite: Mocha.Suite = this; // eslint-disable-line @typescript-eslint/no-this-alias -- tests are added from before()
  let f: Fixture | undefined;
  this.timeout(120_000);

  before(async function () {
    process.env.MONGODB_URI ??= mongoUri();
    const capture = capturingLogger();
    const checkAnswer = answerChecker(capture.errors);
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
    for (const t of storedDataTests(fx, checkAnswer)) {
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
