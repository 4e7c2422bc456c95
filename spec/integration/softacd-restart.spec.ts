import { EXCHANGES } from '../../lib/bus/topology';
import { asteriskIsClean, ari } from '../support/ari';
import { BusObserver, eventually } from '../support/bus-observer';
import { expect } from '../support/chai';
import { crash, start } from '../support/processes';
import { requireSystem } from '../support/servers';
import { sipp } from '../support/sipp';

/**
 * A call in progress survives a SoftACD crash: the restarted SoftACD takes the call back from what
 * Asterisk lists (channel tags), and still reports the release exactly once.
 */
describe('SoftACD crash and restart with a call in the IVR', function () {
  this.timeout(60_000);
  const bus = new BusObserver();

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'docstore', 'softacd', 'ivr', 'cti']);
    await bus.start([EXCHANGES.events]);
  });
  after(() => bus.stop());

  it('re-attaches to the call and publishes ConnectionCleared once when the caller hangs up', async () => {
    const caller = '15556660001';
    const call = sipp('uac-audio.xml', {
      service: '100',
      localPort: 5073,
      holdMs: 9000,
      vars: { caller, caller_name: 'Crash Test' },
    });
    const delivered = await eventually('the call reached the IVR', () =>
      bus.seen.find((s) => s.body.type === 'CallDelivered' && s.body.callingNumber === caller),
    );
    const contactId = String(delivered.body.contactId);
    await eventually('in the IVR', () =>
      bus.forContact(contactId).some((s) => (s.body.deliveredTo as { kind?: string })?.kind === 'ivr'),
    );
    await crash('softacd');
    await new Promise((r) => setTimeout(r, 500));
    await start('softacd');
    await eventually('softacd registered again', async () => {
      const apps = await ari.applicationNames();
      return apps.includes('softacd');
    });
    const run = await call;
    expect(run.code, run.stdout.slice(-800)).to.equal(0);
    await eventually('ConnectionCleared after the restart', () =>
      bus.forContact(contactId).some((s) => s.body.type === 'ConnectionCleared'),
    );
    await new Promise((r) => setTimeout(r, 500));
    const cleared = bus.forContact(contactId).filter((s) => s.body.type === 'ConnectionCleared');
    expect(cleared).to.have.length(1);
    expect(cleared[0]?.body).to.include({ releasedBy: 'caller', stage: 'ivr' });
    const left = await asteriskIsClean();
    expect(left.channels).to.deep.equal([]);
  });
});
