import { expect } from '../../support/chai';
import { Customer } from '../../../as/models';
import { body, call, setUp, tearDown, type Fixture } from './fixture';

/**
 * Security 6 of issue 10: a customer's custom fields are bounded across the stored document (50 fields,
 * 16 KiB of JSON), whatever sequence or concurrency of PATCHes; names and notes refuse control characters
 * and bidirectional overrides with 400 (notes keep tab and line breaks).
 */
describe('AS custom-field bounds and control characters in text (integration)', () => {
  let f: Fixture;
  before(async () => {
    f = await setUp();
  });
  after(async () => tearDown(f));

  const newCustomer = async (lastName: string) => {
    const res = await call(f, 'POST', '/api/v1/customers', {
      token: f.tokens.supervisor,
      payload: { lastName },
    });
    expect(res.statusCode).to.equal(201);
    return body<{ id: string }>(res).id;
  };
  const batch = (from: number, n: number, value: string | number = 1) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${from + i}`, value]));
  const patch = (id: string, custom: Record<string, unknown>) =>
    call(f, 'PATCH', `/api/v1/customers/${id}`, { token: f.tokens.supervisor, payload: { custom } });
  const storedCustom = async (id: string) =>
    ((await Customer.findById(id).lean())?.custom ?? {}) as Record<string, unknown>;

  describe('custom fields', () => {
    it('a sequence of PATCHes of 10 fields stops at 50 fields (the 6th is 400)', async () => {
      const id = await newCustomer('Many');
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await patch(id, batch(i * 10, 10))).statusCode);
      expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 400]);
      const refused = await patch(id, { extra: 1 });
      expect(refused.statusCode).to.equal(400);
      expect(body(refused).message).to.equal('a customer holds at most 50 custom fields; this would make 51');
      expect(Object.keys(await storedCustom(id))).to.have.length(50);
      // Replacing a value or removing one still works at the bound.
      expect((await patch(id, { f0: 'changed', f1: null })).statusCode).to.equal(200);
      expect((await patch(id, { f1: 2 })).statusCode).to.equal(200);
    });

    it('a sequence of PATCHes of long values stops at 16 KiB of JSON', async () => {
      const id = await newCustomer('Long');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1)
        statuses.push((await patch(id, batch(i * 10, 10, 'x'.repeat(500)))).statusCode);
      expect(statuses).to.deep.equal([200, 200, 200, 400]);
      const stored = await storedCustom(id);
      expect(Object.keys(stored)).to.have.length(30);
      expect(Buffer.byteLength(JSON.stringify(stored))).to.be.at.most(16 * 1024);
    });

    it('8 concurrent PATCHes of 10 fields: 5 accepted, 3 refused, 50 stored', async () => {
      const id = await newCustomer('Racy');
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => patch(id, batch(i * 10, 10))));
      const codes = results.map((r) => r.statusCode);
      const accepted = codes.filter((c) => c === 200).length;
      expect(
        codes.every((c) => c === 200 || c === 400 || c === 409),
        codes.join(','),
      ).to.equal(true);
      const stored = Object.keys(await storedCustom(id));
      // Every accepted PATCH is stored whole (no lost update), and never more than 50 fields.
      expect(stored).to.have.length(accepted * 10);
      expect(accepted).to.equal(5);
      expect(codes.filter((c) => c === 400)).to.have.length(3);
    });

    it('a customer stored over the bound may only shrink', async () => {
      const { _id } = await Customer.create({ lastName: 'Legacy', custom: batch(0, 60) });
      const id = _id.toHexString();
      expect((await patch(id, { f59: null, f58: null })).statusCode).to.equal(200);
      expect(Object.keys(await storedCustom(id))).to.have.length(58);
      expect((await patch(id, { f0: 'grow' })).statusCode).to.equal(400);
    });

    it('a create over the byte bound is 400; keys named like Object properties are plain fields', async () => {
      const big = await call(f, 'POST', '/api/v1/customers', {
        token: f.tokens.supervisor,
        payload: { lastName: 'Big', custom: batch(0, 40, 'y'.repeat(500)) },
      });
      expect(big.statusCode).to.equal(400);
      expect(body(big).message).to.match(/^a customer's custom fields hold at most 16384 bytes/);
      const id = await newCustomer('Proto');
      const res = await patch(id, { constructor: 'c', toString: 't', hasOwnProperty: 1 });
      expect(res.statusCode).to.equal(200);
      expect(body<{ custom: Record<string, unknown> }>(res).custom).to.deep.equal({
        constructor: 'c',
        toString: 't',
        hasOwnProperty: 1,
      });
    });
  });

  describe('control and bidirectional characters', () => {
    const refused = async (method: string, url: string, payload: unknown, token: string, found: string) => {
      const res = await call(f, method, url, { token, payload });
      expect(res.statusCode, `${url} ${JSON.stringify(payload)}`).to.equal(400);
      expect(body(res).message).to.contain(
        `must not contain control characters or bidirectional overrides (found ${found})`,
      );
    };

    it('customer names, notes and custom values', async () => {
      const url = '/api/v1/customers';
      const t = f.tokens.supervisor;
      await refused('POST', url, { firstName: 'Ali\u202Eecnatta', lastName: 'X' }, t, 'U+202E');
      await refused('POST', url, { lastName: 'Bell\u0007' }, t, 'U+0007');
      await refused('POST', url, { lastName: 'Tab\tbed' }, t, 'U+0009');
      await refused('POST', url, { lastName: 'N', notes: 'isolate \u2066here\u2069' }, t, 'U+2066');
      await refused('POST', url, { lastName: 'N', notes: 'next line\u0085' }, t, 'U+0085');
      await refused('POST', url, { lastName: 'N', custom: { tier: 'gold\u202D' } }, t, 'U+202D');
      await refused('PATCH', `${url}/${f.ids.alice}`, { lastName: 'Mar\u202Btin' }, t, 'U+202B');
      const ok = await call(f, 'POST', url, {
        token: t,
        payload: { firstName: 'Zoë', lastName: 'عربي', notes: 'line one\nline two\ttabbed\r\n' },
      });
      expect(ok.statusCode).to.equal(201);
      expect(body(ok)).to.include({
        firstName: 'Zoë',
        lastName: 'عربي',
        notes: 'line one\nline two\ttabbed',
      });
    });

    it('agent display names and caller-id names', async () => {
      const agent = { login: 'c3003', password: 'a-long-password-1', roles: ['agent'] };
      await refused(
        'POST',
        '/api/v1/agents',
        { ...agent, displayName: 'Eve\u202E' },
        f.tokens.admin,
        'U+202E',
      );
      await refused(
        'POST',
        '/api/v1/agents',
        { ...agent, displayName: 'Eve', callerId: { name: 'A\r\nB' } },
        f.tokens.admin,
        'U+000D',
      );
      await refused(
        'PATCH',
        `/api/v1/agents/${f.ids.agentA}`,
        { displayName: 'X\u001B' },
        f.tokens.admin,
        'U+001B',
      );
    });

    it('contact notes keep line breaks and refuse the rest', async () => {
      const url = `/api/v1/interactions/${f.contacts.a1}/notes`;
      await refused('POST', url, { text: 'see \u202Ethis' }, f.tokens.agentA, 'U+202E');
      const ok = await call(f, 'POST', url, {
        token: f.tokens.agentA,
        payload: { text: 'called back\nno answer' },
      });
      expect(ok.statusCode).to.equal(201);
    });

    it('queue names (a name pattern) refuse them too', async () => {
      const res = await call(f, 'POST', '/api/v1/queues', {
        token: f.tokens.admin,
        payload: { name: 'sales\u202E' },
      });
      expect(res.statusCode).to.equal(400);
    });
  });
});
