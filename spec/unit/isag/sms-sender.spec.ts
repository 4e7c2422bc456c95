import { SendFailure } from '../../../isag/core/replies';
import type { MessageDoc } from '../../../isag/core/types';
import type { OutboundSms } from '../../../isag/sms/outbound';
import { smsReplySender } from '../../../isag/sms/sender';
import type { ReplyRoute } from '../../../isag/sms/store';
import { expect } from '../../support/chai';

function reply(text = 'Your parcel left today.'): MessageDoc {
  return {
    _id: 'out-1',
    interactionId: 'i1',
    channel: 'sms',
    direction: 'outbound',
    from: '+15550100',
    to: ['+15557770001'],
    text,
    attachments: [],
    status: 'queued',
    createdAt: new Date(),
  };
}

function harness(route: ReplyRoute | undefined, optedOut: string[] = []) {
  const sent: OutboundSms[] = [];
  const sender = smsReplySender({
    store: {
      replyRoute: () => Promise.resolve(route),
      optedOut: (c) => Promise.resolve(optedOut.includes(c)),
    },
    send: (m) => {
      sent.push(m);
      return Promise.resolve();
    },
  });
  return { sender, sent };
}

async function failure(p: Promise<unknown>): Promise<SendFailure> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SendFailure) return err;
    throw err;
  }
  throw new Error('expected a SendFailure');
}

describe('isag sms: reply sender', () => {
  it("answers over the conversation's provider, from the number the customer wrote to", async () => {
    const h = harness({ from: '+15557770001', to: ['+15550100'], via: 'webhook', provider: 'twilio' });
    await h.sender.send(reply());
    expect(h.sent).to.deep.equal([
      {
        via: 'webhook',
        provider: 'twilio',
        to: '+15557770001',
        from: '+15550100',
        text: 'Your parcel left today.',
        id: 'out-1',
      },
    ]);
  });

  it('answers a SIP conversation with a SIP MESSAGE to the SIP address it came from', async () => {
    const h = harness({ from: 'sip:+15557770001@127.0.0.1:5071', to: ['+15550100'], via: 'sip' });
    await h.sender.send(reply());
    expect(h.sent[0]).to.deep.include({
      via: 'sip',
      to: 'sip:+15557770001@127.0.0.1:5071',
      from: '+15550100',
    });
  });

  it('refuses, for good, a reply to a number that opted out (also over SIP)', async () => {
    const web = harness({ from: '+15557770001', to: ['+15550100'], via: 'webhook', provider: 'neutral' }, [
      '+15557770001',
    ]);
    const f = await failure(web.sender.send(reply()));
    expect(f.message).to.equal('the customer opted out (STOP)');
    expect(f.permanent).to.equal(true);
    const sip = harness({ from: 'sip:+15557770001@h', to: ['+15550100'], via: 'sip' }, ['+15557770001']);
    expect((await failure(sip.sender.send(reply()))).permanent).to.equal(true);
    expect(web.sent.length + sip.sent.length).to.equal(0);
  });

  it('refuses an empty or too long reply, and one with nothing to answer', async () => {
    const h = harness({ from: '+15557770001', to: ['+15550100'], via: 'webhook', provider: 'neutral' });
    expect((await failure(h.sender.send(reply('  ')))).message).to.equal('the reply has no text');
    expect((await failure(h.sender.send(reply('x'.repeat(1601))))).message).to.match(/over 1600/);
    const none = harness(undefined);
    expect((await failure(none.sender.send(reply()))).message).to.match(/no inbound message/);
    expect(h.sent).to.have.length(0);
  });
});
