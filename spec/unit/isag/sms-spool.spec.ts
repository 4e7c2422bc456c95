import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  MAX_SPOOL_BYTES,
  SPOOL_FIELDS,
  isSpoolEntryName,
  parseSpoolEntry,
} from '../../../isag/sms/spool-file';
import { expect } from '../../support/chai';
import { spoolLine } from '../../support/sms-spool';

const snippet = readFileSync(
  path.join(__dirname, '../../../asterisk/snippets/extensions_ipcc_sms.conf'),
  'utf8',
);

/** The value [ipcc-messages] writes with FILE(): everything after `)=` up to the closing `)` of Set. */
function template(): string {
  const line = snippet.split('\n').find((l) => l.includes('Set(FILE(${SMS_SPOOL})='));
  if (line === undefined) throw new Error('no spool line in [ipcc-messages]');
  const value = line.slice(line.indexOf('${SMS_SPOOL})=') + '${SMS_SPOOL})='.length);
  return value.slice(0, value.lastIndexOf(')'));
}

describe('isag sms: the SIP MESSAGE spool line', () => {
  it('the dialplan writes the fields in the order the parser reads them', () => {
    expect(
      template()
        .split('|')
        .map((f) => f.slice(0, f.indexOf('='))),
    ).to.deep.equal(SPOOL_FIELDS);
  });

  it("the dialplan passes the peer's text through BASE64_ENCODE and the rest through FILTER", () => {
    for (const field of template().split('|')) {
      const [key, value] = [field.slice(0, field.indexOf('=')), field.slice(field.indexOf('=') + 1)];
      if (!value.includes('${')) continue;
      if (['callid', 'from', 'to', 'recvaddr', 'body'].includes(key))
        expect(value, field).to.match(/^\$\{BASE64_ENCODE\(\$\{MESSAGE(_DATA)?\([A-Za-z_-]+\)\}\)\}$/);
      else expect(value, field).to.match(/^\$\{FILTER\([a-z0-9-]+,\$\{[A-Z_]+\([^)]*\)\}\)\}$/);
    }
  });

  it('names files by arrival time and a digest, as the parser expects', () => {
    const name = /Set\(SMS_SPOOL=\$\{ASTSPOOLDIR\}\/sms\/(.*)\)$/m.exec(snippet)?.[1];
    expect(name).to.equal('${STRFTIME(,,%s%3q)}-${SHA1(${MESSAGE_DATA(Call-ID)}/${MESSAGE_DATA(CSeq)})}.sms');
    expect(isSpoolEntryName(`1765100000123-${'0a'.repeat(20)}.sms`)).to.equal(true);
    for (const bad of [
      'x.sms',
      `1765100000123-${'0a'.repeat(20)}.sms.tmp`,
      `../1765100000123-${'0a'.repeat(20)}.sms`,
    ])
      expect(isSpoolEntryName(bad), bad).to.equal(false);
  });

  it('reads a whole line, decoding what the peer sent exactly (separators, braces, non-ASCII)', () => {
    const body = 'a|b=c\n}{)(,; ${EPOCH} "x" é 😀';
    const r = parseSpoolEntry(spoolLine({ body, from: '"A|B" <sip:+15557770001@127.0.0.1>' }));
    expect(r).to.deep.equal({
      kind: 'ok',
      message: {
        at: 1765100000123,
        callId: '1-2345@127.0.0.1',
        cseq: '1',
        from: '"A|B" <sip:+15557770001@127.0.0.1>',
        to: 'pjsip:+15550100@127.0.0.1',
        recvAddr: '127.0.0.1:5072',
        transport: 'udp',
        contentLength: 16,
        body,
      },
    });
    expect(parseSpoolEntry(spoolLine() + '\n').kind).to.equal('ok');
  });

  it('every cut of a line (FILE() still writing) is incomplete, never a message', () => {
    const line = spoolLine();
    for (let n = 0; n < line.length; n++)
      expect(parseSpoolEntry(line.slice(0, n)).kind, `${n}`).to.equal('incomplete');
  });

  it('refuses a line that is not the dialplan’s', () => {
    const cases: Array<[string, RegExp]> = [
      [spoolLine().replace('v=1', 'v=2'), /"v"/],
      [spoolLine().replace('cseq=1', 'cseq=1 MESSAGE'), /"cseq"/],
      [spoolLine().replace('transport=udp', 'transport=udp;x'), /"transport"/],
      [spoolLine().replace('|end=1', '|evil=1|end=1'), /unknown field "evil"/],
      [spoolLine().replace('|end=1', '|cseq=2|end=1'), /"cseq" twice/],
      [spoolLine().replace(/body=[^|]*/, 'body=not base64!'), /"body"/],
      [spoolLine().replace(/\|callid=[^|]*/, ''), /no "callid"/],
      [spoolLine().replace('|end=1', '\n|end=1'), /more than one line/],
      [spoolLine().replace('|end=1', '||end=1'), /without a name/],
      ['x'.repeat(MAX_SPOOL_BYTES + 1), /over 8192 bytes/],
    ];
    for (const [line, reason] of cases) {
      const r = parseSpoolEntry(line);
      expect(r.kind, line.slice(0, 60)).to.equal('invalid');
      expect(r.kind === 'invalid' ? r.reason : '', line.slice(0, 60)).to.match(reason);
    }
  });

  it('a line as Asterisk wrote it in this system is read (captured 2026-12-07)', () => {
    const seen =
      'v=1|at=1796647813519|callid=MS0zMDkxMEAxMjcuMC4wLjE=|cseq=1|from=PHNpcDorMTU1NTAwMDExMTFAMTI3LjAuMC4xPg==|to=cGpzaXA6KzE1NTUwMTk5QDEyNy4wLjAuMQ==|recvaddr=MTI3LjAuMC4xOjUxODE=|transport=udp|body=aGVsbG8gfXspKHwsOyAke0VQT0NIfSA9ICJ4IiDDqQ==|end=1';
    const r = parseSpoolEntry(seen);
    expect(r.kind === 'ok' ? r.message : r).to.deep.include({
      callId: '1-30910@127.0.0.1',
      from: '<sip:+15550001111@127.0.0.1>',
      to: 'pjsip:+15550199@127.0.0.1',
      recvAddr: '127.0.0.1:5181',
      body: 'hello }{)(|,; ${EPOCH} = "x" é',
    });
  });
});
