import { expect } from '../../support/chai';
import { Interaction, IvrFlow } from '../../../as/models';
import { demoFlow } from '../../../as/seed-data';
import { body, call, setUp, tearDown, type Fixture } from './fixture';

describe('AS interface D for the IVR (integration)', () => {
  let f: Fixture;
  before(async () => {
    f = await setUp();
    await IvrFlow.create(demoFlow);
  });
  after(async () => tearDown(f));

  it('serves the flow of a called number', async () => {
    const res = await call(f, 'GET', '/api/v1/ivr/flows/100', { token: f.tokens.ivr });
    expect(res.statusCode).to.equal(200);
    expect(body(res)).to.include({ calledNumber: '100', media: 'video', entry: 'welcome' });
    expect((await call(f, 'GET', '/api/v1/ivr/flows/999', { token: f.tokens.ivr })).statusCode).to.equal(404);
  });

  it('looks a caller up by number in any written form', async () => {
    for (const n of ['+33199000001', '0199000001', '0033199000001']) {
      const res = await call(f, 'GET', `/api/v1/ivr/callers/${encodeURIComponent(n)}`, {
        token: f.tokens.ivr,
      });
      expect(body(res), n).to.deep.equal({ found: true, customerId: f.ids.alice, firstName: 'Alice' });
    }
    const unknown = await call(f, 'GET', '/api/v1/ivr/callers/%2B33199000099', { token: f.tokens.ivr });
    expect(body(unknown)).to.deep.equal({ found: false });
  });

  it('reads one account field for a data step; unknown callers and fields are 404', async () => {
    const res = await call(f, 'GET', '/api/v1/ivr/callers/%2B33199000001/data/balance', {
      token: f.tokens.ivr,
    });
    expect(res.statusCode).to.equal(200);
    expect(body(res)).to.deep.equal({ field: 'balance', value: 120.5 });
    for (const url of [
      '/api/v1/ivr/callers/%2B33199000002/data/balance',
      '/api/v1/ivr/callers/%2B33199000099/data/balance',
      '/api/v1/ivr/callers/%2B33199000001/data/constructor',
    ]) {
      expect((await call(f, 'GET', url, { token: f.tokens.ivr })).statusCode, url).to.equal(404);
    }
    expect(
      (await call(f, 'GET', '/api/v1/ivr/callers/%2B33199000001/data/%24where', { token: f.tokens.ivr }))
        .statusCode,
    ).to.equal(400);
    expect(
      (await call(f, 'GET', '/api/v1/ivr/callers/abc/data/balance', { token: f.tokens.ivr })).statusCode,
    ).to.equal(400);
  });

  it('stores a form submission on the contact timeline', async () => {
    const res = await call(f, 'POST', '/api/v1/ivr/forms', {
      token: f.tokens.ivr,
      payload: { contactId: f.contacts.unassigned, nodeId: 'survey', fields: { score: 9, comment: 'quick' } },
    });
    expect(res.statusCode).to.equal(201);
    const contact = await Interaction.findById(f.contacts.unassigned).lean();
    const last = contact?.timeline.at(-1);
    expect(last?.type).to.equal('FormSubmitted');
    expect(last?.data).to.deep.equal({ nodeId: 'survey', fields: { score: 9, comment: 'quick' } });
    const missing = await call(f, 'POST', '/api/v1/ivr/forms', {
      token: f.tokens.ivr,
      payload: { contactId: '2d9f7c8e-0000-4000-8000-000000000000', nodeId: 'survey', fields: { score: 1 } },
    });
    expect(missing.statusCode).to.equal(404);
    const hostile = await call(f, 'POST', '/api/v1/ivr/forms', {
      token: f.tokens.ivr,
      payload: { contactId: f.contacts.unassigned, nodeId: 'survey', fields: { $set: { agentId: 'x' } } },
    });
    expect(hostile.statusCode).to.equal(400);
  });

  it('refuses agents and supervisors; admins may test', async () => {
    expect((await call(f, 'GET', '/api/v1/ivr/flows/100', { token: f.tokens.agentA })).statusCode).to.equal(
      403,
    );
    expect(
      (await call(f, 'GET', '/api/v1/ivr/callers/%2B33199000001', { token: f.tokens.supervisor })).statusCode,
    ).to.equal(403);
    expect((await call(f, 'GET', '/api/v1/ivr/flows/100', { token: f.tokens.admin })).statusCode).to.equal(
      200,
    );
  });
});
