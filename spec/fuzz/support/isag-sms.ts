import { neutralSignature, twilioSignature } from '../../../isag/sms/signature';
import { httpBase } from './isag-watch';

/** The SMS webhooks' keys, as load_env exports them (.run/secrets.env). */
export function smsSecret(): string {
  const s = process.env.ISAG_SMS_SECRET;
  if (!s) throw new Error('ISAG_SMS_SECRET not set: run after `source scripts/lib.sh && load_env`');
  return s;
}

export function twilioToken(): string {
  const s = process.env.ISAG_TWILIO_AUTH_TOKEN;
  if (!s) throw new Error('ISAG_TWILIO_AUTH_TOKEN not set: run after `source scripts/lib.sh && load_env`');
  return s;
}

export interface WebhookAnswer {
  status: number;
  body: string;
}

/** POSTs raw bytes to one of ISAG's webhook paths with the given headers; the status and body it got. */
export async function postWebhook(
  path: string,
  body: Buffer,
  headers: Record<string, string>,
  timeoutMs = 10_000,
): Promise<WebhookAnswer> {
  const res = await fetch(`${httpBase()}${path}`, {
    method: 'POST',
    headers,
    body: new Uint8Array(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, body: await res.text() };
}

/** One SMS through the neutral webhook, signed with the real key: what a provider would send. */
export function neutralSms(m: {
  from: string;
  to: string;
  text: string;
  id?: string;
}): Promise<WebhookAnswer> {
  const body = Buffer.from(JSON.stringify(m), 'utf8');
  return postWebhook('/sms/inbound', body, {
    'content-type': 'application/json',
    'x-ipcc-signature': neutralSignature(smsSecret(), body),
  });
}

/** The URL ISAG rebuilds from the request (the one Twilio would sign): the Host header and the path. */
export const twilioUrl = () => process.env.ISAG_TWILIO_WEBHOOK_URL ?? `${httpBase()}/sms/twilio`;

export function twilioSigned(fields: ReadonlyMap<string, string>, token = twilioToken()): string {
  return twilioSignature(token, twilioUrl(), fields);
}
