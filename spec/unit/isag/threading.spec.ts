import { expect } from '../../support/chai';
import {
  MAX_THREAD_IDS,
  bareMessageId,
  decideConversation,
  decideThread,
  isOpen,
  messageIdsIn,
  threadCandidates,
  type InteractionSummary,
} from '../../../isag/core/threading';

const open = (id: string, from = 'ann@customer.test'): InteractionSummary => ({
  id,
  channel: 'email',
  from,
  state: 'offered',
});
const closed = (id: string): InteractionSummary => ({
  ...open(id),
  state: 'completed',
  endedAt: new Date(0),
});

describe('isag threading: which interaction a message continues', () => {
  it('reads Message-IDs out of header values', () => {
    expect(bareMessageId(' <abc@x> ')).to.equal('abc@x');
    expect(messageIdsIn('<a@x> <b@x>\r\n <c@x>')).to.deep.equal(['a@x', 'b@x', 'c@x']);
    expect(messageIdsIn(['<a@x>', 'b@x'])).to.deep.equal(['a@x', 'b@x']);
    expect(messageIdsIn('not an id')).to.deep.equal([]);
    expect(messageIdsIn(undefined)).to.deep.equal([]);
  });

  it('looks up In-Reply-To first, then References newest first, each once, at most 20', () => {
    expect(threadCandidates('<p@x>', '<a@x> <b@x> <p@x>')).to.deep.equal(['p@x', 'b@x', 'a@x']);
    const many = Array.from({ length: 50 }, (_, i) => `<m${i}@x>`).join(' ');
    const c = threadCandidates(undefined, many);
    expect(c).to.have.length(MAX_THREAD_IDS);
    expect(c[0]).to.equal('m49@x');
  });

  it('joins the open interaction of the nearest known parent from the same sender', () => {
    const parents = new Map([
      ['b@x', 'i-old'],
      ['p@x', 'i-1'],
    ]);
    const interactions = new Map([
      ['i-1', open('i-1')],
      ['i-old', open('i-old')],
    ]);
    expect(
      decideThread(['p@x', 'b@x'], parents, interactions, { channel: 'email', from: 'ANN@customer.test' }),
    ).to.deep.equal({ kind: 'join', interactionId: 'i-1' });
  });

  it('opens a new task naming a completed interaction as previous', () => {
    const d = decideThread(['p@x'], new Map([['p@x', 'i-1']]), new Map([['i-1', closed('i-1')]]), {
      channel: 'email',
      from: 'ann@customer.test',
    });
    expect(d).to.deep.equal({ kind: 'new', previous: 'i-1' });
  });

  it('never lets another sender into an interaction by quoting its Message-ID', () => {
    const d = decideThread(['p@x'], new Map([['p@x', 'i-1']]), new Map([['i-1', open('i-1')]]), {
      channel: 'email',
      from: 'mallory@evil.test',
    });
    expect(d).to.deep.equal({ kind: 'new' });
  });

  it('starts a new task when no parent is known', () => {
    expect(decideThread(['q@x'], new Map(), new Map(), { channel: 'email', from: 'a@b' })).to.deep.equal({
      kind: 'new',
    });
  });

  it('counts an interaction with an end time or a final state as closed', () => {
    expect(isOpen(open('a'))).to.equal(true);
    expect(isOpen({ ...open('a'), state: 'cleared' })).to.equal(false);
    expect(isOpen({ ...open('a'), state: 'timed-out' })).to.equal(false);
    expect(isOpen({ ...open('a'), state: 'unroutable' })).to.equal(false);
    expect(isOpen({ ...open('a'), state: 'received' })).to.equal(true);
    expect(isOpen({ ...open('a'), endedAt: new Date() })).to.equal(false);
  });

  it('continues an SMS conversation while it is open', () => {
    expect(decideConversation(undefined)).to.deep.equal({ kind: 'new' });
    expect(decideConversation(open('s-1'))).to.deep.equal({ kind: 'join', interactionId: 's-1' });
    expect(decideConversation(closed('s-1'))).to.deep.equal({ kind: 'new', previous: 's-1' });
  });
});
