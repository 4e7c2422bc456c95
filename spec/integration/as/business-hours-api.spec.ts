import { expect } from '../../support/chai';
import { AuditLog, Outbox } from '../../../as/models';
import { body, call, setUp, tearDown, type Fixture } from './fixture';

/**
 * The business-hours REST API (docs/business-hours.md) on the real store through server.inject():
 * administrators change schedules (audited, one outbox record per change), supervisors read them, the
 * IVR reads them over interface D, and bad input gets a 400 naming the field.
 */
describe('AS business hours (integration)', () => {
  let f: Fixture;
  before(async () => {
    f = await setUp();
  });
  after(async () => tearDown(f));

  const office = {
    name: 'office',
    timeZone: 'Europe/Berlin',
    weekly: [
      { day: 'mon', open: '09:00', close: '17:00' },
      { day: 'fri', open: '22:00', close: '02:00' },
    ],
    holidays: [{ date: '2026-12-25', name: 'Christmas Day' }],
    closedAction: { kind: 'voicemail', prompt: 'goodbye' },
    queues: ['sales'],
    numbers: ['100'],
  };

  it('an admin creates, replaces and deletes a schedule; each change audited and in the outbox', async () => {
    const created = await call(f, 'POST', '/api/v1/business-hours', {
      token: f.tokens.admin,
      payload: office,
    });
    expect(created.statusCode, created.payload).to.equal(201);
    const got = body<{ name: string; status: { open: boolean; localTime: string } }>(created);
    expect(got).to.deep.include({ name: 'office', timeZone: 'Europe/Berlin', queues: ['sales'] });
    expect(got.status.localTime).to.match(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

    const replaced = await call(f, 'PUT', '/api/v1/business-hours/office', {
      token: f.tokens.admin,
      payload: { ...office, closedAction: { kind: 'queue', queue: 'support' } },
    });
    expect(replaced.statusCode, replaced.payload).to.equal(200);
    expect(body(replaced).closedAction).to.deep.equal({ kind: 'queue', queue: 'support' });

    const ivr = await call(f, 'GET', '/api/v1/ivr/numbers/100/hours', { token: f.tokens.ivr });
    expect(ivr.statusCode).to.equal(200);
    expect(body(ivr)).to.deep.equal({
      name: 'office',
      timeZone: 'Europe/Berlin',
      weekly: office.weekly,
      holidays: office.holidays,
      closedAction: { kind: 'queue', queue: 'support' },
    });
    expect(
      (await call(f, 'GET', '/api/v1/ivr/numbers/101/hours', { token: f.tokens.ivr })).statusCode,
    ).to.equal(404);
    expect((await call(f, 'GET', '/api/v1/ivr/hours/office', { token: f.tokens.ivr })).statusCode).to.equal(
      200,
    );

    const removed = await call(f, 'DELETE', '/api/v1/business-hours/office', { token: f.tokens.admin });
    expect(removed.statusCode).to.equal(204);
    expect(
      (await call(f, 'DELETE', '/api/v1/business-hours/office', { token: f.tokens.admin })).statusCode,
    ).to.equal(404);

    const audit = await AuditLog.find({ entity: 'hours', entityId: 'office' }).sort({ at: 1 }).lean();
    expect(audit.map((a) => a.action)).to.deep.equal(['create', 'update', 'delete']);
    expect(audit.every((a) => a.actor === f.ids.admin)).to.equal(true);
    const outbox = await Outbox.find({ entity: 'hours', entityId: 'office' }).sort({ createdAt: 1 }).lean();
    expect(outbox.map((o) => o.action)).to.deep.equal(['create', 'update', 'delete']);
  });

  it('supervisors read, only admins change; agents and the IVR token may not list', async () => {
    await call(f, 'POST', '/api/v1/business-hours', {
      token: f.tokens.admin,
      payload: { ...office, name: 'reading' },
    });
    expect(
      (await call(f, 'GET', '/api/v1/business-hours', { token: f.tokens.supervisor })).statusCode,
    ).to.equal(200);
    for (const token of [f.tokens.agentA, f.tokens.ivr])
      expect((await call(f, 'GET', '/api/v1/business-hours', { token })).statusCode).to.equal(403);
    const put = await call(f, 'PUT', '/api/v1/business-hours/reading', {
      token: f.tokens.supervisor,
      payload: { ...office, name: 'reading' },
    });
    expect(put.statusCode).to.equal(403);
    expect((await call(f, 'GET', '/api/v1/business-hours')).statusCode).to.equal(401);
    await call(f, 'DELETE', '/api/v1/business-hours/reading', { token: f.tokens.admin });
  });

  it('refuses bad input with the field named: zone, times, dates, actions, unknown prompts and queues', async () => {
    const post = (payload: unknown) =>
      call(f, 'POST', '/api/v1/business-hours', { token: f.tokens.admin, payload });
    const zone = await post({ ...office, name: 'bad1', timeZone: 'Mars/Base' });
    expect(zone.statusCode).to.equal(400);
    expect(body<{ details: unknown[] }>(zone).details).to.deep.equal([
      { path: 'timeZone', message: '"Mars/Base" is not an IANA time zone' },
    ]);
    const time = await post({
      ...office,
      name: 'bad2',
      weekly: [{ day: 'mon', open: '9:00', close: '17:00' }],
    });
    expect(time.statusCode).to.equal(400);
    expect(body<{ message: string }>(time).message).to.match(/weekly\[0\]\.open/);
    const date = await post({ ...office, name: 'bad3', holidays: [{ date: '2026-02-30' }] });
    expect(body<{ message: string }>(date).message).to.equal(
      'invalid schedule: holidays[0].date: "2026-02-30" is not a date',
    );
    const promptless = await post({ ...office, name: 'bad4', closedAction: { kind: 'prompt' } });
    expect(promptless.statusCode).to.equal(400);
    expect(body<{ message: string }>(promptless).message).to.match(/closedAction\.prompt/);
    const unknown = await post({
      ...office,
      name: 'bad5',
      closedAction: { kind: 'prompt', prompt: 'nothing-here' },
      queues: ['nowhere'],
    });
    expect(body<{ details: unknown[] }>(unknown).details).to.deep.equal([
      { path: 'closedAction.prompt', message: 'prompt "nothing-here" does not exist' },
      { path: 'queues[0]', message: 'queue "nowhere" does not exist' },
    ]);
    const self = await post({ ...office, name: 'bad6', closedAction: { kind: 'queue', queue: 'sales' } });
    expect(body<{ message: string }>(self).message).to.equal(
      'invalid schedule: closedAction.queue: queue "sales" is gated by this schedule: it would be closed too',
    );
    expect(await AuditLog.countDocuments({ entity: 'hours', entityId: /^bad/ })).to.equal(0);
  });

  it('a queue or number answers to one schedule; a renamed or flow-used schedule is refused (409)', async () => {
    const post = (payload: unknown) =>
      call(f, 'POST', '/api/v1/business-hours', { token: f.tokens.admin, payload });
    expect((await post(office)).statusCode).to.equal(201);
    expect((await post(office)).statusCode).to.equal(409);
    const twice = await post({ ...office, name: 'other', queues: ['sales'], numbers: [] });
    expect(twice.statusCode).to.equal(409);
    expect(body<{ message: string }>(twice).message).to.equal('schedule "office" already gates sales');
    const renamed = await call(f, 'PUT', '/api/v1/business-hours/office', {
      token: f.tokens.admin,
      payload: { ...office, name: 'office2' },
    });
    expect(renamed.statusCode).to.equal(409);

    const flow = {
      name: 'Hours flow',
      calledNumber: '7399',
      entry: 'when',
      nodes: [
        { id: 'when', type: 'hours', schedule: 'office', open: 'q', closed: 'vm' },
        { id: 'q', type: 'queue', queue: 'sales' },
        { id: 'vm', type: 'voicemail', prompt: 'goodbye', queue: 'sales' },
      ],
    };
    const created = await call(f, 'POST', '/api/v1/ivr-flows', { token: f.tokens.admin, payload: flow });
    expect(created.statusCode, created.payload).to.equal(201);
    const used = await call(f, 'DELETE', '/api/v1/business-hours/office', { token: f.tokens.admin });
    expect(used.statusCode).to.equal(409);
    expect(body(used).message).to.equal('schedule "office" cannot be deleted: IVR flows use it');

    const unknown = await call(f, 'POST', '/api/v1/ivr-flows/check', {
      token: f.tokens.admin,
      payload: { entry: 'when', nodes: [{ ...flow.nodes[0], schedule: 'nope' }, ...flow.nodes.slice(1)] },
    });
    expect(unknown.statusCode).to.equal(200);
    expect(body<{ errors: unknown[] }>(unknown).errors).to.deep.equal([
      { path: 'nodes[0].schedule', message: 'schedule "nope" does not exist' },
    ]);
  });
});
