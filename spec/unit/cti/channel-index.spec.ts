import { expect } from '../../support/chai';
import { must, world } from './helpers';

/**
 * Ready agents are filed only under channels some queue serves (agents take SMS and fax by default, and
 * a centre without those queues would otherwise index every agent for them). The first queue of a
 * channel files the agents already ready, in their ready order.
 */
describe('CTI domain: ready index only for channels with a queue', () => {
  it('offers to agents that became ready before the channel had any queue, longest idle first', () => {
    const { cti, clock } = world();
    must(cti.addQueue({ id: 'voice', channel: 'voice' }));
    for (const id of ['a1', 'a2']) {
      must(cti.addAgent({ id }));
      must(cti.login(id));
    }
    must(cti.ready('a2'));
    clock.advance(1_000);
    must(cti.ready('a1'));
    must(cti.addQueue({ id: 'sms', channel: 'sms' }));
    const first = must(cti.contactArrived({ contactId: 's1', queueId: 'sms' }));
    expect(first.offers.map((o) => o.agentId)).to.deep.equal(['a2']);
    // A task offer counts as activity: a2 goes behind a1, who was filed under SMS too.
    const second = must(cti.contactArrived({ contactId: 's2', queueId: 'sms' }));
    expect(second.offers.map((o) => o.agentId)).to.deep.equal(['a1']);
  });

  it('files the agents under a channel a queue moves to', () => {
    const { cti } = world();
    must(cti.addQueue({ id: 'q', channel: 'voice' }));
    must(cti.addAgent({ id: 'a1', maxTasks: { fax: 1 } }));
    must(cti.login('a1'));
    must(cti.ready('a1'));
    must(cti.updateQueue({ id: 'q', channel: 'fax' }));
    const fax = must(cti.contactArrived({ contactId: 'f1', queueId: 'q' }));
    expect(fax.offers.map((o) => o.agentId)).to.deep.equal(['a1']);
  });
});
