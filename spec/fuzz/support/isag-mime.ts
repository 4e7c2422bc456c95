import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { hostileString } from './fuzz';

/**
 * Hostile e-mail for ISAG's SMTP server: whole messages as bytes, each starting with the case's marker
 * header so that a message the server accepted can be found again wherever it was stored (`messages` or
 * `quarantine`, whose `raw` keeps the first 64 kB). What follows the marker is anything from a plain
 * valid message to bytes that are not mail at all.
 */

const CRLF = '\r\n';
const latin1 = (s: string) => Buffer.from(s, 'latin1');
const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** Bytes of any value, CR/LF included. */
const garbage = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));

/** Header values an attacker sends: injected CR/LF, NUL, encoded words that do not decode, long runs. */
const headerValue: fc.Arbitrary<Buffer> = fc.oneof(
  hostileString.map((s) => utf8(s.slice(0, 2000))),
  fc
    .constantFrom(
      'x\r\nBcc: victim@customer.test',
      'x\nBcc: victim@customer.test',
      'x\rBcc: victim@customer.test',
      '=?utf-8?B?////?=',
      '=?unknown-charset?Q?=FF=FE?=',
      '=?utf-8?Q?=0D=0ABcc:_x@y?=',
      '=?',
      '"unterminated <a@b',
      '<<<>>>@@@',
      'a@b, , ,,, <>',
      '\u0000\u0000',
    )
    .map(latin1),
  garbage(200),
);

const headerName = fc.oneof(
  fc.constantFrom(
    'Subject',
    'From',
    'To',
    'Cc',
    'Reply-To',
    'Message-ID',
    'In-Reply-To',
    'References',
    'Content-Type',
    'Content-Transfer-Encoding',
    'Content-Disposition',
    'MIME-Version',
    'Date',
    'Received',
  ),
  fc.stringMatching(/^[!-9;-~]{1,40}$/),
  hostileString.map((s) => s.slice(0, 60)),
);

const header = fc
  .tuple(headerName, headerValue)
  .map(([n, v]) => Buffer.concat([utf8(`${n}: `), v, latin1(CRLF)]));

/** A header line of 100 kB to 1 MB, folded or not; or thousands of small headers. */
const hugeHeaders: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 100_000, max: 1_000_000 }), fc.boolean())
    .map(([n, folded]) =>
      latin1(
        `Subject: ${folded ? Array.from({ length: Math.ceil(n / 70) }, () => 'x'.repeat(68)).join('\r\n ') : 'y'.repeat(n)}${CRLF}`,
      ),
    ),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => latin1(`X-Many: 1${CRLF}`.repeat(n))),
);

const transferEncoding = fc.constantFrom(
  'base64',
  'quoted-printable',
  '7bit',
  '8bit',
  'binary',
  'x-uuencode',
  'bogus',
);

/** A body part's content: base64 or QP that does not decode, 8-bit bytes, text. */
const partContent: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom('====', 'QUJD!!!', 'a', '=ZZ=\r\n=', '=\r\n=\r\n=', '\u0000\u0000').map(latin1),
  garbage(2000),
  hostileString.map(utf8),
  fc.uint8Array({ maxLength: 3000 }).map((a) => latin1(Buffer.from(a).toString('base64'))),
);

/** An attachment that looks like a zip: a local file header then random or highly compressed bytes. */
const zipLike: fc.Arbitrary<Buffer> = fc.oneof(
  garbage(2000).map((b) => Buffer.concat([latin1('PK\u0003\u0004'), b])),
  // A "bomb": 8 MB of zeros deflated to a few kB (ISAG stores attachments, it never unpacks them).
  fc.constant(
    Buffer.concat([
      latin1('PK\u0003\u0004\u0014\u0000\u0000\u0000\u0008\u0000'),
      deflateRawSync(Buffer.alloc(8 * 1024 * 1024)),
    ]),
  ),
);

interface Part {
  headers: Buffer[];
  body: Buffer;
}

const leafPart: fc.Arbitrary<Part> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('text/plain', 'text/html', 'application/octet-stream', 'image/png', 'x/y;;;'),
      transferEncoding,
      partContent,
    )
    .map(([type, cte, body]) => ({
      headers: [latin1(`Content-Type: ${type}${CRLF}`), latin1(`Content-Transfer-Encoding: ${cte}${CRLF}`)],
      body,
    })),
  fc.tuple(fc.boolean(), zipLike).map(([b64, zip]) => ({
    headers: [
      latin1(`Content-Type: application/zip; name="a.zip"${CRLF}`),
      latin1(`Content-Disposition: attachment; filename="../../etc/${'a'.repeat(10)}.zip"${CRLF}`),
      latin1(`Content-Transfer-Encoding: ${b64 ? 'base64' : 'binary'}${CRLF}`),
    ],
    body: b64 ? latin1(zip.toString('base64').replace(/.{76}/g, `$&${CRLF}`)) : zip,
  })),
);

