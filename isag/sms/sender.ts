import type { MessageDoc } from '../core/types';
import { type ReplySender, SendFailure } from '../core/replies';
import { parseSipAddress, sipCustomer } from './addresses';
import type { SendSms } from './outbound';
import type { SmsStore } from './store';
import { SMS_TEXT_MAX } from './webhook-schema';

/**
 * The SMS reply sender (registered for the `webhook` and `sip` paths with the replies dispatcher,
 * isag/core/replies.ts). A reply goes back the way the conversation's last inbound message came: the
 * provider's API it came from, or a SIP MESSAGE to the SIP address it came from; from the number the
 * customer wrote to. A number that opted out gets nothing (the AS refuses such replies too: 409).
 */
export function smsReplySender(deps: {
  store: Pick<SmsStore, 'replyRoute' | 'optedOut'>;
  send: SendSms;
}): ReplySender {
  return {
    async send(message: MessageDoc) {
      if (message.channel !== 'sms') throw new SendFailure(`not an SMS (${message.channel})`, true);
      const text = message.text ?? '';
      if (text.trim() === '') throw new SendFailure('the reply has no text', true);
      if (text.length > SMS_TEXT_MAX)
        throw new SendFailure(`the reply is over ${SMS_TEXT_MAX} characters`, true);
      const route = await deps.store.replyRoute(message.interactionId);
      if (route === undefined)
        throw new SendFailure('the conversation has no inbound message to answer', true);
      const ours = route.to[0];
      if (ours === undefined) throw new SendFailure('the inbound message names none of our numbers', true);
      const sip = route.via === 'sip';
      const sipAddress = sip ? parseSipAddress(route.from) : undefined;
      const customer = sipAddress === undefined ? route.from : sipCustomer(sipAddress);
      if (await deps.store.optedOut(customer)) throw new SendFailure('the customer opted out (STOP)', true);
      const provider =
        route.provider === 'twilio' || route.provider === 'neutral' ? route.provider : undefined;
      await deps.send({
        via: sip ? 'sip' : 'webhook',
        ...(provider === undefined ? {} : { provider }),
        to: route.from,
        from: ours,
        text,
        id: message._id,
      });
      return {};
    },
  };
}
