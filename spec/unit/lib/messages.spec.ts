import { InvalidMessage, makeMessage, parseMessage } from '../../../lib/messages';
import { expect } from '../../support/chai';

const source = { service: 'softacd' as const, instance: 'softacd-1' };

describe('messages', () => {
  it('round-trips a message through the wire format with its envelope', () => {
    const m = makeMessage<'RouteRequest'>(source, {
      type: 'RouteRequest',
      contactId: 'c1',
      calledNumber: '100',
      callingNumber: '+1555',
      media: 'audio',
    });
    expect(m).to.include({ type: 'RouteRequest', v: 1 });
    expect(m.id).to.match(/^[0-9a-f-]{36}$/);
    expect(parseMessage(Buffer.from(JSON.stringify(m)))).to.deep.equal(m);
  });

  it('refuses a draft that breaks its schema before it is sent', () => {
    expect(() =>
      makeMessage<'RouteRequest'>(source, {
        type: 'RouteRequest',
        contactId: 'c1',
        calledNumber: '100',
        callingNumber: '1',
        media: 'smell' as 'audio',
      }),
    ).to.throw();
  });

  const bad: Array<[string, string, RegExp]> = [
    ['not JSON', '{"type":', /not JSON/],
    ['unknown type', JSON.stringify({ type: 'Explode', contactId: 'x' }), /type/],
    [
      'missing envelope',
      JSON.stringify({
        type: 'RouteRequest',
        contactId: 'c1',
        calledNumber: '1',
        callingNumber: '2',
        media: 'audio',
      }),
      /id|source|at/,
    ],
    [
      'extra field',
      JSON.stringify({
        ...makeMessage<'AgentReady'>(source, { type: 'AgentReady', contactId: 'a', agentId: 'a' }),
        $where: 'x',
      }),
      /\$where|unrecognized/i,
    ],
  ];
  for (const [what, body, reason] of bad) {
    it(`gives the reason for ${what}`, () => {
      try {
        parseMessage(body);
        expect.fail('parsed');
      } catch (err) {
        expect(err).to.be.instanceOf(InvalidMessage);
        expect((err as InvalidMessage).reason).to.match(reason);
      }
    });
  }
});
