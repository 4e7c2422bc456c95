import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { normalizeNumber } from '../../isag/sms/addresses';
import { parseKeyword } from '../../isag/sms/keywords';
import { neutralSignature } from '../../isag/sms/signature';
import { formFields, parseNeutral, parseTwilio } from '../../isag/sms/webhook-schema';
import { expect } from '../support/chai';
import { hostileJsonValue, hostileString, malformedJson, params, runs, timeoutFor } from './support/fuzz';
import { postWebhook, smsSecret, twilioSigned } from './support/isag-sms';
import { isagSuite } from './support/isag-watch';

/**
 * Hostile requests on ISAG's SMS webhooks (issue 14): random JSON, unknown fields, bad numbers, forged,
 * missing or stale signatures, wrong content types, oversized bodies, on the neutral JSON form and on the
 * Twilio form. Each case's expected status is computed from the request with the webhook's own parsers
 * (isag/sms/webhook-schema.ts, addresses.ts): a forged signature 403, a wrong type 415, a body over 32 kB
 * 413, fields it refuses 400, a valid SMS 200 and stored. Valid ones go to a number no queue has, so ISAG
 * quarantines them (no task reaches an agent). Afterwards ISAG is ready, under the same pid, with no crash
 * in its logs. Short form runs(300) requests per form; long form FUZZ_RUNS=10000 (`npm run fuzz:isag`).
 */
const CASES = runs(300);
const PARALLEL = 20;
/** No queue has this number: a valid SMS to it is quarantined (`no queue for ...`). */
const NOBODY = '+15550199';
const RUN = `fz${Date.now().toString(36)}s`;
let seq = 0;
const nextMarker = () => `${RUN}-${++seq}`;
const MAX_BODY = 32 * 1024;

interface Request {
  marker: string;
  path: '/sms/inbound' | '/sms/twilio';
  body: Buffer;
  headers: Record<string, string>;
  /** The status the webhook must answer. */
  expect: number;
  /** A valid message (not a keyword): stored exactly once. */
  stored: boolean;
  customer?: string;
}