/** How a multipart is broken: no boundary parameter, never closed, another boundary used, an empty one. */
type Flaw = 'none' | 'no-boundary' | 'unclosed' | 'wrong-boundary' | 'empty-boundary';

let boundarySeq = 0;

/** A multipart of `parts`, with a boundary that may be missing, empty, reused or never closed. */
function multipart(parts: Part[], flaw: Flaw): Part {
  boundarySeq += 1;
  const boundary = flaw === 'empty-boundary' ? '' : `b${boundarySeq}`;
  const declared =
    flaw === 'no-boundary' ? '' : `; boundary="${flaw === 'wrong-boundary' ? 'other' : boundary}"`;
  const chunks: Buffer[] = [];
  for (const p of parts)
    chunks.push(latin1(`--${boundary}${CRLF}`), ...p.headers, latin1(CRLF), p.body, latin1(CRLF));
  if (flaw !== 'unclosed') chunks.push(latin1(`--${boundary}--${CRLF}`));
  return {
    headers: [latin1(`Content-Type: multipart/mixed${declared}${CRLF}`)],
    body: Buffer.concat(chunks),
  };
}

const flaw = fc.constantFrom<Flaw>(
  'none',
  'none',
  'no-boundary',
  'unclosed',
  'wrong-boundary',
  'empty-boundary',
);

/** Multiparts nested 1 to 60 deep (each level one part plus the next level), with flaws on the way. */
const nested: fc.Arbitrary<Part> = fc
  .tuple(fc.integer({ min: 1, max: 60 }), fc.array(leafPart, { minLength: 1, maxLength: 3 }), flaw)
  .map(([depth, leaves, f]) => {
    let part = multipart(leaves, f);
    for (let i = 1; i < depth; i++) part = multipart([part, ...leaves.slice(0, 1)], i % 7 === 0 ? f : 'none');
    return part;
  });

const body: fc.Arbitrary<Part> = fc.oneof(
  leafPart,
  nested,
  fc.array(leafPart, { minLength: 1, maxLength: 5 }).chain((parts) => flaw.map((f) => multipart(parts, f))),
  garbage(5000).map((b) => ({ headers: [], body: b })),
);

/** A whole message: the marker, then headers (ordinary, hostile, huge), then a body of any shape. */
export function hostileMail(marker: string, to: string): fc.Arbitrary<Buffer> {
  const ordinary = [
    latin1(`From: Fuzz <${marker}@customer.test>${CRLF}`),
    latin1(`To: ${to}${CRLF}`),
    latin1(`Subject: ${marker}${CRLF}`),
    latin1(`Message-ID: <${marker}@customer.test>${CRLF}`),
    latin1(`MIME-Version: 1.0${CRLF}`),
  ];
  const markerLine = latin1(`X-Fuzz-Marker: ${marker}${CRLF}`);
  return fc.oneof(
    // Mostly mail-shaped: some ordinary headers kept, hostile ones added, a body of any shape.
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.subarray(ordinary), fc.array(header, { maxLength: 8 }), body, fc.boolean())
        .map(([keep, extra, b, blankLine]) =>
          Buffer.concat([markerLine, ...keep, ...extra, ...b.headers, latin1(blankLine ? CRLF : ''), b.body]),
        ),
    },
    {
      weight: 1,
      arbitrary: hugeHeaders.map((h) =>
        Buffer.concat([markerLine, ...ordinary, h, latin1(CRLF), latin1('body')]),
      ),
    },
    // Not mail at all: 8-bit garbage after the marker (bare CR and LF, NUL, lone dots).
    { weight: 2, arbitrary: garbage(20_000).map((g) => Buffer.concat([markerLine, g])) },
  );
}

/** Envelope addresses an attacker sends: injected commands, routes, quotes, 8-bit, over-long. */
export const hostileAddress: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'a@b>\r\nRCPT TO:<victim@customer.test',
    '@relay.test:user@customer.test',
    '"quoted local"@customer.test',
    'user@[127.0.0.1]',
    'user@',
    '@',
    '',
    'no-at-sign',
    'x'.repeat(300) + '@customer.test',
    'user@customer.test SIZE=99999999999',
    'user%customer.test@ipcc.local',
    'postmaster',
  ),
  hostileString.map((s) => s.replace(/[\r\n]/g, '').slice(0, 400)),
);
