import { readFileSync } from 'node:fs';
import path from 'node:path';
import { STATUS_FIELDS, parseStatus } from '../../../isag/fax/status-file';
import { expect } from '../../support/chai';

const snippet = readFileSync(
  path.join(__dirname, '../../../asterisk/snippets/extensions_ipcc_fax.conf'),
  'utf8',
);

/** The value [fax-done] writes with FILE(): everything after `)=` up to the closing `)` of Set. */
function statusTemplate(): string {
  const line = snippet
    .split('\n')
    .find((l) => l.includes('Set(FILE(${ASTSPOOLDIR}/fax/${UNIQUEID}.status)='));
  if (line === undefined) throw new Error('no status line in [fax-done]');
  const value = line.slice(line.indexOf('.status)=') + '.status)='.length);
  return value.slice(0, value.lastIndexOf(')'));
}

describe('fax dialplan and its status file agree (extensions_ipcc_fax.conf)', () => {
  it('writes the fields ISAG reads, in its order', () => {
    const keys = statusTemplate()
      .split('|')
      .map((f) => f.slice(0, f.indexOf('=')));
    expect(keys).to.deep.equal(STATUS_FIELDS);
  });

  it('passes every value through FILTER() but the UNIQUEID Asterisk made', () => {
    for (const field of statusTemplate().split('|')) {
      const value = field.slice(field.indexOf('=') + 1);
      if (!value.includes('${')) continue;
      if (value === '${UNIQUEID}') continue;
      expect(value, field).to.match(/^\$\{FILTER\([^,]+,\$\{[A-Za-z0-9()]+\}\)\}$/);
    }
  });

  it('a line with the FILTER sets filled in is read back', () => {
    const filled = statusTemplate()
      .replace('${UNIQUEID}', 'ipcc-1765100000.1')
      .replace(/\$\{FILTER\(([^,]+),[^|]*/g, (_m, allowed: string) =>
        allowed.startsWith('0-9') ? '7000' : 'OK',
      );
    const parsed = parseStatus(filled);
    expect(parsed.kind, JSON.stringify(parsed)).to.equal('ok');
  });

  it('takes its fax numbers from the generated file only, and pushes the hang-up handler before Answer', () => {
    // The numbers come from the fax queues (isag/fax/dialplan.ts): none is written in the snippet.
    expect(snippet).to.match(/^#tryinclude extensions_ipcc_fax_numbers\.conf$/m);
    expect(snippet).not.to.match(/^exten => [+0-9]+,/m);
    expect(snippet).not.to.match(/^exten => fax,/m);
    const faxIn = snippet.slice(snippet.indexOf('\n[fax-in]\n'), snippet.indexOf('\n[fax-done]\n'));
    expect(faxIn.indexOf('hangup_handler_push')).to.be.above(0).and.below(faxIn.indexOf('Answer()'));
    expect(faxIn).to.include('ReceiveFAX(${ASTSPOOLDIR}/fax/${UNIQUEID}.tif,f)');
  });
});
