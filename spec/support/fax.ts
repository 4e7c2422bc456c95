import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Fax documents for the fax specs (docs/fax.md), made with Debian's ghostscript and read with
 * poppler's pdfinfo (scripts/provision/fax-tools.sh), and Asterisk itself as the fax machine.
 */

const CHROOT = process.env.IPCC_CHROOT ?? '/var/lib/ipcc/sid';
const GS = ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE'];

/** `dir`/doc.pdf: `pages` pages, each headed by `caption(page)` (1-based) over a line of body text. */
export function textPdf(dir: string, pages: number, caption: (page: number) => string): string {
  const ps = path.join(dir, 'doc.ps');
  const body = Array.from(
    { length: pages },
    (_, i) =>
      `/Helvetica findfont 36 scalefont setfont 60 700 moveto (${caption(i + 1)}) show ` +
      `/Helvetica findfont 12 scalefont setfont 60 660 moveto (${'The quick brown fox jumps over the lazy dog. '.repeat(3)}) show showpage`,
  );
  writeFileSync(ps, `%!PS\n${body.join('\n')}\n`);
  const pdf = path.join(dir, 'doc.pdf');
  execFileSync('gs', [...GS, '-sDEVICE=pdfwrite', `-sOutputFile=${pdf}`, ps]);
  return pdf;
}

/**
 * `pdf` as a G4 fax TIFF at `out`: 1728 dots wide (the only width SendFAX takes) at 204x196 dpi (T.4's
 * fine resolution), each page fitted to the fax page.
 */
export function faxTiff(pdf: string, out: string): string {
  execFileSync('gs', [
    ...GS,
    ...['-sDEVICE=tiffg4', '-r204x196', '-g1728x2156', '-dFIXEDMEDIA', '-dPDFFitPage'],
    ...[`-sOutputFile=${out}`, pdf],
  ]);
  return out;
}

/** The page count pdfinfo reads from `file`. */
export function pdfinfoPages(file: string): number {
  const m = /^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }));
  if (m?.[1] === undefined) throw new Error(`pdfinfo printed no page count for ${file}`);
  return Number(m[1]);
}

/** `tiff` copied where Asterisk can read it (its chroot's /tmp): the path inside, and the host's path. */
export function intoChroot(tiff: string, name: string): { inside: string; outside: string } {
  const inside = `/tmp/${name}-${process.pid}.tif`;
  const outside = path.join(CHROOT, inside);
  writeFileSync(outside, readFileSync(tiff));
  return { inside, outside };
}

/**
 * Asterisk as the sender: an ARI originate dials the fax number 7000 over SIP to Asterisk's own address,
 * so the call comes in as any caller's does, and the originated leg runs [fax-send], SendFAX of `file`
 * (a path inside the chroot). Answers the sending channel's id.
 */
export async function sendFax(callerNumber: string, file: string): Promise<string> {
  const sip = `sip:7000@${process.env.SIP_HOST ?? '127.0.0.1'}:${process.env.SIP_PORT ?? '5060'}`;
  const q = new URLSearchParams({
    ...{ endpoint: `PJSIP/outside/${sip}`, context: 'fax-send', extension: 's', priority: '1' },
    ...{ callerId: callerNumber, timeout: '30' },
  });
  const auth = Buffer.from(`${process.env.ARI_USER ?? ''}:${process.env.ARI_PASSWORD ?? ''}`).toString(
    'base64',
  );
  const res = await fetch(`${process.env.ARI_URL ?? 'http://127.0.0.1:8088'}/ari/channels?${q.toString()}`, {
    method: 'POST',
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    body: JSON.stringify({ variables: { FAX_SEND_FILE: file } }),
  });
  if (!res.ok) throw new Error(`ARI originate: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}