/** Mostly numbers the webhook takes (so that storage is exercised), then odd and hostile ones. */
const number = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^\+1555[0-9]{7}$/) },
  fc.constantFrom('+15550199', '0033 6 12 34 56 78', '(555) 010-0000', '12', '+', '', '++1', '1'.repeat(21)),
  hostileString.map((s) => s.slice(0, 80)),
);
const smsText = fc.oneof(
  { weight: 4, arbitrary: hostileString.map((s) => s.slice(0, 1700)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('STOP', ' stop! ', 'START', 'stop the delivery', '\u0000', 'x'.repeat(1601)),
  },
);
/** Neutral-form bodies: mostly the form's shape with hostile values, sometimes with extra fields or not JSON. */
const neutralBody = (marker: string): fc.Arbitrary<Buffer> =>
  fc
    .oneof(
      {
        weight: 6,
        arbitrary: fc
          .record(
            {
              from: number,
              text: smsText,
              to: fc.oneof(
                { weight: 6, arbitrary: fc.constant(NOBODY) },
                fc.constantFrom('not-a-number', ''),
              ),
              id: fc.oneof({ weight: 6, arbitrary: fc.constant(marker) }, fc.constantFrom(`${marker} !`, '')),
            },
            { requiredKeys: ['from', 'text', 'to'] },
          )
          // Mostly the marker leads the text; a bare text can be a keyword (STOP), found by its id if any.
          .chain((r) => fc.nat(4).map((n) => ({ ...r, text: n === 0 ? r.text : `${marker} ${r.text}` }))),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(
            fc.constantFrom('__proto__', 'constructor', 'mediaUrl', 'from ', 'ID', '$where'),
            hostileJsonValue,
          )
          .map(
            ([k, v]) =>
              JSON.parse(
                `{"from":"+15551230000","to":"${NOBODY}","text":"${marker}","id":"${marker}",${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}}`,
              ) as unknown,
          ),
      },
      { weight: 1, arbitrary: hostileJsonValue },
    )
    .map((v) => Buffer.from(JSON.stringify(v) ?? 'null', 'utf8'))
    .chain((b) =>
      fc.oneof(
        { weight: 9, arbitrary: fc.constant(b) },
        { weight: 1, arbitrary: malformedJson.map((s) => Buffer.from(`${marker}${s}`, 'utf8')) },
      ),
    );

/** A quarter of the requests carry a signature that must not pass. */
const signatureFlaw = fc.oneof(
  { weight: 3, arbitrary: fc.constant('none') },
  fc.constantFrom('missing', 'other-key', 'other-body', 'garbage', 'upper-case', 'sha1'),
);

function neutralHeader(flaw: string, body: Buffer): string | undefined {
  switch (flaw) {
    case 'missing':
      return undefined;
    case 'other-key':
      return neutralSignature('not-the-secret', body);
    case 'other-body':
      return neutralSignature(smsSecret(), Buffer.concat([body, Buffer.from(' ')]));
    case 'garbage':
      return 'sha256=zz\u00ff';
    case 'upper-case':
      return neutralSignature(smsSecret(), body).toUpperCase();
    case 'sha1':
      return `sha1=${createHmac('sha1', smsSecret()).update(body).digest('hex')}`;
    default:
      return neutralSignature(smsSecret(), body);
  }
}

/** What /sms/inbound must answer, in the order it checks (isag/sms/routes.ts). */
function neutralExpectation(
  body: Buffer,
  flaw: string,
  type: string,
): { status: number; stored: boolean; customer?: string } {
  if (body.length > MAX_BODY) return { status: 413, stored: false };
  if (flaw !== 'none') return { status: 403, stored: false };
  if (type !== 'application/json') return { status: 415, stored: false };
  const parsed = parseNeutral(body);
  if (!parsed.ok) return { status: 400, stored: false };
  const from = normalizeNumber(parsed.value.from);
  if (from === undefined || normalizeNumber(parsed.value.to) === undefined)
    return { status: 400, stored: false };
  return { status: 200, stored: parseKeyword(parsed.value.text) === undefined, customer: from };
}

const neutralRequest: fc.Arbitrary<Request> = fc
  .constant(null)
  .map(() => nextMarker())
  .chain((marker) =>
    fc
      .tuple(
        neutralBody(marker),
        signatureFlaw,
        fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
          fc.constantFrom('text/plain', ''),
        ),
        fc.nat(49),
      )
      .map(([b, flaw, type, roll]) => {
        const body = roll === 0 ? Buffer.concat([b, Buffer.alloc(MAX_BODY, 0x20)]) : b;
        const sig = neutralHeader(flaw, body);
        const headers: Record<string, string> = { 'content-type': type };
        if (sig !== undefined) headers['x-ipcc-signature'] = sig;
        const e = neutralExpectation(body, flaw, type.split(';')[0]?.trim() ?? '');
        const stored = e.stored && body.includes(marker);
        return {
          marker,
          path: '/sms/inbound' as const,
          body,
          headers,
          expect: e.status,
          stored,
          ...(e.customer === undefined ? {} : { customer: e.customer }),
        };
      }),
  );

