import winston from 'winston';
import { decideConversation } from '../../../isag/core/threading';
import type { Inbound, IntakeResult } from '../../../isag/core/types';
import { decide } from '../../../isag/sms/conversation';
import type { OutboundSms } from '../../../isag/sms/outbound';
import { type InboundSms, SmsService } from '../../../isag/sms/service';
import { expect } from '../../support/chai';

const log = winston.createLogger({ silent: true });

function sms(text: string, extra: Partial<InboundSms> = {}): InboundSms {
  return {
    via: 'webhook',
    provider: 'neutral',
    from: '+15557770001',
    customer: '+15557770001',
    to: '+15550100',
    text,
    raw: Buffer.from(text),
    ...extra,
  };
}

/** The service with its store, intake and sender in memory. */
function harness() {
  const optOuts = new Map<string, string>();
  const received: Inbound[] = [];
  const sent: OutboundSms[] = [];
  let active = 0;
  let maxActive = 0;
  const service = new SmsService({
    intake: {
      async receive(m: Inbound): Promise<IntakeResult> {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        received.push(m);
        return {
          kind: 'created',
          interactionId: `i-${received.length}`,
          messageId: `m-${received.length}`,
          queueId: 'sms',
        };
      },
    },
    store: {
      optedOut: (c) => Promise.resolve(optOuts.has(c)),
      optOut: (c, k) => {
        if (optOuts.has(c)) return Promise.resolve(false);
        optOuts.set(c, k);
        return Promise.resolve(true);
      },
      optIn: (c) => Promise.resolve(optOuts.delete(c)),
    },
    send: (m) => {
      sent.push(m);
      return Promise.resolve();
    },
    texts: { stop: 'stopped', start: 'started' },
    log,
  });
  return { service, optOuts, received, sent, maxActive: () => maxActive };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('isag sms: conversation rules', () => {
  it('decides opt-out, opt-in and routing from the text and the opt-out state', () => {
    expect(decide({ text: 'STOP', optedOut: false })).to.deep.equal({
      action: 'opt-out',
      keyword: { kind: 'stop', word: 'STOP' },
      confirm: true,
    });
    expect(decide({ text: 'quit', optedOut: true })).to.deep.include({ action: 'opt-out', confirm: false });
    expect(decide({ text: 'START', optedOut: true })).to.deep.include({ action: 'opt-in', confirm: true });
    expect(decide({ text: 'START', optedOut: false })).to.deep.include({ action: 'opt-in', confirm: false });
    expect(decide({ text: 'Where is my parcel?', optedOut: true })).to.deep.equal({ action: 'route' });
  });

  it('joins the open interaction, and opens a new one once CTI completed the last', () => {
    expect(decideConversation(undefined)).to.deep.equal({ kind: 'new' });
    const open = { id: 'i1', channel: 'sms', from: '+15557770001', state: 'offered' };
    expect(decideConversation(open)).to.deep.equal({ kind: 'join', interactionId: 'i1' });
    expect(decideConversation({ ...open, state: 'completed' })).to.deep.equal({
      kind: 'new',
      previous: 'i1',
    });
    // TaskCompleted consumed by ISAG sets endedAt before CTI's own state write lands.
    expect(decideConversation({ ...open, endedAt: new Date() })).to.deep.equal({
      kind: 'new',
      previous: 'i1',
    });
  });

  it('records STOP, confirms it once over the path it came, and routes nothing', async () => {
    const h = harness();
    expect(await h.service.receive(sms('STOP'))).to.deep.equal({ kind: 'opted-out', confirmed: true });
    expect(await h.service.receive(sms('stop'))).to.deep.equal({ kind: 'opted-out', confirmed: false });
    await settle();
    expect(h.optOuts.get('+15557770001')).to.equal('STOP');
    expect(h.received).to.have.length(0);
    expect(h.sent).to.have.length(1);
    expect(h.sent[0]).to.deep.include({
      via: 'webhook',
      provider: 'neutral',
      to: '+15557770001',
      from: '+15550100',
      text: 'stopped',
    });
  });

  it('removes the opt-out on START and confirms only when there was one', async () => {
    const h = harness();
    expect(await h.service.receive(sms('START'))).to.deep.equal({ kind: 'opted-in', confirmed: false });
    await h.service.receive(sms('UNSUBSCRIBE'));
    expect(await h.service.receive(sms('Start'))).to.deep.equal({ kind: 'opted-in', confirmed: true });
    await settle();
    expect(h.optOuts.size).to.equal(0);
    expect(h.sent.map((m) => m.text)).to.deep.equal(['stopped', 'started']);
  });

  it("hands other messages to the core as the sender's conversation, keyed by the provider's id", async () => {
    const h = harness();
    const r = await h.service.receive(sms('Where is my parcel?', { providerId: 'abc-1' }));
    expect(r).to.deep.equal({
      kind: 'task',
      result: { kind: 'created', interactionId: 'i-1', messageId: 'm-1', queueId: 'sms' },
    });
    expect(h.received[0]).to.deep.include({
      channel: 'sms',
      via: 'webhook',
      provider: 'neutral',
      from: '+15557770001',
      text: 'Where is my parcel?',
      messageId: 'neutral:abc-1',
      threading: { kind: 'sender' },
    });
    expect(h.received[0]?.to).to.deep.equal(['+15550100']);
  });

  it("handles one customer's messages one at a time, others side by side", async () => {
    const h = harness();
    await Promise.all([
      h.service.receive(sms('one')),
      h.service.receive(sms('two')),
      h.service.receive(sms('three')),
    ]);
    expect(h.maxActive()).to.equal(1);
    expect(h.received.map((m) => m.text)).to.deep.equal(['one', 'two', 'three']);
    const other = harness();
    await Promise.all([
      other.service.receive(sms('a')),
      other.service.receive(sms('b', { from: '+15557770002', customer: '+15557770002' })),
    ]);
    expect(other.maxActive()).to.equal(2);
  });
});
