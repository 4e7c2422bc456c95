import { bareMessageId } from '../core/threading';
import { headerBlock, headerValue } from './inspect';

/** One recipient's outcome in a delivery status notification (RFC 3464). */
export interface RecipientStatus {
  action: string;
  status?: string;
  diagnostic?: string;
  finalRecipient?: string;
}

/**
 * The per-recipient fields of a `message/delivery-status` body: the first block holds the per-message
 * fields, each later block (separated by a blank line) one recipient.
 */
export function recipientStatuses(body: string): RecipientStatus[] {
  const blocks = body.split(/\r?\n[ \t]*\r?\n/).filter((b) => b.trim() !== '');
  const out: RecipientStatus[] = [];
  for (const block of blocks) {
    const action = headerValue(block, 'action');
    if (action === undefined) continue;
    const status = headerValue(block, 'status');
    const diagnostic = headerValue(block, 'diagnostic-code');
    const finalRecipient = headerValue(block, 'final-recipient');
    out.push({
      action: action.toLowerCase(),
      ...(status === undefined ? {} : { status }),
      ...(diagnostic === undefined ? {} : { diagnostic }),
      ...(finalRecipient === undefined ? {} : { finalRecipient }),
    });
  }
  return out;
}

/** The first failed recipient's reason, as the interaction shows it; undefined when none failed. */
export function failureReason(statuses: readonly RecipientStatus[]): string | undefined {
  const failed = statuses.find((s) => s.action === 'failed');
  if (failed === undefined) return undefined;
  const parts = [
    failed.finalRecipient === undefined
      ? undefined
      : `to ${failed.finalRecipient.replace(/^rfc822;\s*/i, '')}`,
    failed.status === undefined ? undefined : `status ${failed.status}`,
    failed.diagnostic,
  ].filter((p): p is string => p !== undefined && p !== '');
  const reason = `delivery failed${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`;
  return reason.length > 1000 ? `${reason.slice(0, 1000)}…` : reason;
}

/**
 * The Message-ID of the returned message (`message/rfc822` or `text/rfc822-headers` part of the
 * report): its header block is read, nothing more.
 */
export function returnedMessageId(returned: Buffer): string | undefined {
  const value = headerValue(headerBlock(returned).toString('utf8'), 'message-id');
  if (value === undefined) return undefined;
  const id = bareMessageId(value);
  return id === '' ? undefined : id;
}
