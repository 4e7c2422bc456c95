/**
 * Checks on the raw bytes of a message before and beside mailparser, which is lenient by design: what
 * it would quietly accept but an agent could not read, or the store could not hold, is quarantined with
 * the reason. Pure functions over a Buffer.
 */

/** Where the header block ends (index of the blank line), or -1 when there is none. */
export function headerEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf === -1) return lf;
  if (lf === -1) return crlf;
  return Math.min(crlf, lf);
}

const HEADER_LINE = /^[!-9;-~]+:/; // RFC 5322 field name: printable ASCII except ':', then ':'

/** The header block as text (latin1, byte for byte); the whole message when it has no body. */
export function headerBlock(raw: Buffer): Buffer {
  const end = headerEnd(raw);
  return end === -1 ? raw : raw.subarray(0, end);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Unfolded header lines of a header block (continuation lines joined to their field). */
export function headerLines(block: string): string[] {
  const lines: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && lines.length > 0) lines[lines.length - 1] += ` ${line.trim()}`;
    else if (line !== '') lines.push(line);
  }
  return lines;
}

/** The value of the first header `name` in a header block (unfolded), or undefined. */
export function headerValue(block: string, name: string): string | undefined {
  const prefix = `${name.toLowerCase()}:`;
  for (const line of headerLines(block))
    if (line.toLowerCase().startsWith(prefix)) return line.slice(prefix.length).trim();
  return undefined;
}

/** A parameter of a structured header value (`boundary`, `report-type`), unquoted; undefined if absent. */
export function headerParam(value: string, param: string): string | undefined {
  const re = new RegExp(`;\\s*${param}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i');
  const m = re.exec(value);
  if (m === null) return undefined;
  return m[1] ?? m[2];
}

/**
 * Why the message cannot be taken as mail, or undefined: no header block, a first line that is no
 * header field, 8-bit bytes in the headers that are not UTF-8 (RFC 6532 allows UTF-8 only), a multipart
 * body without its boundary or whose boundary never appears.
 */
export function rawRefusal(raw: Buffer): string | undefined {
  if (raw.length === 0) return 'empty message';
  const block = headerBlock(raw);
  const firstLine = block.toString('latin1').split(/\r?\n/, 1)[0] ?? '';
  if (!HEADER_LINE.test(firstLine)) return 'no message headers (the first line is not a header field)';
  if (block.some((b) => b >= 0x80)) {
    try {
      utf8.decode(block);
    } catch {
      return '8-bit data in the headers that is not UTF-8';
    }
  }
  if (block.includes(0)) return 'NUL bytes in the headers';
  const text = block.toString('utf8');
  const contentType = headerValue(text, 'content-type');
  if (contentType !== undefined && /^\s*multipart\//i.test(contentType)) {
    const boundary = headerParam(contentType, 'boundary');
    if (boundary === undefined || boundary === '') return 'malformed MIME: multipart without a boundary';
    if (!raw.includes(`--${boundary}`, headerEnd(raw) === -1 ? raw.length : headerEnd(raw)))
      return `malformed MIME: the boundary "${boundary.slice(0, 70)}" never appears in the body`;
  }
  return undefined;
}

/** Whether the header block says this is a delivery status notification (RFC 3464). */
export function isDeliveryReport(raw: Buffer): boolean {
  const contentType = headerValue(headerBlock(raw).toString('utf8'), 'content-type');
  if (contentType === undefined || !/^\s*multipart\/report\b/i.test(contentType)) return false;
  return (headerParam(contentType, 'report-type') ?? '').toLowerCase() === 'delivery-status';
}
