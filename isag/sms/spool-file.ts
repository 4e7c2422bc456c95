/**
 * One SIP MESSAGE as the dialplan spools it (asterisk/snippets/extensions_ipcc_sms.conf, [ipcc-messages]):
 * one line `v=1|at=…|callid=…|cseq=…|from=…|to=…|recvaddr=…|transport=…|length=…|body=…|end=1`, the
 * peer's text base64-encoded. Pure: the watcher reads the bytes, this decides what they say. Every field
 * is checked again, so a file that did not come from that dialplan is refused, never trusted.
 */

import { parseSpoolLine } from '../core/spool-line';

/** `<epoch ms>-<sha1 hex of Call-ID/CSeq>.sms`: the dialplan's names, so nothing else is read. */
const ENTRY_NAME = /^[0-9]{10,16}-[0-9a-f]{40}\.sms$/;

export function isSpoolEntryName(name: string): boolean {
  return ENTRY_NAME.test(name);
}

export interface SpooledMessage {
  /** When the dialplan wrote it, epoch milliseconds. */
  at: number;
  callId: string;
  /** The CSeq number (the method dropped). */
  cseq: string;
  /** From as Asterisk prints it: `"Name" <sip:user@host>` (without the port). */
  from: string;
  /** To with res_pjsip_messaging's `pjsip:` prefix. */
  to: string;
  /** Where the MESSAGE came from (`PJSIP_RECVADDR`, host:port); empty when Asterisk gave none. */
  recvAddr: string;
  /** `udp`, `tcp`, `tls`… (`PJSIP_TRANSPORT`). */
  transport: string;
  /** The request's Content-Length: tells a body Asterisk dropped (over its buffer) from an empty one. */
  contentLength?: number;
  body: string;
}

export type SpoolParse =
  | { kind: 'ok'; message: SpooledMessage }
  /** Not (yet) the whole line: FILE() may still be writing it. */
  | { kind: 'incomplete' }
  | { kind: 'invalid'; reason: string };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** What each field may hold (the dialplan's FILTER sets and base64), and how long it may be. */
const FIELDS = new Map<string, RegExp>([
  ['v', /^1$/],
  ['at', /^[0-9]{10,16}$/],
  ['callid', BASE64],
  ['cseq', /^[0-9]{0,10}$/],
  ['from', BASE64],
  ['to', BASE64],
  ['recvaddr', BASE64],
  ['transport', /^[a-z]{0,10}$/],
  ['length', /^[0-9]{0,7}$/],
  ['body', BASE64],
  ['end', /^1$/],
]);
/** The fields in the order the dialplan writes them (a unit test holds the two together). */
export const SPOOL_FIELDS: readonly string[] = [...FIELDS.keys()];
const REQUIRED = ['v', 'at', 'callid', 'from', 'to', 'body', 'end'];
/**
 * The whole line: Asterisk keeps at most 1,023 body bytes and 512 per header, all base64-grown by 4/3.
 * A larger file is no entry of ours.
 */
export const MAX_SPOOL_BYTES = 8192;

export function parseSpoolEntry(text: string): SpoolParse {
  const parsed = parseSpoolLine(text, { fields: FIELDS, required: REQUIRED, maxBytes: MAX_SPOOL_BYTES });
  if (parsed.kind !== 'ok') return parsed;
  const get = (key: string) => parsed.values.get(key) ?? '';
  const text64 = (key: string) => Buffer.from(get(key), 'base64').toString('utf8');
  const length = get('length');
  return {
    kind: 'ok',
    message: {
      at: Number(get('at')),
      callId: text64('callid'),
      cseq: get('cseq'),
      from: text64('from'),
      to: text64('to'),
      recvAddr: text64('recvaddr'),
      transport: get('transport'),
      ...(length === '' ? {} : { contentLength: Number(length) }),
      body: text64('body'),
    },
  };
}