/** Twilio's form: known fields with hostile values, unknown fields, repeated names; forged signatures. */
const twilioRequest: fc.Arbitrary<Request> = fc
  .constant(null)
  .map(() => nextMarker())
  .chain((marker) =>
    fc
      .tuple(
        fc.record(
          {
            From: number,
            To: fc.oneof({ weight: 6, arbitrary: fc.constant(NOBODY) }, fc.constant('x')),
            Body: smsText,
            NumMedia: fc.constantFrom('0', '-1', 'NaN'),
          },
          { requiredKeys: ['From', 'Body'] },
        ),
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom('MediaUrl0', 'FromCity', 'Unknown', 'MessageSid', '__proto__'),
              hostileString.map((s) => s.slice(0, 30)),
            ),
            hostileString.map((s) => s.slice(0, 200)),
          ),
          { maxLength: 3 },
        ),
        fc.oneof(
          { weight: 3, arbitrary: fc.constant('none') },
          fc.constantFrom('missing', 'other-key', 'garbage'),
        ),
        fc.oneof(
          { weight: 4, arbitrary: fc.constant('application/x-www-form-urlencoded') },
          fc.constant('application/json'),
        ),
      )
      .map(([known, extra, flaw, type]) => {
        const params = new URLSearchParams();
        params.append('MessageSid', `SM${marker.replace(/[^A-Za-z0-9]/g, '')}`);
        for (const [k, v] of Object.entries(known)) params.append(k, k === 'Body' ? `${marker} ${v}` : v);
        for (const [k, v] of extra) params.append(k, v);
        const body = Buffer.from(params.toString(), 'utf8');
        const fields = formFields(body);
        const headers: Record<string, string> = { 'content-type': type };
        const form = type === 'application/x-www-form-urlencoded' && fields.ok;
        if (flaw !== 'missing')
          headers['x-twilio-signature'] =
            flaw === 'garbage'
              ? '!!'
              : twilioSigned(
                  fields.ok ? fields.value : new Map(),
                  flaw === 'other-key' ? 'forged' : undefined,
                );
        let status = 200;
        let customer: string | undefined;
        let stored = false;
        if (body.length > MAX_BODY) status = 413;
        else if (!form || flaw !== 'none') status = 403;
        else {
          const parsed = parseTwilio(fields.value);
          customer = parsed.ok ? normalizeNumber(parsed.value.from) : undefined;
          if (!parsed.ok || customer === undefined || normalizeNumber(parsed.value.to) === undefined)
            status = 400;
          else stored = parseKeyword(parsed.value.text) === undefined;
        }
        return {
          marker,
          path: '/sms/twilio' as const,
          body,
          headers,
          expect: status,
          stored,
          ...(customer === undefined ? {} : { customer }),
        };
      }),
  );

describe('fuzz: hostile requests on the ISAG SMS webhooks', function () {
  this.timeout(timeoutFor(2 * CASES, 60));
  const since = new Date();
  const customers = new Set<string>();
  const statuses = new Map<string, number>();

  // Registered before the fixture's hooks, so it runs while the store is still open.
  after(async () => {
    console.log(`      webhook answers: ${[...statuses].map(([k, n]) => `${k}: ${n}`).join(', ')}`);
    // Keyword cases opted fuzz numbers out: those records are this suite's.
    await isag.db
      .collection<{ _id: string }>('smsOptOuts')
      .deleteMany({ _id: { $in: [...customers] }, at: { $gte: since } });
  });
  const isag = isagSuite();

  async function check(batch: Request[]): Promise<void> {
    const batchStart = new Date(Date.now() - 2000);
    const answers = await Promise.all(batch.map((r) => postWebhook(r.path, r.body, r.headers)));
    const counts = await isag.stored.counts(
      batch.map((r) => r.marker),
      batchStart,
    );
    await isag.stored.remove();
    answers.forEach((a, i) => {
      const r = batch[i] as Request;
      const key = `${r.path} ${a.status}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      const said = `${r.marker} ${r.path} ${JSON.stringify(r.headers)} ${r.body.toString('utf8').slice(0, 300)} -> ${a.status} ${a.body.slice(0, 200)}`;
      expect(a.status, said).to.equal(r.expect);
      if (r.customer !== undefined && r.expect === 200) customers.add(r.customer);
      const n = counts.get(r.marker) ?? 0;
      if (r.stored) expect(n, `accepted, stored ${n} times: ${said}`).to.equal(1);
      else expect(n, `not accepted as a message, stored ${n} times: ${said}`).to.equal(0);
    });
  }

  it(`${CASES} neutral-form requests: each answered as its content says`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(neutralRequest, { minLength: PARALLEL, maxLength: PARALLEL }), check),
      params(Math.ceil(CASES / PARALLEL)),
    );
  });

  it(`${CASES} Twilio-form requests: each answered as its content says`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(twilioRequest, { minLength: PARALLEL, maxLength: PARALLEL }), check),
      params(Math.ceil(CASES / PARALLEL)),
    );
  });

  it('afterwards: ISAG ready, same process, nothing unhandled in its logs', async () => {
    expect(await isag.process.problems(), 'ISAG after the suite').to.deep.equal([]);
  });
});
