import { REASON_HEADER } from './topology';

/** The longest reason kept in the header: validation errors can quote a hostile message's megabyte field. */
export const MAX_REASON_CHARS = 2_000;
/** The original headers are kept only up to this much JSON: AMQP refuses a header table over 64 KiB. */
export const MAX_KEPT_HEADERS_CHARS = 16_384;

/**
 * The headers of a dead letter: the original ones, why it was refused and where it came from. Both the
 * reason and the original headers are bounded: a header table AMQP cannot encode fails the publish and
 * takes the publishing channel down with it, so a hostile message would lose its reason and disturb
 * every other publish of the process.
 */
export function deadLetterHeaders(
  original: Record<string, unknown> | undefined,
  reason: string,
  exchange: string,
): Record<string, unknown> {
  const size = original === undefined ? 0 : jsonLength(original);
  const kept =
    size <= MAX_KEPT_HEADERS_CHARS
      ? (original ?? {})
      : { 'x-ipcc-headers-dropped': `${size} characters of JSON` };
  return { ...kept, [REASON_HEADER]: boundedReason(reason), 'x-ipcc-exchange': exchange };
}

export function boundedReason(reason: string): string {
  if (reason.length <= MAX_REASON_CHARS) return reason;
  return `${reason.slice(0, MAX_REASON_CHARS)}… (${reason.length} characters in all)`;
}

function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    // Not JSON-able (a cycle cannot come off the wire, but a BigInt-like value could): drop them.
    return Number.POSITIVE_INFINITY;
  }
}
