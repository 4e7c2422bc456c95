import { stat } from 'node:fs/promises';
import type { Logger } from '../../lib/log';
import type { Inbound, IntakeResult } from '../core/types';
import { ConversionError, type ConvertedFax } from './convert';
import { type FaxDocument, type FaxOutcome, faxOutcome } from './outcome';
import type { FaxReport } from './status-file';
import type { FaxJob } from './watcher';

/** What storing a fax needs of ISAG's core (isag/core: Intake.receive, IsagStore.markFailed). */
export interface FaxReceiveDeps {
  receive(inbound: Inbound): Promise<IntakeResult>;
  markFailed(messageId: string, reason: string): Promise<void>;
  convert(tiffPath: string): Promise<ConvertedFax>;
  log: Logger;
}

/**
 * The key that makes a fax's receipt idempotent: the intake finds a stored inbound message by it, so a
 * job run again after a crash (stored, files not yet removed) is a duplicate, not a second task.
 * Asterisk's UNIQUEID is unique per channel; the domain part says which path made it.
 */
export function faxMessageKey(uniqueId: string): string {
  return `${uniqueId}@fax.ipcc`;
}

/** Who sent it, as the store keeps it (the intake refuses an empty sender). */
export function faxSender(report: FaxReport): string {
  return report.from === '' ? 'anonymous' : report.from;
}

/**
 * One fax from the spool to a task: the TIFF becomes a PDF (a conversion the file makes impossible is a
 * failed fax with that reason; a missing tool is thrown, so the files wait for another try), the outcome
 * table decides status and reason, the core's intake stores the message, attachment, interaction and
 * outbox record. A failed or partial fax then gets status `failed` with its reason (the intake stores
 * every message as `received`; setting it again on a re-run is harmless).
 */
export async function receiveFax(job: FaxJob, deps: FaxReceiveDeps): Promise<IntakeResult> {
  const { report } = job;
  let doc: FaxDocument;
  let pdf: Buffer | undefined;
  const tiffSize = await stat(job.tiffPath).then(
    (s) => s.size,
    () => 0,
  );
  if (tiffSize === 0) {
    doc = { kind: 'none', why: 'no TIFF was written' };
  } else {
    try {
      const converted = await deps.convert(job.tiffPath);
      doc = { kind: 'pdf', pages: converted.pages };
      pdf = converted.pdf;
    } catch (err) {
      if (!(err instanceof ConversionError) || !err.permanent) throw err;
      doc = { kind: 'none', why: err.message };
    }
  }
  const outcome = faxOutcome(report, doc);
  const result = await deps.receive(faxInbound(report, outcome, pdf));
  if (result.kind !== 'quarantined' && outcome.statusReason !== undefined)
    await deps.markFailed(result.messageId, outcome.statusReason);
  const log = 'interactionId' in result ? deps.log.child({ contactId: result.interactionId }) : deps.log;
  log.info('fax received', {
    uniqueId: job.id,
    result: outcome.result,
    pages: outcome.pages,
    intake: result.kind,
    ...(outcome.statusReason === undefined ? {} : { reason: outcome.statusReason }),
  });
  return result;
}

export function faxInbound(report: FaxReport, outcome: FaxOutcome, pdf: Buffer | undefined): Inbound {
  const from = faxSender(report);
  return {
    channel: 'fax',
    via: 'fax',
    from,
    to: [report.to],
    subject: outcome.subject,
    text: describe(report, outcome),
    messageId: faxMessageKey(report.uniqueId),
    attachments:
      pdf === undefined
        ? []
        : [{ name: `fax-${report.to}-${from}.pdf`, contentType: 'application/pdf', content: pdf }],
    pages: outcome.pages,
    threading: { kind: 'none' },
    size: pdf?.length ?? 0,
  };
}

/** The message's text: what the agent reads above the PDF. */
function describe(report: FaxReport, outcome: FaxOutcome): string {
  const parts = [outcome.subject + '.'];
  if (outcome.statusReason !== undefined) parts.push(`Reason: ${outcome.statusReason}.`);
  if (report.station !== '') parts.push(`Sending station: ${report.station}.`);
  if (report.bitRate !== undefined && report.bitRate > 0) parts.push(`Rate: ${report.bitRate} bit/s.`);
  return parts.join(' ');
}
