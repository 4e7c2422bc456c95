import { parseStatus, spoolFileId } from '../../../isag/fax/status-file';
import { expect } from '../../support/chai';

const line = (fields: string) => `v=1|uniqueid=ipcc-1765100000.42|${fields}|end=1`;

describe('fax status file (isag/fax/status-file.ts)', () => {
  it('reads the line the dialplan writes, a complete fax', () => {
    const parsed = parseStatus(
      line(
        'to=7000|from=+15550123|status=SUCCESS|pages=3|error=NO_ERROR|detail=OK|station=IPCC TEST|rate=14400',
      ),
    );
    expect(parsed).to.deep.equal({
      kind: 'ok',
      report: {
        uniqueId: 'ipcc-1765100000.42',
        to: '7000',
        from: '+15550123',
        faxStatus: 'SUCCESS',
        pages: 3,
        error: 'NO_ERROR',
        detail: 'OK',
        station: 'IPCC TEST',
        bitRate: 14400,
      },
    });
  });

  it('reads a call that ended before ReceiveFAX ran: empty values', () => {
    const parsed = parseStatus(line('to=7000|from=|status=|pages=|error=|detail=|station=|rate='));
    expect(parsed).to.deep.equal({
      kind: 'ok',
      report: {
        uniqueId: 'ipcc-1765100000.42',
        to: '7000',
        from: '',
        faxStatus: '',
        pages: 0,
        error: '',
        detail: '',
        station: '',
      },
    });
  });

  it('waits for a line without its end (FILE() still writing)', () => {
    expect(parseStatus('v=1|uniqueid=ipcc-1.2|to=7000|status=SUCC')).to.deep.equal({ kind: 'incomplete' });
    expect(parseStatus('')).to.deep.equal({ kind: 'incomplete' });
  });

  it('refuses what the dialplan cannot have written, naming why', () => {
    const invalid = (text: string) => {
      const p = parseStatus(text);
      return p.kind === 'invalid' ? p.reason : `not refused: ${p.kind}`;
    };
    expect(invalid(line('to=7000|status=SUCCESS|path=/etc/passwd'))).to.equal('unknown field "path"');
    expect(invalid(line('to=7000|status=SUCCESS|from=1;rm'))).to.equal(
      'field "from" has an unexpected value',
    );
    expect(invalid(line('to=7000|to=7001|status=SUCCESS'))).to.equal('field "to" twice');
    expect(invalid('v=1|uniqueid=../../x|to=7000|status=|end=1')).to.equal(
      'field "uniqueid" has an unexpected value',
    );
    expect(invalid('v=1|uniqueid=a.1|status=|end=1')).to.equal('no "to"');
    expect(invalid('v=2|uniqueid=a.1|to=7000|status=|end=1')).to.equal('field "v" has an unexpected value');
    expect(invalid('v=1\n|uniqueid=a.1|to=7000|status=|end=1')).to.equal('more than one line');
    expect(invalid(`${'x'.repeat(3000)}|end=1`)).to.equal('over 2048 bytes');
  });

  it('names spool files by their unique id, never a path', () => {
    expect(spoolFileId('ipcc-1765100000.42.status', '.status')).to.equal('ipcc-1765100000.42');
    expect(spoolFileId('ipcc-1765100000.42.tif', '.tif')).to.equal('ipcc-1765100000.42');
    expect(spoolFileId('ipcc-1765100000.42.tif', '.status')).to.equal(undefined);
    expect(spoolFileId('.status', '.status')).to.equal(undefined);
    expect(spoolFileId('..status', '.status')).to.equal(undefined);
  });
});
