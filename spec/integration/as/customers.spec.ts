import { expect } from '../../support/chai';
import { randomUUID } from 'node:crypto';
import { Customer, Interaction } from '../../../as/models';
import { body, call, setUp, tearDown, type Fixture } from './fixture';

describe('AS customers and screen pop (integration)', () => {
  let f: Fixture;
  before(async () => {
    f = await setUp();
  });
  after(async () => tearDown(f));

  describe('GET /api/v1/screen-pop/{contactId}', () => {
    it("finds the caller by a national-format caller id, links it, and lists the customer's history", async () => {
      const res = await call(f, 'GET', `/api/v1/screen-pop/${f.contacts.a1}`, { token: f.tokens.agentA });
      expect(res.statusCode).to.equal(200);
      const pop = body<{
        contact: { id: string };
        customer: { id: string; firstName: string; custom: { balance: number } };
        history: { id: string; notes?: unknown; disposition?: string }[];
      }>(res);
      expect(pop.contact.id).to.equal(f.contacts.a1);
      expect(pop.customer).to.include({ id: f.ids.alice, firstName: 'Alice' });
      expect(pop.customer.custom.balance).to.equal(120.5);
      // a2 came from Alice's number in E.164 and was never linked; history shows it as a summary only.
      expect(pop.history.map((h) => h.id)).to.deep.equal([f.contacts.a2]);
      expect(pop.history[0]?.disposition).to.equal('sale');
      expect(pop.history[0]).to.not.have.property('timeline');
      const linked = await Interaction.findById(f.contacts.a1).lean();
      expect(linked?.customerId).to.equal(f.ids.alice);
    });

    it('finds a caller whose trunk sent an international number without its "+"', async () => {
      const [carol] = await Customer.insertMany([
        { firstName: 'Carol', lastName: 'Nguyen', searchName: 'carol nguyen', phones: ['+15559900001'] },
      ]);
      const contactId = randomUUID();
      await Interaction.create({
        _id: contactId,
        channel: 'video',
        direction: 'inbound',
        to: '100',
        state: 'Established',
        createdAt: new Date(),
        from: '15559900001',
        agentId: f.ids.agentA,
        queueId: 'sales',
        timeline: [{ at: new Date(), type: 'CallDelivered' }],
      });
      const res = await call(f, 'GET', `/api/v1/screen-pop/${contactId}`, { token: f.tokens.agentA });
      expect(res.statusCode).to.equal(200);
      expect(body<{ customer: { id: string } | null }>(res).customer?.id).to.equal(carol!._id.toHexString());
    });

    it('finds an e-mail sender case-insensitively', async () => {
      const res = await call(f, 'GET', `/api/v1/screen-pop/${f.contacts.b1}`, { token: f.tokens.agentB });
      expect(res.statusCode).to.equal(200);
      expect(body<{ customer: { id: string } }>(res).customer.id).to.equal(f.ids.bob);
    });

    it("refuses another agent's contact (403), unknown contacts (404) and bad ids (400)", async () => {
      expect(
        (await call(f, 'GET', `/api/v1/screen-pop/${f.contacts.b1}`, { token: f.tokens.agentA })).statusCode,
      ).to.equal(403);
      expect(
        (
          await call(f, 'GET', '/api/v1/screen-pop/2d9f7c8e-0000-4000-8000-000000000000', {
            token: f.tokens.agentA,
          })
        ).statusCode,
      ).to.equal(404);
      const bad = await call(f, 'GET', '/api/v1/screen-pop/not-a-uuid', { token: f.tokens.agentA });
      expect(bad.statusCode).to.equal(400);
      expect(body(bad).message).to.contain('must be a valid GUID');
    });

    it('lets a supervisor pop any contact, with history of the same caller id when unknown', async () => {
      const res = await call(f, 'GET', `/api/v1/screen-pop/${f.contacts.unassigned}`, {
        token: f.tokens.supervisor,
      });
      expect(res.statusCode).to.equal(200);
      expect(body(res).customer).to.equal(null);
    });
  });

  describe('customers', () => {
    it('search: supervisors by name prefix, phone in any form, e-mail; agents refused', async () => {
      const byName = await call(f, 'GET', '/api/v1/customers?q=ALI', { token: f.tokens.supervisor });
      expect(byName.statusCode).to.equal(200);
      expect(body<{ id: string }[]>(byName).map((c) => c.id)).to.deep.equal([f.ids.alice]);
      const byPhone = await call(
        f,
        'GET',
        `/api/v1/customers?phone=${encodeURIComponent('01 99 00 00 02')}`,
        {
          token: f.tokens.admin,
        },
      );
      expect(body<{ id: string }[]>(byPhone).map((c) => c.id)).to.deep.equal([f.ids.bob]);
      const byMail = await call(f, 'GET', '/api/v1/customers?email=BOB@example.org', {
        token: f.tokens.supervisor,
      });
      expect(body<{ id: string }[]>(byMail).map((c) => c.id)).to.deep.equal([f.ids.bob]);
      expect((await call(f, 'GET', '/api/v1/customers?q=a', { token: f.tokens.agentA })).statusCode).to.equal(
        403,
      );
    });

    it('search: a regex in the name is matched literally, and an empty search is refused', async () => {
      const res = await call(f, 'GET', `/api/v1/customers?q=${encodeURIComponent('.*')}`, {
        token: f.tokens.supervisor,
      });
      expect(res.statusCode).to.equal(200);
      expect(body<unknown[]>(res)).to.deep.equal([]);
      expect((await call(f, 'GET', '/api/v1/customers', { token: f.tokens.supervisor })).statusCode).to.equal(
        400,
      );
      const op = await call(f, 'GET', '/api/v1/customers?q[$ne]=x', { token: f.tokens.supervisor });
      expect(op.statusCode).to.equal(400);
    });

    it('get: an agent reads a customer linked to its contact, not others', async () => {
      await call(f, 'GET', `/api/v1/screen-pop/${f.contacts.a1}`, { token: f.tokens.agentA });
      expect(
        (await call(f, 'GET', `/api/v1/customers/${f.ids.alice}`, { token: f.tokens.agentA })).statusCode,
      ).to.equal(200);
      expect(
        (await call(f, 'GET', `/api/v1/customers/${f.ids.bob}`, { token: f.tokens.agentA })).statusCode,
      ).to.equal(403);
      expect(
        (await call(f, 'GET', '/api/v1/customers/xyz', { token: f.tokens.supervisor })).statusCode,
      ).to.equal(400);
      expect(
        (await call(f, 'GET', '/api/v1/customers/0123456789abcdef01234567', { token: f.tokens.supervisor }))
          .statusCode,
      ).to.equal(404);
    });

    it('create: normalises phones to E.164, links to the agent’s own contact, refuses others', async () => {
      const res = await call(f, 'POST', '/api/v1/customers', {
        token: f.tokens.agentA,
        payload: {
          firstName: 'Dora',
          phones: ['06 12 34 56 78'],
          emails: ['Dora@Example.com'],
          custom: { vip: true },
          contactId: f.contacts.a2,
        },
      });
      expect(res.statusCode).to.equal(201);
      const created = body<{ id: string; phones: string[]; emails: string[] }>(res);
      expect(created.phones).to.deep.equal(['+33612345678']);
      expect(created.emails).to.deep.equal(['dora@example.com']);
      expect((await Interaction.findById(f.contacts.a2).lean())?.customerId).to.equal(created.id);
      const foreign = await call(f, 'POST', '/api/v1/customers', {
        token: f.tokens.agentA,
        payload: { firstName: 'Eve', contactId: f.contacts.b1 },
      });
      expect(foreign.statusCode).to.equal(403);
    });

    it('create: refuses invalid numbers, $-keys in custom fields and objects as values', async () => {
      const badPhone = await call(f, 'POST', '/api/v1/customers', {
        token: f.tokens.supervisor,
        payload: { firstName: 'X', phones: ['12'] },
      });
      expect(badPhone.statusCode).to.equal(400);
      expect(body(badPhone).message).to.equal('"12" is not a valid phone number');
      const dollar = await call(f, 'POST', '/api/v1/customers', {
        token: f.tokens.supervisor,
        payload: { firstName: 'X', custom: { $where: 'sleep(1000)' } },
      });
      expect(dollar.statusCode).to.equal(400);
      const dotted = await call(f, 'POST', '/api/v1/customers', {
        token: f.tokens.supervisor,
        payload: { firstName: 'X', custom: { 'a.b': 1 } },
      });
      expect(dotted.statusCode).to.equal(400);
      const nested = await call(f, 'POST', '/api/v1/customers', {
        token: f.tokens.supervisor,
        payload: { firstName: 'X', custom: { balance: { $gt: 0 } } },
      });
      expect(nested.statusCode).to.equal(400);
      const empty = await call(f, 'POST', '/api/v1/customers', {
        token: f.tokens.supervisor,
        payload: { notes: 'x' },
      });
      expect(empty.statusCode).to.equal(400);
    });

    it('update: merges custom fields, null removes one, and ownership applies', async () => {
      const res = await call(f, 'PATCH', `/api/v1/customers/${f.ids.alice}`, {
        token: f.tokens.agentA,
        payload: { lastName: 'Martin-Durand', custom: { tier: null, balance: 99 } },
      });
      expect(res.statusCode).to.equal(200);
      const updated = body<{ lastName: string; custom: Record<string, unknown> }>(res);
      expect(updated.lastName).to.equal('Martin-Durand');
      expect(updated.custom).to.deep.equal({ balance: 99 });
      const search = await call(f, 'GET', '/api/v1/customers?q=alice%20martin-d', {
        token: f.tokens.supervisor,
      });
      expect(body<unknown[]>(search)).to.have.length(1);
      expect(
        (
          await call(f, 'PATCH', `/api/v1/customers/${f.ids.bob}`, {
            token: f.tokens.agentA,
            payload: { notes: 'x' },
          })
        ).statusCode,
      ).to.equal(403);
      expect(
        (
          await call(f, 'PATCH', `/api/v1/customers/${f.ids.bob}`, {
            token: f.tokens.supervisor,
            payload: {},
          })
        ).statusCode,
      ).to.equal(400);
    });
  });
});
