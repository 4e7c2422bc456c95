import { errorText } from '../../lib/log';
import type { AriRequests } from '../core/ari';
import { SendFailure } from '../core/replies';
import { AriError } from '../../stasis-app/ari/rest';
import { neutralSignature } from './signature';

/** One SMS to send, already addressed: the path is the conversation's (docs/sms.md). */
export interface OutboundSms {
  via: 'webhook' | 'sip';
  /** For `webhook`: whose API takes it. */
  provider?: 'neutral' | 'twilio';
  /** The customer: a number, or (SIP) the customer's SIP URI. */
  to: string;
  /** Our number the conversation was with. */
  from: string;
  text: string;
  /** Our id of the message (the neutral API gets it, to drop a repeated send). */
  id: string;
}

export type SendSms = (m: OutboundSms) => Promise<void>;

export interface TransportSettings {
  secret: string;
  providerUrl: string;
  twilioUrl: string;
  twilioAccountSid: string;
  twilioAuthToken: string;
  sendTimeoutMs: number;
  sipReplyEndpoint: string;
  sipDomain: string;
}

/** The three ways out: the neutral provider API, Twilio's API, or a SIP MESSAGE through Asterisk. */
export function smsTransports(s: TransportSettings, ari: AriRequests): SendSms {
  return async (m) => {
    if (m.via === 'sip') return sendSip(s, ari, m);
    if (m.provider === 'twilio') return sendTwilio(s, m);
    if (m.provider === 'neutral') return sendNeutral(s, m);
    throw new SendFailure(`no way to send over ${m.via} with provider ${m.provider ?? '(none)'}`, true);
  };
}

async function sendNeutral(s: TransportSettings, m: OutboundSms): Promise<void> {
  const body = Buffer.from(JSON.stringify({ from: m.from, to: m.to, text: m.text, id: m.id }), 'utf8');
  await post(s, s.providerUrl, body, {
    'content-type': 'application/json',
    'x-ipcc-signature': neutralSignature(s.secret, body),
  });
}

async function sendTwilio(s: TransportSettings, m: OutboundSms): Promise<void> {
  const form = new URLSearchParams({ From: m.from, To: m.to, Body: m.text });
  const basic = Buffer.from(`${s.twilioAccountSid}:${s.twilioAuthToken}`).toString('base64');
  await post(s, s.twilioUrl, Buffer.from(form.toString(), 'utf8'), {
    'content-type': 'application/x-www-form-urlencoded',
    authorization: `Basic ${basic}`,
  });
}

async function post(s: TransportSettings, url: string, body: Buffer, headers: Record<string, string>) {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      body: new Uint8Array(body),
      headers,
      signal: AbortSignal.timeout(s.sendTimeoutMs),
    });
  } catch (err) {
    throw new SendFailure(`provider unreachable: ${errorText(err)}`, false);
  }
  // The answer's body is read (and dropped) so the connection can be reused.
  const text = await res.text().catch(() => '');
  // A refusal (4xx: bad number, bad credentials) stays one; the provider busy or down (429, 5xx) may pass.
  if (!res.ok)
    throw new SendFailure(
      `provider answered ${res.status} ${text.slice(0, 120)}`.trim(),
      res.status < 500 && res.status !== 429,
    );
}

/**
 * ARI's sendMessage hands the MESSAGE to res_pjsip_messaging and answers 202 at once: Asterisk does not
 * report the peer's answer to it, so "sent" means Asterisk took it (docs/sms.md). The customer's URI
 * goes through the configured endpoint (`pjsip:<endpoint>/<uri>`): the peer need not be registered.
 */
async function sendSip(s: TransportSettings, ari: AriRequests, m: OutboundSms): Promise<void> {
  if (!/^sips?:[^\s<>"]+$/.test(m.to)) throw new SendFailure(`not a SIP address: ${m.to.slice(0, 80)}`, true);
  try {
    await ari.request('PUT', 'endpoints/sendMessage', {
      body: {
        to: `pjsip:${s.sipReplyEndpoint}/${m.to}`,
        from: `<sip:${m.from}@${s.sipDomain}>`,
        body: m.text,
      },
    });
  } catch (err) {
    const refused = err instanceof AriError && err.status < 500;
    throw new SendFailure(`Asterisk did not take the MESSAGE: ${errorText(err)}`, refused);
  }
}
