import { z } from 'zod';
import { noNul } from '../../lib/messages/envelope';

/**
 * What the two webhook forms may carry. Anything else is refused with the field named: a provider that
 * starts sending a field we do not know about is worth a look, not a silent drop.
 */

/** Concatenated SMS: 10 parts of 160 GSM characters, the limit the agent's reply has too. */
export const SMS_TEXT_MAX = 1600;

const text = z.string().max(SMS_TEXT_MAX).regex(noNul, 'no NUL characters');
const address = z.string().min(1).max(64).regex(noNul, 'no NUL characters');
const providerId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@-]+$/, 'letters, digits and . _ : @ - only');

/** The provider-neutral JSON form. */
export const NeutralInbound = z
  .object({ from: address, to: address, text, id: providerId.optional() })
  .strict();
export type NeutralInbound = z.infer<typeof NeutralInbound>;

/** Twilio's documented fields of an incoming-message webhook (Messaging, including geographic data). */
const TWILIO_KNOWN = new Set([
  'MessageSid',
  'SmsSid',
  'SmsMessageSid',
  'AccountSid',
  'MessagingServiceSid',
  'From',
  'To',
  'Body',
  'NumMedia',
  'NumSegments',
  'SmsStatus',
  'ApiVersion',
  'FromCity',
  'FromState',
  'FromZip',
  'FromCountry',
  'ToCity',
  'ToState',
  'ToZip',
  'ToCountry',
  'OptOutType',
  'ReferralNumMedia',
]);
/** MMS media come as MediaUrl0..9 and MediaContentType0..9 (not fetched: see docs/sms.md). */
const TWILIO_MEDIA = /^(MediaUrl|MediaContentType)[0-9]$/;

export interface TwilioInbound {
  from: string;
  to: string;
  text: string;
  id: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parseNeutral(raw: Buffer): Parsed<NeutralInbound> {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const r = NeutralInbound.safeParse(json);
  return r.success ? { ok: true, value: r.data } : { ok: false, reason: zodReason(r.error) };
}

/** Form fields, each name once (a repeated name is refused: the signature needs one value per name). */
export function formFields(raw: Buffer): Parsed<Map<string, string>> {
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(raw.toString('utf8'))) {
    if (fields.has(name)) return { ok: false, reason: `field "${name}" is repeated` };
    fields.set(name, value);
  }
  return { ok: true, value: fields };
}

export function parseTwilio(fields: ReadonlyMap<string, string>): Parsed<TwilioInbound> {
  for (const name of fields.keys()) {
    if (!TWILIO_KNOWN.has(name) && !TWILIO_MEDIA.test(name))
      return { ok: false, reason: `unknown field "${name.slice(0, 64)}"` };
  }
  const r = z.object({ From: address, To: address, Body: text, MessageSid: providerId }).safeParse({
    From: fields.get('From'),
    To: fields.get('To'),
    Body: fields.get('Body') ?? '',
    MessageSid: fields.get('MessageSid') ?? fields.get('SmsSid'),
  });
  if (!r.success) return { ok: false, reason: zodReason(r.error) };
  return { ok: true, value: { from: r.data.From, to: r.data.To, text: r.data.Body, id: r.data.MessageSid } };
}

function zodReason(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
