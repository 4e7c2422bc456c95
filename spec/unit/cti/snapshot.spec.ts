import { expect } from '../../support/chai';
import { CtiDomain, type DomainSnapshot } from '../../../cti/domain';
import { arrive, must, mustFail, offered, queue, readyAgent, world } from './helpers';

/** A world with agents and contacts in every state, timers armed and handle-time history. */
function busyWorld() {
  const w = world();
  queue(w, { id: 'q', channel: 'voice', ringTimeoutMs: 20_000, wrapUpMs: 5000, queueTimeoutMs: 90_000 });
  queue(w, { id: 'mail', channel: 'email', skills: [{ name: 'en', minLevel: 2 }], policy: 'least-calls' });
  queue(w, {
    id: 'hi',
    channel: 'voice',
    priority: 3,
    policy: 'highest-skill',
    skills: [{ name: 'en', minLevel: 1 }],
  });
  readyAgent(w, { id: 'talker', skills: { en: 3 } });
  arrive(w, 'done', 'q');
  must(w.cti.answered('done'));
  w.clock.advance(30_000);
  must(w.cti.released('done'));
  must(w.cti.ready('talker'));
  arrive(w, 'talk', 'q');
  must(w.cti.answered('talk'));
  must(w.cti.held('talk'));
  readyAgent(w, { id: 'ringer', skills: { en: 5 } });
  arrive(w, 'ring', 'hi');
  must(w.cti.ringing('ring'));
  readyAgent(w, { id: 'mailer', skills: { en: 2 }, maxTasks: { voice: 0, video: 0 } });
  arrive(w, 'm1', 'mail');
  must(w.cti.addAgent({ id: 'off' }));
  must(w.cti.addAgent({ id: 'paused', skills: { en: 9 } }));
  must(w.cti.login('paused'));
  w.clock.advance(1000);
  arrive(w, 'wait1', 'q');
  w.clock.advance(1000);
  arrive(w, 'wait2', 'q');
  must(w.cti.callbackRequested('wait2'));
  return w;
}

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
