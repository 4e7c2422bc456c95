import fc from 'fast-check';
import { Test } from 'mocha';
import { Customer, Interaction } from '../../../as/models';
import { expect } from '../../support/chai';
import type { Fixture } from '../../integration/as/fixture';
import { params, runs, timeoutFor } from './fuzz';
import { describeReq, type AnswerCheck } from './rest-answers';

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

/** Authorised writes of hostile text: what is stored and read back is the same string (trimmed). */
export function storedDataTests(f: Fixture, checkAnswer: AnswerCheck): Test[] {
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
