/**
 * The status file the dialplan writes beside each received TIFF (asterisk/snippets/extensions_ipcc_fax.conf,
 * [fax-done]): one line `v=1|uniqueid=…|to=…|from=…|status=…|pages=…|error=…|detail=…|station=…|rate=…|end=1`.
 * Pure: the watcher reads the bytes, this decides what they say. The dialplan FILTERs every value; this
 * checks them again, so a file that did not come from that dialplan is refused, never trusted.
 */

import { parseSpoolLine } from '../core/spool-line';

/** Asterisk's UNIQUEID (`<systemname>-<epoch>.<sequence>`): also the file names, so no path characters. */
export const UNIQUE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

export interface FaxReport {
  uniqueId: string;
  /** The fax number called. */
  to: string;
  /** The caller's number (digits and `+`), empty when withheld. */
  from: string;
  /** FAXSTATUS: `SUCCESS`, `FAILED`, or empty when ReceiveFAX never ran (hang-up before the answer). */
  faxStatus: string;
  /** FAXPAGES: the pages Asterisk says it received. */
  pages: number;
  /** FAXERROR: res_fax's token (`HANGUP`, `INIT_ERROR`) or spandsp's words; may be empty. */
  error: string;
  /** FAXSTATUSSTRING, Asterisk's words. */
  detail: string;
  /** REMOTESTATIONID: the sender's station id (its text, filtered). */
  station: string;
  /** FAXBITRATE, bits per second, when known. */
  bitRate?: number;
}

export type StatusParse =
  | { kind: 'ok'; report: FaxReport }
  /** Not (yet) the whole line: FILE() may still be writing it. */
  | { kind: 'incomplete' }
  | { kind: 'invalid'; reason: string };

/** What each field may hold (the dialplan's FILTER sets), and how long it may be. */
const FIELDS = new Map<string, RegExp>([
  ['v', /^1$/],
  ['uniqueid', UNIQUE_ID],
  ['to', /^[0-9+]{1,32}$/],
  ['from', /^[0-9+]{0,32}$/],
  ['status', /^[A-Z]{0,16}$/],
  ['pages', /^[0-9]{0,4}$/],
  ['error', /^[A-Za-z0-9 .:/_]{0,200}$/],
  ['detail', /^[A-Za-z0-9 .:/_]{0,200}$/],
  ['station', /^[A-Za-z0-9 +]{0,40}$/],
  ['rate', /^[0-9]{0,6}$/],
  ['end', /^1$/],
]);
/** The fields in the order the dialplan writes them (a unit test holds the two together). */
export const STATUS_FIELDS: readonly string[] = [...FIELDS.keys()];
const REQUIRED = ['v', 'uniqueid', 'to', 'status', 'end'];
/** The whole line: a larger file is no status file of ours. */
export const MAX_STATUS_BYTES = 2048;

export function parseStatus(text: string): StatusParse {
  const parsed = parseSpoolLine(text, { fields: FIELDS, required: REQUIRED, maxBytes: MAX_STATUS_BYTES });
  if (parsed.kind !== 'ok') return parsed;
  const get = (key: string) => parsed.values.get(key) ?? '';
  const rate = get('rate');
  return {
    kind: 'ok',
    report: {
      uniqueId: get('uniqueid'),
      to: get('to'),
      from: get('from'),
      faxStatus: get('status'),
      pages: get('pages') === '' ? 0 : Number(get('pages')),
      error: get('error').trim(),
      detail: get('detail').trim(),
      station: get('station').trim(),
      ...(rate === '' ? {} : { bitRate: Number(rate) }),
    },
  };
}

/** The unique id a spool file belongs to (`<id>.status`, `<id>.tif`), or undefined for other files. */
export function spoolFileId(name: string, extension: '.status' | '.tif'): string | undefined {
  if (!name.endsWith(extension)) return undefined;
  const id = name.slice(0, -extension.length);
  return UNIQUE_ID.test(id) ? id : undefined;
}
