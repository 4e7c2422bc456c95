import type { ParsedMail } from 'mailparser';
import type { Logger } from '../../lib/log';
import { errorText } from '../../lib/log';
import type { Intake } from '../core/intake';
import { IntakeUnavailable } from '../core/intake';
import type { IsagStore } from '../core/store';
import type { IntakeResult } from '../core/types';
import { failureReason, recipientStatuses, returnedMessageId } from './dsn';
import { isDeliveryReport, rawRefusal } from './inspect';
import { inboundEmail, parseMail, senderOf } from './parse';
import { normalAddress } from './recipients';

/** The longest text or HTML body stored with a message (characters); past it the message is quarantined. */
export const BODY_MAX_CHARS = 4 * 1024 * 1024;

export interface Envelope {
  mailFrom: string;
  rcptTo: string[];
}

/** What the SMTP adapter answers: 250 with a text, or a refusal with its code. */
export type MailOutcome =
  | IntakeResult
  | { kind: 'bounce'; messageId: string; reason: string }
  | { kind: 'report-ignored'; reason: string };

export interface EmailDeps {
  intake: Intake;
  store: Pick<IsagStore, 'findOutbound' | 'markFailed' | 'pushTimeline'>;
  log: Logger;
}

/**
 * One received e-mail, from raw bytes to stored: checks of the raw message, mailparser, then either a
 * delivery report for a message we sent (its status set to `failed`), or a message for the intake
 * (task, threaded reply or quarantine). Throws IntakeUnavailable only: every other problem of the input
 * ends in the quarantine with its reason.
 */
export async function receiveEmail(raw: Buffer, envelope: Envelope, deps: EmailDeps): Promise<MailOutcome> {
  const quarantine = (reason: string, from?: string) =>
    deps.intake.quarantine({
      channel: 'email',
      reason,
      ...(from === undefined ? {} : { from }),
      to: envelope.rcptTo,
      size: raw.length,
      raw,
    });
  const envelopeFrom = envelope.mailFrom === '' ? undefined : normalAddress(envelope.mailFrom);
  const refusal = rawRefusal(raw);
  if (refusal !== undefined) return quarantine(refusal, envelopeFrom);

  let mail: ParsedMail;
  try {
    mail = await parseMail(raw);
  } catch (err) {
    return quarantine(`malformed MIME: ${errorText(err).slice(0, 200)}`, envelopeFrom);
  }
  if (isDeliveryReport(raw)) return deliveryReport(mail.attachments, deps, quarantine);

  const from = senderOf(mail);
  if (from === undefined) return quarantine('no From address', envelopeFrom);
  if (
    (mail.text?.length ?? 0) > BODY_MAX_CHARS ||
    (typeof mail.html === 'string' && mail.html.length > BODY_MAX_CHARS)
  )
    return quarantine(`body longer than ${BODY_MAX_CHARS} characters`, from);
  return deps.intake.receive(inboundEmail(mail, from, envelope.rcptTo, raw));
}

/**
 * A delivery status notification: the returned message's Message-ID names our outbound message, whose
 * status becomes `failed` with the report's diagnostic, and the interaction's timeline says so. A report
 * naming no message of ours is quarantined; one that reports no failure (delayed, relayed) is noted.
 */
async function deliveryReport(
  parts: ReadonlyArray<{ contentType: string; content: Buffer }>,
  deps: EmailDeps,
  quarantine: (reason: string) => Promise<IntakeResult>,
): Promise<MailOutcome> {
  const status = parts.find((p) => p.contentType.toLowerCase() === 'message/delivery-status');
  const returned = parts.find((p) =>
    ['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers'].includes(
      p.contentType.toLowerCase(),
    ),
  );
  if (status === undefined) return quarantine('delivery report without a delivery-status part');
  const reason = failureReason(recipientStatuses(status.content.toString('utf8')));
  if (reason === undefined) {
    deps.log.info('delivery report without a failure', {});
    return { kind: 'report-ignored', reason: 'no failed recipient' };
  }
  const original = returned === undefined ? undefined : returnedMessageId(returned.content);
  if (original === undefined) return quarantine(`delivery report without the returned Message-ID: ${reason}`);
  let ours: { id: string; interactionId: string } | undefined;
  try {
    ours = await deps.store.findOutbound(original);
    if (ours === undefined) return quarantine(`delivery report for a message we did not send (${original})`);
    await deps.store.markFailed(ours.id, reason);
    await deps.store.pushTimeline(ours.interactionId, {
      at: new Date(),
      type: 'ReplyFailed',
      data: { messageId: ours.id, reason },
    });
  } catch (err) {
    throw new IntakeUnavailable(err);
  }
  deps.log.warn('reply bounced', { contactId: ours.interactionId, messageId: ours.id, reason });
  return { kind: 'bounce', messageId: ours.id, reason };
}
