import type { FaxReport } from './status-file';

/**
 * What a received fax becomes: every fax is a task, complete, partial or failed, and the agent reads
 * which and why. Pure; the table below is the whole decision.
 *
 * | Asterisk's FAXSTATUS | PDF made (pages > 0) | result   | message status | reason                       |
 * |----------------------|----------------------|----------|----------------|------------------------------|
 * | SUCCESS              | yes                  | complete | received       | none                         |
 * | SUCCESS              | no                   | failed   | failed         | the conversion's error       |
 * | FAILED / empty       | yes                  | partial  | failed         | pages received + FAXERROR    |
 * | FAILED / empty       | no                   | failed   | failed         | FAXERROR, or no fax at all   |
 *
 * The message's `status` keeps the contract's values (received | failed); `partial` is in the reason and
 * the subject, and the PDF of the pages that did arrive is attached.
 */
export type FaxResult = 'complete' | 'partial' | 'failed';

/** The PDF made of the TIFF (pages counted by pdfinfo), or why there is none. */
export type FaxDocument = { kind: 'pdf'; pages: number } | { kind: 'none'; why: string };

export interface FaxOutcome {
  result: FaxResult;
  status: 'received' | 'failed';
  statusReason?: string;
  subject: string;
  /** Pages the agent gets: the PDF's, else what Asterisk reported. */
  pages: number;
}

export function faxOutcome(report: FaxReport, doc: FaxDocument): FaxOutcome {
  const success = report.faxStatus === 'SUCCESS';
  const sender = report.from === '' ? 'an unknown number' : report.from;
  if (doc.kind === 'pdf' && doc.pages > 0) {
    const pages = doc.pages;
    if (success)
      return {
        result: 'complete',
        status: 'received',
        subject: `Fax from ${sender}, ${plural(pages)}`,
        pages,
      };
    return {
      result: 'partial',
      status: 'failed',
      statusReason: `partial fax: ${plural(pages)} received; ${asteriskReason(report)}`,
      subject: `Partial fax from ${sender}, ${plural(pages)}`,
      pages,
    };
  }
  const why = success
    ? `received, but no PDF could be made of it: ${doc.kind === 'none' ? doc.why : 'no pages'}`
    : report.faxStatus === ''
      ? 'no fax: the call ended before a fax was received'
      : `no page received: ${asteriskReason(report)}`;
  return {
    result: 'failed',
    status: 'failed',
    statusReason: why,
    subject: `Failed fax from ${sender}`,
    pages: report.pages,
  };
}

/** FAXERROR with FAXSTATUSSTRING, as Asterisk put them (spandsp puts the same words in both). */
function asteriskReason(report: FaxReport): string {
  const error = report.error === '' ? 'FAILED' : report.error;
  return report.detail === '' || report.detail === error ? error : `${error} (${report.detail})`;
}

function plural(pages: number): string {
  return pages === 1 ? '1 page' : `${pages} pages`;
}
