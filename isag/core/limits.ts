import type { InboundAttachment } from './types';

export interface AttachmentLimits {
  attachmentMaxBytes: number;
  messageAttachmentsMaxBytes: number;
}

/**
 * Why a message's attachments cannot be stored, or undefined when they can. Sizes are of the bytes as
 * they arrived (decoded from the transfer encoding, never decompressed): a zip bomb is a small blob.
 */
export function attachmentsRefusal(
  attachments: readonly Pick<InboundAttachment, 'name' | 'content'>[],
  limits: AttachmentLimits,
): string | undefined {
  let total = 0;
  for (const a of attachments) {
    const size = a.content.length;
    if (size > limits.attachmentMaxBytes)
      return `attachment "${printable(a.name)}" is ${size} bytes, over the limit of ${limits.attachmentMaxBytes}`;
    total += size;
  }
  if (total > limits.messageAttachmentsMaxBytes)
    return `attachments total ${total} bytes, over the limit of ${limits.messageAttachmentsMaxBytes}`;
  return undefined;
}

/** A name from input, safe for a reason text and a log line: printable, at most 100 characters. */
export function printable(text: string, max = 100): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** At most this much of what arrived is kept with a quarantine entry. */
export const QUARANTINE_RAW_BYTES = 64 * 1024;

/** The text fields the store can hold: PostgreSQL (FerretDB's backend) refuses NUL in strings. */
export function nulField(fields: Readonly<Record<string, string | undefined>>): string | undefined {
  for (const [name, value] of Object.entries(fields)) if (value?.includes('\u0000')) return name;
  return undefined;
}
