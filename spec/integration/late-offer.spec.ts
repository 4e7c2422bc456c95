import { EXCHANGES } from '../../lib/bus/topology';
import { agentEvents, agentIdOf, callAnsweredBy, registerPhone } from '../support/agents';
import { leftInAsterisk } from '../support/ari';
import { BusObserver, eventually } from '../support/bus-observer';
import { expect } from '../support/chai';
import { requireSystem } from '../support/servers';

/**
 * A late-offer INVITE (no SDP; the caller answers Asterisk's offer in its ACK) takes the same path as any
 * audio call: reported as audio, queued, answered by an agent, bridged, released.
 */
describe('late-offer INVITE (no SDP) through the queue to an agent', function () {
  this.timeout(60_000);
  const bus = new BusObserver();
  let agentId = '';

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await bus.start([EXCHANGES.events, EXCHANGES.commands]);
    agentId = await agentIdOf('1001');
    await registerPhone('agent1001', 5201);
  });
  after(async () => {
    await agentEvents(agentId, ['AgentLogout']).catch(() => undefined);
    await bus.stop();
  });

  it('is reported as audio, reaches the Ready agent, is bridged and cleared once', async () => {
    const caller = '15552220001';
    const { call: run, phone: agentSide } = await callAnsweredBy({
      login: '1001',
      others: ['1002', '1004'],
      phonePort: 5201,
      ringMs: 500,
      caller: {
        scenario: 'uac-late-offer.xml',
        service: '200',
        localPort: 5076,
        holdMs: 5000,
        number: caller,
        name: 'Late Offer',
      },
    });
    expect(run.code, run.stdout.slice(-800)).to.equal(0);
    expect(agentSide.code, agentSide.stdout.slice(-800)).to.equal(0);
    const delivered = await eventually('delivered', () =>
      bus.seen.find((s) => s.body.type === 'CallDelivered' && s.body.callingNumber === caller),
    );
    expect(delivered.body.media).to.equal('audio');
    const contactId = String(delivered.body.contactId);
    await eventually('cleared', () =>
      bus.forContact(contactId).some((s) => s.body.type === 'ConnectionCleared'),
    );
    const types = bus.forContact(contactId).map((s) => String(s.body.type));
    expect(types).to.include.members(['DivertCall', 'Established', 'ConnectionCleared']);
    expect(types.filter((t) => t === 'ConnectionCleared')).to.have.length(1);
    const left = await leftInAsterisk();
    expect(left.channels).to.deep.equal([]);
    expect(left.bridges).to.deep.equal([]);
  });
});
