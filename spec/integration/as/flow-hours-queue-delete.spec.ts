import { Queue } from '../../../as/models';
import { expect } from '../../support/chai';
import { body, call, setUp, tearDown, type Fixture } from './fixture';

/**
 * Reference checks between queues and business hours (as/plugins/admin/hours/references.ts): a queue a
 * schedule gates, or sends closed-hours callers to, cannot be deleted (409 naming the schedule), like a
 * queue an IVR flow uses; once the schedule lets go of it, the delete goes through.
 */
describe('AS queue delete refused while business hours name it (integration)', () => {
  let f: Fixture;
  before(async () => {
    f = await setUp();
    await Queue.create({ name: 'overflow', serviceLevelSec: 20 });
  });
  after(async () => tearDown(f));

  const schedule = (name: string, fields: Record<string, unknown>) => ({
    name,
    timeZone: 'Europe/Paris',
    weekly: [{ day: 'mon', open: '09:00', close: '17:00' }],
    closedAction: { kind: 'prompt', prompt: 'goodbye' },
    queues: [],
    ...fields,
  });
  const queueId = async (name: string) => (await Queue.findOne({ name }).lean())!._id.toHexString();
  const remove = async (name: string) =>
    call(f, 'DELETE', `/api/v1/queues/${await queueId(name)}`, { token: f.tokens.admin });

  it('refuses to delete a gated queue and a closed-hours target with 409 naming the schedules', async () => {
    for (const payload of [
      schedule('gate', { queues: ['support'] }),
      schedule('night', { closedAction: { kind: 'queue', queue: 'overflow' } }),
    ]) {
      const res = await call(f, 'POST', '/api/v1/business-hours', { token: f.tokens.admin, payload });
      expect(res.statusCode, res.payload).to.equal(201);
    }
    const gated = await remove('support');
    expect([gated.statusCode, body(gated).message]).to.deep.equal([
      409,
      'queue "support" cannot be deleted: business hours "gate" name it',
    ]);
    const target = await remove('overflow');
    expect([target.statusCode, body(target).message]).to.deep.equal([
      409,
      'queue "overflow" cannot be deleted: business hours "night" name it',
    ]);
    expect(await Queue.countDocuments({ name: { $in: ['support', 'overflow'] } })).to.equal(2);
  });

  it('deletes the queue once no schedule names it', async () => {
    const put = await call(f, 'PUT', '/api/v1/business-hours/night', {
      token: f.tokens.admin,
      payload: schedule('night', {}),
    });
    expect(put.statusCode, put.payload).to.equal(200);
    expect((await remove('overflow')).statusCode).to.equal(204);
    expect(await Queue.countDocuments({ name: 'overflow' })).to.equal(0);
  });
});
