import { expect } from '../../support/chai';
import { body, call, setUp, tearDown, type Fixture } from './fixture';

describe('AS interactions (integration)', () => {
  let f: Fixture;
  before(async () => {
    f = await setUp();
  });
  after(async () => tearDown(f));

  it('history: an agent sees only its own contacts, newest first, as summaries', async () => {
    const res = await call(f, 'GET', '/api/v1/interactions', { token: f.tokens.agentA });
    expect(res.statusCode).to.equal(200);
    const rows = body<{ id: string; agentId: string; timeline?: unknown }[]>(res);
    expect(rows.map((r) => r.id)).to.deep.equal([f.contacts.a1, f.contacts.a2]);
    expect(rows[0]).to.not.have.property('timeline');
  });

  it("history: an agent asking for another agent's contacts is refused", async () => {
    const res = await call(f, 'GET', `/api/v1/interactions?agentId=${f.ids.agentB}`, {
      token: f.tokens.agentA,
    });
    expect(res.statusCode).to.equal(403);
  });

  it('history: supervisors filter by agent, channel and date; bad filters are 400', async () => {
    const all = await call(f, 'GET', '/api/v1/interactions', { token: f.tokens.supervisor });
    expect(body<unknown[]>(all)).to.have.length(4);
    const mail = await call(f, 'GET', '/api/v1/interactions?channel=email', { token: f.tokens.supervisor });
    expect(body<{ id: string }[]>(mail).map((r) => r.id)).to.deep.equal([f.contacts.b1]);
    const range = await call(
      f,
      'GET',
      '/api/v1/interactions?from=2026-01-31T00:00:00Z&to=2026-02-01T00:00:00Z',
      {
        token: f.tokens.admin,
      },
    );
    expect(body<{ id: string }[]>(range).map((r) => r.id)).to.deep.equal([f.contacts.a2]);
    for (const q of ['channel=telex', 'agentId=123', 'limit=1000', 'from=yesterday', 'sort=1']) {
      expect(
        (await call(f, 'GET', `/api/v1/interactions?${q}`, { token: f.tokens.supervisor })).statusCode,
        q,
      ).to.equal(400);
    }
  });

  it('one contact: own 200 with timeline, foreign 403, unknown 404, bad id 400', async () => {
    const own = await call(f, 'GET', `/api/v1/interactions/${f.contacts.a1}`, { token: f.tokens.agentA });
    expect(own.statusCode).to.equal(200);
    expect(body<{ timeline: { type: string }[] }>(own).timeline[0]?.type).to.equal('CallDelivered');
    expect(
      (await call(f, 'GET', `/api/v1/interactions/${f.contacts.b1}`, { token: f.tokens.agentA })).statusCode,
    ).to.equal(403);
    expect(
      (
        await call(f, 'GET', '/api/v1/interactions/2d9f7c8e-0000-4000-8000-000000000000', {
          token: f.tokens.agentA,
        })
      ).statusCode,
    ).to.equal(404);
    expect(
      (await call(f, 'GET', '/api/v1/interactions/%24ne', { token: f.tokens.agentA })).statusCode,
    ).to.equal(400);
  });

  it('disposition and notes: the agent of the contact writes them, with timeline entries', async () => {
    const disp = await call(f, 'PUT', `/api/v1/interactions/${f.contacts.a1}/disposition`, {
      token: f.tokens.agentA,
      payload: { disposition: 'callback-requested' },
    });
    expect(disp.statusCode).to.equal(200);
    expect(body(disp).disposition).to.equal('callback-requested');
    const note = await call(f, 'POST', `/api/v1/interactions/${f.contacts.a1}/notes`, {
      token: f.tokens.agentA,
      payload: { text: 'Wants a call after 5 pm' },
    });
    expect(note.statusCode).to.equal(201);
    const after = body<{ notes: { by: string; text: string }[]; timeline: { type: string }[] }>(
      await call(f, 'GET', `/api/v1/interactions/${f.contacts.a1}`, { token: f.tokens.agentA }),
    );
    expect(after.notes).to.have.length(1);
    expect(after.notes[0]).to.include({ by: f.ids.agentA, text: 'Wants a call after 5 pm' });
    expect(after.timeline.map((t) => t.type)).to.deep.equal(['CallDelivered', 'DispositionSet', 'NoteAdded']);
  });

  it('disposition and notes: refused on a foreign contact and for hostile payloads', async () => {
    expect(
      (
        await call(f, 'PUT', `/api/v1/interactions/${f.contacts.b1}/disposition`, {
          token: f.tokens.agentA,
          payload: { disposition: 'sale' },
        })
      ).statusCode,
    ).to.equal(403);
    for (const payload of [
      { disposition: { $set: 'x' } },
      { disposition: 'a'.repeat(100) },
      { disposition: '$x' },
      {},
    ]) {
      const res = await call(f, 'PUT', `/api/v1/interactions/${f.contacts.a1}/disposition`, {
        token: f.tokens.agentA,
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 40)).to.equal(400);
    }
    const empty = await call(f, 'POST', `/api/v1/interactions/${f.contacts.a1}/notes`, {
      token: f.tokens.agentA,
      payload: { text: '   ' },
    });
    expect(empty.statusCode).to.equal(400);
  });

  it('the IVR identity has no access to interface C', async () => {
    expect((await call(f, 'GET', '/api/v1/interactions', { token: f.tokens.ivr })).statusCode).to.equal(403);
  });
});
