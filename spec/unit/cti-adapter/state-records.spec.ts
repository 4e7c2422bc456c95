import { ContactOwners } from '../../../cti/app/owners';
import { diffRecords, fromRecords, toRecords } from '../../../cti/app/state-records';
import { CtiDomain } from '../../../cti/domain';
import { expect } from '../../support/chai';
import { busyWorld, must, readyAgent } from '../cti/helpers';

/** A busy domain (every agent and contact state, timers) with owners and a promised callback. */
function busyState() {
  const w = busyWorld();
  const owners = new ContactOwners();
  owners.setSoftacd('talk', 'softacd-1');
  owners.setIvr('wait1', 'ivr-1');
  owners.setAgent('talk', 'talker');
  owners.setCaller('talk', { callingNumber: '+15550001', callingName: 'Zoë "Q" <x>', media: 'audio+video' });
  const state = {
    version: 1 as const,
    domain: w.cti.snapshot(),
    owners: owners.snapshot(),
    callbacks: [
      { contactId: 'wait2', number: '5551234', queueId: 'q', softacd: 'softacd-1', callerOnLine: false },
    ],
  };
  return { w, state };
}

describe('CTI state as records (cti/app/state-records.ts)', () => {
  it('round-trips a busy state: the domain restores from the records to the same snapshot', () => {
    const { w, state } = busyState();
    const back = fromRecords(toRecords(state));
    expect(back.owners).to.deep.equal(state.owners);
    expect(back.callbacks).to.deep.equal(state.callbacks);
    const restored = must(CtiDomain.restore(back.domain, w.clock));
    const norm = (s: ReturnType<CtiDomain['snapshot']>) => ({
      ...s,
      contacts: [...s.contacts].sort((a, b) => a.seq - b.seq),
    });
    expect(norm(restored.snapshot())).to.deep.equal(norm(state.domain));
  });

  it('one agent changing is one record put; a contact ending is its records deleted', () => {
    const { w, state } = busyState();
    const before = toRecords(state);
    must(w.cti.login('off'));
    must(w.cti.released('talk'));
    const after = toRecords({ ...state, domain: w.cti.snapshot() });
    const { put, del } = diffRecords(before, after);
    const keys = put.map(([k]) => k).sort();
    // off logged in, talker in wrap-up with its timer, the queue's handle times.
    expect(keys).to.include.members(['a:off', 'a:talker']);
    expect(
      keys.every((k) => /^(a|c|t|q):|^meta$/.test(k)),
      keys.join(),
    ).to.equal(true);
    expect(del).to.include('c:talk');
    const total = [...after.values()].reduce((n, t) => n + t.length, 0);
    const written = put.reduce((n, [, t]) => n + t.length, 0);
    expect(written, 'bytes written against the whole state').to.be.below(total);
    // Applying the change to the stored records gives the new state.
    const applied = new Map(before);
    for (const [k, t] of put) applied.set(k, t);
    for (const k of del) applied.delete(k);
    expect(fromRecords(applied)).to.deep.equal(fromRecords(after));
  });

  it('an unchanged state is no change', () => {
    const { state } = busyState();
    expect(diffRecords(toRecords(state), toRecords(state))).to.deep.equal({ put: [], del: [] });
  });

  it('ids with colons and odd characters stay one record each', () => {
    const { w, state } = busyState();
    readyAgent(w, { id: 'sip:agent:7@host' });
    const back = fromRecords(toRecords({ ...state, domain: w.cti.snapshot() }));
    expect(back.domain.agents.map((a) => a.config.id)).to.include('sip:agent:7@host');
  });

  it('records without meta are refused', () => {
    expect(() => fromRecords(new Map([['a:x', '{}']]))).to.throw('no meta record');
  });
});
