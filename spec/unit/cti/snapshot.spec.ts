import { expect } from '../../support/chai';
import { CtiDomain, type DomainSnapshot } from '../../../cti/domain';
import { busyWorld, must, mustFail, offered } from './helpers';

describe('cti/domain snapshot and restore', () => {
  it('round-trips: the restored domain snapshots to the same plain data', () => {
    const w = busyWorld();
    const snap = w.cti.snapshot();
    const copy = JSON.parse(JSON.stringify(snap)) as DomainSnapshot;
    const restored = must(CtiDomain.restore(copy, w.clock));
    expect(restored.snapshot()).to.deep.equal(snap);
    expect(restored.armedTimers()).to.deep.equal(w.cti.armedTimers());
    expect(snap.contacts.map((c) => `${c.id}:${c.state}`)).to.deep.equal([
      'talk:held',
      'ring:ringing',
      'm1:offered',
      'wait1:waiting',
      'wait2:waiting',
    ]);
  });

  it('the restored domain takes the same decisions as the original', () => {
    const a = busyWorld();
    const b = must(CtiDomain.restore(a.cti.snapshot(), a.clock));
    const steps = (cti: CtiDomain) => [
      offered(must(cti.ready('paused'))),
      offered(must(cti.contactArrived({ contactId: 'm2', queueId: 'mail' }))),
      must(cti.queuePosition('wait2')),
      must(cti.expectedWaitMs('wait2')),
      must(cti.released('talk')).timers,
      offered(must(cti.timerFired('wrap-up:talker'))),
      must(cti.queueStats('q')),
    ];
    expect(steps(b)).to.deep.equal(steps(a.cti));
  });

  it('refuses an inconsistent snapshot with INVALID_SNAPSHOT', () => {
    const w = busyWorld();
    const snap = w.cti.snapshot();
    const broken: DomainSnapshot = { ...snap, contacts: [{ ...snap.contacts[0]!, queueId: 'missing' }] };
    mustFail(CtiDomain.restore(broken, w.clock), 'INVALID_SNAPSHOT');
    const orphan: DomainSnapshot = { ...snap, contacts: [{ ...snap.contacts[0]!, agentId: 'ghost' }] };
    mustFail(CtiDomain.restore(orphan, w.clock), 'INVALID_SNAPSHOT');
    mustFail(CtiDomain.restore({ ...snap, version: 2 as 1 }, w.clock), 'INVALID_SNAPSHOT');
  });
});
