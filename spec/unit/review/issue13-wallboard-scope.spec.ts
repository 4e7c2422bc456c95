import { expect } from '../../support/chai';
import type { WallboardView } from '../../../cti/domain/wallboard';
import { scopeOf, scopeView } from '../../../cti/domain/wallboard-scope';

/**
 * Review of issue 13: a supervisor sees only its own queues, joins included. An agent serving one of the
 * supervisor's queues and another queue is shown (it is on the team), but the contact it is on in the
 * other queue is that queue's business: its id and queue must not reach the supervisor's board.
 */
describe('review 13: wallboard scope through the agent table', () => {
  const view: WallboardView = {
    day: '2026-12-07',
    queues: [],
    agents: [
      {
        id: 'a1',
        login: '1001',
        name: 'Agent One',
        state: 'talking',
        since: 1,
        contactId: 'c-support-1',
        contactQueue: 'support',
        queues: ['sales', 'support'],
      },
      {
        id: 'a2',
        login: '1002',
        name: 'Agent Two',
        state: 'talking',
        since: 1,
        contactId: 'c-sales-1',
        contactQueue: 'sales',
        queues: ['sales'],
      },
    ],
  };
  const sales = scopeOf({ admin: false, supervises: ['sales'] });

  it("keeps the contact of the supervisor's own queue", () => {
    const a2 = scopeView(view, sales).agents.find((a) => a.id === 'a2');
    expect(a2).to.include({ contactId: 'c-sales-1', contactQueue: 'sales' });
  });

  it('does not show a sales supervisor the support contact a shared agent is on', () => {
    const a1 = scopeView(view, sales).agents.find((a) => a.id === 'a1');
    expect(a1?.queues).to.deep.equal(['sales']);
    expect(a1?.state).to.equal('talking');
    expect(a1, 'contactId of a support contact').to.not.have.property('contactId');
    expect(a1, 'contactQueue outside the scope').to.not.have.property('contactQueue');
  });
});
