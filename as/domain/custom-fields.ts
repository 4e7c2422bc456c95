/**
 * A customer's custom fields (account data that IVR data steps and screen pops read) are bounded across
 * the stored document, not per request: a sequence of PATCHes, each within the request limits, must not
 * grow a customer without bound (each stored byte is read back by every screen pop of that customer).
 */
export const CUSTOM_LIMITS = { fields: 50, bytes: 16 * 1024 } as const;

export type Scalar = string | number | boolean;

/** The fields after a patch: a null value removes a field, any other value sets it. Own keys only. */
export function mergeCustom(
  stored: Readonly<Record<string, unknown>> | null | undefined,
  patch: Readonly<Record<string, Scalar | null>>,
): Record<string, unknown> {
  const fields = new Map<string, unknown>(Object.entries(stored ?? {}));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) fields.delete(key);
    else fields.set(key, value);
  }
  return Object.fromEntries(fields);
}

/** Size as stored (JSON, UTF-8). */
export function customBytes(custom: Readonly<Record<string, unknown>>): number {
  return Buffer.byteLength(JSON.stringify(custom), 'utf8');
}

/** Why these fields cannot be stored, or null when they fit. */
export function customOverLimit(custom: Readonly<Record<string, unknown>>): string | null {
  const count = Object.keys(custom).length;
  if (count > CUSTOM_LIMITS.fields) {
    return `a customer holds at most ${CUSTOM_LIMITS.fields} custom fields; this would make ${count}`;
  }
  const bytes = customBytes(custom);
  if (bytes > CUSTOM_LIMITS.bytes) {
    return `a customer's custom fields hold at most ${CUSTOM_LIMITS.bytes} bytes (as JSON); this would make ${bytes}`;
  }
  return null;
}
