import { expect } from '../../support/chai';
import { AuditLog, Interaction } from '../../../as/models';
import { body, call, setUp, tearDown, type Fixture } from './fixture';

/**
 * Disposition codes (issue 11): a configured list like the not-ready reasons. Administrators change it
 * (audited), agents read it, and a contact's disposition must be one of it.
 */
describe('AS disposition codes (integration)', () => {
  let f: Fixture;
  before(async () => {
    f = await setUp();
  });
  after(async () => tearDown(f));

  const list = async (token: string) =>
    body<Array<{ id: string; name: string; label: string }>>(
      await call(f, 'GET', '/api/v1/disposition-codes', { token }),
    );

  it('agents, supervisors and admins read the list, by name; no token is 401', async () => {
    for (const token of [f.tokens.agentA, f.tokens.supervisor, f.tokens.admin]) {
      const res = await call(f, 'GET', '/api/v1/disposition-codes', { token });
      expect(res.statusCode).to.equal(200);
    }
    expect((await list(f.tokens.agentA)).map((c) => c.name)).to.deep.equal([
      'callback-requested',
      'follow-up',
      'no-sale',
      'resolved',
      'sale',
      'wrong-number',
    ]);
    expect((await call(f, 'GET', '/api/v1/disposition-codes')).statusCode).to.equal(401);
    expect((await call(f, 'GET', '/api/v1/disposition-codes', { token: f.tokens.ivr })).statusCode).to.equal(
      403,
    );
  });

  it('only an admin creates, renames and removes a code, each change audited', async () => {
    const payload = { name: 'escalated', label: 'Escalated' };
    for (const token of [f.tokens.agentA, f.tokens.supervisor]) {
      expect((await call(f, 'POST', '/api/v1/disposition-codes', { token, payload })).statusCode).to.equal(
        403,
      );
    }
    const created = await call(f, 'POST', '/api/v1/disposition-codes', { token: f.tokens.admin, payload });
    expect(created.statusCode).to.equal(201);
    const id = body<{ id: string }>(created).id;
    expect(body(created)).to.include({ name: 'escalated', label: 'Escalated' });
    const dup = await call(f, 'POST', '/api/v1/disposition-codes', { token: f.tokens.admin, payload });
    expect(dup.statusCode).to.equal(409);

    const renamed = await call(f, 'PATCH', `/api/v1/disposition-codes/${id}`, {
      token: f.tokens.admin,
      payload: { label: 'Escalated to level 2' },
    });
    expect(renamed.statusCode).to.equal(200);
    expect(body(renamed).label).to.equal('Escalated to level 2');
    expect(
      (
        await call(f, 'PATCH', `/api/v1/disposition-codes/${id}`, {
          token: f.tokens.supervisor,
          payload: { label: 'x' },
        })
      ).statusCode,
    ).to.equal(403);

    const removed = await call(f, 'DELETE', `/api/v1/disposition-codes/${id}`, { token: f.tokens.admin });
    expect(removed.statusCode).to.equal(204);
    const again = await call(f, 'DELETE', `/api/v1/disposition-codes/${id}`, { token: f.tokens.admin });
    expect(again.statusCode).to.equal(404);

    const audit = await AuditLog.find({ entity: 'disposition', entityId: id }).sort({ at: 1 }).lean();
    expect(audit.map((a) => a.action)).to.deep.equal(['create', 'update', 'delete']);
    expect(audit.every((a) => a.actor === f.ids.admin)).to.equal(true);
    const res = await call(f, 'GET', `/api/v1/audit-log?entity=disposition&entityId=${id}`, {
      token: f.tokens.admin,
    });
    expect(res.statusCode).to.equal(200);
    expect(body<unknown[]>(res)).to.have.length(3);
  });

  it('refuses invalid codes: bad names, empty labels, unknown keys', async () => {
    for (const payload of [
      { name: 'Bad Name', label: 'x' },
      { name: 'ok', label: '' },
      { name: 'ok' },
      { name: 'ok', label: 'x', extra: 1 },
      { name: { $ne: '' }, label: 'x' },
    ]) {
      const res = await call(f, 'POST', '/api/v1/disposition-codes', { token: f.tokens.admin, payload });
      expect(res.statusCode, JSON.stringify(payload)).to.equal(400);
    }
  });

  it('a disposition outside the list is 400 and changes nothing; a listed one is stored', async () => {
    const url = `/api/v1/interactions/${f.contacts.a1}/disposition`;
    const unknown = await call(f, 'PUT', url, {
      token: f.tokens.agentA,
      payload: { disposition: 'made-up' },
    });
    expect(unknown.statusCode).to.equal(400);
    expect(body(unknown).message).to.equal('unknown disposition code "made-up"');
    expect(body<{ details: { allowed: string[] } }>(unknown).details.allowed).to.include('sale');
    let stored = await Interaction.findById(f.contacts.a1).lean();
    expect(stored?.disposition).to.equal(undefined);

    const ok = await call(f, 'PUT', url, { token: f.tokens.agentA, payload: { disposition: 'resolved' } });
    expect(ok.statusCode).to.equal(200);
    expect(body(ok).disposition).to.equal('resolved');
    stored = await Interaction.findById(f.contacts.a1).lean();
    expect(stored?.disposition).to.equal('resolved');

    // A code removed by an administrator is refused from then on.
    const code = (await list(f.tokens.admin)).find((c) => c.name === 'wrong-number');
    await call(f, 'DELETE', `/api/v1/disposition-codes/${code?.id}`, { token: f.tokens.admin });
    const removed = await call(f, 'PUT', url, {
      token: f.tokens.agentA,
      payload: { disposition: 'wrong-number' },
    });
    expect(removed.statusCode).to.equal(400);
    // Ownership is still checked first: another agent's contact stays 403 whatever the code.
    const foreign = await call(f, 'PUT', `/api/v1/interactions/${f.contacts.b1}/disposition`, {
      token: f.tokens.agentA,
      payload: { disposition: 'made-up' },
    });
    expect(foreign.statusCode).to.equal(403);
  });
});
