import { expect } from '../../support/chai';
import type { Contact } from '../../../agent-ui/src/domain/contact';
import {
  callerTitle,
  mediaKind,
  screenPopView,
  waitMs,
  waitText,
} from '../../../agent-ui/src/domain/screen-pop';

const T0 = Date.parse('2026-12-07T00:00:00Z');
const contact: Contact = {
  contactId: 'c1',
  queueId: 'support',
  kind: 'call',
  phase: 'offered',
  callingNumber: '+33123456789',
  callingName: 'SIPP CALLER',
  media: 'video',
  enteredAt: T0,
  offeredAt: T0 + 83_000,
  recoverable: false,
};

const asAnswer = {
  contact: {
    id: 'c1',
    from: '+33123456789',
    timeline: [
      { at: '2026-12-07T00:00:00Z', type: 'CallDelivered' },
      {
        at: '2026-12-07T00:00:05Z',
        type: 'FormSubmitted',
        data: { nodeId: 'n1', fields: { account: '12345', vip: true } },
      },
      {
        at: '2026-12-07T00:00:07Z',
        type: 'FormSubmitted',
        data: { nodeId: 'n2', fields: { choice: 1, bad: { x: 1 } } },
      },
    ],
  },
  customer: {
    id: '64b000000000000000000001',
    firstName: 'Ada',
    lastName: 'Lovelace',
    phones: ['+33123456789'],
    emails: ['ada@example.org'],
    notes: 'prefers video',
    custom: { tier: 'gold', balance: 12.5, nested: { no: 1 } },
  },
  candidates: [],
  history: [
    {
      id: 'c0',
      createdAt: '2026-12-01T10:00:00Z',
      channel: 'voice',
      direction: 'inbound',
      disposition: 'Sale',
    },
  ],
};

describe('agent-ui screen pop view-model', () => {
  it('labels the media: video when the offer says so, voice otherwise', () => {
    expect(mediaKind('video')).to.equal('video');
    expect(mediaKind('audio+video')).to.equal('video');
    expect(mediaKind('audio')).to.equal('voice');
    expect(mediaKind(undefined)).to.equal('voice');
  });

  it('the wait time runs from entering the queue to the offer', () => {
    expect(waitMs(contact)).to.equal(83_000);
    expect(waitText(contact)).to.equal('1:23');
    expect(waitText({ offeredAt: T0 })).to.equal(undefined);
    expect(waitText({ enteredAt: T0 + 5000, offeredAt: T0 })).to.equal('0:00');
  });

  it('reads what the caller entered in the IVR, in order, scalars only', () => {
    const view = screenPopView(asAnswer);
    expect(view.ivr).to.deep.equal([
      { key: 'account', value: '12345' },
      { key: 'vip', value: 'true' },
      { key: 'choice', value: '1' },
    ]);
  });

  it('presents the customer record and the history', () => {
    const view = screenPopView(asAnswer);
    expect(view.customer).to.deep.equal({
      id: '64b000000000000000000001',
      name: 'Ada Lovelace',
      phones: ['+33123456789'],
      emails: ['ada@example.org'],
      notes: 'prefers video',
      custom: [
        { key: 'tier', value: 'gold' },
        { key: 'balance', value: '12.5' },
      ],
    });
    expect(view.history).to.deep.equal([
      { id: 'c0', at: '2026-12-01T10:00:00Z', channel: 'voice', direction: 'inbound', disposition: 'Sale' },
    ]);
    expect(callerTitle(contact, view)).to.equal('Ada Lovelace');
  });

  it('an unknown caller: no customer, candidates kept, titled by the caller name', () => {
    const view = screenPopView({
      contact: { id: 'c1' },
      customer: null,
      candidates: [{ id: 'x1', firstName: 'A' }, { firstName: 'no id' }],
      history: [],
    });
    expect(view.customer).to.equal(undefined);
    expect(view.candidates.map((c) => c.id)).to.deep.equal(['x1']);
    expect(view.ivr).to.deep.equal([]);
    expect(callerTitle(contact, view)).to.equal('SIPP CALLER');
    expect(callerTitle({ ...contact, callingName: undefined }, undefined)).to.equal(undefined);
  });
});
