import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook request signatures. Both checks compare digests in constant time: a byte-by-byte compare that
 * stops at the first difference tells a forger, by its timing, how much of a guess was right.
 */

/** The neutral form's header value: `sha256=<hex HMAC-SHA256 of the raw body>`. */
export function neutralSignature(secret: string, rawBody: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export function neutralSignatureValid(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (header === undefined) return false;
  return sameText(neutralSignature(secret, rawBody), header.trim());
}

/**
 * Twilio's X-Twilio-Signature: base64 HMAC-SHA1, keyed with the account's auth token, of the full URL
 * Twilio requested followed by every POST parameter sorted by name, each as name then value with no
 * separator. `params` must hold each name once (the webhook refuses repeated names before this).
 */
export function twilioSignature(authToken: string, url: string, params: ReadonlyMap<string, string>): string {
  const names = [...params.keys()].sort();
  const data = url + names.map((name) => name + (params.get(name) ?? '')).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export function twilioSignatureValid(
  authToken: string,
  url: string,
  params: ReadonlyMap<string, string>,
  header: string | undefined,
): boolean {
  if (header === undefined) return false;
  return sameText(twilioSignature(authToken, url, params), header.trim());
}

/** Constant-time equality of two strings (different lengths: false, still after a full compare). */
function sameText(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  // timingSafeEqual needs equal lengths; comparing `a` with itself keeps the time independent of `b`.
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}
