import { ari, AriObserver } from '../support/ari';
import { eventually } from '../support/bus-observer';
import { expect } from '../support/chai';
import { crash, start } from '../support/processes';
import { requireSystem } from '../support/servers';
import { sipp } from '../support/sipp';

/**
 * With no SoftACD registered, Stasis() fails and the dialplan (STASISSTATUS) answers the caller with a
 * prompt and hangs up (or dials FALLBACK_DIAL): never a dead call.
 */
describe('dialplan fallback when no SoftACD is registered', function () {
  this.timeout(60_000);
  const asterisk = new AriObserver();

  before(async () => {
    await requireSystem(['rabbitmq', 'asterisk', 'softacd']);
    await asterisk.start();
  });
  after(async () => {
    asterisk.stop();
    const apps = await ari.applicationNames();
    if (!apps.includes('softacd')) await start('softacd');
  });

  it('answers, plays the fallback prompt and releases the caller', async () => {
    await crash('softacd');
    await eventually('softacd gone from Asterisk', async () => {
      const apps = await ari.applicationNames();
      return !apps.includes('softacd');
    });
    const started = Date.now();
    const run = await sipp('ivr-wait-bye.xml', {
      service: '100',
      localPort: 5074,
      vars: { caller: '15559990001', caller_name: 'No ACD' },
    });
    expect(run.code, run.stdout.slice(-800)).to.equal(0);
    const heldSec = (Date.now() - started) / 1000;
    // all-circuits-busy-now is about 2.5 s long: the caller heard it before Asterisk hung up.
    expect(heldSec).to.be.within(1.5, 15);
    await start('softacd');
    await eventually('softacd registered again', async () => {
      const apps = await ari.applicationNames();
      return apps.includes('softacd');
    });
  });
});
