import { contactRecord } from '../../../cti/app/contact-record';
import type { ContactStateChange } from '../../../cti/domain';
import { expect } from '../../support/chai';

const change = (c: Partial<ContactStateChange>): ContactStateChange => ({
  contactId: 'k1',
  queueId: 'sales',
  from: 'new',
  to: 'waiting',
  at: 1_000,
  ...c,
});

describe('what a contact state change writes to its interaction', () => {
  it('labels each change and sets the summary fields', () => {
    const rows: Array<[Partial<ContactStateChange>, string, string[]]> = [
      [{ from: 'new', to: 'waiting' }, 'Queued', ['queueId', 'queuedAt']],
      [{ from: 'waiting', to: 'offered', agentId: 'a1' }, 'Offered', ['queueId', 'offeredAt', 'agentId']],
      [{ from: 'offered', to: 'connected', agentId: 'a1' }, 'Connected', ['queueId', 'answeredAt']],
      [{ from: 'held', to: 'connected', agentId: 'a1' }, 'Retrieved', ['queueId']],
      [
        { from: 'connected', to: 'connected', reason: 'transfer', agentId: 'a2' },
        'TakenOver',
        ['queueId', 'agentId'],
      ],
      [{ from: 'offered', to: 'waiting' }, 'Requeued', ['queueId']],
      [{ from: 'scheduled', to: 'waiting' }, 'CallbackDue', ['queueId']],
      [{ from: 'waiting', to: 'waiting', reason: 'queue-deleted' }, 'QueueChanged', ['queueId']],
      [{ from: 'waiting', to: 'waiting' }, 'CallbackQueued', ['queueId']],
      [{ from: 'connected', to: 'ended' }, 'Ended', ['queueId']],
    ];
    for (const [c, type, fields] of rows) {
      const r = contactRecord(change(c));
      expect(r.entry.type, JSON.stringify(c)).to.equal(type);
      expect(Object.keys(r.set), JSON.stringify(c)).to.deep.equal(fields);
      expect(r.answered, JSON.stringify(c)).to.equal(type === 'Connected');
    }
  });

  it('carries the queue, agent and reason in the entry, at the change time', () => {
    const r = contactRecord(change({ from: 'waiting', to: 'offered', agentId: 'a1', reason: 'x' }));
    expect(r.entry.at.getTime()).to.equal(1_000);
    expect(r.entry.data).to.deep.equal({ queueId: 'sales', agentId: 'a1', reason: 'x' });
  });
});
