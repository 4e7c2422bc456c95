import { expect } from '../../support/chai';
import { csvField, toCsv } from '../../../agent-ui/src/domain/report-csv';

describe('agent-ui report CSV', () => {
  it('writes plain text and numbers as they are, empty for missing figures', () => {
    expect(csvField('sales')).to.equal('sales');
    expect(csvField(42.9)).to.equal('42.9');
    expect(csvField(0)).to.equal('0');
    expect(csvField(-15)).to.equal('-15');
    expect(csvField(null)).to.equal('');
    expect(csvField(undefined)).to.equal('');
    expect(csvField(Number.NaN)).to.equal('');
  });

  it('quotes fields with commas, quotes, line breaks or outer spaces, doubling inner quotes', () => {
    expect(csvField('a,b')).to.equal('"a,b"');
    expect(csvField('say "hi"')).to.equal('"say ""hi"""');
    expect(csvField('two\nlines')).to.equal('"two\nlines"');
    expect(csvField('cr\rhere')).to.equal('"cr\rhere"');
    expect(csvField(' padded')).to.equal('" padded"');
    expect(csvField('padded ')).to.equal('"padded "');
    expect(csvField('inner space')).to.equal('inner space');
  });

  it('keeps text a spreadsheet would run as a formula as text', () => {
    expect(csvField('=1+1')).to.equal("'=1+1");
    expect(csvField('+33199000001')).to.equal("'+33199000001");
    expect(csvField('-lunch')).to.equal("'-lunch");
    expect(csvField('@cmd')).to.equal("'@cmd");
    expect(csvField('=HYPERLINK("x","y")')).to.equal('"\'=HYPERLINK(""x"",""y"")"');
    expect(csvField('\tx')).to.equal("'\tx");
  });

  it('builds a header and rows, each line ending in CRLF', () => {
    expect(
      toCsv(
        ['Queue', 'Offered', 'Service level (%)'],
        [
          ['sales', 7, 42.9],
          ['a "quoted", name', 0, null],
        ],
      ),
    ).to.equal('Queue,Offered,Service level (%)\r\nsales,7,42.9\r\n"a ""quoted"", name",0,\r\n');
    expect(toCsv(['only'], [])).to.equal('only\r\n');
  });

  it('refuses a row whose width differs from the header', () => {
    expect(() => toCsv(['a', 'b'], [['x']])).to.throw(RangeError, 'CSV row 1 has 1 fields; the header has 2');
  });
});
